import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * A package of the root's npm, yarn or pnpm workspaces: its folder, its entry, and its `exports`
 * map (subpath or subpath pattern → the files it may name, conditions flattened in order).
 */
export interface WorkspacePackage {
  readonly dir: string;
  readonly main: string | undefined;
  readonly exports: ReadonlyMap<string, readonly string[]> | undefined;
}

/** How deep a `packages/**` pattern looks for package folders: monorepos nest a level or two. */
const MAX_GLOB_DEPTH = 3;

/**
 * The workspace folders (`packages/*`, `apps/web`, pnpm's `packages/**`) by package name: those of
 * the root package.json's `workspaces` (npm, yarn), else of `pnpm-workspace.yaml`'s `packages`.
 * `read` gives a file's text (undefined when it cannot be read); `inside` keeps folders under the
 * root.
 */
export function workspacePackages(root: string, read: (file: string) => string | undefined, inside: (dir: string) => boolean): ReadonlyMap<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  for (const pattern of workspacePatterns(root, read)) {
    if (pattern.startsWith('!')) continue;
    const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
    const dirs = clean.endsWith('/**') ? packageDirs(path.resolve(root, clean.slice(0, -3)), MAX_GLOB_DEPTH, read)
      : clean.endsWith('/*') ? listDirs(path.resolve(root, clean.slice(0, -2))).map((d) => path.resolve(root, clean.slice(0, -2), d))
        : clean.includes('*') ? [] : [path.resolve(root, clean)];
    for (const dir of dirs) {
      if (!inside(dir)) continue;
      const pkg = readJson(read(path.join(dir, 'package.json')));
      const name = pkg?.['name'];
      if (typeof name !== 'string' || found.has(name)) continue;
      found.set(name, { dir, main: typeof pkg?.['main'] === 'string' ? pkg['main'] : undefined, exports: exportsMap(pkg?.['exports']) });
    }
  }
  return found;
}

/** Whether a folder is the root of npm, yarn or pnpm workspaces. */
export function isWorkspaceRoot(dir: string, read: (file: string) => string | undefined): boolean {
  return workspacePatterns(dir, read).length > 0;
}

function workspacePatterns(root: string, read: (file: string) => string | undefined): string[] {
  const declared = readJson(read(path.join(root, 'package.json')))?.['workspaces'];
  const list = Array.isArray(declared) ? declared
    : typeof declared === 'object' && declared !== null && Array.isArray((declared as Record<string, unknown>)['packages']) ? (declared as Record<string, unknown[]>)['packages'] : undefined;
  if (list !== undefined) return list.filter((p): p is string => typeof p === 'string');
  const pnpm = read(path.join(root, 'pnpm-workspace.yaml'));
  if (pnpm === undefined) return [];
  try {
    const doc: unknown = parseYaml(pnpm);
    const packages = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['packages'] : undefined;
    return Array.isArray(packages) ? packages.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

/** The folders under `dir`, itself included, that hold a package.json, down to `depth` levels (`packages/**`). */
function packageDirs(dir: string, depth: number, read: (file: string) => string | undefined): string[] {
  const found = read(path.join(dir, 'package.json')) === undefined ? [] : [dir];
  if (depth === 0) return found;
  for (const child of listDirs(dir)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    found.push(...packageDirs(path.join(dir, child), depth - 1, read));
  }
  return found;
}

/**
 * A package.json `exports` field as subpath → targets: a lone string or a conditions object is the
 * `.` entry; conditions (`import`, `require`, `default`, nested ones) are flattened in the order
 * written, type declarations left out.
 */
function exportsMap(value: unknown): ReadonlyMap<string, readonly string[]> | undefined {
  if (value === undefined || value === null) return undefined;
  const map = new Map<string, string[]>();
  if (typeof value === 'string' || Array.isArray(value)) map.set('.', targets(value));
  else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.some(([key]) => key.startsWith('.'))) for (const [key, target] of entries) map.set(key, targets(target));
    else map.set('.', targets(value));
  }
  return map;
}

function targets(value: unknown): string[] {
  if (typeof value === 'string') return /\.d\.[cm]?ts$/.test(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (typeof value === 'object' && value !== null) return Object.entries(value as Record<string, unknown>).filter(([key]) => key !== 'types').flatMap(([, v]) => targets(v));
  return [];
}

function readJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The names of a folder's subfolders, sorted; none when it cannot be read. */
export function listDirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/**
 * The root of the npm, yarn or pnpm workspaces a project belongs to: the project's root itself, or,
 * for one package of a monorepo (`apps/web`, rooted at its own package.json), the nearest folder
 * above that declares workspaces, up to the repository's top (a folder with `.git`). Its sibling
 * packages (`@acme/billing` in `packages/billing`) are read from there, while the project stays
 * the package.
 */
export function workspaceRootOf(root: string, read: (file: string) => string | undefined): string {
  if (isWorkspaceRoot(root, read) || fs.existsSync(path.join(root, '.git'))) return root;
  for (let dir = path.dirname(root), child = root; dir !== child; child = dir, dir = path.dirname(dir)) {
    if (isWorkspaceRoot(dir, read)) return dir;
    if (fs.existsSync(path.join(dir, '.git'))) break;
  }
  return root;
}

/**
 * The paths, relative to a workspace package's folder, that a subpath of it (`server/stripe`, or
 * '' for the package itself) may name, in the order to try them: the targets its `exports` map
 * gives, else its entry or the subpath itself; each target in a build folder (`./dist/src/x.js`)
 * preceded by its source (`src/x.ts`), since the analysis reads sources and a checkout holds no build.
 */
export function packageCandidates(pkg: WorkspacePackage, sub: string): string[] {
  const targets = pkg.exports !== undefined ? exportTargets(pkg.exports, sub === '' ? '.' : `./${sub}`) : [sub === '' ? (pkg.main ?? 'index.js') : sub];
  return targets.flatMap((target) => [...sourcesOf(target), target]);
}

/** The targets an `exports` map gives a subpath (`./server`), exactly or through a pattern (`./*`). */
function exportTargets(exports: ReadonlyMap<string, readonly string[]>, subpath: string): readonly string[] {
  const exact = exports.get(subpath);
  if (exact !== undefined) return exact;
  for (const [key, targets] of exports) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length < key.length - 1 || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
    return targets.map((t) => t.replaceAll('*', matched));
  }
  return [];
}

/** Build folders a package's entry points into, and the source paths a build file comes from. */
const BUILD_DIR = /^(?:\.\/)?(?:dist|build|out)\//;

function sourcesOf(target: string): string[] {
  if (!BUILD_DIR.test(target)) return [];
  const inner = target.replace(BUILD_DIR, '');
  // `dist/src/index.js` was compiled from `src/index.ts`; `dist/index.js` from `src/index.ts` or `index.ts`.
  return inner.startsWith('src/') ? [inner] : [`src/${inner}`, inner];
}
