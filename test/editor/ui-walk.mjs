// A person-like walk through the extension in the real VS Code (the server from setup.sh, its web
// workbench in headless Chromium driven by playwright-core), once per colour theme: open a demo
// file, see the squiggle, read the hover card, apply the quick fix from the Ctrl+. menu, open the
// sidebar, filter the matrix, search the book, follow a hover link to a rule, read "This file",
// sort, filter and open the Tasks tab, go from a task's hover to its row, tick a checklist item,
// hide and show the view, and run a command from the palette. Each step is a TAP test and leaves a
// screenshot in .screenshots/ui-walk/<theme>/ (git-ignored); those cut for the README are
// .screenshots/ui-walk/readme-*.png (copied by hand to docs/images/).
//
// Usage: node test/editor/ui-walk.mjs [--theme light|dark|hc]... [--keep]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO, startServer, USER_SETTINGS, workbenchUrl } from './vscode-server.mjs';
import { DEMO_FILE, DEMO_TEXT, uiSteps } from './ui-walk-steps.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', hc: 'Default High Contrast' };
const SHOTS = path.join(REPO, '.screenshots', 'ui-walk');
/** Steps whose screenshot is also cut to the sidebar and the code beside it, for docs/images/. */
const README_SHOTS = { light: 'sidebar-matrix', dark: 'rule-from-hover' };
const README_CLIP = { x: 0, y: 0, width: 1100, height: 900 };
/** Steps whose screenshot is also cut to the sidebar alone (the Tasks tab needs no code beside it). */
const README_SIDEBAR_SHOTS = { light: 'tasks-row-open' };
/** Settings for screenshots a reader can take in: no minimap, tips, or chat panel competing with the view. */
const WALK_SETTINGS = {
  'editor.minimap.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
  'editor.fontSize': 13,
};

function parseArgs(argv) {
  const options = { themes: [], keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--theme' && THEMES[argv[i + 1]]) options.themes.push(argv[++i]);
    else if (argv[i] === '--keep') options.keep = true;
    else throw new Error(`usage: node test/editor/ui-walk.mjs [--theme light|dark|hc]... [--keep] (bad argument: ${argv[i]})`);
  }
  if (options.themes.length === 0) options.themes = ['light', 'dark'];
  return options;
}

const t0 = Date.now();
const say = (message) => console.log(`# [${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
const results = { pass: 0, fail: 0, n: 0 };

function tap(ok, name, error) {
  results.n += 1;
  results[ok ? 'pass' : 'fail'] += 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${results.n} - ${name}`);
  if (!ok) {
    const message = String(error instanceof Error ? error.message : error).split('\n').slice(0, 12);
    console.log(['  ---', '  message: |', ...message.map((l) => `    ${l}`), '  ...'].join('\n'));
  }
}

/** The workspace: a copy of examples/ when there is one, and always the walk's own demo file. */
function makeWorkspace(root) {
  const workspace = path.join(root, 'workspace');
  const examples = path.join(REPO, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, DEMO_FILE), DEMO_TEXT);
  return workspace;
}

async function walkTheme(theme, options) {
  const shots = path.join(SHOTS, theme);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const server = await startServer({ id: `ui-walk-${theme}-${process.pid}`, smokeTestDriver: false });
  say(`${theme}: VS Code server ready on 127.0.0.1:${server.port} in ${server.readyMs} ms`);
  fs.writeFileSync(path.join(server.dirs.user, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...WALK_SETTINGS, 'workbench.colorTheme': THEMES[theme] }, null, 2));
  let context;
  let failed = false;
  try {
    const workspace = makeWorkspace(server.dirs.root);
    context = await chromium.launchPersistentContext(path.join(server.dirs.root, 'chromium'), {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const browserLog = fs.createWriteStream(path.join(server.dirs.root, 'browser.log'));
    page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error}\n`));
    page.on('console', (message) => browserLog.write(`[console.${message.type()}] ${message.text()}\n`));
    await page.goto(workbenchUrl(server.port, { folder: workspace, extensionDevelopmentPath: REPO }), { waitUntil: 'commit' });
    let shot = 0;
    const screenshot = async (name) => {
      shot += 1;
      await page.screenshot({ path: path.join(shots, `${String(shot).padStart(2, '0')}-${name}.png`) });
      if (README_SHOTS[theme] === name) await page.screenshot({ path: path.join(SHOTS, `readme-${theme}-${name}.png`), clip: README_CLIP });
      const sidebar = README_SIDEBAR_SHOTS[theme] === name ? await page.locator('.part.sidebar').boundingBox() : null;
      if (sidebar !== null) await page.screenshot({ path: path.join(SHOTS, `readme-${theme}-${name}.png`), clip: sidebar });
    };
    for (const [name, run] of uiSteps) {
      const started = Date.now();
      try {
        const shotName = await run(page, { theme, workspace, screenshot });
        if (shotName) await screenshot(shotName);
        tap(true, `${theme}: ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed = true;
        await screenshot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
        tap(false, `${theme}: ${name}`, error);
        break;
      }
    }
    browserLog.end();
  } finally {
    await context?.close();
    await server.stop();
    if (!failed && !options.keep) fs.rmSync(server.dirs.root, { recursive: true, force: true });
    else say(`${theme}: logs kept in ${path.relative(process.cwd(), server.dirs.root)}`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(REPO, 'dist', 'client.js')) || !fs.existsSync(path.join(REPO, 'dist', 'webview.js'))) {
    throw new Error('dist/ is missing the extension: run `node esbuild.mjs` first');
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/editor/setup.sh`);
  console.log('TAP version 13');
  for (const theme of options.themes) await walkTheme(theme, options);
  console.log(`1..${results.n}`);
  console.log(`# pass ${results.pass}`);
  console.log(`# fail ${results.fail}`);
  say(`screenshots in ${path.relative(process.cwd(), SHOTS)}/`);
  return results.fail > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
main().then((code) => process.exit(code), (error) => {
  console.log(`Bail out! ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
