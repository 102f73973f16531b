import fs from 'node:fs';
import path from 'node:path';

/*
 * What the project resolver reads of a Java project's sources on disk: where they are, and which
 * interfaces each names after `implements` (the index behind `javaImplementations`).
 */

/** Folders that hold no main Java sources: tests, build output, dependencies, tool state. */
const NOT_JAVA_SOURCES = new Set(['test', 'tests', 'target', 'build', 'out', 'bin', 'node_modules', 'generated']);

/** The names a Java text writes after `implements`, up to the class body (`implements A, B<C>` gives A, B and C). */
export function implementedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const clause of text.matchAll(/\bimplements\b([^{]*)/g)) {
    for (const name of (clause[1] ?? '').matchAll(/[A-Za-z_$][\w$]*/g)) names.add(name[0]);
  }
  return names;
}

/** The main Java sources under a root: every `.java` file outside test, build and tool folders, sorted. */
export function javaSources(root: string): string[] {
  const files: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !NOT_JAVA_SOURCES.has(entry.name)) stack.push(full);
      else if (entry.isFile() && entry.name.endsWith('.java')) files.push(full);
    }
  }
  return files.sort();
}
