import type { MapBackoff, MapRetry } from './types.js';

/**
 * The task map's facts of one file: plain data read off its syntax tree with the rest of its
 * analysis, and kept with it. The join (join.ts) builds the project's map from these alone, so an
 * edited file costs its own facts plus the join, never a re-read of the other files. Lines are
 * 1-based; names are as the file spells them and are resolved by the join.
 */

/** How a place in the code names a task, a queue or a helper function. */
export type MapRef =
  /** A name of this file's scope: defined here, or imported (`send_email`, `emailQueue`, `SendEmailJob`). */
  | { readonly kind: 'name'; readonly name: string }
  /** A queue, topic or task type named by a string: BullMQ queue, asynq task type, Kafka topic. */
  | { readonly kind: 'channel'; readonly family: string; readonly channel: string }
  /** A Celery task by the name it is registered under (`shop.tasks.send_email` in a beat entry). */
  | { readonly kind: 'registered'; readonly name: string };

/** A setting as the file shows it, with the line it is written on. */
export interface SettingFact<T> {
  readonly value: T;
  /** `task option`, `base class`, `app configuration`, `defaultJobOptions`, `framework default`. */
  readonly from: string;
  readonly line: number;
  /** The file it is written in, when not the file of these facts (an app configured elsewhere). */
  readonly file?: string;
}

export interface TaskFact {
  /** The name the framework registers (function or class name, queue name, task type, topic). */
  readonly name: string;
  readonly framework: string;
  readonly line: number;
  /** The body's lines, to attach the file's findings and its side effects. */
  readonly endLine: number;
  /** How enqueue sites name it: its own name, and a channel for queue-named frameworks. */
  readonly names: readonly MapRef[];
  readonly queue?: SettingFact<string>;
  readonly retry?: SettingFact<MapRetry>;
  readonly acksLate?: SettingFact<boolean | null>;
  readonly timeLimit?: SettingFact<number>;
  /** For a class task: its base classes as written, whose settings the join may carry over. */
  readonly bases?: readonly string[];
  /** The function that runs the task, when it is another function of the project (an asynq handler, a Worker processor). */
  readonly handler?: MapRef;
  /** Whether the body has an idempotency guard (a claimed marker before a send). */
  readonly guarded?: boolean;
  /** Whether the body takes a lock (a Redis lock, Redlock, `with_lock`): two runs do not overlap. */
  readonly locked?: boolean;
  /** Side effects of the body itself, and the helpers it calls. */
  readonly effects: readonly EffectFact[];
  readonly calls: readonly string[];
  /** What makes the task run again, when the task's own options say all of it (see RetryCause). */
  readonly retryCause?: RetryCause;
}

/**
 * What makes a retried task run again, when it is narrower than any failure: a retry that cannot
 * follow a side effect does not repeat it.
 */
export interface RetryCause {
  /** Retried only for these exception classes (canonical names, Celery's `autoretry_for`). */
  readonly onlyFor?: readonly string[];
  /** Retried only by explicit `retry()` calls in the body, the last of them on this line. */
  readonly lastRetryCallLine?: number;
}

/** A class that carries task settings to its subclasses (`class BaseTask(app.Task)`, `ApplicationJob`). */
export interface BaseClassFact {
  readonly name: string;
  readonly line: number;
  readonly bases: readonly string[];
  readonly retry?: SettingFact<MapRetry>;
  readonly acksLate?: SettingFact<boolean | null>;
  readonly queue?: SettingFact<string>;
}

/** A BullMQ or Bull queue made in this file, with the job defaults it gives every job. */
export interface QueueFact {
  readonly family: string;
  readonly channel: string;
  /** The variable it is bound to at module level, when it is. */
  readonly variable?: string;
  readonly line: number;
  readonly retry?: SettingFact<MapRetry>;
}

export interface EffectFact {
  /** `http-call`, `notify`, `payment`, `enqueue`, `db-write`. */
  readonly kind: string;
  readonly api: string;
  readonly line: number;
  /** A call of a project function that wraps the library call: the map follows the function and prefers what it finds there. */
  readonly wrapper?: true;
}

export interface EnqueueFact {
  readonly target: MapRef;
  readonly line: number;
  /** The callee's offsets, where a finding about this enqueue goes. */
  readonly start: number;
  readonly end: number;
  readonly inTransaction: boolean;
  readonly afterCommit: boolean;
  readonly idempotencyKey: boolean;
  readonly fromHandler: boolean;
  /**
   * Set when the handler receives requests its caller retries unchanged: a webhook receiver, or an
   * endpoint reading a client-supplied event or request id (see `webhookReceiver`).
   */
  readonly webhook?: boolean;
  /** Retry settings the enqueue gives this job (BullMQ `attempts`, asynq `MaxRetry`). */
  readonly retry?: SettingFact<MapRetry>;
}

/** A function or method of the file, with what it does that outlives the process. */
export interface FunctionFact {
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
  readonly effects: readonly EffectFact[];
  /** As for a task: an idempotency guard before its first side effect, a lock (for a handler that runs a task). */
  readonly guarded?: boolean;
  readonly locked?: boolean;
  /** Names of the project's functions it calls, as written (`notify_user`, `helpers.charge`). */
  readonly calls: readonly string[];
}

export interface ScheduleFact {
  readonly name: string;
  readonly framework: string;
  readonly line: number;
  readonly endLine: number;
  readonly schedule: string | null;
  readonly task: MapRef | null;
}

export interface MapFileFacts {
  readonly tasks: readonly TaskFact[];
  readonly bases: readonly BaseClassFact[];
  readonly queues: readonly QueueFact[];
  readonly enqueues: readonly EnqueueFact[];
  readonly functions: readonly FunctionFact[];
  readonly schedules: readonly ScheduleFact[];
  /** Module-level imports: local name → dotted target as written (Python), or module and member (JS). */
  readonly imports: Readonly<Record<string, { readonly module: string; readonly name?: string }>>;
  /** Celery: the app settings this file's tasks inherit (`task_acks_late` read through the project). */
  readonly appAcksLate?: SettingFact<boolean | null>;
}

/** Retry settings in one literal. */
export function retry(maxAttempts: number | null, backoff: MapBackoff, jitter: boolean | null): MapRetry {
  return { maxAttempts, backoff, jitter };
}

export function setting<T>(value: T, from: string, line: number): SettingFact<T> {
  return { value, from, line };
}

export const EMPTY_MAP_FACTS: MapFileFacts = { tasks: [], bases: [], queues: [], enqueues: [], functions: [], schedules: [], imports: {} };
