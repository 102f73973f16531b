import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/analyzer.js';
import { pullWithProject, startServer, type ServerUnderTest } from '../helpers/lsp-client.js';


/** The diagnostics of an open document with its project (see pullWithProject). */
async function pull(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  return pullWithProject(server, uri);
}

/**
 * A language server over a copy of a fixture project (the tests edit it), started before the
 * describe's tests and stopped after them; `open` sends a fixture file's text as an open document.
 */
function projectServer(fixture: string, languageId: string): { server: () => ServerUnderTest; file: (rel: string) => string; uri: (rel: string) => string; open: (rel: string) => Promise<string> } {
  let server: ServerUnderTest | undefined;
  let root = '';
  const running = (): ServerUnderTest => {
    assert.ok(server !== undefined, 'the server is started');
    return server;
  };
  const uri = (rel: string): string => pathToFileURL(path.join(root, rel)).href;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), `tr-${fixture}-`));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', fixture), root, { recursive: true });
    server = await startServer({ pull: true, workspaceFolders: [root] });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    server: running,
    file: (rel) => path.join(root, rel),
    uri,
    open: async (rel) => {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      await running().connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId, version: 1, text } });
      return text;
    },
  };
}

describe('language server: the project model', () => {
  const session = projectServer('python-shop', 'python');
  const { file, uri, open } = session;
  let server: ServerUnderTest;
  before(() => {
    server = session.server();
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

  it('reads an open module\'s text after a whole-text change even when a dependent is analysed first', async () => {
    // The editor's settings acknowledge late, the disk's do not. A whole-text change of the settings,
    // then one of the task module, whose diagnostics are pulled before the settings' own: the task
    // module must read the settings the editor has, never the disk's.
    const settings = fs.readFileSync(file('shop/settings.py'), 'utf8').replace('CELERY_TASK_ACKS_LATE = False', 'CELERY_TASK_ACKS_LATE = True');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/settings.py'), version: 4 }, contentChanges: [{ text: `# Staging settings.\n${settings}` }] });
    const tasks = fs.readFileSync(file('shop/orders/tasks.py'), 'utf8');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/orders/tasks.py'), version: 2 }, contentChanges: [{ text: `# Partner notifications.\n${tasks}` }] });
    const first = await pull(server, uri('shop/orders/tasks.py'));
    assert.deepEqual(first.map((d) => d.code).sort(), ['retry-no-backoff', 'retry-unbounded']);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('shop/orders/tasks.py'), version: 3 }, contentChanges: [{ text: tasks }] });
  });

  it('reads a change on disk to a module that is not open', async () => {
    fs.writeFileSync(file('shop/celeryconf.py'), fs.readFileSync(file('shop/celeryconf.py'), 'utf8').replace('app = Celery("shop")', 'app = Flask("shop")').replace('from celery import Celery', 'from flask import Flask'));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('shop/celeryconf.py'), type: 2 }] });
    const after = await pull(server, uri('shop/orders/tasks.py'));
    // `app` is a Flask app now: what the module says wins over the decorator's Celery-only keyword.
    assert.deepEqual(after.map((d) => d.code), []);
  });
});

describe('language server: Java beans across files', () => {
  const session = projectServer('java-payments', 'java');
  const { uri, open } = session;
  const base = 'src/main/java/com/acme/payments';
  let server: ServerUnderTest;
  before(() => {
    server = session.server();
  });

  it('reports a request through an injected bean built without a timeout, pointing at the @Bean method, until an edit of that method gives it one', async () => {
    await open(`${base}/partner/PartnerGateway.java`);
    const before = await pull(server, uri(`${base}/partner/PartnerGateway.java`));
    assert.deepEqual(before.map((d) => `${d.code}:${d.range.start.line}`), ['http-timeout:15']);
    assert.deepEqual(before[0]?.relatedInformation?.map((r) => `${r.location.uri}:${r.location.range.start.line}`), [`${uri(`${base}/config/HttpConfig.java`)}:11`]);
    const config = await open(`${base}/config/HttpConfig.java`);
    // A method outside the beans changes no summary: the dependent keeps its finding.
    const helper = config.replace('@Configuration\npublic class HttpConfig {\n', '@Configuration\npublic class HttpConfig {\n    int retries() {\n        return 3;\n    }\n\n');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(`${base}/config/HttpConfig.java`), version: 2 }, contentChanges: [{ text: helper }] });
    await pull(server, uri(`${base}/config/HttpConfig.java`));
    assert.deepEqual((await pull(server, uri(`${base}/partner/PartnerGateway.java`))).map((d) => d.code), ['http-timeout']);
    // A request factory given to the bean's RestTemplate bounds its requests.
    const timed = helper.replace('return new RestTemplate();', 'return new RestTemplate(new SimpleClientHttpRequestFactory());');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(`${base}/config/HttpConfig.java`), version: 3 }, contentChanges: [{ text: timed }] });
    await pull(server, uri(`${base}/config/HttpConfig.java`));
    assert.deepEqual(await pull(server, uri(`${base}/partner/PartnerGateway.java`)), []);
  });

  it('answers the language-model tools: an audit of a file that is not open sees the bean its project gives it; a bad input is an error the model can read', async () => {
    const files = [{ uri: uri(`${base}/events/PaymentEvents.java`), path: 'PaymentEvents.java' }];
    const audit = await server.connection.sendRequest<{ markdown: string }>('taskReliability/book', { tool: 'audit', files });
    assert.match(audit.markdown, /kafka-producer-no-idempotence/);
    assert.match(audit.markdown, /`producerFactory` ProducerFactory bean/);
    const route = await server.connection.sendRequest<{ markdown: string }>('taskReliability/book', { tool: 'route', task: 'publish payment events to Kafka', files });
    assert.match(route.markdown, /PaymentEvents\.java/);
    const rule = await server.connection.sendRequest<{ markdown: string }>('taskReliability/book', { tool: 'rule', id: 'R6.1' });
    assert.match(rule.markdown, /R6\.1/);
    await assert.rejects(server.connection.sendRequest('taskReliability/book', { tool: 'rule', id: 'http-timeout' }), /is not a rule id: rule ids read R<chapter>\.<n>/);
    await assert.rejects(server.connection.sendRequest('taskReliability/book', { tool: 'route', files: [] }), /Give `task`/);
  });
});
