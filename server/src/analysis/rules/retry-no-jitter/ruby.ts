import { replaceRange } from '../../fixes/edits.js';
import { durationSeconds, symbolName } from '../../facts/ruby-values.js';
import { retryOnAttempts } from '../common/ruby.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * retry-no-jitter in Ruby: Active Job `retry_on ..., wait: :polynomially_longer, jitter: 0` (or
 * `0.0`, or `nil`, which Active Job reads as no jitter). Without `jitter:` the class's
 * `retry_jitter` applies, which `load_defaults "6.1"` and later set to 0.15: not reported.
 * Fix (safe): `jitter: 0.15`, the Rails default. Sidekiq always adds jitter.
 */
const GROWING = new Set(['polynomially_longer', 'exponentially_longer']);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    if (call.api !== 'ActiveJob::Base.retry_on' || retryOnAttempts(call) === 1) continue;
    const jitter = call.args?.keywords.get('jitter');
    const wait = symbolName(call.args?.keywords.get('wait')?.value);
    if (jitter === undefined || wait === undefined || !GROWING.has(wait)) continue;
    if (jitter.value.kind !== 'none' && durationSeconds(jitter.value) !== 0) continue;
    findings.push({
      range: { start: jitter.start, end: jitter.end },
      message: `\`retry_on\` with \`wait: :${wait}\` and \`jitter: ${jitter.value.text}\`: jobs that failed together retry together, in waves.`,
      fixes: [{ title: 'Set jitter: 0.15', edits: [replaceRange(jitter.value.start, jitter.value.end, '0.15')], safe: true }],
    });
  }
  return findings;
}
