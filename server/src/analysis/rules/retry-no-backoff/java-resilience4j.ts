import type { CallFact, FileFacts } from '../../facts/types.js';
import { isTrue, resilience4jRetryPolicy } from '../common/resilience4j.js';
import { calleeRange, type RawFinding } from '../rule.js';

/**
 * resilience4j's `@Retry(name = "backendA")` takes its policy from the Spring Boot configuration
 * (read by `common/resilience4j.ts`). Its wait is `waitDuration` (500 ms by default) every time
 * unless `enableExponentialBackoff` is set, so an instance that sets neither that nor
 * `enableRandomizedWait` retries at a fixed pace. No fix: the setting is in another file.
 */
/** resilience4j's own defaults, which a configuration that does not set a key leaves in place. */
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_WAIT = '500 ms';

export function resilience4jRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const policy = resilience4jRetryPolicy(facts, call);
  if (policy === undefined) return undefined;
  const { enableExponentialBackoff: exponential, enableRandomizedWait: randomized, maxAttempts: attempts, waitDuration: wait } = policy.settings;
  if (isTrue(exponential?.value) || isTrue(randomized?.value)) return undefined;
  const maxAttempts = attempts === undefined ? DEFAULT_MAX_ATTEMPTS : Number(attempts.value);
  if (!Number.isFinite(maxAttempts) || maxAttempts <= 1) return undefined;
  const waitText = wait === undefined ? DEFAULT_WAIT : typeof wait.value === 'number' ? `${wait.value} ms` : String(wait.value);
  const where = wait?.entry ?? attempts?.entry ?? policy.entry;
  return {
    range: calleeRange(call),
    message: `\`@Retry(name = "${policy.name}")\` waits a fixed ${waitText} between its ${maxAttempts} attempts (no \`enableExponentialBackoff\` in its configuration): callers that failed together retry together.`,
    fixes: [],
    related: [{ origin: where.origin, message: `the retry policy of \`${policy.name}\` is configured here` }],
  };
}
