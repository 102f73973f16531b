import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId, ModuleResolver, SpringConfig } from '../analysis/index.js';
import { springConfigFor } from './spring-config.js';

/** Files that mark a project's root, nearest ancestor first. */
const ROOT_MARKERS = ['.git', 'pyproject.toml', 'package.json', 'go.mod', 'Gemfile', 'pom.xml', 'build.gradle'];

/**
 * The nearest ancestor of `file` (a file or folder) holding a root marker; without one, `fallback`
 * when it holds the file (the CLI's working directory), else the file's own folder.
 */
export function projectRootOf(file: string, fallback?: string): string {
  const start = path.resolve(fs.existsSync(file) && fs.statSync(file).isDirectory() ? file : path.dirname(file));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (ROOT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  if (fallback !== undefined) {
    const rel = path.relative(path.resolve(fallback), start);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return path.resolve(fallback);
  }
  return start;
}

/** A module larger than this is not read for its names (generated code, vendored bundles). */
const MAX_MODULE_BYTES = 1_000_000;

/**
 * The project's modules on disk, found the way each ecosystem finds them, plus the texts of open
 * documents, which win over the disk. Lookups of the file system are remembered until `forget`.
 *
 * Python follows pyright's import resolution: relative imports from the importing file's package;
 * absolute ones from the folder above the file's top package, the project root, and its `src/`.
 */
export class FileResolver implements ModuleResolver {
  private readonly exists = new Map<string, boolean>();
  private readonly open = new Map<string, string>();
  private readonly listings = new Map<string, string[]>();

  constructor(readonly root: string) {}

  /** Per file, how many times its text changed; `epoch` counts changes on disk, which may touch any file. */
  private readonly versions = new Map<string, number>();
  private epoch = 0;

  /** The text of an open document, which the model reads instead of the disk; undefined closes it. */
  setOpen(file: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(file);
    else if (this.open.get(file) === text) return;
    else this.open.set(file, text);
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
    this.exists.delete(file);
  }

  /** Forgets what the file system said (files changed, created, deleted or renamed). */
  forget(): void {
    this.exists.clear();
    this.listings.clear();
    this.configs.clear();
    this.epoch++;
  }

  version(file: string): number {
    return this.epoch * 1_000_000 + (this.versions.get(file) ?? 0);
  }

  resolve(fromPath: string, specifier: string, language: LanguageId): string | undefined {
    if (language === 'javascript' || language === 'typescript' || language === 'tsx') return this.scriptModule(fromPath, specifier);
    if (language !== 'python') return undefined;
    const m = /^(\.*)([\w.]*)$/.exec(specifier);
    if (m === null) return undefined;
    const dots = (m[1] ?? '').length;
    const parts = (m[2] ?? '') === '' ? [] : (m[2] ?? '').split('.');
    if (dots > 0) {
      let base = path.dirname(fromPath);
      for (let i = 1; i < dots; i++) base = path.dirname(base);
      return this.pythonModule(base, parts);
    }
    for (const base of this.pythonRoots(fromPath)) {
      const found = this.pythonModule(base, parts);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  read(file: string): string | undefined {
    const open = this.open.get(file);
    if (open !== undefined) return open;
    try {
      if (fs.statSync(file).size > MAX_MODULE_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * Go: a package is a folder. The project's own import paths start with the module path of the
   * nearest `go.mod` above the importing file (inside the root); the rest of the path is the folder.
   */
  packageFiles(fromPath: string, importPath?: string): readonly string[] | undefined {
    let dir = path.dirname(fromPath);
    if (importPath !== undefined) {
      const mod = this.goModule(dir);
      if (mod === undefined) return undefined;
      if (importPath !== mod.path && !importPath.startsWith(`${mod.path}/`)) return undefined;
      dir = path.join(mod.dir, ...importPath.slice(mod.path.length).split('/').filter((p) => p !== ''));
    }
    if (!this.inside(path.join(dir, 'x.go'))) return undefined;
    const listed = this.listings.get(dir) ?? (() => {
      let names: string[];
      try {
        names = fs.readdirSync(dir).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')).sort();
      } catch {
        names = [];
      }
      const files = names.map((n) => path.join(dir, n));
      this.listings.set(dir, files);
      return files;
    })();
    const open = [...this.open.keys()].filter((f) => path.dirname(f) === dir && f.endsWith('.go') && !f.endsWith('_test.go') && !listed.includes(f));
    const files = [...listed, ...open].sort();
    return importPath !== undefined && files.length === 0 ? undefined : files;
  }

  /** Spring Boot's `application.*` files of the Java file's source set (spring-config.ts). */
  springConfig(fromPath: string): SpringConfig | undefined {
    if (!this.inside(fromPath)) return undefined;
    return springConfigFor(fromPath, (file) => (this.inside(file) ? this.read(file) : undefined), (dir) => {
      try {
        return fs.readdirSync(dir);
      } catch {
        return [];
      }
    });
  }

  /** The nearest `go.mod` at or above `dir`, inside the root, and the module path it declares. */
  private goModule(dir: string): { dir: string; path: string } | undefined {
    for (let d = dir; this.inside(path.join(d, 'go.mod')); d = path.dirname(d)) {
      const file = path.join(d, 'go.mod');
      if (!this.isFile(file)) continue;
      const m = /^module\s+("?)(\S+)\1\s*$/m.exec(this.read(file) ?? '');
      return m === null ? undefined : { dir: d, path: m[2] as string };
    }
    return undefined;
  }

  display(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  private isFile(file: string): boolean {
    let known = this.exists.get(file);
    if (known === undefined) {
      known = this.open.has(file) || statIsFile(file);
      this.exists.set(file, known);
    }
    return known;
  }

  private inside(file: string): boolean {
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /**
   * A JavaScript or TypeScript specifier, as TypeScript resolves it: relative to the importing
   * file, else through the nearest tsconfig.json or jsconfig.json (`paths`, `baseUrl`, following
   * `extends`); a bare name no config maps is a package, not the project's.
   */
  private scriptModule(fromPath: string, specifier: string): string | undefined {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') return this.scriptFile(path.resolve(path.dirname(fromPath), specifier));
    const config = this.scriptConfig(path.dirname(fromPath));
    if (config === undefined) return undefined;
    for (const [pattern, targets] of config.paths) {
      const star = pattern.indexOf('*');
      const matched = star < 0 ? (specifier === pattern ? '' : undefined)
        : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) && specifier.length >= pattern.length - 1
          ? specifier.slice(star, specifier.length - (pattern.length - star - 1)) : undefined;
      if (matched === undefined) continue;
      for (const target of targets) {
        const found = this.scriptFile(path.resolve(config.base, target.replace('*', matched)));
        if (found !== undefined) return found;
      }
    }
    return config.baseUrl === undefined ? undefined : this.scriptFile(path.resolve(config.baseUrl, specifier));
  }

  /** The file a module path names: itself, with an extension, or its folder's index (`./x.js` may be `./x.ts`). */
  private scriptFile(base: string): string | undefined {
    const stem = base.replace(/\.(?:js|jsx|mjs|cjs)$/, '');
    const candidates = [base, ...SCRIPT_EXTENSIONS.map((e) => `${stem}${e}`), ...SCRIPT_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
    return candidates.find((c) => /\.[cm]?[jt]sx?$/.test(c) && this.inside(c) && this.isFile(c));
  }

  private readonly configs = new Map<string, ScriptConfig | undefined>();

  /** The nearest tsconfig.json or jsconfig.json at or above `dir`, inside the root. */
  private scriptConfig(dir: string): ScriptConfig | undefined {
    if (this.configs.has(dir)) return this.configs.get(dir);
    let found: ScriptConfig | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(dir, name);
      if (this.isFile(file)) {
        found = readScriptConfig(file, 0);
        break;
      }
    }
    if (found === undefined && dir !== this.root && this.inside(dir)) found = this.scriptConfig(path.dirname(dir));
    this.configs.set(dir, found);
    return found;
  }

  /** `a/b.py` or `a/b/__init__.py` under `base`; the package's `__init__.py` for no parts. */
  private pythonModule(base: string, parts: readonly string[]): string | undefined {
    const joined = path.join(base, ...parts);
    for (const candidate of parts.length === 0 ? [path.join(base, '__init__.py')] : [`${joined}.py`, path.join(joined, '__init__.py')]) {
      if (this.inside(candidate) && this.isFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** Where absolute imports start: above the file's top package, the root, and `src/`. */
  private pythonRoots(fromPath: string): string[] {
    let dir = path.dirname(fromPath);
    while (this.inside(dir) && this.isFile(path.join(dir, '__init__.py'))) dir = path.dirname(dir);
    const roots = [dir, this.root, path.join(this.root, 'src')];
    return roots.filter((r, i) => roots.indexOf(r) === i);
  }
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

/** What module resolution needs of a tsconfig: `paths` (relative to `base`) and `baseUrl`. */
interface ScriptConfig {
  readonly paths: readonly (readonly [string, readonly string[]])[];
  /** Where `paths` targets start: `baseUrl` when set, else the folder of the config that sets `paths`. */
  readonly base: string;
  readonly baseUrl: string | undefined;
}

/** Reads a tsconfig.json (JSON with comments and trailing commas), following a relative `extends` a few levels. */
function readScriptConfig(file: string, depth: number): ScriptConfig | undefined {
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

/**
 * Whether a path is a file. `throwIfNoEntry` covers a missing entry only: a path through a file
 * (`logo.png/index.ts`, tried for an import of an asset) fails with ENOTDIR, which means no file too.
 */
function statIsFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}
