import type { CallFact, FileFacts } from '../../facts/types.js';
import { addElement, element, hasElement, javaNumber } from '../common/java.js';
import { enclosingAnnotation } from '../retry-no-backoff/java.js';
import { isTrue, resilience4jRetryPolicy } from '../common/resilience4j.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * retry-no-jitter in Java.
 *
 * - spring-retry `@Backoff(multiplier > 1)` without `random = true`. Fix (safe): `random = true`
 *   (each delay is then drawn between the previous one and `multiplier` times it).
 * - Spring Framework 7 `@Retryable(multiplier > 1)` without `jitter`. Fix (safe): a jitter of half
 *   the delay (1000 ms when the delay is the default).
 * - Resilience4j `IntervalFunction.ofExponentialBackoff(...)`. Fix (safe):
 *   `ofExponentialRandomBackoff` with the same arguments (every overload exists; the randomisation
 *   factor defaults to 0.5).
 *
 * - Resilience4j `@Retry(name = ...)` whose instance configuration (`resilience4j.retry.instances.<name>`
 *   over its base config, read by `common/resilience4j.ts`) sets `enableExponentialBackoff` and
 *   not `enableRandomizedWait` (or a `randomizedWaitFactor` of 0), with more than one attempt.
 *   No fix: the setting is in another file.
 *
 * Multipliers or jitter given as expressions or strings are unknown and not reported.
 */
const SPRING_RETRYABLE = 'org.springframework.retry.annotation.Retryable';
const SPRING_BACKOFF = 'org.springframework.retry.annotation.Backoff';
const FRAMEWORK_RETRYABLE = 'org.springframework.resilience.annotation.Retryable';
const MESSAGE = 'backs off exponentially without jitter: callers that failed together retry together, in waves.';

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (call.api === SPRING_BACKOFF && enclosingAnnotation(facts, call)?.api === SPRING_RETRYABLE) {
    if ((javaNumber(element(args, 'multiplier')?.value) ?? 0) <= 1 || hasElement(args, 'randomExpression')) return undefined;
    const random = element(args, 'random');
    if (random !== undefined && random.value.kind !== 'false') return undefined;
    return {
      range: calleeRange(call),
      message: `\`@Backoff\` ${MESSAGE}`,
      fixes: [{
        title: 'Set random = true',
        edits: random === undefined ? addElement(facts, call, 'random = true') : [{ start: random.value.start, end: random.value.end, newText: 'true' }],
        safe: true,
      }],
    };
  }
  if (call.api === FRAMEWORK_RETRYABLE && call.decorator !== undefined) {
    if ((javaNumber(element(args, 'multiplier')?.value) ?? 0) <= 1 || hasElement(args, 'jitterString')) return undefined;
    const jitter = element(args, 'jitter');
    if (jitter !== undefined && javaNumber(jitter.value) !== 0) return undefined;
    const delayValue = element(args, 'delay')?.value;
    const delay = delayValue === undefined ? 1000 : javaNumber(delayValue);
    const amount = delay === undefined || delay <= 0 ? undefined : String(Math.floor(delay / 2));
    return {
      range: calleeRange(call),
      message: `\`@Retryable\` ${MESSAGE}`,
      fixes: amount === undefined ? [] : [{
        title: `Set jitter = ${amount}`,
        edits: jitter === undefined ? addElement(facts, call, `jitter = ${amount}`) : [{ start: jitter.value.start, end: jitter.value.end, newText: amount }],
        safe: true,
      }],
    };
  }
  if (call.api === 'io.github.resilience4j.core.IntervalFunction.ofExponentialBackoff' && !call.isNew) {
    return {
      range: calleeRange(call),
      message: `\`IntervalFunction.ofExponentialBackoff\` ${MESSAGE}`,
      // A statically imported name would need its own import: only `IntervalFunction.of...` is renamed.
      fixes: call.node.childForFieldName('object') === null ? [] : [{
        title: 'Use ofExponentialRandomBackoff',
        edits: [{ start: call.calleeStart, end: call.calleeEnd, newText: 'ofExponentialRandomBackoff' }],
        safe: true,
      }],
    };
  }
  return resilience4jNoJitter(facts, call);
}

/** resilience4j's default number of attempts, the first call included, when the configuration sets none. */
const RESILIENCE4J_MAX_ATTEMPTS = 3;

function resilience4jNoJitter(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const policy = resilience4jRetryPolicy(facts, call);
  if (policy === undefined) return undefined;
  const { enableExponentialBackoff: exponential, enableRandomizedWait: randomized, randomizedWaitFactor: factor, maxAttempts: attempts } = policy.settings;
  if (exponential === undefined || !isTrue(exponential.value)) return undefined;
  if (isTrue(randomized?.value) && (factor === undefined || Number(factor.value) !== 0)) return undefined;
  const maxAttempts = attempts === undefined ? RESILIENCE4J_MAX_ATTEMPTS : Number(attempts.value);
  if (!Number.isFinite(maxAttempts) || maxAttempts <= 1) return undefined;
  return {
    range: calleeRange(call),
    message: `\`@Retry(name = "${policy.name}")\` ${MESSAGE} (its configuration sets \`enableExponentialBackoff\` and no \`enableRandomizedWait\`)`,
    fixes: [],
    related: [{ origin: exponential.entry.origin, message: `the retry policy of \`${policy.name}\` is configured here` }],
  };
}
