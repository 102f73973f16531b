// Typing inside a function body of a document in a project: the diagnostics the server pushes or
// answers to a pull after a burst of keystrokes must be those of a fresh open of the final text
// (the analysis worker answers such edits by the in-body edit's fast path, which must change nothing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/analyzer.js';
import { pullWithProject, startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const FILE = 'shop/orders/tasks.py';
/**
 * Typed a character at a time into `notify_partner`'s body, each right before the first `before`:
 * a call that needs a timeout (a new finding; it starts the body, which the fast path leaves to a
 * whole analysis), then a path typed into a URL inside the body (the fast path's case).
 */
const BURSTS = [
  { before: 'requests.post(', typed: 'requests.get(f"https://partner.example/{order_id}")\n    ' },
  { before: '", json=', typed: '/v2' },
  // A line added in a body between two others with findings: the server keeps the diagnostics of
  // the findings before it and moves those after it by a line, converting only the body's own.
  { before: 'return order_id', typed: 'total = 1\n    ' },
  { before: 'return order_id', typed: 'total = 2\n    ' },
];

/** Functions with findings appended to the fixture's module: the last bursts type into the middle one. */
const MORE = [
  '',
  '',
  'def first(order_id):',
  '    requests.get("https://first.example/")',
  '',
  '',
  'def middle(order_id):',
  '    requests.get("https://middle.example/")',
  '    return order_id',
  '',
  '',
  'def last(order_id):',
  '    requests.get("https://last.example/", params={"id": order_id})',
  '',
].join('\n');

/** The diagnostics the server kept of a previous pull, from its trace. */
function keptDiagnostics(trace: string): number {
  return Math.max(0, ...[...trace.matchAll(/diagnostics kept (\d+) before and (\d+) after/g)].map((m) => Math.min(Number(m[1]), Number(m[2]))));
}

/** The server over a copy of the python-shop project, with its trace read (the fast path's counter). */
function tracedServer(pull: boolean): { server: () => ServerUnderTest; uri: string; text: string; trace: () => string } {
  let server: ServerUnderTest | undefined;
  let root = '';
  let uri = '';
  let text = '';
  let traced = '';
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-body-edits-'));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', 'python-shop'), root, { recursive: true });
    uri = pathToFileURL(path.join(root, FILE)).href;
    text = `${fs.readFileSync(path.join(root, FILE), 'utf8').trimEnd()}\n${MORE}`;
    fs.writeFileSync(path.join(root, FILE), text);
    server = await startServer({ pull, workspaceFolders: [root], env: { TASK_RELIABILITY_TRACE: '1' } });
    server.process.stderr?.on('data', (chunk: Buffer) => {
      traced += chunk.toString();
    });
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    server: () => {
      assert.ok(server !== undefined, 'the server is started');
      return server;
    },
    get uri() {
      return uri;
    },
    get text() {
      return text;
    },
    trace: () => traced,
  };
}

/** The line and character of an offset. */
function positionOf(text: string, offset: number): { line: number; character: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: (lines.at(-1) ?? '').length };
}

/** Types a burst into `text` one character at a time, each its own change of its own version; returns the new text and last version. */
async function type(server: ServerUnderTest, uri: string, text: string, burst: (typeof BURSTS)[number], version: number): Promise<{ text: string; version: number }> {
  const offset = text.indexOf(burst.before);
  assert.ok(offset >= 0, `the fixture holds ${burst.before}`);
  const { typed } = burst;
  let position = positionOf(text, offset);
  for (const character of typed) {
    version++;
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: position, end: position }, text: character }],
    });
    position = character === '\n' ? { line: position.line + 1, character: 0 } : { line: position.line, character: position.character + 1 };
  }
  return { text: `${text.slice(0, offset)}${typed}${text.slice(offset)}`, version };
}

/** The highest fast path counter the worker traced. */
function fastPathHits(trace: string): number {
  return Math.max(0, ...[...trace.matchAll(/fast path hits (\d+) of/g)].map((m) => Number(m[1])));
}

describe('language server: typing in a function body of a document in a project', () => {
  describe('a client that pulls', () => {
    const session = tracedServer(true);

    it('answers the pull after each burst as a fresh open of the text answers it, taking the fast path', async () => {
      const server = session.server();
      const { uri } = session;
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: session.text } });
      const opened = await pullWithProject(server, uri);
      // The task's finding names the project's Celery app; the plain functions' findings name nothing.
      assert.ok(opened.some((d) => d.relatedInformation !== undefined), 'the findings of the open file come from its project');
      let state = { text: session.text, version: 1 };
      let edited: Diagnostic[] = [];
      for (const burst of BURSTS) {
        state = await type(server, uri, state.text, burst, state.version);
        edited = await pullWithProject(server, uri);
      }
      const { version } = state;
      assert.ok(edited.some((d) => d.code === 'http-timeout'), 'the call typed in the second burst is reported');
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: version + 1, text: state.text } });
      assert.deepEqual(edited, await pullWithProject(server, uri));
      assert.ok(fastPathHits(session.trace()) > 0, 'an edit burst took the fast path');
      assert.ok(keptDiagnostics(session.trace()) > 0, 'a pull kept the diagnostics before and after the edited function');
    });
  });

  describe('a client that takes pushes', () => {
    const session = tracedServer(false);

    it('pushes the final version of each burst as a fresh open of the text is pushed', async () => {
      const server = session.server();
      const { uri } = session;
      // The first push may be the file's own analysis: the one with its project follows it.
      const withProject = server.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.relatedInformation !== undefined));
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: session.text } });
      await withProject;
      let state = { text: session.text, version: 1 };
      let edited: Diagnostic[] = [];
      for (const burst of BURSTS) {
        const last = state.version + [...burst.typed].length;
        const pushed = server.nextDiagnostics(uri, (p) => p.version === last);
        state = await type(server, uri, state.text, burst, state.version);
        edited = (await pushed).diagnostics;
      }
      const { version } = state;
      assert.ok(edited.some((d) => d.code === 'http-timeout'), 'the call typed in the second burst is reported');
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const reopened = server.nextDiagnostics(uri, (p) => p.version === version + 1);
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: version + 1, text: state.text } });
      assert.deepEqual(edited, (await reopened).diagnostics);
      assert.ok(fastPathHits(session.trace()) > 0, 'an edit burst took the fast path');
    });
  });
});
