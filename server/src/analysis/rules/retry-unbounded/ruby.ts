import { replaceRange } from '../../fixes/edits.js';
import { rescueRetries, retryOnAttempts } from '../common/ruby.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * retry-unbounded in Ruby.
 *
 * - Active Job `retry_on ..., attempts: :unlimited` (or `Float::INFINITY`). Fix (safe): five
 *   attempts, Active Job's own default.
 * - A bare `retry` in a `rescue` whose attempt and rescue hold no condition, jump or raise: the
 *   block runs again for as long as the error lasts. No fix: the bound needs a counter.
 *
 * Sidekiq is always bounded (`retry: true` is 25 retries, about three weeks), so it is not
 * reported here.
 */
export function checkRuby(context: RuleContext, attempts: number): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    if (call.api !== 'ActiveJob::Base.retry_on' || retryOnAttempts(call) !== 'unlimited') continue;
    const pair = call.args?.keywords.get('attempts');
    if (pair === undefined) continue;
    findings.push({
      range: { start: pair.start, end: pair.end },
      message: `\`retry_on\` with \`attempts: ${pair.value.text}\` retries the job forever while the error lasts.`,
      fixes: [{ title: `Set attempts: ${attempts}`, edits: [replaceRange(pair.value.start, pair.value.end, String(attempts))], safe: true }],
    });
  }
  for (const found of rescueRetries(facts)) {
    if (!found.unconditional) continue;
    findings.push({
      range: { start: found.retry.startIndex, end: found.retry.endIndex },
      message: '`retry` with no condition: while the error lasts, the block runs again and again, forever.',
      fixes: [],
    });
  }
  return findings;
}
