import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SCAN_WORKSPACE_REQUEST, TASK_MAP_REQUEST } from '../../server/src/protocol.js';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

/** A Celery task that sends mail, enqueued from a webhook view with no key: webhook-enqueue-no-key in views.py. */
const TASKS = [
  'from celery import shared_task',
  'from django.core.cache import cache',
  'from django.core.mail import send_mail',
  '',
  '',
  '@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True)',
  'def send_receipt(order_id):',
  '    send_mail("Receipt", f"Order {order_id}", "shop@example.com", ["buyer@example.com"])',
  '',
].join('\n');
const GUARDED = TASKS.replace('def send_receipt(order_id):\n', 'def send_receipt(order_id):\n    if not cache.add(f"receipt:{order_id}", True, timeout=86400):\n        return\n');
const VIEWS = [
  'from .tasks import send_receipt',
  '',
  '',
  'def stripe_webhook(request):',
  '    send_receipt.delay(request.POST["order"])',
  '',
].join('\n');
const RULE = 'webhook-enqueue-no-key';

function makeProject(prefix: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files: Record<string, string> = { 'pyproject.toml': '[project]\nname = "shop"\n', 'shop/__init__.py': '', 'shop/tasks.py': TASKS, 'shop/views.py': VIEWS };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const hasRule = (p: PublishDiagnosticsParams): boolean => p.diagnostics.some((d) => d.code === RULE);

/** A server started on a fresh copy of the project for one describe block, stopped and removed after it. */
function serverOn(prefix: string): { server: () => ServerUnderTest; uri: (rel: string) => string; folder: () => string } {
  let server: ServerUnderTest | undefined;
  let root = '';
  before(async () => {
    root = makeProject(prefix);
    server = await startServer({ pull: false, workspaceFolders: [root] });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    server: () => {
      assert.ok(server !== undefined, 'the server started');
      return server;
    },
    uri: (rel) => pathToFileURL(path.join(root, rel)).href,
    folder: () => pathToFileURL(root).href,
  };
}

describe('language server: the project rules\' findings with each file\'s diagnostics', () => {
  const { server, uri, folder } = serverOn('tr-project-findings-');

  it('publishes a project finding in the enqueuing file, drops it when the task gains a guard, and brings it back', async () => {
    // The Tasks tab asks for the map: from then on the folder is joined again on every change.
    await server().connection.sendRequest(TASK_MAP_REQUEST, { uri: folder() });
    const shown = server().nextDiagnostics(uri('shop/views.py'), hasRule);
    await server().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/views.py'), languageId: 'python', version: 1, text: VIEWS } });
    const first = (await shown).diagnostics.find((d) => d.code === RULE);
    assert.equal(first?.range.start.line, 4, 'on the enqueue');
    assert.match(typeof first?.message === 'string' ? first.message : '', /`send_receipt` is enqueued from a web handler with no idempotency key/);

    // Its quick fixes come from the diagnostic, as a file's own findings' do.
    const actions = await server().connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri('shop/views.py') }, range: (first as Diagnostic).range, context: { diagnostics: [first] } });
    assert.ok(actions.some((a) => a.title === `Suppress ${RULE} on this line`), JSON.stringify(actions.map((a) => a.title)));

    const gone = server().nextDiagnostics(uri('shop/views.py'), (p) => !hasRule(p));
    await server().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/tasks.py'), languageId: 'python', version: 1, text: TASKS } });
    await server().connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/tasks.py'), version: 2 }, contentChanges: [{ text: GUARDED }] });
    await gone;

    const back = server().nextDiagnostics(uri('shop/views.py'), hasRule);
    await server().connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/tasks.py'), version: 3 }, contentChanges: [{ text: TASKS }] });
    assert.equal((await back).diagnostics.filter((d) => d.code === RULE).length, 1);
  });

  it('follows the task file changed on disk while it is closed', async () => {
    await server().connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri('shop/tasks.py') } });
    const gone = server().nextDiagnostics(uri('shop/views.py'), (p) => !hasRule(p));
    fs.writeFileSync(fileURLToPath(uri('shop/tasks.py')), GUARDED);
    await server().connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('shop/tasks.py'), type: 2 }] });
    await gone;
  });
});

describe('language server: a hover before the folder\'s task map is built', () => {
  const { server, uri, folder } = serverOn('tr-project-hover-');

  it('shows what the file alone says, says so, and starts no build; the project findings wait for the map', async () => {
    const published = server().nextDiagnostics(uri('shop/views.py'));
    await server().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/views.py'), languageId: 'python', version: 1, text: VIEWS } });
    assert.equal((await published).diagnostics.filter((d) => d.code === RULE).length, 0, 'no project findings before the map is built');
    await server().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/tasks.py'), languageId: 'python', version: 1, text: TASKS } });
    const hover = await server().connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('shop/tasks.py') }, position: { line: 6, character: 6 } });
    const text = hover === null ? '' : (hover.contents as MarkupContent).value;
    assert.match(text, /\*\*Task `send_receipt`\*\*/);
    assert.match(text, /No enqueue site/, 'the caller in views.py is not known to the file alone');
    assert.match(text, /task map of this folder is built when the Tasks tab opens or a workspace scan ends/);

    // Once the map is asked for, the hover has the caller and the view its project finding.
    const shown = server().nextDiagnostics(uri('shop/views.py'), hasRule);
    await server().connection.sendRequest(TASK_MAP_REQUEST, { uri: folder() });
    await shown;
    const again = await server().connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('shop/tasks.py') }, position: { line: 6, character: 6 } });
    const full = again === null ? '' : (again.contents as MarkupContent).value;
    assert.match(full, /Enqueued from 1 place/);
    assert.doesNotMatch(full, /this shows what this file alone says/);
  });
});

describe('language server: a workspace scan builds the task map', () => {
  const { server, uri } = serverOn('tr-project-scan-');

  it('publishes the project findings of an open document once the scan ends, with no map request', async () => {
    const first = server().nextDiagnostics(uri('shop/views.py'));
    await server().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('shop/views.py'), languageId: 'python', version: 1, text: VIEWS } });
    assert.equal((await first).diagnostics.filter((d) => d.code === RULE).length, 0);
    const shown = server().nextDiagnostics(uri('shop/views.py'), hasRule);
    await server().connection.sendRequest(SCAN_WORKSPACE_REQUEST, {});
    await shown;
  });
});

describe('language server: the project findings of closed files after a workspace scan', () => {
  const { server, uri } = serverOn('tr-project-closed-');

  it('publishes them with the scan\'s diagnostics of the closed file, and drops them when the cause goes on disk', async () => {
    const shown = server().nextDiagnostics(uri('shop/views.py'), hasRule);
    await server().connection.sendRequest(SCAN_WORKSPACE_REQUEST, {});
    const finding = (await shown).diagnostics.find((d) => d.code === RULE);
    assert.equal(finding?.range.start.line, 4, 'on the enqueue, in the file nobody opened');

    const gone = server().nextDiagnostics(uri('shop/views.py'), (p) => !hasRule(p));
    fs.writeFileSync(fileURLToPath(uri('shop/tasks.py')), GUARDED);
    await server().connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('shop/tasks.py'), type: 2 }] });
    await gone;
  });
});
