import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LSPErrorCodes, ResponseError, type CodeAction, type Diagnostic, type Hover, type MarkupContent, type TextEdit } from 'vscode-languageserver-protocol';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const PY = `import requests

def charge(order):
    return requests.post("https://pay.example.com/charge", json=order)
`;
const YAML = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-export
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: export
              image: example/export:1.0
`;

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

async function pull(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  const report = await server.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.items;
}

/** A Python file whose version `k` has exactly `k` findings: one call without a timeout per line. */
const TYPING_HEAD = 'import requests\n\n';
const typingLine = (i: number): string => `requests.get("https://example.com/${i}")\n`;
const typingText = (k: number): string => TYPING_HEAD + Array.from({ length: k }, (_, i) => typingLine(i)).join('');
/** The change from version `k - 1` to `k`: one more line at the end. */
const typingChange = (k: number) => ({ range: { start: { line: k + 1, character: 0 }, end: { line: k + 1, character: 0 } }, text: typingLine(k - 1) });

describe('language server over stdio (pull diagnostics)', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ pull: true });
  });
  after(async () => server.stop());

  it('reports a missing timeout with rule id, book link, source and fix data', async () => {
    const uri = 'file:///work/app/pay.py';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
    const [diagnostic, ...rest] = await pull(server, uri);
    assert.equal(rest.length, 0);
    assert.ok(diagnostic);
    assert.equal(diagnostic.code, 'http-timeout');
    assert.equal(diagnostic.source, 'task-reliability');
    assert.deepEqual(diagnostic.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 24 } });
    assert.match(String(diagnostic.codeDescription?.href ?? ''), /06-timeouts-and-deadlines\.md#r6-1$/);
    assert.match(String(diagnostic.message), /no timeout/);
  });

  it('hovers the call with its finding, rule R6.1, the quick fix and the chapter link', async () => {
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: 'file:///work/app/pay.py' },
      position: { line: 3, character: 15 },
    });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /`http-timeout`: .*no timeout/);
    assert.match(value, /\*\*RULE:\*\*/);
    assert.match(value, /\*\*APPLY \(requests\):\*\*[\s\S]*timeout=\(3\.05, 10\)/);
    assert.match(value, /\*\*Quick fix:\*\* Add timeout=10/);
    assert.match(value, /\[Open R6\.1 in the book\]\(.*\) · \[All rules of chapter 6\]/);
  });

  it('offers the preferred fix, suppressions and the book, and the fix removes the finding', async () => {
    const uri = 'file:///work/app/pay.py';
    const diagnostics = await pull(server, uri);
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]?.range,
      context: { diagnostics },
    });
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Add timeout=10', 'Suppress http-timeout on this line', 'Suppress http-timeout in this file', 'Open R6.1 in the book (chapter 6)']);
    const fix = actions[0];
    assert.equal(fix?.isPreferred, true);
    const edits = fix?.edit?.changes?.[uri] ?? [];
    const fixed = applyEdits(PY, edits);
    assert.match(fixed, /json=order, timeout=10\)/);
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    assert.deepEqual(await pull(server, uri), []);
  });

  it('flags and fixes a CronJob without concurrencyPolicy', async () => {
    const uri = 'file:///work/k8s/cron.yaml';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: YAML } });
    const diagnostics = await pull(server, uri);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['cron-missing-deadline', 'cron-overlap']);
    const overlap = diagnostics.find((d) => d.code === 'cron-overlap');
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: overlap?.range, context: { diagnostics: overlap === undefined ? [] : [overlap] },
    });
    const fixed = applyEdits(YAML, actions[0]?.edit?.changes?.[uri] ?? []);
    assert.match(fixed, /schedule: "0 2 \* \* \*"\n {2}concurrencyPolicy: Forbid\n/);
  });

  it('applies every safe fix with source.fixAll.taskReliability', async () => {
    const uri = 'file:///work/k8s/cron.yaml';
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.taskReliability'] },
    });
    assert.equal(actions.length, 1);
    const fixed = applyEdits(YAML, actions[0]?.edit?.changes?.[uri] ?? []);
    assert.match(fixed, /concurrencyPolicy: Forbid/);
    assert.match(fixed, /startingDeadlineSeconds: 300/);
  });

  it('answers a pull with its version or a newer one, or asks the client to pull again; never with a stale one', async () => {
    const uri = 'file:///work/app/typing.py';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: typingText(1) } });
    // Bursts of typing: every change is followed at once by a pull, without waiting for answers;
    // then a pause, in which every answer arrives. The last pull of a burst cannot go stale.
    for (const burst of [[2, 3, 4], [5, 6, 7], [8, 9, 10, 11, 12]]) {
      const answers: Promise<{ findings: number } | { code: number; retrigger: unknown }>[] = [];
      for (const k of burst) {
        void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: k }, contentChanges: [typingChange(k)] });
        answers.push(server.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }).then(
          (report) => ({ findings: report.items.length }),
          (error: unknown) => {
            assert.ok(error instanceof ResponseError, String(error));
            return { code: error.code, retrigger: (error.data as { retriggerRequest?: unknown } | undefined)?.retriggerRequest };
          },
        ));
      }
      const results = await Promise.all(answers);
      results.forEach((result, i) => {
        const version = burst[i] ?? 0;
        if ('code' in result) assert.deepEqual(result, { code: LSPErrorCodes.ServerCancelled, retrigger: true });
        else assert.ok(result.findings >= version, `the pull sent after version ${version} was answered with ${result.findings} findings`);
      });
      assert.deepEqual(results.at(-1), { findings: burst.at(-1) });
    }
  });

  it('turns a rule off from the settings', async () => {
    const quiet = await startServer({ pull: true, settings: { rules: { 'http-timeout': 'off' } } });
    try {
      const uri = 'file:///work/app/quiet.py';
      await quiet.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
      assert.deepEqual(await pull(quiet, uri), []);
    } finally {
      await quiet.stop();
    }
  });

  it('survives settings of the wrong type, with one log line, and uses the defaults', async () => {
    const odd = await startServer({ pull: true, settings: { enable: 'yes', maxFileSize: -3, rules: { 'http-timeout': 42 } } });
    try {
      const uri = 'file:///work/app/odd.py';
      await odd.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
      assert.equal((await pull(odd, uri)).length, 1);
      assert.ok(odd.logs.some((l) => /taskReliability\.enable must be true or false/.test(l)));
    } finally {
      await odd.stop();
    }
  });
});

describe('test, example, generated and minified files in the editor', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ pull: true });
  });
  after(async () => server.stop());

  it('shows the findings of an open test file as hints, and keeps its hover', async () => {
    const uri = 'file:///work/app/test_pay.py';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
    const diagnostics = await pull(server, uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['http-timeout', 4]]);
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 15 } });
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /R6\.1/);
  });

  it('shows nothing in a minified or generated file, and logs why once', async () => {
    const minified = 'file:///work/static/vendor.min.js';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: minified, languageId: 'javascript', version: 1, text: 'const axios = require("axios");\naxios.get("https://example.com");\n' } });
    assert.deepEqual(await pull(server, minified), []);
    assert.deepEqual(await pull(server, minified), []);
    assert.equal(server.logs.filter((l) => l.includes('vendor.min.js') && /minified code/.test(l)).length, 1, server.logs.join('\n'));
    const generated = 'file:///work/app/api_pb2.py';
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: generated, languageId: 'python', version: 1, text: `# Generated by the protocol buffer compiler.  DO NOT EDIT!\n${PY}` } });
    assert.deepEqual(await pull(server, generated), []);
    assert.ok(server.logs.some((l) => l.includes('api_pb2.py') && /generated code/.test(l)));
    assert.ok(!server.logs.some((l) => l.startsWith('showMessage:') && /generated|minified/.test(l)), 'no pop-up');
  });

  it('reports test code as production code with testCode "report", and not at all with "skip"', async () => {
    for (const [testCode, expected] of [['report', [['http-timeout', 2]]], ['skip', []]] as const) {
      const other = await startServer({ pull: true, settings: { testCode } });
      try {
        const uri = 'file:///work/app/pay_test.py';
        await other.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
        assert.deepEqual((await pull(other, uri)).map((d) => [d.code, d.severity]), expected, testCode);
      } finally {
        await other.stop();
      }
    }
  });
});

describe('code actions resolved on demand (codeAction/resolve)', () => {
  it('offers fix-all without computing it, and computes it when resolved', async () => {
    const server = await startServer({ pull: true, resolveEdits: true });
    try {
      const uri = 'file:///work/app/many.py';
      const text = typingText(3);
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      const diagnostics = await pull(server, uri);
      assert.equal(diagnostics.length, 3);
      const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri }, range: diagnostics[0]?.range, context: { diagnostics: diagnostics.slice(0, 1) },
      });
      const lazy = actions.find((a) => a.title === 'Fix all safe http-timeout problems in this file');
      assert.ok(lazy !== undefined, JSON.stringify(actions.map((a) => a.title)));
      assert.equal(lazy.edit, undefined);
      const resolved = await server.connection.sendRequest<CodeAction>('codeAction/resolve', lazy);
      const fixed = applyEdits(text, resolved.edit?.changes?.[uri] ?? []);
      assert.equal((fixed.match(/timeout=10\)/g) ?? []).length, 3);
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
      assert.deepEqual(await pull(server, uri), []);
    } finally {
      await server.stop();
    }
  });
});

describe('language server over stdio (push diagnostics, for older clients)', () => {
  it('publishes versions in order, each with its own diagnostics, after a burst of changes', async () => {
    const server = await startServer({ pull: false });
    try {
      const uri = 'file:///work/app/burst.py';
      const seen: { version: number | undefined; findings: number }[] = [];
      let waiting: { version: number; resolve: () => void } | undefined;
      server.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
        if (p.uri !== uri) return;
        seen.push({ version: p.version, findings: p.diagnostics.length });
        if (waiting !== undefined && p.version === waiting.version) waiting.resolve();
      });
      const published = (version: number): Promise<void> => new Promise((resolve) => {
        waiting = { version, resolve };
      });
      let done = published(1);
      void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: typingText(1) } });
      await done;
      for (const burst of [[2, 3, 4], [5, 6, 7, 8]]) {
        done = published(burst.at(-1) ?? 0);
        for (const k of burst) void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: k }, contentChanges: [typingChange(k)] });
        await done;
      }
      // Version k has k findings: a version published with another's diagnostics, or after a newer one, is stale.
      for (const [i, p] of seen.entries()) {
        assert.equal(p.findings, p.version, `version ${p.version} was published with ${p.findings} findings`);
        if (i > 0) assert.ok((p.version ?? 0) > (seen[i - 1]?.version ?? 0), `version ${p.version} was published after version ${seen[i - 1]?.version}`);
      }
    } finally {
      await server.stop();
    }
  });


  it('publishes diagnostics for the current version after each change', async () => {
    const server = await startServer({ pull: false });
    try {
      const uri = 'file:///work/app/push.py';
      const first = server.nextDiagnostics(uri, (p) => p.version === 1);
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: PY } });
      assert.equal((await first).diagnostics.length, 1);
      const second = server.nextDiagnostics(uri, (p) => p.version === 2);
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 3, character: 69 }, end: { line: 3, character: 69 } }, text: ', timeout=5' }],
      });
      assert.equal((await second).diagnostics.length, 0);
    } finally {
      await server.stop();
    }
  });
});
