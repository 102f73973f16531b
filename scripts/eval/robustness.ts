import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { listFiles, materialise, type CorpusRepo } from './trees.js';
import type { WorkReply, WorkRequest } from './worker.js';

/**
 * `--robustness`: every file of every corpus tree with a supported extension goes through the
 * analysis core, one file at a time, in a worker thread. A file that crashes the analyzer is
 * recorded with its error; one that runs past the wall-clock budget is recorded as over budget and
 * its worker is terminated and replaced, so one slow file cannot stall the run.
 */

export interface RobustnessOptions {
  readonly repos: readonly CorpusRepo[];
  readonly dir: string;
  readonly distDir: string;
  readonly budgetMs: number;
  /** Files larger than this are skipped, as the CLI and the editor skip them by default. */
  readonly maxBytes: number;
  readonly log: (m: string) => void;
}

export interface FileTiming {
  readonly repo: string;
  readonly file: string;
  readonly language: LanguageId;
  readonly bytes: number;
  readonly cpuMs: number;
}

export interface RobustnessResult {
  readonly files: number;
  readonly skippedLarge: number;
  readonly crashes: readonly { repo: string; file: string; error: string }[];
  readonly overBudget: readonly { repo: string; file: string; budgetMs: number }[];
  /** Files whose analysis took more than one second of CPU. */
  readonly overOneSecond: readonly FileTiming[];
  readonly cpuMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly total: number };
  readonly slowest: readonly FileTiming[];
  readonly byLanguage: Record<string, { files: number; p50: number; p99: number; max: number }>;
  readonly budgetMs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

class Analyst {
  private worker: Worker;
  private readonly distDir: string;

  constructor(distDir: string) {
    this.distDir = distDir;
    this.worker = this.start();
  }

  private start(): Worker {
    return new Worker(path.join(this.distDir, 'eval', 'worker.js'), { workerData: { distDir: this.distDir } });
  }

  /** Analyses one file; resolves 'timeout' after `budgetMs` of wall time, with a fresh worker ready. */
  run(request: WorkRequest, budgetMs: number): Promise<WorkReply | 'timeout'> {
    return new Promise((resolve) => {
      const worker = this.worker;
      const done = (value: WorkReply | 'timeout'): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(value);
      };
      const onMessage = (reply: WorkReply): void => {
        if (reply.id === request.id) done(reply);
      };
      const onError = (error: Error): void => {
        // An uncaught error (out of memory in the wasm heap, say) ends the worker: replace it.
        this.worker = this.start();
        done({ id: request.id, ok: false, error: `worker died: ${error.message}` });
      };
      const timer = setTimeout(() => {
        void worker.terminate();
        this.worker = this.start();
        done('timeout');
      }, budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export async function runRobustness(o: RobustnessOptions): Promise<RobustnessResult> {
  const analyst = new Analyst(o.distDir);
  const timings: FileTiming[] = [];
  const crashes: RobustnessResult['crashes'][number][] = [];
  const overBudget: RobustnessResult['overBudget'][number][] = [];
  let skippedLarge = 0;
  let id = 0;
  for (const repo of o.repos) {
    const tree = materialise(repo, o.dir, o.log);
    if (tree === undefined) {
      o.log(`${repo.name}: not in ${o.dir}, skipped`);
      continue;
    }
    const files = listFiles(tree.root).flatMap((file) => {
      const language = languageFromPath(file);
      return language === undefined ? [] : [{ file, language }];
    });
    const started = Date.now();
    for (const { file, language } of files) {
      const abs = path.join(tree.root, file);
      const bytes = fs.statSync(abs).size;
      if (bytes > o.maxBytes) {
        skippedLarge++;
        continue;
      }
      const reply = await analyst.run({ id: ++id, file: abs, language }, o.budgetMs);
      if (reply === 'timeout') overBudget.push({ repo: repo.name, file, budgetMs: o.budgetMs });
      else if (!reply.ok) crashes.push({ repo: repo.name, file, error: reply.error });
      else timings.push({ repo: repo.name, file, language, bytes, cpuMs: reply.cpuMs });
    }
    o.log(`${repo.name}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await analyst.close();
  const sorted = timings.map((t) => t.cpuMs).sort((a, b) => a - b);
  const byLanguage: RobustnessResult['byLanguage'] = {};
  for (const language of [...new Set(timings.map((t) => t.language))].sort()) {
    const values = timings.filter((t) => t.language === language).map((t) => t.cpuMs).sort((a, b) => a - b);
    byLanguage[language] = { files: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values[values.length - 1] ?? 0 };
  }
  const slowestFirst = [...timings].sort((a, b) => b.cpuMs - a.cpuMs);
  return {
    files: timings.length + crashes.length + overBudget.length,
    skippedLarge,
    crashes,
    overBudget,
    overOneSecond: slowestFirst.filter((t) => t.cpuMs > 1000),
    cpuMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0, total: sorted.reduce((a, b) => a + b, 0) },
    slowest: slowestFirst.slice(0, 10),
    byLanguage,
    budgetMs: o.budgetMs,
  };
}

export function robustnessText(r: RobustnessResult): string {
  const ms = (v: number): string => v.toFixed(1);
  const out = [
    `Files analysed: ${r.files} (${r.skippedLarge} over the size limit skipped); crashes: ${r.crashes.length}; over the ${r.budgetMs / 1000} s wall-clock budget: ${r.overBudget.length}; over 1 s CPU: ${r.overOneSecond.length}.`,
    `CPU per file: p50 ${ms(r.cpuMs.p50)} ms, p99 ${ms(r.cpuMs.p99)} ms, max ${ms(r.cpuMs.max)} ms; total ${(r.cpuMs.total / 1000).toFixed(1)} s.`,
    '',
    '| language | files | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(r.byLanguage).map(([l, v]) => `| ${l} | ${v.files} | ${ms(v.p50)} | ${ms(v.p99)} | ${ms(v.max)} |`),
    '',
    '| slowest files | language | KB | CPU ms |',
    '|---|---|---:|---:|',
    ...r.slowest.map((t) => `| ${t.repo} ${t.file} | ${t.language} | ${(t.bytes / 1024).toFixed(0)} | ${ms(t.cpuMs)} |`),
  ];
  if (r.overBudget.length > 0) out.push('', 'Over budget:', ...r.overBudget.map((x) => `- ${x.repo} ${x.file}`));
  if (r.crashes.length > 0) out.push('', 'Crashes:', ...r.crashes.map((x) => `- ${x.repo} ${x.file}: ${x.error}`));
  return out.join('\n');
}
