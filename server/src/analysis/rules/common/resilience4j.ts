import type { CallFact, FileFacts } from '../../facts/types.js';
import { canonicalKey, springSetting, type SpringConfig, type SpringEntry } from '../../project/spring-config.js';
import type { Literal } from '../../project/types.js';
import { element, javaString } from './java.js';

/**
 * resilience4j's `@Retry(name = "backendA")` takes its policy from the Spring Boot configuration
 * (`resilience4j.retry.instances.backendA`, over the config its `baseConfig` names), as the rules
 * that judge its waits read it.
 *
 * Read only where the answer is certain: the instance is configured, and its base config is
 * named and present (an instance without one is left alone when a `default` config exists, since
 * whether that applies depends on the release). A key set in a profile, a placeholder without a
 * default, or the annotation's name given as anything but a string or a constant of the file, is
 * unknown.
 */
const RESILIENCE4J_RETRY = 'io.github.resilience4j.retry.annotation.Retry';
const RETRY = 'resilience4j.retry';

/** A key of the instance's policy, as configured: its value and the entry that set it. */
export interface PolicySetting {
  readonly value: Literal;
  readonly entry: SpringEntry;
}

export interface RetryPolicy {
  /** The instance's name, as the annotation gives it. */
  readonly name: string;
  /** The first configured key of the instance, where a finding points when no setting says more. */
  readonly entry: SpringEntry;
  /** Each key read: set (in the instance or its base config), or undefined when left at resilience4j's default. */
  readonly settings: Readonly<Record<PolicyKey, PolicySetting | undefined>>;
}

const KEYS = ['enableExponentialBackoff', 'enableRandomizedWait', 'randomizedWaitFactor', 'maxAttempts', 'waitDuration'] as const;
export type PolicyKey = typeof KEYS[number];

/** The configured policy of a `@Retry` annotation, or undefined when it is not one or any key of it is unknown. */
export function resilience4jRetryPolicy(facts: FileFacts, call: CallFact): RetryPolicy | undefined {
  if (call.api !== RESILIENCE4J_RETRY || call.decorator === undefined || facts.spring === undefined) return undefined;
  const name = javaString(facts, element(call.args, 'name')?.value);
  if (name === undefined) return undefined;
  const policy = instancePolicy(facts.spring, name);
  if (policy === undefined) return undefined;
  const settings: Partial<Record<PolicyKey, PolicySetting | undefined>> = {};
  for (const key of KEYS) {
    let found: PolicySetting | 'unknown' | undefined;
    for (const prefix of policy.prefixes) {
      found = springSetting(facts.spring, `${prefix}.${key}`);
      if (found !== undefined) break;
    }
    if (found === 'unknown') return undefined;
    settings[key] = found;
  }
  return { name, entry: policy.entry, settings: settings as Record<PolicyKey, PolicySetting | undefined> };
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

export function isTrue(value: Literal | undefined): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}
