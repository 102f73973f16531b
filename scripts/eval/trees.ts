import { execFileSync, spawnSync } from 'node:child_process';
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
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  // git archive writes the tree at the commit, without touching the mirror; tar unpacks it.
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', repo.commit], { maxBuffer: 2 ** 31 - 1 });
  if (archive.status !== 0) {
    warn(`${repo.name}: git archive ${repo.commit} failed: ${archive.stderr.toString().trim()}`);
    return undefined;
  }
  execFileSync('tar', ['-x', '-C', root], { input: archive.stdout, maxBuffer: 2 ** 31 - 1 });
  fs.writeFileSync(done, '');
  return { root, pinned: true };
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
