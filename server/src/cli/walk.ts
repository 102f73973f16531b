import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { languageFromPath } from '../analysis/index.js';

/**
 * The files under the given paths that the analyzer supports, honouring every .gitignore on the
 * way down and the exclude globs. Explicitly named files are always included.
 */
export function collectFiles(paths: readonly string[], exclude: readonly string[], cwd: string): string[] {
  const excluded = picomatch([...exclude], { dot: true });
  const files: string[] = [];
  const visit = (dir: string, rules: { base: string; ig: Ignore }[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const gitignore = path.join(dir, '.gitignore');
    const scoped = fs.existsSync(gitignore) ? [...rules, { base: dir, ig: ignore().add(fs.readFileSync(gitignore, 'utf8')) }] : rules;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      const ignored = scoped.some(({ base, ig }) => {
        const rel = path.relative(base, full).split(path.sep).join('/');
        return rel !== '' && !rel.startsWith('..') && ig.ignores(isDir ? `${rel}/` : rel);
      });
      if (ignored || excluded(full) || excluded(`${full}/`)) continue;
      if (isDir) visit(full, scoped);
      else if (languageFromPath(entry.name) !== undefined) files.push(full);
    }
  };
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat === undefined) throw new Error(`no such file or folder: ${p}`);
    if (stat.isDirectory()) visit(full, []);
    else files.push(full);
  }
  return [...new Set(files)];
}
