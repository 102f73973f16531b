// Runs the Mocha suite built to dist/test/exthost/index.js inside the real VS Code extension host:
// the VS Code server from test/editor/setup.sh, its web workbench in headless Debian Chromium driven
// by playwright-core, and the extension loaded from this repository as an Extension Development
// Host. The workbench's smoke-test driver hands the extension host's console to
// window.codeAutomationLog and the suite's result to window.codeAutomationExit (0 pass, 1 fail).
// Prints the suite's output and exits with its code.
//
// Usage: node test/editor/run-exthost-tests.mjs [--folder DIR] [--grep PATTERN] [--keep]
//   --folder  workspace to open (copied fresh; default: examples/ when present, else an empty folder)
//   --grep    only tests whose title matches (Mocha grep)
//   --keep    keep test/editor/.run/<id>/ (server, extension host and browser logs) after a pass
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { REPO, RUNS, startServer, workbenchUrl } from './vscode-server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const SUITE_TIMEOUT_MS = Number(process.env.EXTHOST_TIMEOUT_MS ?? 300_000);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const TESTS = path.join(REPO, 'dist', 'test', 'exthost', 'index.js');

/** Workbench chatter that says nothing about the extension or its tests (see real-editor.md). */
const NOISE = /Creating a socket|connection token|Service Worker|builtin extensions|ChatSession|open-vsx\.org|vsda|ENOTFOUND|\[Extension Host\] (?:Unable|Ignoring)/;

function parseArgs(argv) {
  const options = { keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--folder' && argv[i + 1]) options.folder = path.resolve(argv[++i]);
    else if (argv[i] === '--grep' && argv[i + 1]) options.grep = argv[++i];
    else if (argv[i] === '--keep') options.keep = true;
    else throw new Error(`usage: node test/editor/run-exthost-tests.mjs [--folder DIR] [--grep PATTERN] [--keep] (bad argument: ${argv[i]})`);
  }
  return options;
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (message) => console.log(`exthost: [${elapsed()}] ${message}`);

/** Removes the folders that earlier failed runs kept, once their process is gone. */
function pruneOldRuns() {
  if (!fs.existsSync(RUNS)) return;
  for (const name of fs.readdirSync(RUNS)) {
    const pid = Number(/^exthost-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try { process.kill(pid, 0); } catch { fs.rmSync(path.join(RUNS, name), { recursive: true, force: true }); }
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  pruneOldRuns();
  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  // Ctrl+C, or scripts/test.mjs giving up: still close the browser and stop the server (below).
  process.once('SIGINT', () => finish(130));
  process.once('SIGTERM', () => finish(143));
  if (!fs.existsSync(TESTS)) throw new Error(`${TESTS} is missing: run \`node esbuild.mjs\` first`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/editor/setup.sh`);

  const server = await startServer({ id: `exthost-${process.pid}`, env: options.grep ? { EXTHOST_TEST_GREP: options.grep } : {} });
  say(`VS Code server ready on 127.0.0.1:${server.port} in ${server.readyMs} ms`);
  let context;
  let code = 1;
  try {
    const workspace = path.join(server.dirs.root, 'workspace');
    const source = options.folder ?? path.join(REPO, 'examples');
    if (fs.existsSync(source)) fs.cpSync(source, workspace, { recursive: true });
    else fs.mkdirSync(workspace, { recursive: true });

    context = await chromium.launchPersistentContext(path.join(server.dirs.root, 'chromium'), {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const browserLog = fs.createWriteStream(path.join(server.dirs.root, 'browser.log'));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      browserLog.write(`[${type}] ${text}\n`);
      if (!NOISE.test(text)) console.log(text.replace(/\n$/, ''));
    });
    await page.exposeFunction('codeAutomationExit', (exitCode) => finish(Number(exitCode)));
    page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error}\n`));
    page.on('console', (message) => browserLog.write(`[console.${message.type()}] ${message.text()}\n`));

    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => {
        console.log(`exthost: the suite did not finish within ${SUITE_TIMEOUT_MS} ms (logs in ${server.dirs.root})`);
        resolve(124);
      }, SUITE_TIMEOUT_MS);
    });
    const url = workbenchUrl(server.port, { folder: workspace, extensionDevelopmentPath: REPO, extensionTestsPath: TESTS });
    say(`opening the workbench with ${path.relative(REPO, TESTS)}`);
    await page.goto(url, { waitUntil: 'commit' });
    code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    browserLog.end();
    if (code === 130 || code === 143) say('interrupted: stopping');
    else if (code !== 124) say(`extension host exited with code ${code}`);
  } finally {
    await context?.close();
    await server.stop();
    if (code === 0 && !options.keep) fs.rmSync(server.dirs.root, { recursive: true, force: true });
    else say(`logs kept in ${path.relative(process.cwd(), server.dirs.root)}`);
  }
  return code;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`exthost: ${error instanceof Error ? error.stack ?? error.message : error}`);
  process.exit(1);
});
