import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../helpers/analyzer.js';
import { makeWorkspace, SAMPLE_PROJECT } from '../helpers/cli.js';
import { startServer } from '../helpers/lsp-client.js';

describe('taskReliability.scanOnStartup', () => {
  it('scans the folder when the server starts, with progress the server creates', async () => {
    const ws = makeWorkspace({ 'app/pay.py': SAMPLE_PROJECT['app/pay.py'] ?? '' });
    const pay = pathToFileURL(path.join(ws.root, 'app', 'pay.py')).href;
    const server = await startServer({ pull: true, workspaceFolders: [ws.root], settings: { scanOnStartup: true } });
    try {
      const published = server.published.get(pay) ?? await server.nextDiagnostics(pay);
      assert.equal(published.diagnostics.length, 1);
      assert.ok(server.progress.some((p) => p.value.kind === 'begin'), 'progress through window/workDoneProgress/create');
    } finally {
      await server.stop();
      ws.remove();
    }
  });
});

describe('task-reliability-ls', () => {
  it('starts from its bin with no VS Code present and speaks LSP over stdio', async () => {
    // No --stdio: the bin adds it, so `task-reliability-ls` alone works in an editor's config.
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'task-reliability-ls.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      const init = await connection.sendRequest<{ serverInfo?: { name: string }; capabilities: Record<string, unknown> }>('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(init.serverInfo?.name, 'task-reliability-ls');
      assert.ok(init.capabilities['hoverProvider']);
      await connection.sendRequest('shutdown');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendNotification('exit');
      await exited;
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
