import fs from 'node:fs';
import path from 'node:path';

/** Files that mark a project's root, nearest ancestor first. */
const ROOT_MARKERS = ['.git', 'pyproject.toml', 'package.json', 'go.mod', 'Gemfile', 'pom.xml', 'build.gradle'];

/**
 * The nearest ancestor of `file` (a file or folder) holding a root marker; without one, `fallback`
 * when it holds the file (the CLI's working directory), else the file's own folder.
 */
export function projectRootOf(file: string, fallback?: string): string {
  const start = path.resolve(fs.existsSync(file) && fs.statSync(file).isDirectory() ? file : path.dirname(file));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (ROOT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return buildRoot(dir);
    if (path.dirname(dir) === dir) break;
  }
  if (fallback !== undefined) {
    const rel = path.relative(path.resolve(fallback), start);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return path.resolve(fallback);
  }
  return start;
}

/**
 * A Maven or Gradle module's folder is part of the build above it (a parent `pom.xml`, a
 * `settings.gradle`): its classes import the sibling modules' (`litemall-wx-api` importing
 * `litemall-core`'s), so the project is the outermost such build, up to a folder with `.git`.
 */
function buildRoot(dir: string): string {
  const build = (d: string): boolean => ['pom.xml', 'build.gradle', 'build.gradle.kts'].some((m) => fs.existsSync(path.join(d, m)));
  const top = (d: string): boolean => ['pom.xml', 'settings.gradle', 'settings.gradle.kts'].some((m) => fs.existsSync(path.join(d, m)));
  let root = dir;
  if (!build(root) || fs.existsSync(path.join(root, '.git'))) return root;
  for (let parent = path.dirname(root); parent !== root && top(parent); parent = path.dirname(parent)) {
    root = parent;
    if (fs.existsSync(path.join(root, '.git'))) break;
  }
  return root;
}
