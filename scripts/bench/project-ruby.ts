import fs from 'node:fs';
import path from 'node:path';
import { Analyzer, type AnalysisResult } from '../../server/src/analysis/index.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';

/**
 * The Ruby project model on a real checkout: every `.rb` file summarised cold (what the editor's
 * background index does), then each analysed alone and with its project, counting the Sidekiq and
 * Active Job classes recognised (task signals) and the findings of each rule.
 * Usage: npm run bench -- project-ruby DIR
 */

const SKIP = new Set(['.git', 'node_modules', 'vendor', 'tmp', 'log', 'public', 'coverage']);

function rubyFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) rubyFiles(full, out);
    else if (entry.isFile() && entry.name.endsWith('.rb')) out.push(full);
  }
  return out;
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

function tally(results: readonly AnalysisResult[]): { jobs: number; sidekiq: number; activejob: number; findings: Record<string, number> } {
  const findings: Record<string, number> = {};
  let sidekiq = 0;
  let activejob = 0;
  for (const result of results) {
    for (const signal of result.signals) {
      if (signal.kind !== 'task-def') continue;
      if (signal.api === 'Sidekiq::Job') sidekiq++;
      if (signal.api === 'ActiveJob::Base') activejob++;
    }
    for (const finding of result.findings) findings[finding.rule] = (findings[finding.rule] ?? 0) + 1;
  }
  return { jobs: sidekiq + activejob, sidekiq, activejob, findings };
}

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? '.');
  const files = rubyFiles(root).sort();
  const analyzer = new Analyzer({ wasmPath: (f) => path.join(__dirname, '..', f) });
  await analyzer.prepare('ruby');
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  const resolver = new FileResolver(root);
  const cache = analyzer.summaries();
  const model = analyzer.projectModel(resolver, cache);
  let started = performance.now();
  for (const file of files) model.summaryOf(file, 'ruby');
  const indexMs = performance.now() - started;
  global.gc?.();
  const rssIndex = process.memoryUsage().rss;
  const saved = JSON.stringify(cache.entries()).length;

  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  started = performance.now();
  const alone = texts.map((text) => analyzer.analyzeSync(text, 'ruby', {}, false));
  const aloneMs = performance.now() - started;
  started = performance.now();
  const withProject = texts.map((text, i) => analyzer.analyzeSync(text, 'ruby', { project: { model, path: files[i] as string } }, false));
  const projectMs = performance.now() - started;
  global.gc?.();

  // The files whose job classes the project recognises and the file alone does not.
  const gained: string[] = [];
  files.forEach((file, i) => {
    const count = (r: AnalysisResult | undefined): number => (r?.signals ?? []).filter((s) => s.kind === 'task-def').length;
    if (count(withProject[i]) > count(alone[i])) gained.push(path.relative(root, file));
  });
  console.log(JSON.stringify({
    root, files: files.length, indexMs: Math.round(indexMs), savedMB: mb(saved), rssIndexMB: mb(rssIndex - rssBefore),
    rssAfterAnalysisMB: mb(process.memoryUsage().rss - rssBefore), aloneMs: Math.round(aloneMs), projectMs: Math.round(projectMs),
    alone: tally(alone), project: tally(withProject), gained: gained.slice(0, 15), gainedFiles: gained.length,
  }, null, 2));
}

void main();
