import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Analyzer, sameSummary, type ModuleSummary, type ProjectModel, type SummaryCache } from '../../server/src/analysis/index.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';
import { seeded } from './generate.js';
import { javaBench } from './project-java.js';

/**
 * The project model's benchmark: a generated Python workspace of N files (packages of modules
 * that import each other, absolutely and relatively, a Celery app built by a factory, tasks that
 * use it two hops away), indexed cold, then from the persisted summaries, then one file edited
 * inside a function body many times. Usage: node dist/bench/project.js [--files 5000] [--json];
 * `--java DIR` measures a Java checkout instead (project-java.ts).
 */

const PER_PACKAGE = 100;

/** Writes the workspace under `root`: `proj/pkgK/modJ.py`, `proj/celeryconf.py`, `proj/factory.py`. */
export function generateProject(root: string, files: number, seed = 7): string[] {
  const random = seeded(seed);
  const written: string[] = [];
  const write = (rel: string, text: string): void => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    written.push(full);
  };
  fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "proj"\n');
  write('proj/__init__.py', 'from .celeryconf import app\n');
  write('proj/factory.py', 'from celery import Celery\n\n\ndef make_app(name):\n    app = Celery(name)\n    app.conf.update(task_acks_late=True)\n    return app\n');
  write('proj/celeryconf.py', 'from proj.factory import make_app\n\napp = make_app("proj")\n');
  const packages = Math.ceil((files - 3) / (PER_PACKAGE + 1));
  for (let p = 0; p < packages && written.length < files; p++) {
    write(`proj/pkg${p}/__init__.py`, `from .mod0 import helper as helper${p}\n`);
    for (let m = 0; m < PER_PACKAGE && written.length < files; m++) {
      const lines = ['import requests', ''];
      const other = Math.floor(random() * packages);
      lines.push(m > 0 ? `from .mod${Math.floor(random() * m)} import helper` : 'import json');
      lines.push(`from proj.pkg${other} import helper${other}`);
      if (random() < 0.3) lines.push('from proj import app');
      lines.push('', '');
      lines.push('def helper(value):', '    """Formats a value for the partner API."""', '    total = 0', '    for item in value:', '        total += len(str(item))', '    return total', '', '');
      if (lines.includes('from proj import app')) {
        lines.push(`@app.task(autoretry_for=(requests.RequestException,), max_retries=None)`, `def sync_${m}(order_id):`, `    requests.post("https://partner.example/${m}", json={"id": order_id}, timeout=5)`, '');
      }
      for (let k = 0; k < 20; k++) lines.push(`def step_${k}(rows):`, `    return [r for r in rows if r % ${k + 2} == 0]`, '', '');
      write(`proj/pkg${p}/mod${m}.py`, `${lines.join('\n')}\n`);
    }
  }
  return written;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** The figures `npm run bench` reports for the project model (its JSON field `project`). */
export interface ProjectIndexResult {
  readonly files: number;
  readonly index_cold_ms: number;
  readonly index_warm_ms: number;
  readonly index_rss_mb: number;
}

/**
 * The generated workspace indexed cold (every file read, hashed, parsed and summarised), then
 * from the persisted summaries (read and hashed, none parsed), with the RSS the cold index added.
 */
async function indexTwice(analyzer: Analyzer, root: string, files: readonly string[]): Promise<{ coldMs: number; warmMs: number; rssMb: number; parsed: number; serialized: string; warm: SummaryCache; warmModel: ProjectModel }> {
  await analyzer.prepare('python');
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cache = analyzer.summaries();
  const model = analyzer.projectModel(new FileResolver(root), cache);
  let started = performance.now();
  for (const file of files) model.summaryOf(file, 'python');
  const coldMs = performance.now() - started;
  global.gc?.();
  const rssMb = mb(process.memoryUsage().rss - rssBefore);
  const serialized = JSON.stringify(cache.entries());
  const warm = analyzer.summaries();
  started = performance.now();
  warm.load(JSON.parse(serialized) as [string, ModuleSummary][]);
  const warmModel = analyzer.projectModel(new FileResolver(root), warm);
  for (const file of files) warmModel.summaryOf(file, 'python');
  return { coldMs, warmMs: performance.now() - started, rssMb, parsed: cache.parses, serialized, warm, warmModel };
}

/** The project model's figures in `npm run bench`, on a generated workspace of `count` files. */
export async function benchProjectIndex(analyzer: Analyzer, count: number): Promise<ProjectIndexResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-project-bench-'));
  try {
    const files = generateProject(root, count);
    const { coldMs, warmMs, rssMb } = await indexTwice(analyzer, root, files);
    return { files: files.length, index_cold_ms: Math.round(coldMs), index_warm_ms: Math.round(warmMs), index_rss_mb: rssMb };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const java = args.indexOf('--java');
  if (java >= 0) return javaBench(args[java + 1] ?? '.', args.includes('--json'));
  const count = Number(args[args.indexOf('--files') + 1] ?? 5000) || 5000;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-project-bench-'));
  try {
    const files = generateProject(root, count);
    const analyzer = new Analyzer({ wasmPath: (f) => path.join(__dirname, '..', f) });
    const { coldMs, warmMs, rssMb, parsed, serialized, warm, warmModel } = await indexTwice(analyzer, root, files);

    // One file that uses the app two hops away, analysed with and without its project, then edited in a function body.
    const target = files.find((f) => fs.readFileSync(f, 'utf8').includes('from proj import app')) ?? files[files.length - 1] ?? '';
    const text = fs.readFileSync(target, 'utf8');
    const alone: number[] = [];
    const withProject: number[] = [];
    const summaryChecks: number[] = [];
    const base = analyzer.analyzeSync(text, 'python', { project: { model: warmModel, path: target } }).summary;
    let changed = 0;
    for (let i = 0; i < 40; i++) {
      const edited = text.replace('total = 0', `total = ${i}`);
      let t = performance.now();
      analyzer.analyzeSync(edited, 'python');
      alone.push(performance.now() - t);
      t = performance.now();
      const result = analyzer.analyzeSync(edited, 'python', { project: { model: warmModel, path: target } });
      withProject.push(performance.now() - t);
      t = performance.now();
      if (!sameSummary(base, result.summary)) changed++;
      summaryChecks.push(performance.now() - t);
    }
    const report = {
      files: files.length,
      coldIndexMs: Math.round(coldMs),
      coldParsed: parsed,
      cacheIndexMs: Math.round(warmMs),
      cacheParsed: warm.parses,
      summariesJsonMB: mb(serialized.length),
      rssGrowthMB: rssMb,
      heapUsedMB: mb(process.memoryUsage().heapUsed),
      perEditAloneMs: Math.round(median(alone) * 100) / 100,
      perEditWithProjectMs: Math.round(median(withProject) * 100) / 100,
      perEditSummaryCompareMs: Math.round(median(summaryChecks) * 1000) / 1000,
      inBodyEditsThatChangedTheSummary: changed,
    };
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(report)}\n` : `${Object.entries(report).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

// Bundled into the main bench (which imports benchProjectIndex), `require.main === module` holds
// there too: this runs only as its own bundle, dist/bench/project.js.
if (path.basename(process.argv[1] ?? '') === 'project.js') void main();
