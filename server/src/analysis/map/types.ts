/**
 * The task map's plain data: every task and schedule of a project, joined across its files.
 * This is the contract of `task-reliability map --format json`, of the language server's
 * `taskReliability/taskMap` request and of the MCP and language-model `map` tools, so a field
 * added here is added to all of them at once. Lines are 1-based, paths are relative to the
 * project root with forward slashes, as a user reads them in a report.
 */

/** Lower-case framework ids, as the map names them (`celery`, `bullmq`, `sidekiq`, `asynq`, ...). */
export type MapFramework = string;

/** How a retry waits between attempts; null when the project does not say. */
export type MapBackoff = 'none' | 'fixed' | 'exponential' | null;

export interface MapRetry {
  /** Every run counts, the first included: Sidekiq `retry: 25` is 26; null means unbounded. */
  readonly maxAttempts: number | null;
  readonly backoff: MapBackoff;
  readonly jitter: boolean | null;
}

/** Where an effective setting of a task comes from (task option, base class, app configuration...). */
export interface MapSettingSource {
  /** The setting as the map names it: `retry`, `acksLate`, `timeLimit`, `queue`. */
  readonly setting: string;
  /** `task option`, `base class`, `app configuration`, `settings module`, `defaultJobOptions`, `framework default`. */
  readonly from: string;
  readonly file: string;
  readonly line: number;
}

/** A side effect of a task's body, found in the body or through the project's helper functions. */
export interface MapSideEffect {
  /** `http-call`, `notify`, `payment`, `enqueue`, `db-write`. */
  readonly kind: string;
  /** The API as the analysis names it (`requests.post`, `stripe.Charge.create`, `order.save`). */
  readonly api: string;
  readonly file: string;
  readonly line: number;
  /** The helper functions the effect was reached through, outermost first; empty when in the body. */
  readonly via?: readonly string[];
}

/** A place in the project that enqueues the task. */
export interface MapEnqueueSite {
  readonly file: string;
  readonly line: number;
  readonly inTransaction: boolean;
  readonly afterCommit: boolean;
  readonly idempotencyKey: boolean;
  /** Set when the enqueue sits in a web or webhook handler (a route, a controller action). */
  readonly fromHandler?: boolean;
}

export interface MapFindingRef {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
}

export interface MapTask {
  /** The name the framework registers: function or class name, queue name for BullMQ, task type for asynq. */
  readonly name: string;
  readonly framework: MapFramework;
  readonly file: string;
  readonly line: number;
  readonly queue: string | null;
  readonly retry: MapRetry | null;
  readonly acksLate: boolean | null;
  /** Hard time limit in seconds, when the project sets one. */
  readonly timeLimit?: number | null;
  readonly sources?: readonly MapSettingSource[];
  readonly sideEffects: readonly MapSideEffect[];
  readonly enqueuedFrom: readonly MapEnqueueSite[];
  readonly findings: readonly MapFindingRef[];
}

export interface MapSchedule {
  /** The schedule's name: a beat entry, a CronJob, a workflow, a method with `@Scheduled`. */
  readonly name: string;
  readonly framework: MapFramework;
  readonly file: string;
  readonly line: number;
  /** The schedule as written: a cron expression, an interval (`every 60 s`). */
  readonly schedule: string | null;
  /** The task it runs, by the map's task name, when the schedule names one. */
  readonly task: string | null;
  readonly findings: readonly MapFindingRef[];
}

export interface TaskMap {
  readonly version: 1;
  readonly tasks: readonly MapTask[];
  readonly schedules: readonly MapSchedule[];
}
