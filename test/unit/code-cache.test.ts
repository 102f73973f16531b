// V8's code cache of the bundles (server/src/boot/code-cache.ts): a good cache is used, and a
// missing, stale, truncated, corrupt or V8-rejected one is ignored, the bundle running as without one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { codeCacheDir, loadWithCodeCache } from '../../server/src/boot/code-cache.js';

const BUNDLE = [
  "const path = require('node:path');",
  'function twice(n) { return n * 2; }',
  'module.exports = { answer: twice(21), dir: path.basename(__dirname), file: path.basename(__filename), self: typeof module.exports };',
  '',
].join('\n');

let work: string;
let bundle: string;
let cacheDir: string;

function cacheFiles(): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : [];
}

function loadsRight(expected: string): void {
  const loaded = loadWithCodeCache(bundle, cacheDir);
  assert.deepEqual(loaded.exports, { answer: 42, dir: path.basename(work), file: 'bundle.js', self: 'object' });
  assert.equal(loaded.cache, expected);
  loaded.save();
}

describe('code cache', () => {
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-code-cache-'));
    bundle = path.join(work, 'bundle.js');
    cacheDir = path.join(work, 'cache');
    fs.writeFileSync(bundle, BUNDLE);
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes a cache on the first load and uses it on the next', () => {
    loadsRight('missing');
    assert.equal(cacheFiles().length, 1);
    loadsRight('hit');
  });

  it('ignores a corrupt cache (a changed byte), and replaces it', () => {
    loadsRight('missing');
    const file = path.join(cacheDir, cacheFiles()[0]!);
    const raw = fs.readFileSync(file);
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, raw);
    loadsRight('corrupt');
    loadsRight('hit');
  });

  it('ignores a truncated or empty cache', () => {
    loadsRight('missing');
    const file = path.join(cacheDir, cacheFiles()[0]!);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 30));
    loadsRight('corrupt');
    fs.writeFileSync(file, '');
    loadsRight('corrupt');
  });

  // V8 keeps what one process compiled, so whether it takes or rejects a cache shows only in a new
  // process: the built entry (dist/server.js) runs a bundle of this test's own in its place.
  function startEntry(): string {
    const run = spawnSync(process.execPath, [path.join(work, 'server.js')], {
      encoding: 'utf8',
      env: { ...process.env, TASK_RELIABILITY_CODE_CACHE: cacheDir, TASK_RELIABILITY_CODE_CACHE_LOG: '1' },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'answer 42\n');
    return /code cache of server-main\.js: (\w+)/.exec(run.stderr)?.[1] ?? run.stderr;
  }

  it('in a new process, uses a good cache and ignores one V8 rejects (its checksum holds, its bytecode is not V8\'s)', () => {
    fs.copyFileSync(path.resolve(__dirname, '..', '..', 'server.js'), path.join(work, 'server.js'));
    fs.writeFileSync(path.join(work, 'server-main.js'), `${BUNDLE}process.stdout.write('answer ' + module.exports.answer + '\\n');\n`);
    assert.equal(startEntry(), 'missing');
    assert.equal(startEntry(), 'hit');
    const file = path.join(cacheDir, cacheFiles()[0]!);
    const garbage = crypto.randomBytes(4096);
    fs.writeFileSync(file, Buffer.concat([crypto.createHash('sha1').update(garbage).digest(), garbage]));
    assert.equal(startEntry(), 'rejected');
    assert.equal(startEntry(), 'hit');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 100));
    assert.equal(startEntry(), 'corrupt');
    assert.equal(startEntry(), 'hit');
  });

  it('never reads the cache of an earlier build of the bundle, and removes it when writing its own', () => {
    loadsRight('missing');
    const stale = cacheFiles();
    fs.writeFileSync(bundle, `${BUNDLE}// rebuilt\n`);
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    loadsRight('missing');
    const fresh = cacheFiles();
    assert.equal(fresh.length, 1);
    assert.notDeepEqual(fresh, stale);
  });

  it('runs the bundle without a cache when the cache folder cannot be written', () => {
    fs.writeFileSync(cacheDir, 'a file where the folder should be');
    loadsRight('missing');
    loadsRight('missing');
  });

  it('keeps the cache in the folder it is given, or the OS cache folder, never beside the bundle; off turns it off', () => {
    assert.equal(codeCacheDir({ TASK_RELIABILITY_CODE_CACHE: '/somewhere/code-cache' }), '/somewhere/code-cache');
    assert.equal(codeCacheDir({ TASK_RELIABILITY_CODE_CACHE: 'off' }), undefined);
    const fallback = codeCacheDir({ XDG_CACHE_HOME: '/home/u/.cache' });
    assert.ok(fallback !== undefined && !fallback.startsWith(path.resolve(__dirname, '..', '..')), fallback);
    if (process.platform === 'linux') assert.equal(fallback, path.join('/home/u/.cache', 'task-reliability-hints', 'code-cache'));
    assert.equal(loadWithCodeCache(bundle, undefined).cache, 'off');
  });
});
