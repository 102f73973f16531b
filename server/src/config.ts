import fs from 'node:fs';
import path from 'node:path';
import { readSettings, type Settings } from './lsp/settings.js';

export const CONFIG_FILE = '.task-reliability.json';

export class ConfigError extends Error {}

/**
 * Reads a project config file: data only, never executed. Unreadable or invalid JSON is an error
 * (the CLI exits 2); values of the wrong type are reported and replaced by defaults.
 */
export function readConfigFile(file: string): { settings: Settings; problems: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const { settings, problems } = readSettings(raw);
  return { settings, problems: problems.map((p) => `${path.basename(file)}: ${p.replace(/^taskReliability\./, '')}`) };
}
