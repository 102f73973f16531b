import { RULES, TEST_CODE_MODES, type SeveritySetting, type TestCodeMode } from '../analysis/index.js';
import type { JsonPath } from './json.js';

/**
 * One source of settings (the editor's, or a project config file), holding only what that source
 * sets: a key left out falls through to the next source, which is how the precedence works.
 */
export interface SettingsLayer {
  readonly enable?: boolean;
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  readonly maxFileSize?: number;
  readonly exclude?: readonly string[];
  readonly fixTimeoutSeconds?: number;
  readonly scanOnStartup?: boolean;
  readonly analysisTimeBudgetMs?: number;
  /** How findings in test and example code are reported (see analysis/file-kind.ts). */
  readonly testCode?: TestCodeMode;
}

export type LayerKey = keyof SettingsLayer;

/** A value that was ignored, where it is and what was expected instead. */
export interface Problem {
  readonly path: JsonPath;
  readonly message: string;
}

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];
const RULE_IDS = new Set(RULES.map((r) => r.meta.id));

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
export const isTestCodeMode = (v: unknown): v is TestCodeMode => typeof v === 'string' && (TEST_CODE_MODES as readonly string[]).includes(v);
export const isGlobList = (v: unknown): v is string[] => Array.isArray(v) && v.every((g) => typeof g === 'string' && g !== '');

const SCALARS: Readonly<Record<Exclude<LayerKey, 'rules'>, { valid: (v: unknown) => boolean; expected: string }>> = {
  enable: { valid: isBool, expected: 'true or false' },
  scanOnStartup: { valid: isBool, expected: 'true or false' },
  maxFileSize: { valid: isPositive, expected: 'a positive number of bytes' },
  fixTimeoutSeconds: { valid: isPositive, expected: 'a positive number of seconds' },
  analysisTimeBudgetMs: { valid: isPositive, expected: 'a positive number of milliseconds' },
  exclude: { valid: isGlobList, expected: 'a list of glob patterns' },
  testCode: { valid: isTestCodeMode, expected: `one of ${TEST_CODE_MODES.join(', ')}` },
};

/** Reads `{ "rule-id": "severity" }`, keeping the valid entries and reporting the others. */
export function readRules(raw: unknown, path: JsonPath, problems: Problem[]): Record<string, SeveritySetting> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path, message: 'must be an object of rule ids to severities' });
    return undefined;
  }
  const rules: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!RULE_IDS.has(id)) problems.push({ path: [...path, id], message: `no such rule (the rules are ${[...RULE_IDS].join(', ')})` });
    else if (typeof value !== 'string' || !(SEVERITY_SETTINGS as readonly string[]).includes(value)) {
      problems.push({ path: [...path, id], message: `must be one of ${SEVERITY_SETTINGS.join(', ')}` });
    } else rules[id] = value as SeveritySetting;
  }
  return rules;
}

/**
 * Reads the given keys of an object into a layer. A value of the wrong type is reported and left
 * out, so the next source's value applies instead; the rest of the object still counts.
 */
export function readLayer(raw: Readonly<Record<string, unknown>>, keys: readonly LayerKey[], problems: Problem[]): SettingsLayer {
  const layer: Record<string, unknown> = {};
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (key === 'rules') {
      const rules = readRules(value, [key], problems);
      if (rules !== undefined) layer[key] = rules;
      continue;
    }
    const { valid, expected } = SCALARS[key];
    if (valid(value)) layer[key] = value;
    else problems.push({ path: [key], message: `must be ${expected}` });
  }
  return layer as SettingsLayer;
}

/** `rules.http-timeout`, `overrides[0].files`: a path as a reader of the file names it. */
export function formatPath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
