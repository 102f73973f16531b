import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId, ModuleResolver, SpringConfig } from '../analysis/index.js';
import { springConfigFor } from './spring-config.js';

/** Files that mark a project's root, nearest ancestor first. */
const ROOT_MARKERS = ['.git', 'pyproject.toml', 'package.json', 'go.mod', 'Gemfile', 'pom.xml', 'build.gradle'];

/** The nearest ancestor of `file` (a file or folder) holding a root marker, else its own folder. */
export function projectRootOf(file: string): string {
  const start = fs.existsSync(file) && fs.statSync(file).isDirectory() ? file : path.dirname(file);
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (ROOT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
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

  /** The text of an open document, which the model reads instead of the disk; undefined closes it. */
  setOpen(file: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(file);
    else this.open.set(file, text);
  }

  /** Forgets what the file system said (files created, deleted or renamed). */
  forget(): void {
    this.exists.clear();
    this.listings.clear();
  }

  resolve(fromPath: string, specifier: string, language: LanguageId): string | undefined {
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
      known = this.open.has(file) || (fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false);
      this.exists.set(file, known);
    }
    return known;
  }

  private inside(file: string): boolean {
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
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
