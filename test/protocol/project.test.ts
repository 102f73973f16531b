import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/analyzer.js';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'projects', 'python-shop');

async function pull(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  const report = await server.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.items;
}

describe('language server: the project model', () => {
  let server: ServerUnderTest;
  let root: string;
  const uri = (rel: string): string => pathToFileURL(path.join(root, rel)).href;
  const open = async (rel: string): Promise<string> => {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId: 'python', version: 1, text } });
    return text;
  };

  before(async () => {
    // A copy: the test edits the project.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-project-'));
    fs.cpSync(FIXTURE, root, { recursive: true });
    server = await startServer({ pull: true, workspaceFolders: [root] });
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports the findings of a task whose Celery app is defined in another module, with that module as related information', async () => {
    await open('shop/orders/tasks.py');
    const diagnostics = await pull(server, uri('shop/orders/tasks.py'));
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['retry-no-backoff', 'retry-unbounded', 'task-ack-early-side-effects']);
    for (const d of diagnostics) {
      assert.deepEqual(d.relatedInformation, [{
        location: { uri: uri('shop/celeryconf.py'), range: { start: { line: 6, character: 0 }, end: { line: 6, character: 3 } } },
        message: '`app` is the Celery app defined in shop/celeryconf.py:7',
      }]);
    }
  });

  it('says in the hover where the app comes from', async () => {
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('shop/orders/tasks.py') }, position: { line: 5, character: 2 } });
    // Over the task's decorator, the task's own lines from the map come first, then the card.
    assert.match((hover?.contents as MarkupContent).value, /^\*\*Task `notify_partner`\*\*[^]*\n---\n\n`app` is the Celery app defined in shop\/celeryconf\.py:7\./);
  });

  it('analyses a dependent again when an edit changes a module it reads, and not for an edit that changes no summary', async () => {
    const settings = await open('shop/settings.py');
    assert.deepEqual(await pull(server, uri('shop/settings.py')), []);
    // A comment changes no summary: the dependent keeps its findings.
    const commented = `# Production settings.\n${settings}`;
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/settings.py'), version: 2 }, contentChanges: [{ text: commented }] });
    await pull(server, uri('shop/settings.py'));
    assert.ok((await pull(server, uri('shop/orders/tasks.py'))).some((d) => d.code === 'task-ack-early-side-effects'));
    // Acknowledging late in the Django settings the app reads (namespace CELERY) removes the finding.
    const late = commented.replace('CELERY_TASK_ACKS_LATE = False', 'CELERY_TASK_ACKS_LATE = True');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/settings.py'), version: 3 }, contentChanges: [{ text: late }] });
    await pull(server, uri('shop/settings.py'));
    const after = await pull(server, uri('shop/orders/tasks.py'));
    assert.deepEqual(after.map((d) => d.code).sort(), ['retry-no-backoff', 'retry-unbounded']);
  });

  it('reads a change on disk to a module that is not open', async () => {
    fs.writeFileSync(path.join(root, 'shop/celeryconf.py'), fs.readFileSync(path.join(root, 'shop/celeryconf.py'), 'utf8').replace('app = Celery("shop")', 'app = Flask("shop")').replace('from celery import Celery', 'from flask import Flask'));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('shop/celeryconf.py'), type: 2 }] });
    const after = await pull(server, uri('shop/orders/tasks.py'));
    // `app` is a Flask app now: what the module says wins over the decorator's Celery-only keyword.
    assert.deepEqual(after.map((d) => d.code), []);
  });
});
