import type { ProjectJoin } from '../map/join.js';
import type { RetryCause } from '../map/facts.js';
import type { MapSideEffect, MapTask } from '../map/types.js';
import { refusalsOnly } from './common/refusals.js';
import type { RelatedLocation } from '../types.js';
import { defineProjectRule, type ProjectRawFinding, type Rule } from './rule.js';

/**
 * retried-task-no-guard — a task that its framework retries, whose body sends, charges, calls
 * another service or enqueues more work with no guard before it, and whose every enqueue site
 * passes no key.
 *
 * Flags: the task's definition, with its enqueue sites and the side effect as related places,
 * when its effective settings retry it (more than one attempt, or no bound), counting the
 * frameworks' defaults: Sidekiq and asynq retry a failed job 25 times, Spring Kafka's default
 * error handler redelivers a record 9 times, while Celery, RQ, huey and BullMQ run a job once
 * unless told otherwise. A guard is what the map reads as one: a claimed or looked-up marker
 * before the first side effect (`SET NX`, `cache.add`, `get_or_create`, an `exists` check that
 * returns), or a lock taken in the body (the handler function's, for a task run by one).
 * Why it matters: an attempt that fails after its side effect runs the whole body again, so the
 * email goes out twice or the charge is made twice; a key at the enqueue does not stop that, but
 * with no key and no guard nothing does (chapter 4, R4.4). Only the join sees the task, its
 * callers and the helpers its side effects sit in together.
 * Left alone: a side effect that notify-in-retried-task or payment-no-idempotency-key already
 * reports on its own line, a task no enqueue site of the project reaches, and a side effect no
 * retry can follow (see `repeatable`).
 */
const EFFECTS = new Set(['payment', 'notify', 'http-call', 'enqueue']);
const COVERED = new Set(['notify-in-retried-task', 'payment-no-idempotency-key']);
const EFFECT_NAMES: Readonly<Record<string, string>> = { payment: 'a payment', notify: 'a notification', 'http-call': 'an HTTP call', enqueue: 'an enqueue' };

function check({ tasks, pathOf }: ProjectJoin): ProjectRawFinding[] {
  const findings: ProjectRawFinding[] = [];
  for (const { path, task, fact, guarded, locked } of tasks) {
    const retry = task.retry;
    if (retry === null || (retry.maxAttempts !== null && retry.maxAttempts <= 1) || guarded || locked) continue;
    const sites = task.enqueuedFrom;
    if (sites.length === 0 || sites.some((s) => s.idempotencyKey)) continue;
    const covered = (e: MapSideEffect): boolean => task.findings.some((f) => COVERED.has(f.rule) && f.file === e.file && f.line === e.line);
    const effect = task.sideEffects.find((e) => EFFECTS.has(e.kind) && !covered(e) && repeatable(fact.retryCause, e));
    if (effect === undefined) continue;
    const place = (file: string, line: number, message: string): RelatedLocation[] => {
      const input = pathOf(file);
      return input === undefined ? [] : [{ origin: { path: input, line: line - 1, character: 0, endLine: line - 1, endCharacter: 0 }, message }];
    };
    findings.push({
      path,
      range: { line: task.line },
      message: `\`${task.name}\` is retried (${attempts(task)}) and makes ${EFFECT_NAMES[effect.kind] ?? effect.kind} (\`${effect.api}\`, ${effect.file}:${effect.line}) with no guard before it, and none of its ${sites.length === 1 ? 'enqueue site passes' : `${sites.length} enqueue sites pass`} a key: an attempt that fails after it runs it again. Claim a marker keyed by the job's business id before the side effect (a unique insert, a Redis SET NX) and return when it is already taken.`,
      related: [
        ...sites.flatMap((s) => place(s.file, s.line, `enqueues \`${task.name}\` with no key`)),
        ...place(effect.file, effect.line, `the ${effect.kind} a retry repeats${effect.via === undefined ? '' : ` (through ${effect.via.join(' → ')})`}`),
      ],
      fixes: [],
    });
  }
  return findings;
}

/**
 * A payment provider's call that only reads (`Stripe::Customer.retrieve`, `stripe.customers.list`,
 * stripe-go's `customer.Get`): a payment signal, but nothing a second attempt could do twice.
 */
const PAYMENT_READ = /(^|[.#])(retrieve|list|search|get|iter|auto_paging_iter)(_async|Async)?$/i;

/**
 * Whether a retry can follow the side effect: not for a payment call that only reads, nor when
 * the task is retried only for a sending library's own refusals (a refused send sent nothing),
 * nor for an effect of the body that comes after every explicit `retry()` call (a retry happens
 * before it ever runs).
 */
function repeatable(cause: RetryCause | undefined, effect: MapSideEffect): boolean {
  if (effect.kind === 'payment' && PAYMENT_READ.test(effect.api)) return false;
  // Only a send's refusal is known to leave nothing done: an HTTP client's own base class
  // (`requests.RequestException`) covers its timeouts too.
  if (effect.kind === 'notify' && cause?.onlyFor !== undefined && refusalsOnly(cause.onlyFor, effect.api)) return false;
  if (cause?.lastRetryCallLine !== undefined && effect.via === undefined && effect.line > cause.lastRetryCallLine) return false;
  return true;
}

/** "up to 26 attempts, Sidekiq's default": the bound and where it comes from. */
function attempts(task: MapTask): string {
  const n = task.retry?.maxAttempts;
  const bound = n === null || n === undefined ? 'with no bound' : `up to ${n} attempts`;
  const source = task.sources?.find((s) => s.setting === 'retry');
  return source === undefined ? bound : `${bound}, ${source.from === 'framework default' ? `${task.framework}'s default` : `${source.from} at ${source.file}:${source.line}`}`;
}

export const retriedTaskNoGuard: Rule = defineProjectRule(
  {
    id: 'retried-task-no-guard',
    ruleRef: 'R4.4',
    chapter: 4,
    description: 'A retried task with a side effect and no guard before it, enqueued with no key: an attempt that fails after the side effect repeats it.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  ['python', 'javascript', 'typescript', 'tsx', 'ruby', 'go', 'java'],
  check,
);
