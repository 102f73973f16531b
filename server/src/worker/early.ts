import { Worker, type ResourceLimits } from 'node:worker_threads';
import { traceOrigin, tracing } from '../trace.js';
import type { WorkerData } from './protocol.js';

/**
 * The analysis worker of the language server, started by its entry before the server's own bundle
 * is loaded: a new thread takes a few hundred milliseconds to boot Node and load its bundle, which
 * then overlaps with the main thread's. The entry and the server are separate bundles, so the thread
 * is handed over through a global; the server's AnalysisWorker adopts it when it asks for a worker
 * of the same script and data, and starts its own otherwise.
 */
const KEY = Symbol.for('task-reliability-hints.early-worker');

interface Early {
  readonly script: string;
  readonly key: string;
  readonly worker: Worker;
  exited: boolean;
}

type Holder = { [KEY]?: Early };

/**
 * How long the language server's worker may spend learning a project's modules of interest (see
 * `WorkerData.learnBudgetMs`): past it, the root does without that prefilter rather than keep the
 * user waiting.
 */
export const SERVER_LEARN_BUDGET_MS = 1500;

/**
 * The language server's worker heap: a young generation of 8 MB instead of V8's default (up to
 * 48 MB), which the worker filled with garbage between collections. With 20 open files the process
 * holds about 20 MB less, for about 5 % more CPU per re-analysis of a 10k-line file.
 */
export const SERVER_WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8 };

/** The worker's test hooks, from the environment (see WorkerData). */
function testHooks(): Pick<WorkerData, 'hangMarker' | 'holdLearningUntil'> {
  const hang = process.env['TASK_RELIABILITY_TEST_HANG_MARKER'];
  const hold = process.env['TASK_RELIABILITY_TEST_HOLD_LEARNING'];
  return { ...(hang === undefined ? {} : { hangMarker: hang }), ...(hold === undefined || hold === '' ? {} : { holdLearningUntil: hold }) };
}

/** What a worker is started with: its grammars' folder, its learning budget, and the hooks the environment sets. */
export function workerDataFor(wasmDir: string, learnBudgetMs: number | undefined): WorkerData {
  return { wasmDir, ...(learnBudgetMs === undefined ? {} : { learnBudgetMs }), ...(tracing ? { traceOrigin } : {}), ...testHooks() };
}

/** Starts the worker ahead of its owner (the thread is not kept alive for it: the owner decides). */
export function startEarly(script: string, data: WorkerData, resourceLimits: ResourceLimits | undefined): void {
  const worker = new Worker(script, { workerData: data, ...(resourceLimits === undefined ? {} : { resourceLimits }) });
  worker.unref();
  const early: Early = { script, key: JSON.stringify([data, resourceLimits]), worker, exited: false };
  // A thread that dies before it is adopted is not adopted: its owner starts another.
  worker.once('exit', () => {
    early.exited = true;
  });
  worker.on('error', () => undefined);
  (globalThis as Holder)[KEY] = early;
}

/** The worker started early for `script` and `data`, once; undefined when there is none or it died. */
export function adoptEarly(script: string, data: WorkerData, resourceLimits: ResourceLimits | undefined): Worker | undefined {
  const holder = globalThis as Holder;
  const early = holder[KEY];
  if (early === undefined || early.script !== script || early.key !== JSON.stringify([data, resourceLimits])) return undefined;
  delete holder[KEY];
  if (early.exited) return undefined;
  early.worker.removeAllListeners('error');
  return early.worker;
}
