import type { CallFact, FileFacts } from '../../facts/types.js';
import { element } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * retry-unbounded in Java, where an API allows unlimited retries:
 *
 * - spring-retry `RetryTemplate.builder()...infiniteRetry()`. Fix (safe): `maxAttempts(5)`.
 * - spring-retry `new AlwaysRetryPolicy()`. No fix: the policy object is replaced, not tuned.
 * - `Integer.MAX_VALUE` / `Long.MAX_VALUE` as spring-retry `@Retryable(maxAttempts = ...)`,
 *   Spring Framework 7 `@Retryable(maxRetries = ...)` or Resilience4j
 *   `RetryConfig.custom().maxAttempts(...)`. Fix (safe): five attempts (four retries for `maxRetries`,
 *   which counts retries after the first call).
 */
const MAX = /^(?:java\.lang\.)?(?:Integer|Long)\.MAX_VALUE$/;

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(_facts: FileFacts, call: CallFact): RawFinding | undefined {
  switch (call.api) {
    case 'org.springframework.retry.support.RetryTemplateBuilder.infiniteRetry':
      return {
        range: calleeRange(call),
        message: '`infiniteRetry()` retries a failing call forever.',
        fixes: [{ title: 'Use maxAttempts(5)', edits: [{ start: call.calleeStart, end: call.end, newText: 'maxAttempts(5)' }], safe: true }],
      };
    case 'org.springframework.retry.policy.AlwaysRetryPolicy':
      return call.isNew ? { range: calleeRange(call), message: '`AlwaysRetryPolicy` retries a failing call forever.', fixes: [] } : undefined;
    case 'io.github.resilience4j.retry.RetryConfig.Builder.maxAttempts': {
      const value = call.args?.positional[0];
      if (value === undefined || !MAX.test(value.text.replace(/\s+/g, ''))) return undefined;
      return {
        range: { start: value.start, end: value.end },
        message: '`maxAttempts(MAX_VALUE)` retries a failing call practically forever.',
        fixes: [{ title: 'Use 5 attempts', edits: [{ start: value.start, end: value.end, newText: '5' }], safe: true }],
      };
    }
    case 'org.springframework.retry.annotation.Retryable':
    case 'org.springframework.resilience.annotation.Retryable': {
      const name = call.api.startsWith('org.springframework.retry') ? 'maxAttempts' : 'maxRetries';
      const bound = element(call.args, name);
      if (call.decorator === undefined || bound === undefined || !MAX.test(bound.value.text.replace(/\s+/g, ''))) return undefined;
      const attempts = name === 'maxAttempts' ? '5' : '4';
      return {
        range: { start: bound.start, end: bound.end },
        message: `\`@Retryable(${name} = MAX_VALUE)\` retries a failing call practically forever.`,
        fixes: [{ title: `Set ${name} = ${attempts}`, edits: [{ start: bound.value.start, end: bound.value.end, newText: attempts }], safe: true }],
      };
    }
    default:
      return undefined;
  }
}
