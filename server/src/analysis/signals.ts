import type { CallFact, FileFacts } from './facts/types.js';
import { JAVASCRIPT_APIS, javascriptSignalKind } from './apis/javascript.js';
import { PYTHON_APIS, pythonSignalKind } from './apis/python.js';
import { JAVA_APIS, javaSignalKind } from './apis/java.js';
import { GO_APIS } from './apis/go.js';
import { goLibrarySignalKind } from './apis/go-libraries.js';
import { RUBY_APIS } from './apis/ruby.js';
import { RUBY_PROJECT_LOCK, rubyLibrarySignalKind, rubyWrapperParts } from './apis/ruby-libraries.js';
import { signalSettings } from './signal-settings.js';
import type { LanguageId, Signal, SignalKind } from './types.js';
import { memberRetryRanges, retryOptionRange, typedJobOptionRanges } from './retry-options.js';
import { retryLoopRanges } from './retry-loops.js';
import { rowMutexRanges } from './project/ruby-mutex.js';
import { PROJECT_FACTORY, PROJECT_SENDER } from './project/types.js';
import { isWebhookRequest } from './facts/webhook.js';
import { WRAPPED_KINDS } from './apis/wrapped.js';


/** Chapters that explain each kind of signal, most relevant first (chapter 1 routes the same way). */
export const SIGNAL_CHAPTERS: Readonly<Record<SignalKind, readonly number[]>> = {
  'http-call': [6, 5, 7],
  retry: [5, 4],
  'task-def': [5, 9, 4, 3],
  enqueue: [4, 3, 11],
  consumer: [3, 9, 8, 4],
  'queue-config': [8, 9],
  schedule: [10],
  notify: [12, 4],
  payment: [4, 12],
  'circuit-breaker': [7],
  lock: [10],
};

/** What can go wrong where a signal of each kind appears: the first line of its hover card. */
export const SIGNAL_RISKS: Readonly<Record<SignalKind, string>> = {
  'http-call': 'The peer can hang, fail after doing the work, or answer slowly: without a timeout this call waits forever, and a retry may repeat work that already happened.',
  retry: 'Retries turn one failure into many calls: without a bound they never stop, without backoff and jitter they arrive in waves, and they repeat side effects that are not idempotent.',
  'task-def': 'A task runs at least once, not exactly once: it can run twice after a crash or redelivery, run never if acknowledged early, or retry into a storm.',
  enqueue: 'The message can be sent twice (a retried publish) or for a change that was rolled back (a dual write): give it a key that makes the duplicate harmless.',
  consumer: 'A consumer sees the same message again after a crash or timeout, and loses it if it acknowledges before the work is done.',
  'queue-config': 'A message that always fails is redelivered forever unless the queue bounds redelivery and has somewhere to put it.',
  schedule: 'A schedule can fire twice (failover, overlap) or not at all (missed runs): the job must tolerate both.',
  notify: 'A retried send is a second email, SMS or webhook: the recipient sees every duplicate.',
  payment: 'A retried payment request can charge twice unless the provider can recognise the retry by its idempotency key.',
  'circuit-breaker': 'A breaker decides when to stop calling a failing dependency: its thresholds and its fallback decide what users see.',
  lock: 'A lock can expire while its holder still works: without a fencing token, two holders can both write.',
};

/**
 * Canonical API → signal kind, per language. Each language's table lives in `apis/<language>.ts`,
 * beside the facts that resolve its names.
 */
const API_KINDS: Partial<Record<LanguageId, ReadonlyMap<string, SignalKind>>> = {
  python: PYTHON_APIS,
  javascript: JAVASCRIPT_APIS,
  typescript: JAVASCRIPT_APIS,
  tsx: JAVASCRIPT_APIS,
  java: JAVA_APIS,
  go: GO_APIS,
  ruby: RUBY_APIS,
};

export function signalKindOf(language: LanguageId, call: CallFact): SignalKind | undefined {
  if (language === 'python') return pythonSignalKind(call);
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') return javascriptSignalKind(call);
  if (language === 'java') return javaSignalKind(call);
  if (language === 'go') return call.api.startsWith(PROJECT_SENDER) ? wrappedKind(GO_APIS.get(call.api.slice(PROJECT_SENDER.length))) : goLibrarySignalKind(call, GO_APIS.get(call.api));
  if (language === 'ruby') return rubyLibrarySignalKind(call, RUBY_APIS.get(call.api));
  return API_KINDS[language]?.get(call.api);
}

/**
 * Whether a call sends a notification: a send of kind notify, or an HTTP request that delivers a
 * webhook (`requests.post(webhook.url, ...)`), which is an http-call and a notify at once.
 */
export function sendsNotification(language: LanguageId, call: CallFact): boolean {
  const kind = signalKindOf(language, call);
  return kind === 'notify' || (kind === 'http-call' && isWebhookRequest(call.node, call.api));
}

/** A call of a project function or method that wraps a library call is a signal of that call's kind (apis/wrapped.ts). */
function wrappedKind(kind: SignalKind | undefined): SignalKind | undefined {
  return kind !== undefined && WRAPPED_KINDS.has(kind) ? kind : undefined;
}

/** One signal per recognised call, on the callee (the name a reader hovers). */
export function callSignals(facts: FileFacts): Signal[] {
  const signals: Signal[] = [];
  const kinds = new Map(facts.calls.map((call) => [call, signalKindOf(facts.language, call)]));
  const schedules = new Set(facts.calls.filter((call) => kinds.get(call) === 'schedule').map((call) => call.node.id));
  // A job made and then made recurring (`job = agenda.create(...); job.repeatEvery(...)`) is one schedule, not an enqueue.
  const repeated = new Set(facts.calls.filter((call) => kinds.get(call) === 'schedule').map((call) => call.receiver).filter((r) => r !== undefined));
  for (const call of facts.calls) {
    const kind = kinds.get(call);
    if (kind === undefined) continue;
    if (kind === 'enqueue' && repeated.has(call)) continue;
    // A schedule passed to a call that schedules (`add_periodic_task(crontab(...), task.s())`) is part of that one schedule.
    if (kind === 'schedule' && passedTo(call, schedules)) continue;
    // A whole beat schedule (`app.conf.beat_schedule = {...}`) whose entries carry their own
    // schedules (`crontab(...)`) is said by those entries, one signal each, on their own lines.
    if (kind === 'schedule' && containsEntrySchedules(call, kinds)) continue;
    const settings = signalSettings(facts, call);
    signals.push({
      kind,
      api: displayApi(call.api),
      range: { start: call.calleeStart, end: call.calleeEnd },
      chapters: SIGNAL_CHAPTERS[kind],
      ...(settings === undefined ? {} : { settings }),
      ...(call.receiver === undefined ? {} : { client: { start: call.receiver.calleeStart, end: call.receiver.calleeEnd } }),
    });
    // A webhook delivery is a notification too, on the same callee.
    if (kind === 'http-call' && isWebhookRequest(call.node, call.api)) signals.push({ kind: 'notify', api: `${displayApi(call.api)} (webhook delivery)`, range: { start: call.calleeStart, end: call.calleeEnd }, chapters: SIGNAL_CHAPTERS.notify });
    // Retry options carried by another call (a task decorator's, a queue's defaults, a DAG's
    // default_args) are a retry policy too, whichever module built the app.
    if (kind !== 'retry') {
      const range = retryOptionRange(facts, call, kind);
      if (range !== undefined) signals.push({ kind: 'retry', api: displayApi(call.api), range, chapters: SIGNAL_CHAPTERS.retry });
    }
  }
  for (const range of memberRetryRanges(facts)) signals.push({ kind: 'retry', api: 'github.com/IBM/sarama.Config.Producer.Retry.Max', range, chapters: SIGNAL_CHAPTERS.retry });
  for (const range of retryLoopRanges(facts)) signals.push({ kind: 'retry', api: 'hand-written retry loop', range, chapters: SIGNAL_CHAPTERS.retry });
  for (const range of typedJobOptionRanges(facts)) signals.push({ kind: 'retry', api: 'job options (attempts)', range, chapters: SIGNAL_CHAPTERS.retry });
  if (facts.language === 'ruby') {
    for (const range of rowMutexRanges(facts)) signals.push({ kind: 'lock', api: 'a database row held as a lock (unique insert)', range, chapters: SIGNAL_CHAPTERS.lock });
  }
  return signals;
}

/** Whether the call is an argument (positional or keyword) of one of the `calls` (by node id). */
function passedTo(call: CallFact, calls: ReadonlySet<number>): boolean {
  let parent = call.node.parent;
  if (parent?.type === 'keyword_argument') parent = parent.parent;
  const outer = parent?.type === 'argument_list' || parent?.type === 'arguments' ? parent.parent : null;
  return outer !== null && calls.has(outer.id);
}

/**
 * `celery.Celery.task` reads better as `celery.task`; instance types keep their class name; a
 * project function that returns a library object is shown by that object's type.
 */
function displayApi(api: string): string {
  const wrapper = rubyWrapperParts(api);
  if (wrapper !== undefined) return `${wrapper.method} (a project method calling ${wrapper.library})`;
  for (const prefix of [PROJECT_FACTORY, PROJECT_SENDER, RUBY_PROJECT_LOCK]) if (api.startsWith(prefix)) return `${api.slice(prefix.length).replace(/#\w+$/, '')} (through a project function)`;
  return api === 'celery.Celery.task' ? 'celery.task' : api;
}

/** Whether a schedule call holds other schedule calls nested deeper than its own arguments (the entries of a schedule table). */
function containsEntrySchedules(call: CallFact, kinds: ReadonlyMap<CallFact, SignalKind | undefined>): boolean {
  // A schedule table assigned to a member (`app.conf.beat_schedule = {...}`) is read off the whole assignment.
  const outer = call.node.parent?.type === 'assignment' && call.node.parent.childForFieldName('left')?.id === call.node.id ? call.node.parent : call.node;
  for (const [other, kind] of kinds) {
    if (kind !== 'schedule' || other === call || other.start < outer.startIndex || other.end > outer.endIndex) continue;
    const parent = other.node.parent;
    const direct = (parent?.type === 'argument_list' || parent?.type === 'arguments' || parent?.type === 'keyword_argument') && (parent.parent?.id === call.node.id || parent.parent?.parent?.id === call.node.id);
    if (!direct) return true;
  }
  return false;
}
