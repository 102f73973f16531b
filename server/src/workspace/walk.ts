import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageFromPath } from '../analysis/index.js';

/** Decides which paths a walk leaves out, beyond .gitignore (exclude globs, in practice). */
export interface WalkFilter {
  isExcluded(file: string, isDir: boolean): boolean;
}

interface GitIgnore {
  readonly base: string;
  readonly ig: Ignore;
}

function readGitIgnore(dir: string, inherited: readonly GitIgnore[]): readonly GitIgnore[] {
  const file = path.join(dir, '.gitignore');
  try {
    return [...inherited, { base: dir, ig: ignore().add(fs.readFileSync(file, 'utf8')) }];
  } catch {
    return inherited;
  }
}

/**
 * As git decides: the deepest .gitignore with an opinion on the path wins, so a `!pattern` in a
 * subfolder brings back what a parent folder's file left out.
 */
function gitIgnored(rules: readonly GitIgnore[], full: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { base, ig } = rules[i] as GitIgnore;
    const rel = path.relative(base, full).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    const verdict = ig.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * The files under `root` that the analyzer supports, in a stable order, honouring every
 * .gitignore on the way down and the filter. A generator, so that a caller on the language
 * server's event loop can yield between directories of a large workspace.
 */
export function* walkFolder(root: string, filter: WalkFilter): Generator<string, void, undefined> {
  const stack: { dir: string; rules: readonly GitIgnore[] }[] = [{ dir: root, rules: [] }];
  while (stack.length > 0) {
    const { dir, rules: inherited } = stack.pop() as { dir: string; rules: readonly GitIgnore[] };
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const rules = entries.some((e) => e.name === '.gitignore') ? readGitIgnore(dir, inherited) : inherited;
    const subdirs: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      // Symbolic links are not followed: a link cycle would never end, and a linked folder is
      // usually a dependency that lives elsewhere.
      if (!isDir && !entry.isFile()) continue;
      if (!isDir && languageFromPath(entry.name) === undefined) continue;
      if (gitIgnored(rules, full, isDir) || filter.isExcluded(full, isDir)) continue;
      if (isDir) subdirs.push(full);
      else yield full;
    }
    // Reversed onto the stack, so folders are visited in name order, depth first.
    for (const sub of subdirs.reverse()) stack.push({ dir: sub, rules });
  }
}

/**
 * The CLI's inputs: folders are walked; a file named on the command line is always analysed,
 * like ESLint does, even when an exclude glob would have skipped it during a walk.
 */
export function collectFiles(paths: readonly string[], filter: WalkFilter, cwd: string): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat === undefined) throw new Error(`no such file or folder: ${p}`);
    if (stat.isDirectory()) files.push(...walkFolder(full, filter));
    else files.push(full);
  }
  return [...new Set(files)];
}

/**
 * Whether a single file is left out by a .gitignore between `root` and it: what the walk decides
 * for a file it reaches, for a file a watcher reports on its own.
 */
export function isGitIgnored(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const parts = rel.split(path.sep);
  let rules: readonly GitIgnore[] = [];
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    rules = readGitIgnore(dir, rules);
    const full = path.join(dir, parts[i] ?? '');
    if (parts[i] === '.git' || gitIgnored(rules, full, i < parts.length - 1)) return true;
    dir = full;
  }
  return false;
}
