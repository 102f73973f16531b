import fs from 'node:fs';
import path from 'node:path';
import { packageRuntime, type PackageRuntime } from '../analysis/index.js';

/**
 * The verdict of the package.json nearest to a file (`packageRuntime` in the core), read once per
 * folder. The walk goes up from the file's folder and stops at `stop` (the workspace folder or the
 * CLI's working directory): a package.json outside the project says nothing of it. An unreadable
 * or malformed package.json says nothing either.
 */
export class PackageRuntimes {
  private readonly byDir = new Map<string, PackageRuntime | undefined>();

  constructor(private readonly stop: string) {}

  of(file: string): PackageRuntime | undefined {
    const seen: string[] = [];
    let dir = path.dirname(path.resolve(file));
    let found: PackageRuntime | undefined;
    for (;;) {
      if (this.byDir.has(dir)) {
        found = this.byDir.get(dir);
        break;
      }
      seen.push(dir);
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest)) {
        found = readVerdict(dir, manifest);
        break;
      }
      const parent = path.dirname(dir);
      const rel = path.relative(this.stop, dir);
      if (parent === dir || rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) break;
      dir = parent;
    }
    for (const d of seen) this.byDir.set(d, found);
    return found;
  }
}

function readVerdict(dir: string, manifest: string): PackageRuntime | undefined {
  try {
    return packageRuntime(JSON.parse(fs.readFileSync(manifest, 'utf8')) as unknown, fs.readdirSync(dir));
  } catch {
    return undefined;
  }
}
