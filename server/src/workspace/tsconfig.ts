import fs from 'node:fs';
import path from 'node:path';

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
    data = JSON.parse(withoutComments(fs.readFileSync(file, 'utf8'))) as typeof data;
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

/** JSON with `//` and block comments and trailing commas, as tsconfig files are written, made plain JSON. */
function withoutComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      out += m?.[0] ?? c;
      i += (m?.[0].length ?? 1) - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
