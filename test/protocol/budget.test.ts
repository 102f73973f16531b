// The analysis runs in a worker thread with a time budget per file: while one file's analysis
// runs past its budget, the server keeps answering (hovers, other files), the analysis is
// abandoned, the file keeps its last results, and the user is told once, not at every keystroke.
// The test-only marker TASK_RELIABILITY_TEST_HANG_MARKER makes the worker spin forever on a text
// that contains it, as an analysis gone exponential would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const MARKER = 'HANG_FOR_THE_BUDGET_TEST';
const BUDGET_MS = 1000;
const PY = 'import requests\n\n\ndef charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n';

async function pull(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  const report = await server.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  return report.items;
}

async function open(server: ServerUnderTest, uri: string, text: string): Promise<void> {
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
}

/** What the server showed the user (window/showMessageRequest, which the helper answers without logging). */
const shown: string[] = [];
const budgetMessages = (): string[] => shown.filter((m) => m.includes(`longer than ${BUDGET_MS} ms`));

describe('analysis time budget', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ pull: true, settings: { analysisTimeBudgetMs: BUDGET_MS }, env: { TASK_RELIABILITY_TEST_HANG_MARKER: MARKER } });
    server.connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
      shown.push(p.message);
      return null;
    });
  });
  after(async () => server.stop());

  it('answers hovers while a file runs past its budget, keeps that file\'s last results and says so once', async () => {
    const quick = 'file:///work/budget/quick.py';
    await open(server, quick, PY);
    assert.deepEqual((await pull(server, quick)).map((d) => d.code), ['http-timeout']);

    const slow = 'file:///work/budget/slow.py';
    await open(server, slow, `${PY}# ${MARKER}\n`);
    let slowSettled = false;
    const slowPull = pull(server, slow).finally(() => {
      slowSettled = true;
    });
    // The worker is spinning on the slow file; the server's own thread still answers.
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: quick }, position: { line: 4, character: 17 } });
    assert.equal(slowSettled, false, 'the hover was answered before the slow analysis was given up');
    assert.ok(hover !== null && JSON.stringify(hover.contents).includes('http-timeout'), 'the hover shows the finding');

    assert.deepEqual(await slowPull, [], 'a file whose first analysis is abandoned has no results yet');
    assert.equal(budgetMessages().length, 1, 'one message names the file and the budget');
    assert.ok(budgetMessages()[0]?.includes('/work/budget/slow.py'));

    // Typing in the file runs the analysis again, past its budget again, without a second message.
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: slow, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }],
    });
    assert.deepEqual(await pull(server, slow), []);
    assert.equal(budgetMessages().length, 1, 'no second message while typing');

    // A new worker analyses everything else as before.
    const later = 'file:///work/budget/later.py';
    await open(server, later, PY);
    assert.deepEqual((await pull(server, later)).map((d) => d.code), ['http-timeout']);
  });

  it('keeps a file\'s last results when an edit makes its analysis run past the budget', async () => {
    const uri = 'file:///work/budget/kept.py';
    await open(server, uri, PY);
    assert.deepEqual((await pull(server, uri)).map((d) => d.code), ['http-timeout']);
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: `# ${MARKER}\n` }],
    });
    assert.deepEqual((await pull(server, uri)).map((d) => d.code), ['http-timeout'], 'the last results stay');
  });
});
