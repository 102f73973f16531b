// `npm start`: builds the extension, installs the editor on first use (test/editor/setup.sh), copies
// the demo workspace examples/ to a fresh folder, starts the VS Code server with the extension
// loaded from this repository (an Extension Development Host: rebuild and reload the page to pick up
// changes), prints the URL to open, and runs until Ctrl+C.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, serverInstalled, startServer, stopOnSignal, workbenchUrl } from '../test/editor/vscode-server.mjs';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: \`${[command, ...args].join(' ')}\` failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

const t0 = Date.now();
run(process.execPath, ['esbuild.mjs']);
if (!serverInstalled()) {
  console.log('start: installing the VS Code server (first run only) ...');
  run('bash', [path.join(REPO, 'test', 'editor', 'setup.sh')]);
}

const server = await startServer({ id: `start-${process.pid}`, smokeTestDriver: false });
const workspace = path.join(server.dirs.root, 'workspace');
const examples = path.join(REPO, 'examples');
if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
else fs.mkdirSync(workspace, { recursive: true });

const url = workbenchUrl(server.port, { folder: workspace, extensionDevelopmentPath: REPO });
console.log(`
Task Reliability Hints is running in VS Code ${server.version.slice(0, 10)} (server ready in ${server.readyMs} ms, ${((Date.now() - t0) / 1000).toFixed(1)} s in all).
Open this URL in a browser on this machine:

  ${url}

Workspace: ${workspace}${fs.existsSync(examples) ? ' (a fresh copy of examples/)' : ' (empty: examples/ does not exist yet)'}
Server log: ${server.dirs.log}
Press Ctrl+C to stop.`);

stopOnSignal(server, () => fs.rmSync(server.dirs.root, { recursive: true, force: true }));
