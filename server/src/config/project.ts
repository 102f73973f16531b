import fs from 'node:fs';
import path from 'node:path';
import type { SeveritySetting } from '../analysis/index.js';
import { lineColumn, parseJson, type JsonPath } from './json.js';
import { formatPath, isGlobList, isTestCodeMode, readLayer, readRules, type Problem, type SettingsLayer } from './layer.js';

export const CONFIG_FILE = '.task-reliability.json';

/** Rules for the files matching `files` (globs relative to the config file's folder). */
export interface Override {
  readonly files: readonly string[];
  readonly rules: Readonly<Record<string, SeveritySetting>>;
}

/** A project's `.task-reliability.json`, validated. Data only: nothing in it is ever executed. */
export interface ProjectConfig {
  readonly file: string;
  /** The folder that relative globs (`exclude`, `overrides[].files`) are resolved against. */
  readonly dir: string;
  readonly layer: SettingsLayer;
  readonly overrides: readonly Override[];
  /** `testCode.paths`: globs of test code beyond each ecosystem's conventions. */
  readonly testPaths: readonly string[];
  /** `testCode.exclude`: globs of production code that the conventions would call test or example code. */
  readonly productionPaths: readonly string[];
}

/**
 * The outcome of reading a config file. `error` (unreadable, or not JSON) means the file is not
 * used at all; `problems` are values that were ignored while the rest of the file applies. Both
 * are ready to print: `file:line:column: what is wrong`.
 */
export interface ConfigRead {
  readonly config: ProjectConfig | undefined;
  readonly error: string | undefined;
  readonly problems: readonly string[];
}

const TOP_LEVEL = new Set(['$schema', 'rules', 'exclude', 'overrides', 'fixTimeoutSeconds', 'maxFileSize', 'testCode']);

export function readProjectConfig(file: string): ConfigRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { config: undefined, error: `${file}: cannot read the config file (${code ?? String(error)})`, problems: [] };
  }
  return parseProjectConfig(file, text);
}

export function parseProjectConfig(file: string, text: string): ConfigRead {
  const parsed = parseJson(text);
  const at = (offset: number): string => {
    const { line, column } = lineColumn(text, offset);
    return `${file}:${line}:${column}`;
  };
  if (!parsed.ok) return { config: undefined, error: `${at(parsed.offset)}: invalid JSON: ${parsed.message}`, problems: [] };
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: undefined, error: `${at(parsed.offsetOf([]) ?? 0)}: the config must be a JSON object`, problems: [] };
  }
  const problems: Problem[] = [];
  const object = raw as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(object)) {
    if (!TOP_LEVEL.has(key)) problems.push({ path: [key], message: `unknown key (the keys are ${[...TOP_LEVEL].filter((k) => k !== '$schema').join(', ')})` });
  }
  const layer = readLayer(object, ['rules', 'exclude', 'fixTimeoutSeconds', 'maxFileSize'], problems);
  const overrides = readOverrides(object['overrides'], problems);
  const testCode = readTestCode(object['testCode'], problems);
  const where = (p: JsonPath): string => at(parsed.offsetOf(p) ?? parsed.offsetOf(p.slice(0, -1)) ?? 0);
  return {
    config: {
      file,
      dir: path.dirname(file),
      layer: testCode.mode === undefined ? layer : { ...layer, testCode: testCode.mode },
      overrides,
      testPaths: testCode.paths,
      productionPaths: testCode.exclude,
    },
    error: undefined,
    problems: problems.map((p) => `${where(p.path)}: ${formatPath(p.path)} ${p.message}; it is ignored`),
  };
}

/** `"testCode": { "mode": "hint", "paths": ["qa/**"], "exclude": ["examples/**"] }`, every key optional. */
function readTestCode(raw: unknown, problems: Problem[]): { mode: SettingsLayer['testCode']; paths: string[]; exclude: string[] } {
  const out: { mode: SettingsLayer['testCode']; paths: string[]; exclude: string[] } = { mode: undefined, paths: [], exclude: [] };
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path: ['testCode'], message: 'must be an object with "mode", "paths" and "exclude"' });
    return out;
  }
  const { mode, paths, exclude, ...rest } = raw as Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push({ path: ['testCode', key], message: 'unknown key (testCode has "mode", "paths" and "exclude")' });
  if (mode !== undefined && mode !== null) {
    if (isTestCodeMode(mode)) out.mode = mode;
    else problems.push({ path: ['testCode', 'mode'], message: 'must be one of report, hint, skip' });
  }
  for (const [key, value] of [['paths', paths], ['exclude', exclude]] as const) {
    if (value === undefined || value === null) continue;
    if (isGlobList(value)) out[key] = value;
    else problems.push({ path: ['testCode', key], message: 'must be a list of glob patterns' });
  }
  return out;
}

function readOverrides(raw: unknown, problems: Problem[]): Override[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path: ['overrides'], message: 'must be a list of { "files": [...], "rules": {...} }' });
    return [];
  }
  const out: Override[] = [];
  raw.forEach((entry: unknown, i) => {
    const at: JsonPath = ['overrides', i];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ path: at, message: 'must be an object with "files" and "rules"' });
      return;
    }
    const { files, rules, ...rest } = entry as Record<string, unknown>;
    for (const key of Object.keys(rest)) problems.push({ path: [...at, key], message: 'unknown key (an override has "files" and "rules")' });
    if (!isGlobList(files) || files.length === 0) {
      problems.push({ path: [...at, 'files'], message: 'must be a non-empty list of glob patterns' });
      return;
    }
    out.push({ files, rules: readRules(rules, [...at, 'rules'], problems) ?? {} });
  });
  return out;
}
