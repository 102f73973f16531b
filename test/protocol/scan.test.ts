import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type Hover } from 'vscode-languageserver-protocol';
import type { ScanWorkspaceResult } from '../../server/src/protocol.js';
import { makeWorkspace, SAMPLE_PROJECT } from '../helpers/cli.js';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const SCAN = 'taskReliability/scanWorkspace';
const uri = (file: string): string => pathToFileURL(file).href;
const PAY = SAMPLE_PROJECT['app/pay.py'] ?? '';
const CRON = SAMPLE_PROJECT['k8s/cron.yaml'] ?? '';
const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/.venv/**', '**/venv/**', '**/vendor/**'];

describe('workspace scan (multi-root, pull client)', () => {
  let a: { root: string; remove: () => void };
  let b: { root: string; remove: () => void };
  let server: ServerUnderTest;
  let result: ScanWorkspaceResult;

  before(async () => {
    a = makeWorkspace({
      ...SAMPLE_PROJECT,
      'skipme/x.py': PAY,
      'big.py': `${PAY}${'#'.repeat(3000)}\n`,
      'static/app.min.js': 'const axios = require("axios");\naxios.get("https://example.com");\n',
    });
    b = makeWorkspace({
      'k8s/cron.yaml': CRON,
      'generated/cron.yaml': CRON,
      '.task-reliability.json': JSON.stringify({ rules: { 'cron-missing-deadline': 'off' }, exclude: ['generated/**'] }),
    });
    server = await startServer({ pull: true, workspaceFolders: [a.root, b.root], settings: { exclude: [...DEFAULT_EXCLUDE, '**/skipme/**'], maxFileSize: 2000 } });
    result = await server.connection.sendRequest<ScanWorkspaceResult>(SCAN, { workDoneToken: 'scan-1' });
  });
  after(async () => {
    await server.stop();
    a.remove();
    b.remove();
  });

  it('analyses every supported file of every folder, honouring .gitignore, both excludes and maxFileSize', () => {
    // tests/test_pay.py is test code and static/app.min.js is minified: neither is in a scan.
    assert.deepEqual({ ...result, durationMs: 0 }, { files: 5, filesWithFindings: 3, findings: 4, skipped: 1, cancelled: false, durationMs: 0 });
    assert.deepEqual(Object.fromEntries([...server.published].map(([u, p]) => [u, p.diagnostics.length])), {
      [uri(path.join(a.root, 'app', 'pay.py'))]: 1,
      [uri(path.join(a.root, 'k8s', 'cron.yaml'))]: 2,
      [uri(path.join(b.root, 'k8s', 'cron.yaml'))]: 1,
    });
  });

  it('reports work-done progress with a percentage and a file count, then ends', () => {
    const values = server.progress.filter((p) => p.token === 'scan-1').map((p) => p.value);
    assert.equal(values[0]?.kind, 'begin');
    assert.equal(values.at(-1)?.kind, 'end');
    assert.match(values.at(-1)?.message ?? '', /^5 files: 4 findings in 3 files, 1 skipped$/);
    for (const report of values.filter((v) => v.kind === 'report')) {
      assert.ok(typeof report.percentage === 'number' && report.percentage >= 0 && report.percentage <= 100);
      assert.match(report.message ?? '', /^\d+\/8 files$/);
    }
  });

  it('hands an opened file to pull diagnostics, and takes it back when it closes', async () => {
    const file = path.join(a.root, 'app', 'pay.py');
    const cleared = server.nextDiagnostics(uri(file), (p) => p.diagnostics.length === 0);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'python', version: 1, text: PAY } });
    await cleared;
    const back = server.nextDiagnostics(uri(file), (p) => p.diagnostics.length === 1);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
    await back;
  });

  it('updates a changed file and clears a deleted one from watched-file events', async () => {
    const ok = path.join(a.root, 'app', 'ok.py');
    fs.writeFileSync(ok, PAY);
    const changed = server.nextDiagnostics(uri(ok), (p) => p.diagnostics.length === 1);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ok), type: 2 }] });
    await changed;
    fs.rmSync(path.join(a.root, 'k8s'), { recursive: true });
    const deleted = server.nextDiagnostics(uri(path.join(a.root, 'k8s', 'cron.yaml')), (p) => p.diagnostics.length === 0);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(a.root, 'k8s')), type: 3 }] });
    await deleted;
    const ignored = path.join(a.root, 'build-output', 'gen.py');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ignored), type: 2 }] });
    assert.equal(server.published.has(uri(ignored)), false, 'a git-ignored file stays out');
  });

  it('rescans a folder when its .task-reliability.json changes', async () => {
    const cron = uri(path.join(b.root, 'k8s', 'cron.yaml'));
    fs.writeFileSync(path.join(b.root, '.task-reliability.json'), JSON.stringify({ rules: { 'cron-missing-deadline': 'off', 'cron-overlap': 'off' } }));
    const cleared = server.nextDiagnostics(cron, (p) => p.diagnostics.length === 0);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(b.root, '.task-reliability.json')), type: 2 }] });
    await cleared;
  });
});

describe('workspace scan under load', () => {
  let ws: { root: string; remove: () => void };
  let server: ServerUnderTest;
  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`src/m${i}/tasks.py`] = `${PAY}\n\ndef f${i}():\n    return ${i}\n`;
    ws = makeWorkspace(files);
    server = await startServer({ pull: true, workspaceFolders: [ws.root] });
  });
  after(async () => {
    await server.stop();
    ws.remove();
  });

  it('answers a hover on an open file while a scan of hundreds of files runs', async () => {
    const open = uri(path.join(ws.root, 'open.py'));
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: open, languageId: 'python', version: 1, text: PAY } });
    const scanning = server.connection.sendRequest<ScanWorkspaceResult>(SCAN, { workDoneToken: 'load' });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (server.progress.some((p) => p.token === 'load' && p.value.kind === 'report')) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: open }, position: { line: 4, character: 15 } });
    assert.ok(hover !== null);
    assert.equal(server.progress.some((p) => p.token === 'load' && p.value.kind === 'end'), false, 'the hover came back before the scan ended');
    const result = await scanning;
    assert.equal(result.files, 400);
  });

  it('stops between two files when the request is cancelled', async () => {
    const source = new CancellationTokenSource();
    const scanning = server.connection.sendRequest<ScanWorkspaceResult>(SCAN, { workDoneToken: 'cancel' }, source.token);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (server.progress.some((p) => p.token === 'cancel' && p.value.kind === 'report')) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    source.cancel();
    const result = await scanning.catch((error: unknown) => ({ error }));
    const end = server.progress.find((p) => p.token === 'cancel' && p.value.kind === 'end');
    assert.match(end?.value.message ?? '', /^cancelled after \d+ of 400 files$/);
    if ('files' in result) assert.equal(result.cancelled, true);
  });
});

describe('a malformed .task-reliability.json in the editor', () => {
  it('says once which file and line is wrong, and analyses with the defaults', async () => {
    const ws = makeWorkspace({ '.task-reliability.json': '{\n  "rules": {"http-timeout": "off",}\n}\n' });
    const server = await startServer({ pull: true, workspaceFolders: [ws.root] });
    try {
      for (const name of ['a.py', 'b.py']) {
        const file = uri(path.join(ws.root, name));
        await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: file, languageId: 'python', version: 1, text: PAY } });
        const report = await server.connection.sendRequest<{ items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri: file } });
        assert.equal(report.items.length, 1, 'the defaults apply: http-timeout is on');
      }
      const messages = server.logs.filter((l) => l.startsWith('showMessage:') && l.includes('.task-reliability.json'));
      assert.deepEqual(messages, [`showMessage: Task Reliability: ${path.join(ws.root, '.task-reliability.json')}:2:35: invalid JSON: a comma before '}': JSON allows no trailing comma. Using the default settings for ${ws.root}.`]);
    } finally {
      await server.stop();
      ws.remove();
    }
  });
});
