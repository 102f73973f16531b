import { RULES } from '../analysis/index.js';
import type { SeveritySetting } from '../analysis/index.js';

/** The resolved settings for one resource, after validation. */
export interface Settings {
  readonly enable: boolean;
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  readonly maxFileSize: number;
  readonly exclude: readonly string[];
  readonly fixTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  maxFileSize: 1_000_000,
  exclude: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/.venv/**', '**/venv/**', '**/vendor/**'],
  fixTimeoutSeconds: 10,
};

const SEVERITIES = new Set<string>(['off', 'hint', 'info', 'warning', 'error']);
const RULE_IDS = new Set(RULES.map((r) => r.meta.id));

/**
 * Reads the `taskReliability` section as the client sent it. Anything of the wrong type is
 * reported once and replaced by its default; the rest of the settings still apply.
 */
export function readSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  if (raw === null || raw === undefined) return { settings: DEFAULT_SETTINGS, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: DEFAULT_SETTINGS, problems: ['taskReliability settings must be an object; using the defaults'] };
  }
  const section = raw as Record<string, unknown>;
  const pick = <T>(key: string, valid: (v: unknown) => v is T, fallback: T, expected: string): T => {
    const value = section[key];
    if (value === undefined || value === null) return fallback;
    if (valid(value)) return value;
    problems.push(`taskReliability.${key} must be ${expected}; using ${JSON.stringify(fallback)}`);
    return fallback;
  };
  const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
  const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const isGlobs = (v: unknown): v is string[] => Array.isArray(v) && v.every((g) => typeof g === 'string');
  const rules: Record<string, SeveritySetting> = {};
  const rawRules = section['rules'];
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== 'object' || Array.isArray(rawRules)) problems.push('taskReliability.rules must be an object of rule ids to severities');
    else {
      for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
        if (!RULE_IDS.has(id)) problems.push(`taskReliability.rules.${id}: no such rule`);
        else if (typeof value !== 'string' || !SEVERITIES.has(value)) problems.push(`taskReliability.rules.${id} must be one of off, hint, info, warning, error`);
        else rules[id] = value as SeveritySetting;
      }
    }
  }
  const settings: Settings = {
    enable: pick('enable', isBool, DEFAULT_SETTINGS.enable, 'true or false'),
    rules,
    maxFileSize: pick('maxFileSize', isSize, DEFAULT_SETTINGS.maxFileSize, 'a positive number of bytes'),
    exclude: pick('exclude', isGlobs, [...DEFAULT_SETTINGS.exclude], 'a list of glob patterns'),
    fixTimeoutSeconds: pick('fixTimeoutSeconds', isSize, DEFAULT_SETTINGS.fixTimeoutSeconds, 'a positive number of seconds'),
  };
  return { settings, problems };
}
