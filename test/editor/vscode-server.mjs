// Starts the VS Code server bundled in code-server (installed by test/editor/setup.sh) on a free
// 127.0.0.1 port with fresh data, user and extensions folders, and stops it by process group.
// The browser side (headless Chromium for tests, a person's browser for `npm start`) opens
// workbenchUrl(); the extension under development is passed to the workbench in the URL's payload.
//
// As a module: startServer(), workbenchUrl(), installExtension(), SERVER_MAIN.
// As a CLI:    node test/editor/vscode-server.mjs [--folder DIR] [--dev EXT_DIR] [--vsix FILE]
//              prints the URL to open and runs until Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const SERVER_MAIN = path.join(here, '.vscode-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const RUNS = path.join(here, '.run');

/** Bounds on the waits below: generous for a loaded 2-core CI machine, never a fixed sleep. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const VERSION_ATTEMPTS = 50;
const VERSION_RETRY_MS = 100;

/** User settings for a quiet, deterministic workbench (see shared/notes/real-editor.md). */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'editor.hover.delay': 100,
  // The run folders live inside this repository: do not offer to open it as the workspace's repo.
  'git.openRepositoryInParentFolders': 'never',
};

export function serverInstalled() {
  return fs.existsSync(SERVER_MAIN);
}

/** Fresh folders for one server under test/editor/.run/<id>/. */
export function makeRunDirs(id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`) {
  const root = path.join(RUNS, id);
  const dirs = { root, data: path.join(root, 'data'), user: path.join(root, 'user'), ext: path.join(root, 'ext'), log: path.join(root, 'server.log') };
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of [dirs.data, dirs.ext, path.join(dirs.user, 'User')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(dirs.user, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return dirs;
}

function serverArgs(dirs) {
  return ['--server-data-dir', dirs.data, '--user-data-dir', dirs.user, '--extensions-dir', dirs.ext];
}

/** Installs a .vsix (or a marketplace id, if the machine could reach one) into the run's extensions folder. */
export function installExtension(dirs, vsix) {
  const result = spawnSync(process.execPath, [SERVER_MAIN, '--install-extension', vsix, '--force', ...serverArgs(dirs), '--accept-server-license-terms'], { encoding: 'utf8' });
  fs.appendFileSync(dirs.log, `$ --install-extension ${vsix}\n${result.stdout}${result.stderr}`);
  if (result.status !== 0 || /Failed|Error/.test(result.stdout + result.stderr)) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

/**
 * The URL that opens `folder` in the workbench. With `extensionDevelopmentPath`, the window is an
 * Extension Development Host for that folder; with `extensionTestsPath` too, the workbench runs that
 * Mocha entry in the extension host and reports through window.codeAutomationLog/Exit.
 */
export function workbenchUrl(port, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const authority = `127.0.0.1:${port}`;
  const params = new URLSearchParams();
  if (folder) params.set('folder', folder);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  if (payload.length > 0) params.set('payload', JSON.stringify(payload));
  const query = params.toString().replace(/%2F/g, '/');
  return `http://${authority}/${query ? `?${query}` : ''}`;
}

/**
 * Starts the server and resolves once /version answers. Options: id (run folder name), vsix
 * (installed first), smokeTestDriver (default true: needed for codeAutomationLog/Exit), env.
 * Returns { port, dirs, pid, stop() }; stop() ends the whole process group and is safe to repeat.
 */
export async function startServer({ id, vsix, smokeTestDriver = true, env = {} } = {}) {
  if (!serverInstalled()) throw new Error(`${SERVER_MAIN} is missing: run test/editor/setup.sh`);
  const dirs = makeRunDirs(id);
  if (vsix) installExtension(dirs, vsix);
  const args = [
    SERVER_MAIN, '--host', '127.0.0.1', '--port', '0', // port 0: the OS picks a free port, no race
    '--without-connection-token', '--accept-server-license-terms', '--disable-telemetry',
    '--disable-workspace-trust', ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []), ...serverArgs(dirs),
  ];
  const started = Date.now();
  // detached: the server gets its own process group, so stop() also ends its file watchers and
  // extension hosts, which outlive a plain kill of the main process.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const log = fs.createWriteStream(dirs.log, { flags: 'a' });
  child.stderr.pipe(log);

  let exited = false;
  const exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => { exited = true; resolve({ code, signal }); }));
  const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
  // A last resort if the caller dies without calling stop(): never leave a server behind.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (!exited) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), STOP_TIMEOUT_MS);
      await exitedPromise;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // children that ignored SIGTERM after the main process left
    log.end();
  };

  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the server did not listen within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.stdout.on('data', (chunk) => {
        log.write(chunk);
        if (out === undefined) return;
        out += chunk;
        const m = /Extension host agent listening on (\d+)/.exec(out);
        if (m) { out = undefined; clearTimeout(timer); resolve(Number(m[1])); }
      });
      exitedPromise.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`the server exited (${signal ?? code}) before listening`)); });
    });
    const version = await fetchVersion(port);
    return { port, dirs, pid: child.pid, version, readyMs: Date.now() - started, stop };
  } catch (error) {
    await stop();
    const tail = fs.existsSync(dirs.log) ? fs.readFileSync(dirs.log, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`${error instanceof Error ? error.message : error}\n--- ${dirs.log} ---\n${tail}`);
  }
}

/** /version answers with the commit id once the HTTP side is up; bounded retries. */
async function fetchVersion(port) {
  let lastError;
  for (let attempt = 0; attempt < VERSION_ATTEMPTS; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/version`);
      if (response.ok) return (await response.text()).trim();
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, VERSION_RETRY_MS));
  }
  throw new Error(`/version did not answer: ${lastError}`);
}

/** Waits for Ctrl+C (or SIGTERM), then stops the server. */
export function stopOnSignal(server, onStopped = () => {}) {
  let stopping = false;
  const handler = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the VS Code server ...');
    await server.stop();
    onStopped();
    process.exit(0);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function parseCli(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--folder' && value) options.folder = path.resolve(value);
    else if (flag === '--dev' && value) options.extensionDevelopmentPath = path.resolve(value);
    else if (flag === '--vsix' && value) options.vsix = path.resolve(value);
    else if (flag === '--id' && value) options.id = value;
    else throw new Error(`usage: node test/editor/vscode-server.mjs [--folder DIR] [--dev EXT_DIR] [--vsix FILE] [--id ID] (bad argument: ${flag})`);
    i++;
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const options = parseCli(process.argv.slice(2));
    const server = await startServer({ id: options.id, vsix: options.vsix, smokeTestDriver: false });
    console.log(`VS Code ${server.version.slice(0, 10)} server ready in ${server.readyMs} ms (pid ${server.pid}, log ${server.dirs.log})`);
    console.log(`open ${workbenchUrl(server.port, options)}`);
    stopOnSignal(server, () => fs.rmSync(server.dirs.root, { recursive: true, force: true }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
