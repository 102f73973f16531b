import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

/** What module resolution needs of a tsconfig: `paths` (relative to `base`) and `baseUrl`. */
export interface ScriptConfig {
  readonly paths: readonly (readonly [string, readonly string[]])[];
  /** Where `paths` targets start: `baseUrl` when set, else the folder of the config that sets `paths`. */
  readonly base: string;
  readonly baseUrl: string | undefined;
}

/** Reads a tsconfig.json (JSON with comments and trailing commas), following a relative `extends` a few levels. */
export function readScriptConfig(file: string, depth: number): ScriptConfig | undefined {
  let data: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    // tsconfig files are JSON with comments and trailing commas; a file with syntax errors is
    // treated as absent rather than half-read, as a partial `paths` would resolve imports wrongly.
    const errors: ParseError[] = [];
    const parsed: unknown = parseJsonc(fs.readFileSync(file, 'utf8'), errors, { allowTrailingComma: true });
    if (errors.length > 0 || typeof parsed !== 'object' || parsed === null) return undefined;
    data = parsed as typeof data;
  } catch {
    return undefined;
  }
  const dir = path.dirname(file);
  const parent = typeof data.extends === 'string' && data.extends.startsWith('.') && depth < 5
    ? readScriptConfig(path.resolve(dir, data.extends.endsWith('.json') ? data.extends : `${data.extends}.json`), depth + 1) : undefined;
  const options = data.compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : parent?.baseUrl;
  const own = typeof options.paths === 'object' && options.paths !== null
    ? Object.entries(options.paths as Record<string, unknown>).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === 'string'))
    : undefined;
  if (own === undefined) return parent === undefined && baseUrl === undefined ? undefined : { paths: parent?.paths ?? [], base: parent?.base ?? dir, baseUrl };
  return { paths: own, base: baseUrl ?? dir, baseUrl };
}
