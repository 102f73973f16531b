import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../server/src/analysis/index.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';

/**
 * The project model on a real Java checkout: every `.java` file summarised cold (read, hash, parse),
 * then every file analysed with its project and alone, counting what the model resolves: `@Bean`
 * methods of library types, project classes that stand for a library class, and calls through an
 * injected bean. Usage: npm run bench -- project --java DIR [--json]
 */

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

function javaFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'target') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...javaFiles(full));
    else if (entry.name.endsWith('.java')) found.push(full);
  }
  return found.sort();
}

export async function javaBench(root: string, json: boolean): Promise<void> {
  const files = javaFiles(path.resolve(root));
  const analyzer = new Analyzer({ wasmPath: (f) => path.join(__dirname, '..', f) });
  await analyzer.prepare('java');
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const resolver = new FileResolver(path.resolve(root));
  const cache = analyzer.summaries();
  const model = analyzer.projectModel(resolver, cache);
  let started = performance.now();
  for (const file of files) model.summaryOf(file, 'java');
  const indexMs = performance.now() - started;
  global.gc?.();
  const rssIndexed = process.memoryUsage().rss;

  started = performance.now();
  const beans = new Set<string>();
  const projectTypes = new Set<string>();
  let beanUses = 0;
  let withProject = 0;
  let alone = 0;
  let lines = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    const summary = model.summaryOf(file, 'java');
    if (summary === undefined) continue;
    const view = model.viewFor(file, summary);
    for (const bean of view.beans ?? []) beans.add(`${bean.origin.path}:${bean.origin.line}`);
    for (const [simple, type] of view.javaTypes ?? []) if (type !== undefined) projectTypes.add(`${simple}→${type}`);
    const result = analyzer.analyzeSync(text, 'java', { project: { model, path: file } });
    beanUses += (result.projectNames ?? []).length;
    withProject += result.findings.length;
    alone += analyzer.analyzeSync(text, 'java').findings.length;
  }
  const analyseMs = performance.now() - started;
  const report = {
    files: files.length,
    lines,
    indexMs: Math.round(indexMs),
    indexParsed: cache.parses,
    rssGrowthMB: mb(rssIndexed - rssBefore),
    analyseAllMs: Math.round(analyseMs),
    beansOfLibraryTypes: beans.size,
    projectClassesExtendingLibraryClasses: projectTypes.size,
    callsThroughInjectedBeans: beanUses,
    findingsWithProject: withProject,
    findingsAlone: alone,
  };
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${Object.entries(report).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
}
