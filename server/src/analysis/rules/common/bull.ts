import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import type { JobDefaults } from '../../project/types.js';
import { nestedOptions, numberValue, optionsAt, propertyOf, stringValue, type OptionLookup } from './javascript.js';

/**
 * BullMQ and Bull job options as the rules read them. A job's options are its `add` options over
 * the queue's `defaultJobOptions` (a shallow merge in both libraries: an `add` that sets `backoff`
 * replaces the default `backoff` whole).
 */
export type BullLibrary = 'bullmq' | 'bull';

export function bullLibrary(api: string): BullLibrary | undefined {
  if (api.startsWith('bullmq.Queue')) return 'bullmq';
  if (api.startsWith('bull.Queue')) return 'bull';
  return undefined;
}

export function isQueueConstructor(call: CallFact): boolean {
  return call.isNew && (call.api === 'bullmq.Queue' || call.api === 'bull.Queue');
}

export function isAdd(call: CallFact): boolean {
  return call.api === 'bullmq.Queue.add' || call.api === 'bull.Queue.add';
}

/**
 * The queue options of `new Queue(...)`: BullMQ takes `(name, opts)`; Bull takes
 * `(name, opts)` or `(name, redisUrl, opts)`.
 */
export function queueOptions(queue: CallFact): OptionLookup {
  const second = queue.args?.positional[1];
  if (queue.api === 'bull.Queue' && second !== undefined && (second.kind === 'string' || second.kind === 'identifier')) {
    // `new Queue(name, url, opts)`; an identifier may be either the URL or the options.
    return second.kind === 'string' ? optionsAt(queue, 2) : { kind: 'unknown' };
  }
  return optionsAt(queue, 1);
}

/** The `defaultJobOptions` of a queue created by `queue`. */
export function queueDefaults(queue: CallFact): OptionLookup {
  return nestedOptions(queueOptions(queue), 'defaultJobOptions');
}

/**
 * Where an `add` takes its job options. BullMQ: `add(name, data, opts)`. Bull: `add(name, data, opts)`
 * when the first argument is a string, `add(data, opts)` when it is not; an identifier first with
 * two arguments may be either, so the options are unknown.
 */
export function addOptionsIndex(call: CallFact): number | undefined {
  if (call.api === 'bullmq.Queue.add') return 2;
  const positional = call.args?.positional ?? [];
  const first = positional[0];
  if (first === undefined) return undefined;
  if (first.kind === 'string') return 2;
  if (first.kind === 'object' || first.kind === 'array') return 1;
  return positional.length >= 3 ? 2 : undefined;
}

/**
 * The job options of a BullMQ job scheduler, `queue.upsertJobScheduler(id, repeat, { name, data,
 * opts })`: every job the scheduler produces gets `opts`. Undefined for any other call.
 */
export function schedulerJobOptions(call: CallFact): OptionLookup | undefined {
  if (call.api !== 'bullmq.Queue.upsertJobScheduler') return undefined;
  return nestedOptions(optionsAt(call, 2), 'opts');
}

export interface JobOptions {
  readonly library: BullLibrary;
  /** The `add` call's own options. */
  readonly own: OptionLookup;
  /** The queue's `defaultJobOptions`; unknown when the queue was not created in view. */
  readonly defaults: OptionLookup;
  /** For a queue built in another project file: its `defaultJobOptions` as that file's summary reads them. */
  readonly project?: Exclude<JobDefaults, 'unknown'>;
}

export function jobOptions(call: CallFact, facts?: FileFacts): JobOptions | undefined {
  const library = bullLibrary(call.api);
  if (library === undefined || !isAdd(call)) return undefined;
  const index = addOptionsIndex(call);
  const own: OptionLookup = index === undefined ? { kind: 'unknown' } : optionsAt(call, index);
  const queue = call.receiver;
  const defaults: OptionLookup = queue !== undefined && isQueueConstructor(queue) ? queueDefaults(queue) : { kind: 'unknown' };
  const project = queue === undefined ? facts?.projectUses?.find((u) => u.call === call)?.jobDefaults : undefined;
  return { library, own, defaults, ...(project === undefined || project === 'unknown' ? {} : { project }) };
}

/** An option as the job sees it: its own, else the queue default; unknown when either side is unknown. */
export function effectiveOption(job: JobOptions, key: string): { prop: PropertyFact; own: boolean } | 'absent' | 'unknown' {
  const own = propertyOf(job.own, key);
  if (own === 'unknown') return 'unknown';
  if (own !== 'absent') return { prop: own, own: true };
  const fallback = propertyOf(job.defaults, key);
  if (fallback === 'unknown' || fallback === 'absent') return fallback;
  return { prop: fallback, own: false };
}

/** The number of attempts an `attempts` property sets, when the file shows it. */
export function attemptsOf(facts: FileFacts, prop: PropertyFact): number | undefined {
  return numberValue(facts, prop.value);
}

export type BackoffShape =
  | { readonly kind: 'fixed'; readonly delay: string | undefined; readonly typeProp: PropertyFact | undefined }
  | { readonly kind: 'exponential'; readonly jitter: PropertyFact | undefined }
  | { readonly kind: 'other' };

/** What a `backoff` option does: a number is a fixed delay; `{ type }` names the strategy. */
export function backoffShape(facts: FileFacts, prop: PropertyFact): BackoffShape {
  const value = prop.value;
  const delay = numberValue(facts, value);
  if (delay !== undefined) return { kind: 'fixed', delay: value.text, typeProp: undefined };
  const object = value.object;
  if (object === undefined) return { kind: 'other' };
  const typeProp = object.props.get('type');
  const type = typeProp === undefined ? undefined : stringValue(facts, typeProp.value);
  if (type === 'fixed') {
    const delayProp = object.props.get('delay');
    return { kind: 'fixed', delay: delayProp?.value.text, typeProp };
  }
  const jitter = object.props.get('jitter');
  // A spread may carry the jitter: only a literal without one is known to have none.
  if (type === 'exponential' && (jitter !== undefined || !object.hasSpread)) return { kind: 'exponential', jitter };
  return { kind: 'other' };
}

/**
 * The jitter fixes write: 1 is full jitter (BullMQ draws the delay from `[d * (1 - jitter), d]`),
 * the form the book's R5.3 recommends.
 */
export const BULLMQ_JITTER = 'jitter: 1';

/**
 * Whether a fix that writes BullMQ's `jitter` (5.54.0 and later) is safe in this file. Older
 * BullMQ ignores the key at run time (its strategies read `delay` only), so a JavaScript file
 * gets at least the plain exponential backoff; TypeScript's typings before 5.54.0 reject the
 * unknown property, so there the fix is unsafe.
 */
export function jitterFixIsSafe(facts: FileFacts): boolean {
  return facts.language === 'javascript';
}
