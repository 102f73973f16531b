// `npm run fuzz`: the full fuzzing run of the analyzer (issue 7). Builds, copies the built test
// bundle, the grammars and the fixtures into a private folder (so that a rebuild of dist/ during
// the run cannot pull them away), then runs test/unit/fuzz.test.ts once per language, two languages
// at a time (the machines have two cores), with FUZZ_RUNS cases per language and one fixed seed.
// Prints each language's count and slowest input, and exits non-zero when any language failed.
//
// Usage: node scripts/fuzz.mjs [--runs N] [--seed N] [--languages python,yaml] [--jobs N] [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The seed of the documented full run (README, "Testing"); the CI run uses the same default. */
const SEED = 20_070_007;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '100000'));
const seed = Number(option('seed', String(SEED)));
const jobs = Number(option('jobs', String(Math.max(1, Math.min(2, os.availableParallelism())))));

if (!args.includes('--no-build')) {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The bundle finds the repository as ../../.. of itself: recreate that layout in a private folder.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'task-reliability-fuzz-'));
fs.mkdirSync(path.join(work, 'dist', 'test', 'unit'), { recursive: true });
for (const file of fs.readdirSync(path.join(REPO, 'dist'))) {
  if (file.endsWith('.wasm')) fs.copyFileSync(path.join(REPO, 'dist', file), path.join(work, 'dist', file));
}
for (const file of ['fuzz.test.js', 'fuzz.test.js.map']) {
  const from = path.join(REPO, 'dist', 'test', 'unit', file);
  if (fs.existsSync(from)) fs.copyFileSync(from, path.join(work, 'dist', 'test', 'unit', file));
}
fs.cpSync(path.join(REPO, 'test', 'fixtures'), path.join(work, 'test', 'fixtures'), { recursive: true });
const bundle = path.join(work, 'dist', 'test', 'unit', 'fuzz.test.js');

// The languages the analyzer supports, as the bundle itself reports them (FUZZ_LIST=1).
const listed = spawnSync(process.execPath, ['-e', `process.env.FUZZ_LIST='1'; require(${JSON.stringify(bundle)})`], { encoding: 'utf8' });
const supported = /fuzz: seed \d+, \d+ cases per language, languages (.*)/.exec(listed.stdout)?.[1]?.split(', ') ?? [];
const languages = option('languages', supported.join(',')).split(',').filter((l) => l !== '');
console.log(`fuzz: seed ${seed}, ${runs} cases per language, ${jobs} at a time: ${languages.join(', ')}\nfuzz: working copy ${work}`);

function runLanguage(language) {
  return new Promise((resolve) => {
    const started = Date.now();
    const log = fs.createWriteStream(path.join(work, `${language}.log`));
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', bundle], {
      env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(runs), FUZZ_LANGUAGES: language },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk) => { output += chunk; log.write(chunk); };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      log.end();
      const summary = output.split('\n').filter((l) => /fuzz: \w+: \d+ cases/.test(l)).map((l) => l.trim().replace(/^[^f]*fuzz/, 'fuzz'));
      const failures = output.split('\n').filter((l) => /✖|not ok/.test(l)).slice(0, 20);
      resolve({ language, code, seconds: (Date.now() - started) / 1000, summary, failures, log: path.join(work, `${language}.log`) });
    });
  });
}

const queue = [...languages];
const results = [];
await Promise.all(Array.from({ length: jobs }, async () => {
  for (let language = queue.shift(); language !== undefined; language = queue.shift()) {
    const result = await runLanguage(language);
    results.push(result);
    console.log(`fuzz: ${language} ${result.code === 0 ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(0)} s`);
    for (const line of result.summary) console.log(`  ${line}`);
    for (const line of result.failures) console.log(`  ${line}`);
    if (result.code !== 0) console.log(`  whole output: ${result.log}`);
  }
}));
const failed = results.filter((r) => r.code !== 0);
console.log(`fuzz: ${results.length - failed.length} of ${results.length} languages passed (seed ${seed}, ${runs} cases each)`);
if (failed.length === 0) fs.rmSync(work, { recursive: true, force: true });
process.exit(failed.length === 0 ? 0 : 1);
