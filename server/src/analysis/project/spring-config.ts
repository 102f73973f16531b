import type { Literal, Origin } from './types.js';

/**
 * Spring Boot's externalised configuration as the core receives it: the host reads
 * `application.yml`/`application.yaml`/`application.properties` from the source set's resources
 * (and their `config/` folder), and hands over one flat table of keys. The core reads no files.
 */

export interface SpringEntry {
  /** The key as written (`spring.rabbitmq.listener.simple.acknowledge-mode`). */
  readonly key: string;
  readonly value: Literal;
  readonly origin: Origin;
  /**
   * Set in a profile's document or file (`on-profile`, `application-prod.yml`): whether it
   * applies depends on the active profiles, so a rule treats the key as unknown.
   */
  readonly profiled: boolean;
}

export interface SpringConfig {
  /** By canonical key (see `canonicalKey`); later sources already override earlier ones. */
  readonly entries: Readonly<Record<string, SpringEntry>>;
  /** The files read, for the host's dependency graph. */
  readonly files: readonly string[];
}

/**
 * Spring's relaxed binding: `acknowledge-mode`, `acknowledgeMode` and `ACKNOWLEDGE_MODE` name the
 * same property; compared lowercased, without dashes and underscores.
 */
export function canonicalKey(key: string): string {
  // A map key in brackets (`properties[enable.idempotence]`) is the same key as YAML's nesting gives.
  return key.replace(/\[([^\]]*[^\]\d][^\]]*)\]/g, '.$1').toLowerCase().replace(/[-_]/g, '');
}

/** A setting as a rule sees it: its value (lowercased when a string), or `unknown` when a profile may change it. */
export function springSetting(config: SpringConfig | undefined, key: string): { readonly value: Literal; readonly entry: SpringEntry } | 'unknown' | undefined {
  const entry = config?.entries[canonicalKey(key)];
  if (entry === undefined) return undefined;
  if (entry.profiled) return 'unknown';
  const value = placeholderDefault(entry.value);
  if (value === undefined) return 'unknown';
  return { value: typeof value === 'string' ? value.trim().toLowerCase() : value, entry };
}

/**
 * A value written as a placeholder: `${ENV_NAME:default}` is the default unless the environment
 * sets the variable, which the configuration cannot show, so the default is what the application
 * ships with and what a rule reads. A placeholder without a default, or any other use of `${`, is
 * unknown (undefined).
 */
function placeholderDefault(value: Literal): Literal | undefined {
  if (typeof value !== 'string' || !value.includes('${')) return value;
  const match = /^\s*\$\{[^:}$]+:([^}$]*)\}\s*$/.exec(value);
  return match === null ? undefined : match[1];
}
