import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Split } from './scoring.js';

/**
 * The corpus on disk: `eval/repos.json` names each repository and its pinned commit, and the
 * repositories themselves come from a directory of clones or mirrors (never from this project's
 * history: only labels and pins are committed). Each pinned tree is written once into a cache
 * directory and reused by later runs.
 */

export interface CorpusRepo {
  readonly name: string;
  readonly commit: string;
  readonly languages: readonly string[];
  readonly split: Split;
}

export function readRepos(file: string): CorpusRepo[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { repos: CorpusRepo[] };
  return data.repos;
}

/** `owner/repo` as a file name: `owner+repo`. */
export const slug = (name: string): string => name.replace('/', '+');

const isGitDir = (dir: string): boolean => fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'));

/**
 * Where the repository's git data is: `DIR/owner+repo` as a bare or mirror git directory, the
 * `repo` git directory inside it (the layout of the mirror store), or a work tree with `.git`.
 * Returns undefined for a plain work tree, which is then used as it is.
 */
function gitDirOf(base: string): string | undefined {
  for (const candidate of [base, path.join(base, 'repo'), path.join(base, '.git')]) {
    if (isGitDir(candidate)) return candidate;
  }
  return undefined;
}

export interface Tree {
  readonly root: string;
  /** False when the tree is a plain work tree whose commit could not be checked. */
  readonly pinned: boolean;
}

const CACHE = path.join(os.tmpdir(), 'task-reliability-eval');

/** The pinned tree of `repo`, written into the cache on first use; undefined when DIR lacks it. */
export function materialise(repo: CorpusRepo, dir: string, warn: (m: string) => void): Tree | undefined {
  const base = path.join(dir, slug(repo.name));
  if (!fs.existsSync(base)) return undefined;
  const gitDir = gitDirOf(base);
  if (gitDir === undefined) {
    warn(`${repo.name}: ${base} is not a git directory; its files are read as they are, unpinned`);
    return { root: base, pinned: false };
  }
  const root = path.join(CACHE, `${slug(repo.name)}@${repo.commit}`);
  const done = path.join(root, '.eval-complete');
  if (fs.existsSync(done)) return { root, pinned: true };
  // The tree is written beside its place and renamed into it when whole, so that two evals run at
  // once never read or delete each other's half-written tree (the cache is shared through tmpdir).
  const part = `${root}.part-${process.pid}-${Date.now()}`;
  fs.mkdirSync(part, { recursive: true });
  const missing = writeTree(gitDir, repo.commit, part);
  if (missing === undefined) {
    fs.rmSync(part, { recursive: true, force: true });
    warn(`${repo.name}: commit ${repo.commit} is not in ${gitDir}`);
    return undefined;
  }
  if (missing > 0) warn(`${repo.name}: ${missing} files are absent from the mirror (large files or LFS) and were left out`);
  fs.writeFileSync(path.join(part, '.eval-complete'), '');
  try {
    fs.renameSync(part, root);
  } catch {
    // Another run renamed its whole tree into place first, and that one is used; or a tree without
    // its mark (an interrupted run) is in the way, and is moved aside before ours takes its place.
    if (!fs.existsSync(done)) {
      const stale = `${root}.stale-${process.pid}-${Date.now()}`;
      fs.renameSync(root, stale);
      fs.rmSync(stale, { recursive: true, force: true });
      fs.renameSync(part, root);
    }
    fs.rmSync(part, { recursive: true, force: true });
  }
  return { root, pinned: true };
}

/**
 * Writes the files of `commit` under `root`, reading blobs in one `git cat-file --batch`. Mirrors
 * may lack some blobs (files of 4 MiB and more, LFS content), which `git archive` refuses; those
 * are left out and counted. Symbolic links and submodules are not written. Returns the number of
 * absent files, or undefined when the commit itself is missing.
 */
function writeTree(gitDir: string, commit: string, root: string): number | undefined {
  const listing = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 2 ** 30 });
  if (listing.status !== 0) return undefined;
  const entries = listing.stdout.toString('utf8').split('\0').filter((e) => e !== '').flatMap((entry) => {
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ');
    return type === 'blob' && mode !== '120000' && oid !== undefined ? [{ oid, file: entry.slice(tab + 1) }] : [];
  });
  let missing = 0;
  // Batches keep each reply well under the buffer limit on trees with large files.
  for (let i = 0; i < entries.length; i += 2000) {
    const batch = entries.slice(i, i + 2000);
    const out = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: batch.map((e) => e.oid).join('\n') + '\n', maxBuffer: 2 ** 31 - 1 }).stdout;
    let at = 0;
    for (const entry of batch) {
      const eol = out.indexOf(10, at);
      const header = out.subarray(at, eol).toString('utf8');
      at = eol + 1;
      if (header.endsWith(' missing')) {
        missing++;
        continue;
      }
      const size = Number(header.split(' ')[2]);
      const target = path.join(root, entry.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, out.subarray(at, at + size));
      at += size + 1;
    }
  }
  return missing;
}

/** Every file under `root` (relative, forward slashes), skipping the cache marker and `.git`. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === '.eval-complete') continue;
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else if (entry.isFile()) out.push(relPath);
    }
  };
  walk(root, '');
  return out.sort();
}

export const cacheDir = CACHE;
