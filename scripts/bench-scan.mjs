// Measures a workspace scan the way an editor drives it: starts the built server over stdio,
// opens one document, sends taskReliability/scanWorkspace for a folder, and meanwhile asks for a
// hover on the open document every 25 ms. Prints the scan's time and result, the server's peak
// resident memory (VmHWM), and the hover latencies during the scan.
// Usage: node scripts/gen-workspace.mjs /tmp/ws5000 && node scripts/bench-scan.mjs /tmp/ws5000
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(folder)) {
  console.error('usage: node scripts/bench-scan.mjs WORKSPACE_DIR');
  process.exit(2);
}
const HOVER_EVERY_MS = 25;
const OPEN = `import requests\n\n\ndef charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n`;

const child = spawn(process.execPath, [path.join(repo, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('window/workDoneProgress/create', () => null);
let published = 0;
connection.onNotification('textDocument/publishDiagnostics', () => { published++; });
let reports = 0;
connection.onNotification('$/progress', (p) => { if (p.value.kind === 'report') reports++; });
connection.listen();

const peakRss = () => {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return `${(kb / 1024).toFixed(0)} MB`;
};

await connection.sendRequest('initialize', {
  processId: process.pid, rootUri: pathToFileURL(folder).href,
  workspaceFolders: [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }],
  capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true }, textDocument: { diagnostic: {} } },
});
await connection.sendNotification('initialized', {});
const open = pathToFileURL(path.join(folder, 'open.py')).href;
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: open, languageId: 'python', version: 1, text: OPEN } });
await connection.sendRequest('textDocument/hover', { textDocument: { uri: open }, position: { line: 4, character: 15 } });
const idleRss = peakRss();

const latencies = [];
let scanning = true;
const hoverLoop = (async () => {
  while (scanning) {
    const t = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri: open }, position: { line: 4, character: 15 } });
    latencies.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, HOVER_EVERY_MS));
  }
})();
const started = performance.now();
const result = await connection.sendRequest('taskReliability/scanWorkspace', { workDoneToken: 'bench' });
const seconds = (performance.now() - started) / 1000;
scanning = false;
await hoverLoop;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1);

console.log(`scan of ${folder}: ${result.files} files analysed, ${result.skipped} skipped, ${result.findings} findings in ${result.filesWithFindings} files`);
console.log(`time: ${seconds.toFixed(2)} s (${(result.files / seconds).toFixed(0)} files/s), ${reports} progress reports, ${published} publishDiagnostics`);
console.log(`server memory: ${idleRss} peak RSS before the scan, ${peakRss()} peak RSS after it`);
console.log(`hovers during the scan: ${latencies.length}, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
