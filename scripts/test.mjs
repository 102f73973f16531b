// `npm test`: builds, type-checks and runs every suite, then prints one closing line
// `N passed, N failed` that counts individual tests across the suites, and exits non-zero when
// anything failed. Every suite reports in TAP (node:test's tap reporter, Mocha's tap reporter in the
// extension host), so one parser reads every count: the last `# pass N` / `# fail N` lines.
// A step that is not a test (build, typecheck, editor setup) counts as one failure when it fails, and
// so does a suite that exits non-zero without reporting a failed test, or reports no summary at all.
//
// Usage: node scripts/test.mjs [SUITE...] [--verbose]
//   SUITE     run only these: unit protocol cli mcp exthost ui neovim package (the build and typecheck always run)
//   --verbose stream every suite's whole output (it is always kept in dist/test-results/<suite>.log)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const RESULTS = path.join(REPO, 'dist', 'test-results');
const MINUTE = 60_000;
const KILL_GRACE_MS = 15_000;
const FAILURE_LINES = 400;
const FAILURES_IN_FULL = 15;

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const only = new Set(args.filter((a) => !a.startsWith('--')));
const wanted = (suite) => only.size === 0 || only.has(suite);

/** The command running now, so that Ctrl+C can end it cleanly. */
let current;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\ntest: ${signal}: stopping the running suite ...`);
    if (current) current.terminate();
    else process.exit(130);
  });
}

/** Runs a command in its own process group; on timeout the whole group is ended. */
function runCommand(name, command, commandArgs, { timeoutMs, env = {} }) {
  return new Promise((resolve) => {
    const started = Date.now();
    fs.mkdirSync(RESULTS, { recursive: true });
    const logFile = path.join(RESULTS, `${name.replace(/\//g, '-')}.log`);
    const log = fs.createWriteStream(logFile);
    let output = '';
    const child = spawn(command, commandArgs, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const onData = (chunk) => {
      output += chunk;
      log.write(chunk);
      if (verbose) process.stdout.write(chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const signalGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* gone */ } };
    // SIGTERM first, so that a suite can stop what it started in groups of its own (the VS Code
    // server, Chromium); SIGKILL if it has not gone after KILL_GRACE_MS.
    let killTimer;
    const terminate = () => {
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; terminate(); }, timeoutMs);
    const killOnExit = () => signalGroup('SIGKILL');
    process.once('exit', killOnExit);
    current = { terminate };
    const finish = (code) => {
      current = undefined;
      clearTimeout(timer);
      clearTimeout(killTimer);
      process.removeListener('exit', killOnExit);
      log.end();
      resolve({ code, output, timedOut, logFile, seconds: (Date.now() - started) / 1000 });
    };
    child.once('error', (error) => { onData(`${error.message}\n`); finish(127); });
    child.once('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** The last unindented TAP summary count of `key`, or undefined when the output has none. */
function tapCount(output, key) {
  const matches = [...output.matchAll(new RegExp(`^# ${key} (\\d+)\\s*$`, 'gm'))];
  return matches.length > 0 ? Number(matches[matches.length - 1][1]) : undefined;
}

/**
 * The `not ok` lines with their indented details (node:test's YAML block, Mocha's message), leaving
 * out stack traces, and parents that only failed through a subtest. After FAILURES_IN_FULL
 * failures, only the titles.
 */
function failureDetails(output) {
  const lines = output.split('\n');
  const picked = [];
  let failures = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+/.exec(lines[i]);
    if (!m) continue;
    const block = [lines[i]];
    let stackIndent = -1;
    for (let j = i + 1; j < lines.length; j++) {
      const indent = lines[j].search(/\S/);
      if (lines[j].trim() !== '' && indent <= m[1].length) break;
      if (stackIndent >= 0 && (indent < 0 || indent > stackIndent)) continue;
      stackIndent = /^\s*stack: /.test(lines[j]) ? indent : -1;
      if (stackIndent < 0 && !/^\s*duration_ms: /.test(lines[j])) block.push(lines[j]);
    }
    if (block.some((l) => /failureType: 'subtestsFailed'/.test(l))) continue;
    failures += 1;
    picked.push(...(failures <= FAILURES_IN_FULL ? block : [block[0]]));
  }
  return picked;
}

const totals = { passed: 0, failed: 0 };
const report = [];
const started = Date.now();

function printTail(result, why) {
  const details = failureDetails(result.output);
  const shown = details.length > 0 ? details : result.output.trimEnd().split('\n').slice(-40);
  console.log(`  ${why}; ${details.length > 0 ? 'failures' : 'last lines'} (whole output in ${path.relative(REPO, result.logFile)}):`);
  for (const line of shown.slice(0, FAILURE_LINES)) console.log(`  | ${line}`);
  if (shown.length > FAILURE_LINES) console.log(`  | ... ${shown.length - FAILURE_LINES} more lines`);
}

/** A step that is not a test: it passes or it fails, and a failure counts as one. */
async function step(name, command, commandArgs, options) {
  if (interrupted) return false;
  console.log(`\n== ${name}`);
  const result = await runCommand(name, command, commandArgs, options);
  const ok = result.code === 0;
  if (ok) {
    const quiet = result.output.trimEnd();
    if (quiet && !verbose) console.log(quiet.split('\n').map((l) => `  ${l}`).join('\n'));
  } else {
    totals.failed += 1;
    printTail(result, result.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : `failed with exit code ${result.code}`);
  }
  const line = `${name}: ${ok ? 'ok' : 'FAILED (counted as 1 failed)'} (${result.seconds.toFixed(1)} s)`;
  console.log(line);
  report.push(line);
  return ok;
}

/** A suite that reports in TAP: its tests are counted one by one. */
async function suite(name, command, commandArgs, options) {
  if (interrupted) return;
  console.log(`\n== ${name}`);
  const result = await runCommand(name, command, commandArgs, options);
  const passed = tapCount(result.output, 'pass');
  const failedTests = tapCount(result.output, 'fail');
  const cancelled = tapCount(result.output, 'cancelled') ?? 0;
  let failed = (failedTests ?? 0) + cancelled;
  let why = '';
  if (passed === undefined || failedTests === undefined) { failed += 1; why = 'no TAP summary (counted as 1 failed)'; }
  else if (result.code !== 0 && failed === 0) { failed = 1; why = `exit code ${result.code} with no failed test (counted as 1 failed)`; }
  if (result.timedOut) why = `timed out after ${options.timeoutMs / 1000} s${why ? `; ${why}` : ''}`;
  totals.passed += passed ?? 0;
  totals.failed += failed;
  if (failed > 0) printTail(result, why || `exit code ${result.code}`);
  const line = `${name}: ${passed ?? 0} passed, ${failed} failed${why ? ` (${why})` : ''} (${result.seconds.toFixed(1)} s)`;
  console.log(line);
  report.push(line);
}

const hasTests = (dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.test.js'));
const node = process.execPath;

async function main() {
  if (!(await step('build', node, ['esbuild.mjs'], { timeoutMs: 5 * MINUTE }))) return;
  await step('typecheck', node, [require.resolve('typescript/bin/tsc'), '-p', '.', '--noEmit'], { timeoutMs: 5 * MINUTE });

  for (const name of ['unit', 'protocol', 'cli', 'mcp']) {
    const dir = path.join(REPO, 'dist', 'test', name);
    if (wanted(name) && hasTests(dir)) {
      await suite(name, node, ['--test', '--test-reporter=tap', path.relative(REPO, dir) + '/'], { timeoutMs: 10 * MINUTE });
    }
  }

  const neovimTests = fs.existsSync(path.join(REPO, 'test', 'editor', 'neovim'))
    ? fs.readdirSync(path.join(REPO, 'test', 'editor', 'neovim')).filter((f) => f.endsWith('.lua')).sort()
    : [];
  const editorWanted = wanted('exthost') || wanted('ui') || wanted('package') || (wanted('neovim') && neovimTests.length > 0);
  if (!editorWanted) return;
  if (!(await step('editor-setup', 'bash', ['test/editor/setup.sh'], { timeoutMs: 30 * MINUTE }))) return;

  if (wanted('exthost') && hasTests(path.join(REPO, 'dist', 'test', 'exthost'))) {
    await suite('exthost', node, ['test/editor/run-exthost-tests.mjs'], { timeoutMs: 15 * MINUTE });
  }
  // The person-like walk through the sidebar and the editor, in a light and a dark theme; it leaves
  // its screenshots in .screenshots/ui-walk/.
  if (wanted('ui')) await suite('ui-walk', node, ['test/editor/ui-walk.mjs'], { timeoutMs: 10 * MINUTE });
  // A Neovim test is a Lua script run headless against the built server. It reports TAP counts
  // (`# pass N` / `# fail N`) and exits non-zero on failure; see test/editor/neovim/.
  if (wanted('neovim')) {
    for (const file of neovimTests) {
      await suite(`neovim/${path.basename(file, '.lua')}`, 'nvim', ['--headless', '--clean', '-i', 'NONE', '-c', `luafile test/editor/neovim/${file}`], {
        timeoutMs: 3 * MINUTE,
        env: { TASK_RELIABILITY_REPO: REPO, TASK_RELIABILITY_SERVER: path.join(REPO, 'dist', 'server.js') },
      });
    }
  }
  // The .vsix: packed from a staging folder (dist/ is left alone), its files listed, and installed
  // in the VS Code server that editor-setup provides.
  if (wanted('package') && hasTests(path.join(REPO, 'dist', 'test', 'package'))) {
    await suite('package', node, ['--test', '--test-reporter=tap', 'dist/test/package/'], { timeoutMs: 10 * MINUTE });
  }
}

await main();
console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
for (const line of report) console.log(`  ${line}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(interrupted ? 130 : totals.failed > 0 ? 1 : 0);
