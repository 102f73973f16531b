/**
 * A task's effective settings as a reader sees them, shared by the hover card and the sidebar's
 * Tasks tab so that both say the same thing; and the key both name a task by (a hover's link opens
 * the tab on that row). Pure: plain map data in, strings out.
 */
import type { MapTask } from '../analysis/map/types.js';

/** Shown where the project does not say. */
export const UNKNOWN = '—';

/** What a task's settings read as: `—` where the project does not say. */
export interface TaskCells {
  /** Runs in all, the first included; `∞` when unbounded. */
  readonly retries: string;
  readonly backoff: string;
  readonly jitter: string;
  /** `early` (on receipt) or `late` (after the task ran). */
  readonly acks: string;
  readonly timeLimit: string;
}

export function cellsOf(task: MapTask): TaskCells {
  const retry = task.retry;
  const limit = task.timeLimit;
  return {
    retries: retry === null ? UNKNOWN : retry.maxAttempts === null ? '∞' : String(retry.maxAttempts),
    backoff: retry?.backoff ?? UNKNOWN,
    jitter: retry === null || retry.jitter === null ? UNKNOWN : retry.jitter ? 'yes' : 'no',
    acks: task.acksLate === null ? UNKNOWN : task.acksLate ? 'late' : 'early',
    timeLimit: limit === null || limit === undefined ? UNKNOWN : `${limit} s`,
  };
}

/** The key a task is named by in a hover's link and in the tab's saved open rows: name and place. */
export function taskKey(task: Pick<MapTask, 'name' | 'file' | 'line'>): string {
  return `${task.name}@${task.file}:${task.line}`;
}
