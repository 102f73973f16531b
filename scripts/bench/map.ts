import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Analyzer, joinTaskMap, languageFromPath, LineIndex, type MapFileInput } from '../../server/src/analysis/index.js';
import { EMPTY_MAP_FACTS } from '../../server/src/analysis/map/facts.js';
import { ConfigScope } from '../../server/src/config/scope.js';
import { ProjectModels } from '../../server/src/workspace/projects.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';
import { collectFiles } from '../../server/src/workspace/walk.js';

/**
 * The task map's cost on a real repository: every file analysed with its map facts and the join
 * (cold), then one file edited and the map rebuilt from that file's new facts plus the join, as a
 * host that keeps each file's facts does. Usage: node dist/bench/map.js <folder> [--edits 20]
 */
async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? '.');
  const edits = Number(process.argv[process.argv.indexOf('--edits') + 1] ?? 20) || 20;
  const analyzer = new Analyzer({ wasmPath: (f) => path.join(__dirname, '..', f) });
  const files = collectFiles([root], new ConfigScope(root, undefined), root);
  const projects = new ProjectModels(analyzer, root, root);
  const resolver = new FileResolver(root);
  const options = { resolver: { resolve: (from: string, spec: string, language: Parameters<FileResolver['resolve']>[2]) => resolver.resolve(from, spec, language) }, display: (p: string) => path.relative(root, p) };
  const inputs = new Map<string, MapFileInput>();
  const analyse = async (file: string, text: string): Promise<MapFileInput | undefined> => {
    const language = languageFromPath(file);
    if (language === undefined) return undefined;
    await projects.prepare(language);
    const project = projects.for(file);
    const result = await analyzer.analyze(text, language, { map: true, ...(project === undefined ? {} : { project }) });
    const lines = new LineIndex(text);
    return { path: file, language, map: result.map ?? EMPTY_MAP_FACTS, findings: result.findings.map((f) => ({ rule: f.rule, line: lines.lineOf(f.range.start) + 1 })) };
  };
  const start = performance.now();
  for (const file of files) {
    const input = await analyse(file, fs.readFileSync(file, 'utf8'));
    if (input !== undefined) inputs.set(file, input);
  }
  const analysed = performance.now();
  const map = joinTaskMap([...inputs.values()], options);
  const joined = performance.now();
  // The edited file: the one defining the most tasks (a body edit there touches the map).
  const target = [...inputs.values()].sort((a, b) => b.map.tasks.length - a.map.tasks.length)[0];
  const times: number[] = [];
  const joins: number[] = [];
  if (target !== undefined) {
    const text = fs.readFileSync(target.path, 'utf8');
    for (let i = 0; i < edits; i++) {
      const t0 = performance.now();
      const input = await analyse(target.path, `${text}\n# edit ${i}\n`);
      if (input !== undefined) inputs.set(target.path, input);
      const t1 = performance.now();
      joinTaskMap([...inputs.values()], options);
      const t2 = performance.now();
      times.push(t2 - t0);
      joins.push(t2 - t1);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  process.stdout.write(`${JSON.stringify({
    root,
    files: files.length,
    analysed: inputs.size,
    tasks: map.tasks.length,
    schedules: map.schedules.length,
    enqueueSites: map.tasks.reduce((n, t) => n + t.enqueuedFrom.length, 0),
    coldMs: Math.round(joined - start),
    coldAnalysisMs: Math.round(analysed - start),
    coldJoinMs: Math.round((joined - analysed) * 10) / 10,
    editedFile: target === undefined ? null : path.relative(root, target.path),
    editMedianMs: Math.round(median(times) * 10) / 10,
    editJoinMedianMs: Math.round(median(joins) * 10) / 10,
  }, null, 2)}\n`);
}

void main();
