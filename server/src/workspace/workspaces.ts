import fs from 'node:fs';
import path from 'node:path';

/** A package of the root's npm, yarn or pnpm-style `workspaces`: its folder, its entry, and whether an `exports` map governs it. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly main: string | undefined;
  readonly exports: boolean;
}

/**
 * The root package.json's workspace folders (`packages/*`, `apps/web`) by package name. `read`
 * gives a file's text (undefined when it cannot be read); `inside` keeps folders under the root.
 */
export function workspacePackages(root: string, read: (file: string) => string | undefined, inside: (dir: string) => boolean): ReadonlyMap<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  const manifest = readJson(read(path.join(root, 'package.json')));
  const declared = manifest?.['workspaces'];
  const patterns = Array.isArray(declared) ? declared : typeof declared === 'object' && declared !== null && Array.isArray((declared as Record<string, unknown>)['packages']) ? (declared as Record<string, unknown[]>)['packages'] : [];
  for (const pattern of patterns ?? []) {
    if (typeof pattern !== 'string' || pattern.startsWith('!') || pattern.includes('**')) continue;
    const clean = pattern.replace(/\/+$/, '');
    const dirs = clean.endsWith('/*') ? listDirs(path.resolve(root, clean.slice(0, -2))).map((d) => path.resolve(root, clean.slice(0, -2), d)) : clean.includes('*') ? [] : [path.resolve(root, clean)];
    for (const dir of dirs) {
      if (!inside(dir)) continue;
      const pkg = readJson(read(path.join(dir, 'package.json')));
      const name = pkg?.['name'];
      if (typeof name !== 'string' || found.has(name)) continue;
      found.set(name, { dir, main: typeof pkg?.['main'] === 'string' ? pkg['main'] : undefined, exports: pkg?.['exports'] !== undefined });
    }
  }
  return found;
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
