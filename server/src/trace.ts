import { isMainThread, workerData } from 'node:worker_threads';

/**
 * Timestamps of the phases of a start, for measuring where its time goes: with
 * `TASK_RELIABILITY_TRACE=1`, each phase writes one line to stderr, in milliseconds since the
 * process started (a worker thread is given the process's origin, so both threads share one
 * clock). Off, a phase costs one test of a constant.
 */
const enabled = process.env['TASK_RELIABILITY_TRACE'] === '1';

/** The time origin of the process, in milliseconds since the epoch; a worker reads its owner's. */
const origin = isMainThread ? performance.timeOrigin : ((workerData as { traceOrigin?: number } | null)?.traceOrigin ?? performance.timeOrigin);

/** Whether phases are traced; callers test it before building a costly message. */
export const tracing = enabled;

/** The process's time origin, handed to a worker thread so that its phases read the same clock. */
export const traceOrigin = origin;

export function trace(phase: string): void {
  if (!enabled) return;
  const ms = performance.timeOrigin + performance.now() - origin;
  process.stderr.write(`[trace ${isMainThread ? 'main' : 'worker'} ${ms.toFixed(1)}] ${phase}\n`);
}

/** With the phase, this thread's memory: the process's RSS, this isolate's heap, and its array buffers (wasm memory among them). */
export function traceMemory(phase: string): void {
  if (!enabled) return;
  const m = process.memoryUsage();
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  trace(`${phase}: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, array buffers ${mb(m.arrayBuffers)} MB`);
}
