import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { MapTask, TaskMap } from '../../server/src/analysis/map/types.js';
import { TASK_MAP_CHANGED_NOTIFICATION, TASK_MAP_REQUEST, type TaskMapChangedParams } from '../../server/src/protocol.js';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

/** A small Celery project: a task with an unbounded retry and an HTTP call, enqueued from a view. */
const PROJECT: Readonly<Record<string, string>> = {
  'pyproject.toml': '[project]\nname = "shop"\n',
  'shop/__init__.py': '',
  'shop/tasks.py': [
    'import requests',
    'from celery import Celery',
    '',
    'app = Celery("shop")',
    '',
    '',
    '@app.task(autoretry_for=(requests.RequestException,), max_retries=None)',
    'def send_receipt(order_id):',
    '    requests.post("https://mail.example/send", json={"id": order_id}, timeout=5)',
    '',
  ].join('\n'),
  'shop/views.py': [
    'from .tasks import send_receipt',
    '',
    '',
    'def checkout(order_id):',
    '    send_receipt.delay(order_id)',
    '',
  ].join('\n'),
};

describe('language server: the task map request', () => {
  let server: ServerUnderTest;
  let root: string;
  const folderUri = (): string => pathToFileURL(root).href;
  const uri = (rel: string): string => pathToFileURL(path.join(root, rel)).href;
  const map = (): Promise<TaskMap> => server.connection.sendRequest<TaskMap>(TASK_MAP_REQUEST, { uri: folderUri() });
  const task = (m: TaskMap, name: string): MapTask => {
    const found = m.tasks.find((t) => t.name === name);
    assert.ok(found, `${name} in ${JSON.stringify(m.tasks.map((t) => t.name))}`);
    return found;
  };
  /** Resolves with the next change notification for the folder; registered before the action that causes it. */
  const nextChange = (): Promise<TaskMapChangedParams> => new Promise((resolve) => {
    const subscription = server.connection.onNotification(TASK_MAP_CHANGED_NOTIFICATION, (params: TaskMapChangedParams) => {
      if (params.uri !== folderUri()) return;
      subscription.dispose();
      resolve(params);
    });
  });

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-task-map-'));
    for (const [rel, text] of Object.entries(PROJECT)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    server = await startServer({ pull: true, workspaceFolders: [root] });
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers the map of a workspace folder: the task, its settings, its caller, its side effect and its findings, with folder-relative paths', async () => {
    const m = await map();
    assert.equal(m.version, 1);
    const t = task(m, 'send_receipt');
    assert.equal(t.framework, 'celery');
    assert.equal(t.file, 'shop/tasks.py');
    assert.equal(t.retry?.maxAttempts, null, 'max_retries=None is unbounded');
    assert.deepEqual(t.enqueuedFrom.map((s) => [s.file, s.line, s.inTransaction, s.idempotencyKey]), [['shop/views.py', 5, false, false]]);
    assert.deepEqual(t.sideEffects.map((s) => [s.kind, s.api, s.file, s.line]), [['http-call', 'requests.post', 'shop/tasks.py', 9]]);
    assert.ok(t.findings.some((f) => f.rule === 'retry-unbounded' && f.file === 'shop/tasks.py'), JSON.stringify(t.findings));
  });

  it('refuses a URI that is not a workspace folder, keeps running, and answers the first folder when asked without one', async () => {
    await assert.rejects(server.connection.sendRequest(TASK_MAP_REQUEST, { uri: pathToFileURL(os.tmpdir()).href }), /not a workspace folder/);
    await assert.rejects(server.connection.sendRequest(TASK_MAP_REQUEST, { uri: 42 }), /not a workspace folder/);
    assert.equal((await map()).version, 1);
    assert.deepEqual(await server.connection.sendRequest(TASK_MAP_REQUEST, {}), await map(), 'without a URI, the first folder');
  });

  it('puts the task first in the hover over its name, its decorator and an enqueue of it, and nowhere else', async () => {
    for (const rel of ['shop/tasks.py', 'shop/views.py']) {
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'python', version: 1, text: PROJECT[rel] } });
    }
    const hover = async (rel: string, line: number, character: number): Promise<string> => {
      const h = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri(rel) }, position: { line, character } });
      return h === null ? '' : (h.contents as MarkupContent).value;
    };
    const head = '**Task `send_receipt`** · celery\\\nAttempts ∞ · backoff fixed · jitter — · acks early · time limit —\\\nEnqueued from 1 place (0 in a transaction, 0 with a key) · 1 side effect · ';
    const defLine = await hover('shop/tasks.py', 7, 6);
    assert.ok(defLine.startsWith(head), defLine.slice(0, 300));
    assert.ok((await hover('shop/tasks.py', 6, 3)).startsWith(head), 'the decorator');
    assert.ok((await hover('shop/views.py', 4, 8)).startsWith(head), 'an enqueue of it');
    const body = await hover('shop/tasks.py', 8, 10);
    assert.doesNotMatch(body, /\*\*Task /, 'a call in its body');
    assert.doesNotMatch(await hover('shop/tasks.py', 7, 6), /Show in the Tasks tab/, 'no sidebar link for a client that opens files');
    for (const rel of ['shop/tasks.py', 'shop/views.py']) await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rel) } });
  });

  it('follows an edit of an open document: the client is told, and the next map has the edit', async () => {
    const text = PROJECT['shop/views.py'] ?? '';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/views.py'), languageId: 'python', version: 1, text } });
    await server.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: uri('shop/views.py') } });
    const changed = nextChange();
    const edited = text.replace('    send_receipt.delay(order_id)', '    pass');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/views.py'), version: 2 }, contentChanges: [{ text: edited }] });
    await server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri('shop/views.py') } });
    await changed;
    assert.deepEqual(task(await map(), 'send_receipt').enqueuedFrom, []);
  });

  it('follows a file created on disk', async () => {
    fs.writeFileSync(path.join(root, 'shop/admin.py'), 'from shop.tasks import send_receipt\n\n\ndef resend(order_id):\n    send_receipt.apply_async(args=(order_id,))\n');
    const changed = nextChange();
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('shop/admin.py'), type: 1 }] });
    await changed;
    assert.deepEqual(task(await map(), 'send_receipt').enqueuedFrom.map((s) => [s.file, s.line]), [['shop/admin.py', 5]]);
  });
});
