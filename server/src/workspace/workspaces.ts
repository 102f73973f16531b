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
