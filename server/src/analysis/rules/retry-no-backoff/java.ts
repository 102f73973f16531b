import type { CallFact, FileFacts } from '../../facts/types.js';
import type { Fix, TextEdit } from '../../types.js';
import { addElement, element, hasElement, javaClass, javaNumber } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { jomonRetry } from './java-jomon.js';
import { resilience4jRetry } from './java-resilience4j.js';

/**
 * retry-no-backoff in Java: Spring's retry annotations with a fixed delay.
 *
 * - spring-retry `@Retryable` without `backoff`: its default is a fixed 1000 ms between attempts.
 *   Fix (safe): `backoff = @Backoff(delay = 1000, multiplier = 2, random = true)`.
 * - spring-retry `@Backoff` without `multiplier` (and without a `maxDelay`, which would make it
 *   uniformly random): a fixed delay. Fix (safe): `multiplier = 2, random = true`.
 * - Spring Framework 7 `@Retryable` (`org.springframework.resilience.annotation`) without a
 *   `multiplier` above 1: its default is 1000 ms, multiplier 1.0, a fixed delay. Fix (safe):
 *   `multiplier = 2` with a `jitter` of half the delay.
 *
 * - resilience4j `@Retry` whose instance's Spring Boot configuration keeps the fixed wait
 *   (`java-resilience4j.ts`).
 * - jomon's `Retryer.executeWithRetry` with a strategy given one exact wait (`java-jomon.ts`).
 *
 * Values given as expressions or strings (`delayExpression`, `multiplierString`) are unknown, and
 * an `interceptor` bean replaces the annotation's settings: none of these is reported. Neither is a
 * retry that cannot happen (`maxAttempts = 1`, `maxRetries = 0`).
 */
const SPRING_RETRYABLE = 'org.springframework.retry.annotation.Retryable';
const SPRING_BACKOFF = 'org.springframework.retry.annotation.Backoff';
const FRAMEWORK_RETRYABLE = 'org.springframework.resilience.annotation.Retryable';

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (call.api === SPRING_RETRYABLE && call.decorator !== undefined) {
    if (hasElement(args, 'interceptor', 'backoff') || (javaNumber(element(args, 'maxAttempts')?.value) ?? 2) <= 1) return undefined;
    const backoff = javaClass(facts, SPRING_BACKOFF);
    return {
      range: calleeRange(call),
      message: '`@Retryable` without `backoff` waits a fixed 1000 ms between attempts: callers that failed together retry together.',
      fixes: [{
        title: 'Add exponential backoff with jitter',
        edits: [...addElement(facts, call, `backoff = @${backoff.name}(delay = 1000, multiplier = 2, random = true)`), ...backoff.edits],
        safe: true,
      }],
    };
  }
  if (call.api === SPRING_BACKOFF && enclosingAnnotation(facts, call)?.api === SPRING_RETRYABLE) {
    if (hasElement(args, 'multiplier', 'multiplierExpression', 'maxDelay', 'maxDelayExpression', 'delayExpression')) return undefined;
    const delay = javaNumber(element(args, 'delay')?.value ?? element(args, 'value')?.value);
    const text = delay === undefined ? 'a fixed 1000 ms' : delay === 0 ? 'no delay at all' : `a fixed ${delay} ms`;
    const fixes: Fix[] = delay === 0 ? [] : [{
      title: 'Back off exponentially, with jitter',
      edits: addElement(facts, call, hasElement(args, 'random', 'randomExpression') ? 'multiplier = 2' : 'multiplier = 2, random = true'),
      safe: true,
    }];
    return { range: calleeRange(call), message: `\`@Backoff\` without \`multiplier\` waits ${text} between attempts: retries keep hammering at the same pace.`, fixes };
  }
  if (call.api === FRAMEWORK_RETRYABLE && call.decorator !== undefined) {
    if (hasElement(args, 'multiplierString', 'delayString', 'maxRetriesString') || javaNumber(element(args, 'maxRetries')?.value) === 0) return undefined;
    const multiplier = element(args, 'multiplier');
    const factor = multiplier === undefined ? 1 : javaNumber(multiplier.value);
    if (factor === undefined || factor > 1) return undefined;
    const delayValue = element(args, 'delay')?.value;
    const delay = delayValue === undefined ? 1000 : javaNumber(delayValue);
    const edits: TextEdit[] = [];
    if (delay !== undefined && delay > 0) {
      const jitter = hasElement(args, 'jitter', 'jitterString') ? [] : [`jitter = ${Math.floor(delay / 2)}`];
      if (multiplier === undefined) edits.push(...addElement(facts, call, ['multiplier = 2', ...jitter].join(', ')));
      else {
        edits.push({ start: multiplier.value.start, end: multiplier.value.end, newText: '2' });
        if (jitter.length > 0) edits.push(...addElement(facts, call, jitter.join(', ')));
      }
    }
    return {
      range: calleeRange(call),
      message: `\`@Retryable\` with a multiplier of 1 waits a fixed ${delay === undefined ? '' : `${delay} ms `}between attempts: callers that failed together retry together.`,
      fixes: edits.length === 0 ? [] : [{ title: 'Back off exponentially, with jitter', edits, safe: true }],
    };
  }
  return checkPolicies(call) ?? resilience4jRetry(facts, call) ?? jomonRetry(facts, call);
}

const TEMPLATE_BUILDER = 'org.springframework.retry.support.RetryTemplateBuilder';

/**
 * Retry policies built in code: a `RetryTemplate.builder()` chain ending in `noBackoff()` or
 * `fixedBackoff(ms)` (unless `maxAttempts(1)` stops it retrying), spring-retry's
 * `FixedBackOffPolicy`, spring-kafka's error handler with Spring's
 * `FixedBackOff(interval, maxAttempts)`, and a `DefaultErrorHandler` given no BackOff, whose
 * default is `FixedBackOff(0, 9)`: nine redeliveries with no delay at all. No fix: the policy
 * object may be shared, and its replacement is the author's choice.
 */
function checkPolicies(call: CallFact): RawFinding | undefined {
  const range = calleeRange(call);
  if (call.api === `${TEMPLATE_BUILDER}.noBackoff` || call.api === `${TEMPLATE_BUILDER}.fixedBackoff`) {
    if (chainCalls(call).some((c) => c.method === 'maxAttempts' && c.args === '(1)')) return undefined;
    const what = call.api.endsWith('noBackoff') ? 'retries at once' : 'waits the same delay before every attempt';
    return { range, message: `This \`RetryTemplate\` ${what}: callers that failed together retry together.`, fixes: [] };
  }
  if (call.api === 'org.springframework.retry.backoff.FixedBackOffPolicy' && call.isNew) {
    return { range, message: '`FixedBackOffPolicy` waits the same delay before every attempt: callers that failed together retry together.', fixes: [] };
  }
  if (call.api === 'org.springframework.util.backoff.FixedBackOff' && call.isNew) {
    const attempts = javaNumber(call.args?.positional[1]);
    if (attempts === 0) return undefined;
    return { range, message: '`FixedBackOff` redelivers at the same interval every time: consumers that failed together retry together.', fixes: [] };
  }
  if (call.api === 'org.springframework.kafka.listener.DefaultErrorHandler' && call.isNew && call.args !== undefined && !call.args.hasSplat) {
    // A BackOff may be passed as the only argument or after the recoverer; an unknown argument may be one.
    if (call.args.positional.some((a) => a.kind !== 'function' && !/Recoverer\b/.test(a.api ?? '') && a.kind !== 'none')) return undefined;
    return { range, message: '`DefaultErrorHandler` with no BackOff redelivers a failed record nine times with no delay (`FixedBackOff(0, 9)`): give it an exponential BackOff.', fixes: [] };
  }
  return undefined;
}

/** The calls of a fluent chain below `call` (`a().b(x).c()` → a, b), with their argument text. */
function chainCalls(call: CallFact): { method: string; args: string }[] {
  const found: { method: string; args: string }[] = [];
  for (let n = call.node.childForFieldName('object'); n?.type === 'method_invocation'; n = n.childForFieldName('object')) {
    found.push({ method: n.childForFieldName('name')?.text ?? '', args: (n.childForFieldName('arguments')?.text ?? '').replace(/\s+/g, '') });
  }
  return found;
}

/** The annotation whose element `nested` is the value of (`@Retryable(backoff = @Backoff(...))`). */
export function enclosingAnnotation(facts: FileFacts, nested: CallFact): CallFact | undefined {
  const pair = nested.node.parent;
  const owner = pair?.type === 'element_value_pair' ? pair.parent?.parent : undefined;
  return owner == null ? undefined : facts.calls.find((c) => c.node.id === owner.id);
}
