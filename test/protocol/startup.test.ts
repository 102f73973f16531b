import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../helpers/analyzer.js';
import { makeWorkspace, SAMPLE_PROJECT } from '../helpers/cli.js';
import { startServer } from '../helpers/lsp-client.js';
import type { Diagnostic } from 'vscode-languageserver-protocol';

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

describe('the first diagnostics of a file in a project not yet learned', () => {
  // The worker reads nothing of a project until the file named by TASK_RELIABILITY_TEST_HOLD_LEARNING
  // exists: what the server answers before that is the file's own analysis.
  let root = '';
  let hold = '';
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-first-'));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', 'python-shop'), root, { recursive: true });
    hold = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-hold-'));
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(hold, { recursive: true, force: true });
  });
  // The task's Celery app comes from shop/celeryconf.py: only the project's analysis knows it, and
  // with it that the task acknowledges early.
  const PROJECT_FINDINGS = ['retry-no-backoff', 'retry-unbounded', 'task-ack-early-side-effects'];

  for (const pull of [true, false]) {
    it(`${pull ? 'are pulled' : 'are pushed'} before the project is learned, and ${pull ? 'pulled again' : 'pushed again'} with the project's findings once it is`, async () => {
      const release = path.join(hold, pull ? 'pull' : 'push');
      const server = await startServer({ pull, workspaceFolders: [root], env: { TASK_RELIABILITY_TEST_HOLD_LEARNING: release } });
      try {
        const file = path.join(root, 'shop', 'orders', 'tasks.py');
        const uri = pathToFileURL(file).href;
        const first = pull ? undefined : server.nextDiagnostics(uri);
        await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(file, 'utf8') } });
        const own = pull ? await pullOnce(server.connection, uri) : (await first)?.diagnostics ?? [];
        assert.ok(!fs.existsSync(release), 'the project is still held');
        // On its own, the file's decorator reads as a task's, but nothing says what the app is.
        assert.deepEqual(own.map((d) => d.code).sort(), ['retry-no-backoff', 'retry-unbounded']);
        assert.ok(own.every((d) => d.relatedInformation === undefined));

        const refreshed = pull ? server.nextRefresh() : server.nextDiagnostics(uri, (p) => p.diagnostics.length === PROJECT_FINDINGS.length);
        fs.writeFileSync(release, '');
        await refreshed;
        const withProject = pull ? await pullOnce(server.connection, uri) : server.published.get(uri)?.diagnostics ?? [];
        assert.deepEqual(withProject.map((d) => d.code).sort(), PROJECT_FINDINGS);
        assert.match(withProject[0]?.relatedInformation?.[0]?.message ?? '', /Celery app defined in shop\/celeryconf\.py/);
      } finally {
        await server.stop();
      }
    });
  }
});

async function pullOnce(connection: { sendRequest<R>(method: string, params: unknown): Promise<R> }, uri: string): Promise<Diagnostic[]> {
  const report = await connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  return report.items;
}
