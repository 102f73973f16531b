import type { CallFact, FileFacts } from '../../facts/types.js';
import { canonicalKey, springSetting, type SpringConfig, type SpringEntry } from '../../project/spring-config.js';
import type { Literal } from '../../project/types.js';
import { element, javaString } from '../common/java.js';
import { calleeRange, type RawFinding } from '../rule.js';

/**
 * resilience4j's `@Retry(name = "backendA")` takes its policy from the Spring Boot configuration
 * (`resilience4j.retry.instances.backendA`, over the config its `baseConfig` names). Its wait is
 * `waitDuration` (500 ms by default) every time unless `enableExponentialBackoff` is set, so an
 * instance that sets neither that nor `enableRandomizedWait` retries at a fixed pace.
 *
 * Read only where the answer is certain: the instance is configured, and its base config is
 * named and present (an instance without one is left alone when a `default` config exists, since
 * whether that applies depends on the release). A key set in a profile, or the annotation's name
 * given as anything but a string or a constant of the file, is unknown. No fix: the setting is in
 * another file.
 */
const RESILIENCE4J_RETRY = 'io.github.resilience4j.retry.annotation.Retry';
const RETRY = 'resilience4j.retry';
/** resilience4j's own defaults, which a configuration that does not set a key leaves in place. */
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_WAIT = '500 ms';

export function resilience4jRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== RESILIENCE4J_RETRY || call.decorator === undefined || facts.spring === undefined) return undefined;
  const name = javaString(facts, element(call.args, 'name')?.value);
  if (name === undefined) return undefined;
  const policy = instancePolicy(facts.spring, name);
  if (policy === undefined) return undefined;
  const setting = (key: string): { value: Literal; entry: SpringEntry } | 'unknown' | undefined => {
    for (const prefix of policy.prefixes) {
      const found = springSetting(facts.spring, `${prefix}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const values = ['enableExponentialBackoff', 'enableRandomizedWait', 'maxAttempts', 'waitDuration'].map(setting);
  if (values.some((v) => v === 'unknown')) return undefined;
  const [exponential, randomized, attempts, wait] = values as ({ value: Literal; entry: SpringEntry } | undefined)[];
  if (isTrue(exponential?.value) || isTrue(randomized?.value)) return undefined;
  const maxAttempts = attempts === undefined ? DEFAULT_MAX_ATTEMPTS : Number(attempts.value);
  if (!Number.isFinite(maxAttempts) || maxAttempts <= 1) return undefined;
  const waitText = wait === undefined ? DEFAULT_WAIT : typeof wait.value === 'number' ? `${wait.value} ms` : String(wait.value);
  const where = wait?.entry ?? attempts?.entry ?? policy.entry;
  return {
    range: calleeRange(call),
    message: `\`@Retry(name = "${name}")\` waits a fixed ${waitText} between its ${maxAttempts} attempts (no \`enableExponentialBackoff\` in its configuration): callers that failed together retry together.`,
    fixes: [],
    related: [{ origin: where.origin, message: `the retry policy of \`${name}\` is configured here` }],
  };
}

/**
 * Where an instance's settings are read, most specific first: the instance, then its base
 * config. Undefined when the instance is not configured or its base is uncertain.
 */
function instancePolicy(config: SpringConfig, name: string): { prefixes: string[]; entry: SpringEntry } | undefined {
  const instance = `${RETRY}.instances.${name}`;
  const own = Object.entries(config.entries).find(([key]) => key.startsWith(`${canonicalKey(instance)}.`));
  if (own === undefined) return undefined;
  const base = springSetting(config, `${instance}.baseConfig`);
  if (base === 'unknown') return undefined;
  if (base === undefined) {
    const hasDefault = Object.keys(config.entries).some((key) => key.startsWith(`${canonicalKey(`${RETRY}.configs.default`)}.`));
    return hasDefault ? undefined : { prefixes: [instance], entry: own[1] };
  }
  // springSetting lowercases string values; config names are compared as Spring binds them, relaxed.
  const baseName = String(base.value);
  const present = Object.keys(config.entries).some((key) => key.startsWith(`${canonicalKey(`${RETRY}.configs.${baseName}`)}.`));
  return present ? { prefixes: [instance, `${RETRY}.configs.${baseName}`], entry: own[1] } : undefined;
}

function isTrue(value: Literal | undefined): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}
