import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../../facts/types.js';
import { jobPerforming, retryOnAttempts, sidekiqRetries, type RubyJob } from '../common/ruby.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';

/**
 * notify-in-retried-task in Ruby: an Action Mailer delivery (`deliver_now`, `deliver_later`) or a
 * Twilio message sent from the `perform` of a job that retries, with no guard before it.
 *
 * A Sidekiq job retries unless `sidekiq_options retry: false` (or 0); an Active Job retries where
 * it declares `retry_on` (without it, only the queue adapter might, which the file does not say).
 * `deliver_later` counts too: a retried `perform` enqueues the email again. A send inside a
 * condition, or after any statement that can return early, may be guarded by a sent-marker: not
 * reported. No fix: the guard needs a record keyed by the notification's identity (chapter 12).
 */
const SENDS = new Set([
  'ActionMailer::MessageDelivery#deliver_now', 'ActionMailer::MessageDelivery#deliver_now!',
  'ActionMailer::MessageDelivery#deliver_later', 'ActionMailer::MessageDelivery#deliver_later!', 'Twilio::Messages.create',
]);
const CONDITIONS = new Set(['if', 'unless', 'if_modifier', 'unless_modifier', 'conditional', 'case', 'case_match', 'rescue', 'while', 'until']);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    if (!SENDS.has(call.api)) continue;
    const job = jobPerforming(facts, call.node);
    const retries = job === undefined ? undefined : retriesOf(job);
    if (job?.perform === undefined || retries === undefined || guarded(call, job.perform)) continue;
    const send = call.api.startsWith('Twilio') ? 'This SMS' : `\`${call.api.slice(call.api.indexOf('#') + 1)}\``;
    findings.push({
      range: calleeRange(call),
      message: `${send} runs in a job that retries (${retries}) with no guard: a failure after the send sends it again on every retry.`,
      fixes: [],
    });
  }
  return findings;
}

/** How the job retries, in words, or undefined when it does not (or the file cannot tell). */
function retriesOf(job: RubyJob): string | undefined {
  if (job.kind === 'sidekiq') {
    const retries = sidekiqRetries(job);
    return retries === undefined || retries <= 0 ? undefined : retries === 25 ? 'Sidekiq: 25 times by default' : `Sidekiq: ${retries} times`;
  }
  const retryOn = job.dsl.filter((c) => c.api === 'ActiveJob::Base.retry_on').map(retryOnAttempts);
  const most = retryOn.find((a) => a === 'unlimited' || (a !== undefined && a > 1));
  return most === undefined ? undefined : most === 'unlimited' ? '`retry_on`, without limit' : `\`retry_on\`, up to ${most} attempts`;
}

/** Inside a condition, or after a statement of `perform` that can return early. */
export function guarded(call: CallFact, perform: Node): boolean {
  for (let n = call.node.parent; n !== null && n.id !== perform.id; n = n.parent) if (CONDITIONS.has(n.type)) return true;
  const body = perform.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    if (statement === null || statement.startIndex >= call.start) break;
    if (statement.type === 'return' || statement.descendantsOfType(['return', 'next']).length > 0) return true;
  }
  return false;
}
