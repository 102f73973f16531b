import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Runs a CommonJS bundle through V8's code cache: the bytecode of the functions the last run
 * compiled is read from a cache file instead of being compiled again, which is most of the cost of
 * loading a bundle of a few megabytes. Node 20 has no `module.enableCompileCache()`, so the bundle
 * is compiled with `vm.Script` and its `cachedData`.
 *
 * The cache lives where an installed extension may write (the folder in
 * TASK_RELIABILITY_CODE_CACHE, which the extension points at its global storage, else the
 * operating system's cache folder), never beside the bundle. A cache file is named after the
 * bundle's size and modification time and Node's V8 version, so a rebuilt bundle or another Node
 * never reads it; its content carries a SHA-1 of itself, so a truncated or corrupt file is
 * ignored, as is one V8 rejects. A cache that cannot be read or written never stops the bundle.
 */

/** The folder the code cache goes in, or undefined when caching is off (`TASK_RELIABILITY_CODE_CACHE=off`). */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['TASK_RELIABILITY_CODE_CACHE'];
  if (configured === 'off') return undefined;
  if (configured !== undefined && configured !== '') return configured;
  const home = os.homedir();
  const base = process.platform === 'win32' ? (env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'))
    : process.platform === 'darwin' ? path.join(home, 'Library', 'Caches')
      : (env['XDG_CACHE_HOME'] ?? path.join(home, '.cache'));
  return path.join(base, 'task-reliability-hints', 'code-cache');
}

export interface CachedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  /** How the cache was used: `hit`, `missing`, `corrupt` (bad checksum) or `rejected` (by V8). */
  readonly cache: 'hit' | 'missing' | 'corrupt' | 'rejected' | 'off';
  /**
   * Writes the bytecode compiled so far to the cache, once, when the cache was not a hit. Call it
   * after the bundle has done its first work, so that the functions that work needed are in it.
   */
  save(): void;
}

const DIGEST_BYTES = 20;

/** The cache file of `bundle`: its name, size and modification time, and the V8 that compiled it. */
function cacheFile(bundle: string, dir: string, stat: fs.Stats): string {
  const key = `${process.versions.v8}-${process.arch}-${stat.size}-${Math.round(stat.mtimeMs)}`;
  return path.join(dir, `${path.basename(bundle, '.js')}@${key.replace(/[^\w.-]/g, '_')}.cache`);
}

/** The cached bytecode in `file` when its checksum holds; undefined when it is absent, `corrupt` when it does not hold. */
function readCache(file: string): Buffer | 'corrupt' | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (raw.length <= DIGEST_BYTES) return 'corrupt';
  const data = raw.subarray(DIGEST_BYTES);
  const digest = crypto.createHash('sha1').update(data).digest();
  return digest.equals(raw.subarray(0, DIGEST_BYTES)) ? data : 'corrupt';
}

/** Writes the cache atomically (a temporary file renamed), so a reader never sees half of it, and removes the bundle's older caches. */
function writeCache(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([crypto.createHash('sha1').update(data).digest(), data]));
  fs.renameSync(temporary, file);

  // The bundle's caches of other builds, and temporary files a thread ended in the middle of a write left.
  const prefix = `${path.basename(file).split('@')[0]}@`;
  for (const other of fs.readdirSync(dir)) {
    if (other.startsWith(prefix) && other !== path.basename(file) && other !== path.basename(temporary)) {
      try {
        fs.unlinkSync(path.join(dir, other));
      } catch {
        // Another process may have removed it first.
      }
    }
  }
}

/**
 * Loads `bundle` as a CommonJS module (as `require` would, with its own `module`, `require`,
 * `__filename` and `__dirname`), compiled with the cached bytecode when there is a good cache.
 */
export function loadWithCodeCache(bundle: string, dir: string | undefined, parent?: NodeModule): CachedBundle {
  const source = fs.readFileSync(bundle, 'utf8');
  let file: string | undefined;
  let cached: Buffer | 'corrupt' | undefined;
  if (dir !== undefined) {
    try {
      file = cacheFile(bundle, dir, fs.statSync(bundle));
      cached = readCache(file);
    } catch {
      file = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    ...(cached instanceof Buffer ? { cachedData: cached } : {}),
  });
  const cache: CachedBundle['cache'] = file === undefined ? 'off'
    : cached === undefined ? 'missing'
      : cached === 'corrupt' ? 'corrupt'
        : script.cachedDataRejected === true ? 'rejected' : 'hit';
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const require = Module.createRequire(bundle);
  wrapper.call(mod.exports, mod.exports, require, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  let saved = cache === 'hit' || file === undefined;
  return {
    exports: mod.exports,
    cache,
    save() {
      if (saved || file === undefined) return;
      saved = true;
      try {
        writeCache(file, script.createCachedData());
      } catch {
        // A read-only or full disk: the next start compiles again, as without a cache.
      }
    },
  };
}

/**
 * The entry of a bundle run through the code cache: loads it, and saves the cache once the
 * bundle has had `afterMs` to do its first work (the timer does not keep the process alive),
 * or when the process exits before that.
 */
export function runWithCodeCache(bundle: string, afterMs: number, parent?: NodeModule): CachedBundle {
  const loaded = loadWithCodeCache(bundle, codeCacheDir(), parent);
  // For tests and measurements: how the cache served this start.
  if (process.env['TASK_RELIABILITY_CODE_CACHE_LOG'] === '1') process.stderr.write(`code cache of ${path.basename(bundle)}: ${loaded.cache}\n`);
  if (loaded.cache !== 'hit' && loaded.cache !== 'off') {
    setTimeout(() => loaded.save(), afterMs).unref();
    process.once('exit', () => loaded.save());
  }
  return loaded;
}
