// `npm start`: builds the extension, installs the editor on first use (test/editor/setup.sh), copies
// the demo workspace examples/ to a fresh temporary folder, starts the VS Code server with fresh
// user-data and state folders and the extension loaded from this repository (an Extension
// Development Host: rebuild and reload the page to pick up changes), prints the URL to open, and
// runs until Ctrl+C. Each run is a clean workbench: the folder's path is new, so the browser keeps
// no editor state or unsaved text for it, and hot exit is off in the user settings.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, serverInstalled, startServer, stopOnSignal, workbenchUrl } from '../test/editor/vscode-server.mjs';

const t0 = Date.now();
const STEPS = 4;
let stepNumber = 0;
/** Says what starts now, so a first run's long install never looks like a hang. */
function step(message) {
  stepNumber += 1;
  console.log(`start: [${stepNumber}/${STEPS}] ${message} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: \`${[command, ...args].join(' ')}\` failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

step('building the extension ...');
run(process.execPath, ['esbuild.mjs']);

if (serverInstalled()) {
  step('the editor is installed (test/editor/.vscode-server/)');
} else {
  step('installing the editor, first run only: Debian\'s Chromium and ripgrep, then the VS Code server from the code-server npm package (about 300 MB). It usually takes 1 to 3 minutes ...');
  run('bash', [path.join(REPO, 'test', 'editor', 'setup.sh')]);
}

const examples = path.join(REPO, 'examples');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'task-reliability-demo-'));
step(`copying the demo workspace to ${workspace} ...`);
if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });

step('starting the VS Code server ...');
const server = await startServer({ id: `start-${Date.now()}-${process.pid}`, smokeTestDriver: false });

const url = workbenchUrl(server.port, { folder: workspace, extensionDevelopmentPath: REPO });
console.log(`
Task Reliability Hints is running in VS Code ${server.version.slice(0, 10)} (server ready in ${server.readyMs} ms, ${((Date.now() - t0) / 1000).toFixed(1)} s in all).
Open this URL in a browser on this machine:

  ${url}

Workspace: ${workspace}${fs.existsSync(examples) ? ' (a fresh copy of examples/, removed on exit)' : ' (empty: examples/ does not exist yet)'}
Server log: ${server.dirs.log}
Press Ctrl+C to stop.`);

stopOnSignal(server, () => {
  fs.rmSync(server.dirs.root, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
});
