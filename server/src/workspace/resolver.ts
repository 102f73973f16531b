import { JAVA_KNOWN_CLASSES } from '../analysis/apis/java.js';
import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId, ModuleResolver, SpringConfig } from '../analysis/index.js';
import { implementedNames, javaSources } from './java-sources.js';
import { springConfigFor } from './spring-config.js';
import { readScriptConfig, type ScriptConfig } from './tsconfig.js';
import { listDirs, packageCandidates, workspacePackages, workspaceRootOf, type WorkspacePackage } from './workspaces.js';

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
    else {
      // A class in a document not yet saved is found by its path from now on.
      if (!this.open.has(file) && file.endsWith('.java')) this.javaClasses.clear();
      this.open.set(file, text);
    }
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
    this.exists.delete(file);
  }

  /** Forgets what the file system said (files changed, created, deleted or renamed). */
  forget(): void {
    this.exists.clear();
    this.listings.clear();
    this.configs.clear();
    this.packages.clear();
    this.workspaces = undefined;
    this.workspaceTop = undefined;
    this.javaClasses.clear();
    this.beanFiles = undefined;
    this.javaSources = undefined;
    this.sourceRoots = undefined;
    this.implementations.clear();
    this.epoch++;
  }

  version(file: string): number {
    return this.epoch * 1_000_000 + (this.versions.get(file) ?? 0);
  }

  resolve(fromPath: string, specifier: string, language: LanguageId): string | undefined {
    if (language === 'javascript' || language === 'typescript' || language === 'tsx') return this.scriptModule(fromPath, specifier);
    if (language === 'ruby') return this.rubyRequire(fromPath, specifier);
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

  private readonly javaClasses = new Map<string, string | undefined>();
  private beanFiles: readonly string[] | undefined;
  private javaSources: readonly string[] | undefined;
  /** Files on disk naming each interface after `implements`, indexed in one pass, until the disk changes. */
  private readonly implementations = new Map<string, readonly string[]>();

  /**
   * Java: `com.acme.http.PartnerTemplate` is `com/acme/http/PartnerTemplate.java` under a source
   * root, which is a folder above the importing file (the one its own package path starts from);
   * a nested class (`Outer.Inner`) is found in its outer class's file.
   */
  javaClass(fromPath: string, qualified: string): string | undefined {
    const key = `${path.dirname(fromPath)}:${qualified}`;
    if (this.javaClasses.has(key)) return this.javaClasses.get(key);
    let found: string | undefined;
    const parts = qualified.split('.');
    const tryRoot = (dir: string): void => {
      for (let n = parts.length; n > 1 && found === undefined; n--) {
        if (!/^[A-Z]/.test(parts[n - 1] ?? '')) break;
        const candidate = `${path.join(dir, ...parts.slice(0, n))}.java`;
        if (this.isFile(candidate)) found = candidate;
      }
    };
    for (let dir = path.dirname(fromPath); found === undefined && this.inside(path.join(dir, 'x.java')); dir = path.dirname(dir)) tryRoot(dir);
    // Then the main source roots of the build's other modules (`litemall-core/src/main/java`); a
    // class the analyzer knows as a library's found there is that library's own repository (xxl-job's
    // core module beside its samples), which the samples use as the library.
    for (const dir of found === undefined && !JAVA_KNOWN_CLASSES.has(qualified) ? this.javaSourceRoots() : []) {
      tryRoot(dir);
      if (found !== undefined) break;
    }
    this.javaClasses.set(key, found);
    return found;
  }

  private sourceRoots: readonly string[] | undefined;
  /** Java: the `src/main/java` folders of the project's modules, found once until the disk changes. */
  private javaSourceRoots(): readonly string[] {
    this.javaSources ??= javaSources(this.root);
    this.sourceRoots ??= [...new Set(this.javaSources.map((f) => /^(.*[\\/]src[\\/]main[\\/]java)[\\/]/.exec(f)?.[1]).filter((d): d is string => d !== undefined))].sort();
    return this.sourceRoots;
  }

  /**
   * Java: the main source files that declare a `@Bean` method (test sources and build output left
   * out), found once until the disk changes; open documents are looked at as they are now.
   */
  javaBeanFiles(): readonly string[] {
    this.beanFiles ??= javaSources(this.root).filter((file) => /@Bean\b/.test(this.read(file) ?? ''));
    const open = [...this.open].filter(([file, text]) => file.endsWith('.java') && this.inside(file) && /@Bean\b/.test(text)).map(([file]) => file);
    const closed = this.beanFiles.filter((file) => !this.open.has(file));
    return [...new Set([...closed, ...open])].sort();
  }

  /**
   * Java: the main source files whose text declares a class implementing an interface named
   * `simple` (`implements ... EmailService`), as coarse as `javaBeanFiles`: the model reads each
   * summary and keeps the classes that implement that very interface.
   */
  javaImplementations(_fromPath: string, simple: string): readonly string[] {
    const name = simple.replace(/\W/g, '');
    // One pass over the sources on disk, read once, indexes every name written after `implements`:
    // reading them all again for each interface a file names took 20 s for one file of a large project.
    if (this.implementations.size === 0) {
      this.javaSources ??= javaSources(this.root);
      for (const file of this.javaSources) {
        for (const named of implementedNames(this.read(file) ?? '')) {
          const list = this.implementations.get(named);
          if (list === undefined) this.implementations.set(named, [file]);
          else (list as string[]).push(file);
        }
      }
      // An empty project is indexed once too: the map is never empty after the pass.
      this.implementations.set('', []);
    }
    const closed = (this.implementations.get(name) ?? []).filter((file) => !this.open.has(file));
    const open = [...this.open].filter(([file, text]) => file.endsWith('.java') && this.inside(file) && implementedNames(text).has(name)).map(([file]) => file);
    return [...new Set([...closed, ...open])].sort();
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

  /**
   * Ruby: a constant's file as Zeitwerk finds it. The autoload roots of a Rails application or
   * engine are every folder of its `app/` and their `concerns/` folders (and `lib/` when the
   * application autoloads it); a constant's file is its name underscored, one folder per namespace
   * (`Payments::ChargeJob` → `payments/charge_job.rb`, Zeitwerk's inflector read backwards). The
   * roots of the file's own application or engine come first, then the Rails application's, then
   * those of the engines beside it (`core/app`, `engines/*` and `components/*`).
   */
  rubyConstant(fromPath: string, name: string, autoloadLib: boolean): string | undefined {
    const app = this.railsRoot(fromPath);
    const relative = `${name.split('::').map(underscore).join('/')}.rb`;
    const own = this.appRootOf(fromPath);
    const apps = [...new Set([...(own === undefined ? [] : [own]), app, ...this.engineRoots()])];
    for (const root of [...apps.flatMap((a) => this.autoloadRoots(a)), ...(autoloadLib ? [path.join(app, 'lib')] : [])]) {
      const file = path.join(root, relative);
      if (this.inside(file) && this.isFile(file)) return file;
    }
    return undefined;
  }

  /** The folder holding the `app/` folder the file is in (an application or an engine), if it is in one. */
  private appRootOf(fromPath: string): string | undefined {
    const parts = path.relative(this.root, fromPath).split(path.sep);
    const at = parts.lastIndexOf('app');
    return at < 0 || at >= parts.length - 2 ? undefined : path.join(this.root, ...parts.slice(0, at));
  }

  /** Folders beside the application that hold an `app/` of their own: engines and components. */
  private engineRoots(): string[] {
    const key = 'ruby-engines';
    let roots = this.listings.get(key);
    if (roots === undefined) {
      roots = [];
      for (const parent of [this.root, ...['engines', 'components', 'packs', 'gems'].map((d) => path.join(this.root, d))]) {
        for (const entry of listDirs(parent)) if (entry !== 'app' && listDirs(path.join(parent, entry)).includes('app')) roots.push(path.join(parent, entry));
      }
      this.listings.set(key, roots);
    }
    return roots;
  }

  /** Ruby: the Rails application's configuration files, in the order Rails loads them. */
  rubyConfig(fromPath: string): readonly string[] {
    const app = this.railsRoot(fromPath);
    return [path.join(app, 'config', 'application.rb'), path.join(app, 'config', 'environments', 'production.rb')].filter((f) => this.inside(f) && this.isFile(f));
  }

  /** Ruby: `rails` (else `activejob`) as `Gemfile.lock` at the application's root locks it, as major × 100 + minor. */
  railsVersion(fromPath: string): number | undefined {
    const lock = this.read(path.join(this.railsRoot(fromPath), 'Gemfile.lock')) ?? this.read(path.join(this.root, 'Gemfile.lock'));
    const m = lock === undefined ? null : /^ {4}rails \((\d+)\.(\d+)[^)]*\)$/m.exec(lock) ?? /^ {4}activejob \((\d+)\.(\d+)[^)]*\)$/m.exec(lock);
    return m === null ? undefined : Number(m[1]) * 100 + Number(m[2]);
  }

  /** The nearest folder at or above the file holding `config/application.rb`, inside the root; else the root. */
  private railsRoot(fromPath: string): string {
    for (let dir = path.dirname(fromPath); this.inside(path.join(dir, 'x')); dir = path.dirname(dir)) {
      if (this.isFile(path.join(dir, 'config', 'application.rb'))) return dir;
    }
    return this.root;
  }

  /** The folders of `app/` and their `concerns` folders in a Rails application, listed once until `forget`. */
  private autoloadRoots(app: string): string[] {
    const key = `ruby:${app}`;
    let roots = this.listings.get(key);
    if (roots === undefined) {
      roots = [];
      const appDir = path.join(app, 'app');
      for (const entry of listDirs(appDir)) {
        const dir = path.join(appDir, entry);
        roots.push(dir);
        if (listDirs(dir).includes('concerns')) roots.push(path.join(dir, 'concerns'));
      }
      this.listings.set(key, roots);
    }
    return roots;
  }

  /** `require_relative` (`./x`, relative to the requiring file) and `require` (from `lib/` or the root) of a project file. */
  private rubyRequire(fromPath: string, specifier: string): string | undefined {
    const withExtension = specifier.endsWith('.rb') ? specifier : `${specifier}.rb`;
    const bases = specifier.startsWith('.') ? [path.dirname(fromPath)] : [path.join(this.railsRoot(fromPath), 'lib'), path.join(this.root, 'lib'), this.root];
    for (const base of bases) {
      const file = path.resolve(base, withExtension);
      if (this.inside(file) && this.isFile(file)) return file;
    }
    return undefined;
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
    if (config === undefined) return this.workspaceModule(specifier);
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
    return config.baseUrl === undefined ? this.workspaceModule(specifier) : this.scriptFile(path.resolve(config.baseUrl, specifier)) ?? this.workspaceModule(specifier);
  }

  private workspaces: ReadonlyMap<string, WorkspacePackage> | undefined;

  /**
   * A specifier naming a package of the root's npm, yarn or pnpm workspaces
   * (`@acme/lib/server/stripe`): the file its `exports` map names for the subpath, else its entry
   * or the file a subpath names inside its folder. A target in a build folder (`./dist/src/x.js`)
   * is read from its source (`./src/x.ts`) when that is there: the analysis reads sources, and a
   * checkout holds no build.
   */
  private workspaceModule(specifier: string): string | undefined {
    const packages = this.workspacePackages();
    for (const [name, pkg] of packages) {
      if (specifier !== name && !specifier.startsWith(`${name}/`)) continue;
      for (const candidate of packageCandidates(pkg, specifier.slice(name.length + 1))) {
        const found = this.scriptFile(path.resolve(pkg.dir, candidate));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    return undefined;
  }

  /** The workspace folders (`packages/*`, `apps/web`) of the monorepo the root is in, by package name. */
  private workspacePackages(): ReadonlyMap<string, WorkspacePackage> {
    this.workspaces ??= workspacePackages(this.workspaceRoot(), (file) => this.read(file), (dir) => this.inWorkspace(dir));
    return this.workspaces;
  }

  private workspaceTop: string | undefined;

  /** The root of the workspaces the project belongs to (`workspaceRootOf`), found once. */
  private workspaceRoot(): string {
    this.workspaceTop ??= workspaceRootOf(this.root, (file) => this.read(file));
    return this.workspaceTop;
  }

  /** Whether a file is in the project or in the monorepo around it (a sibling package's source). */
  private inWorkspace(file: string): boolean {
    if (this.inside(file)) return true;
    const top = this.workspaceRoot();
    if (top === this.root) return false;
    const rel = path.relative(top, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
  }

  /** The file a module path names: itself, with an extension, or its folder's index (`./x.js` may be `./x.ts`). */
  private scriptFile(base: string): string | undefined {
    const stem = base.replace(/\.(?:js|jsx|mjs|cjs)$/, '');
    const candidates = [base, ...SCRIPT_EXTENSIONS.map((e) => `${stem}${e}`), ...SCRIPT_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
    return candidates.find((c) => /\.[cm]?[jt]sx?$/.test(c) && this.inWorkspace(c) && this.isFile(c));
  }

  private readonly configs = new Map<string, ScriptConfig | undefined>();
  private readonly packages = new Map<string, { name: string; main: string | undefined } | undefined>();

  packageOf(file: string): string | undefined {
    // The nearest package.json above the file, inside the root, is the package the file belongs to.
    let dir = path.dirname(file);
    while (!this.isFile(path.join(dir, 'package.json'))) {
      if (dir === this.root || !this.inside(dir)) return undefined;
      dir = path.dirname(dir);
    }
    if (!this.inside(path.join(dir, 'package.json'))) return undefined;
    let found = this.packages.get(dir);
    if (!this.packages.has(dir)) {
      found = undefined;
      try {
        const json: unknown = JSON.parse(this.read(path.join(dir, 'package.json')) ?? 'null');
        if (typeof json === 'object' && json !== null && 'name' in json && typeof json.name === 'string') {
          const main = 'main' in json && typeof json.main === 'string' ? json.main : undefined;
          found = { name: json.name, main };
        }
      } catch {
        found = undefined;
      }
      this.packages.set(dir, found);
    }
    // Node's default entry is `index.js` beside package.json.
    return found !== undefined && this.scriptFile(path.resolve(dir, found.main ?? 'index.js')) === file ? found.name : undefined;
  }

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

/** Zeitwerk's file name for a constant segment: `ChargeJob` → `charge_job`, `HTTPClient` → `http_client`. */
function underscore(segment: string): string {
  return segment.replace(/([A-Z\d]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

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
