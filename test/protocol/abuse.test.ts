// The language server under abuse (issue 7): requests no editor should send, in orders no editor
// should use, and a long editing session whose memory must stay flat. Every test ends by checking
// that the server process is still alive and still answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const PY = 'import requests\n\n\ndef charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n';

async function pull(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  const report = await server.connection.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  return report.items;
}

async function open(server: ServerUnderTest, uri: string, text: string, languageId = 'python', version = 1): Promise<void> {
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
}

/** The server still runs and analyses: a fresh document gets its one finding. */
async function assertAlive(server: ServerUnderTest): Promise<void> {
  assert.equal(server.process.exitCode, null, 'the server process is still running');
  const uri = `file:///work/alive-${Math.random().toString(36).slice(2)}.py`;
  await open(server, uri, PY);
  assert.deepEqual((await pull(server, uri)).map((d) => d.code), ['http-timeout']);
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

/** Resident memory of a process, in bytes, from /proc (Linux, as on this project's machines). */
function rss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb * 1024;
}

describe('language server under abuse', () => {
  let server: ServerUnderTest;
  before(async () => {
    server = await startServer({ pull: true });
  });
  after(async () => server.stop());

  it('answers requests at out-of-range positions and applies out-of-range edits at the end', async () => {
    const uri = 'file:///work/abuse/range.py';
    await open(server, uri, PY);
    for (const position of [{ line: 9999, character: 9999 }, { line: 4, character: 100_000 }, { line: -1, character: -5 }, { line: 2 ** 31, character: 0 }]) {
      const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.ok(hover === null || typeof hover === 'object');
      const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri }, range: { start: position, end: { line: 99_999, character: 0 } }, context: { diagnostics: [] },
      });
      assert.ok(Array.isArray(actions));
    }
    // An edit past the end lands at the end, as the LSP text document clamps it.
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 500, character: 3 }, end: { line: 900, character: 0 } }, text: 'requests.get(u)\n' }],
    });
    assert.equal((await pull(server, uri)).length, 2, 'the appended call is analysed');
    await assertAlive(server);
  });

  it('answers for unknown documents with nothing, and ignores their changes and closes', async () => {
    const uri = 'file:///work/abuse/never-opened.py';
    assert.deepEqual(await pull(server, uri), []);
    assert.equal(await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
    assert.equal(await server.connection.sendRequest('taskReliability/fileReport', { uri }), null);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: PY }] });
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'not a uri at all' } });
    await assertAlive(server);
  });

  it('keeps answering for the current text when versions go backwards', async () => {
    const uri = 'file:///work/abuse/stale.py';
    await open(server, uri, PY, 'python', 10);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: `${PY}requests.get(u)\n` }] });
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: 'x = 1\n' }] });
    assert.deepEqual(await pull(server, uri), [], 'the last text sent wins, whatever its version');
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'import requests\nrequests.get(u)\n' }] });
    assert.equal((await pull(server, uri)).length, 1);
    await assertAlive(server);
  });

  it('survives malformed notifications and requests, answering errors where a request cannot be served', async () => {
    const before = server.logs.length;
    await server.connection.sendNotification('textDocument/didOpen', {});
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///work/abuse/bad.py', languageId: 'python', version: 1 } });
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///work/abuse/range.py' }, contentChanges: 'nope' });
    await server.connection.sendNotification('workspace/didChangeConfiguration', null);
    for (const [method, params] of [['textDocument/hover', {}], ['textDocument/codeAction', { textDocument: 5 }], ['textDocument/diagnostic', null], ['taskReliability/fileReport', []]] as const) {
      await server.connection.sendRequest(method, params).then(() => undefined, (error: unknown) => assert.ok(error instanceof Error));
    }
    await assertAlive(server);
    assert.ok(server.logs.length - before < 40, `a few log lines, not a flood (${server.logs.length - before})`);
  });

  it('ends a burst of edits with cancelled pulls on the diagnostics of the final text', async () => {
    const uri = 'file:///work/abuse/burst.py';
    let text = PY;
    await open(server, uri, text);
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      // Type a call, then delete half of it again, a character at a time.
      const line = text.split('\n').length - 1;
      const change = i % 3 === 2
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '' }
        : { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 3 === 0 ? 'requests.get(u)\n' : '#' };
      text = text.split('\n').slice(0, line).join('\n') + '\n' + change.text + text.split('\n').slice(line).join('\n');
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
      const source = new CancellationTokenSource();
      pending.push(server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token).catch(() => undefined));
      if (i % 2 === 0) source.cancel();
    }
    await Promise.all(pending);
    const expected = (text.match(/^requests\.get\(u\)$/gm) ?? []).length + 1;
    assert.equal((await pull(server, uri)).length, expected, 'one finding per call in the final text');
    await assertAlive(server);
  });

  it('keeps resident memory flat over a long editing session (trees deleted, caches bounded)', async () => {
    const uri = 'file:///work/abuse/soak.py';
    const body = Array.from({ length: 150 }, (_, i) => `def f${i}(u):\n    return requests.get(u, timeout=${i + 1})\n`).join('\n');
    await open(server, uri, `import requests\n\n${body}`);
    let version = 1;
    const edit = async (i: number): Promise<void> => {
      // Alternately insert and remove a missing timeout in the middle of the file.
      const line = 2 + (Math.floor(i / 2) % 100) * 3 + 1;
      const change = i % 2 === 0
        ? { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: 'requests.post(u); ' }
        : { range: { start: { line, character: 4 }, end: { line, character: 22 } }, text: '' };
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
      if (i % 10 === 0) await pull(server, uri);
    };
    for (let i = 0; i < 400; i++) await edit(i);
    const pid = server.process.pid ?? 0;
    const start = rss(pid);
    const EDITS = 2000;
    for (let i = 0; i < EDITS; i++) await edit(i);
    const end = rss(pid);
    const growthMb = (end - start) / 2 ** 20;
    console.log(`soak: ${EDITS} edits, ${EDITS / 10} pulls of a ${body.split('\n').length}-line file: RSS ${(start / 2 ** 20).toFixed(1)} MB -> ${(end / 2 ** 20).toFixed(1)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB)`);
    // A leaked tree of this file costs ~0.3 MB of wasm heap: 2,000 leaks would add over 500 MB.
    assert.ok(growthMb < 64, `RSS grew by ${growthMb.toFixed(1)} MB over ${EDITS} edits`);
    assert.equal((await pull(server, uri)).length, 0);
    await assertAlive(server);
  });
});

describe('language server with bad settings and skipped files', () => {
  it('uses the defaults for settings that are not an object, with one log line however often they are read', async () => {
    for (const settings of [42, 'yes', [1, 2], true]) {
      const server = await startServer({ pull: true, settings });
      try {
        for (let i = 0; i < 3; i++) {
          const uri = `file:///work/settings/f${i}.py`;
          await open(server, uri, PY);
          assert.equal((await pull(server, uri)).length, 1, 'the defaults apply');
        }
        const lines = server.logs.filter((l) => /settings must be an object/.test(l));
        assert.equal(lines.length, 1, `one clear line for ${JSON.stringify(settings)}: ${JSON.stringify(server.logs)}`);
      } finally {
        await server.stop();
      }
    }
  });

  it('ignores each field of the wrong type with one line per field, keeping the others', async () => {
    const server = await startServer({ pull: true, settings: { enable: null, rules: 'all', maxFileSize: 'big', exclude: 5, fixTimeoutSeconds: -1, scanOnStartup: 'no' } });
    try {
      for (let i = 0; i < 3; i++) {
        const uri = `file:///work/settings/g${i}.py`;
        await open(server, uri, PY);
        const [d] = await pull(server, uri);
        assert.equal(d?.code, 'http-timeout');
        assert.match(JSON.stringify(d?.data), /timeout=10/, 'the default fix timeout');
      }
      const problems = server.logs.filter((l) => /^Settings: /.test(l));
      assert.equal(problems.length, 5, problems.join('\n'));
      assert.equal(new Set(problems).size, problems.length);
    } finally {
      await server.stop();
    }
  });

  it('skips files over maxFileSize and binary files with one information message each, and analyses nothing there', async () => {
    const server = await startServer({ pull: true, settings: { maxFileSize: 2000 } });
    // The server shows these with window/showMessageRequest (the helper answers it without logging).
    const shown: string[] = [];
    server.connection.onRequest('window/showMessageRequest', (p: { message: string; type: number }) => {
      shown.push(`${p.type}: ${p.message}`);
      return null;
    });
    try {
      const big = 'file:///work/skip/big.py';
      await open(server, big, `${PY}${'# padding\n'.repeat(300)}`);
      const binary = 'file:///work/skip/binary.py';
      await open(server, binary, `${PY}\u0000\u0001\u0002`);
      for (let version = 2; version < 6; version++) {
        for (const uri of [big, binary]) {
          assert.deepEqual(await pull(server, uri), []);
          await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#\n' }] });
        }
      }
      // A file that grows past the limit is skipped (its tree freed), and analysed again once it shrinks.
      const grows = 'file:///work/skip/grows.py';
      await open(server, grows, PY);
      assert.equal((await pull(server, grows)).length, 1);
      const padding = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '# padding\n'.repeat(300) };
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: grows, version: 2 }, contentChanges: [padding] });
      assert.deepEqual(await pull(server, grows), []);
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: grows, version: 3 }, contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 305, character: 0 } }, text: 'requests.get(u)\n' }] });
      assert.equal((await pull(server, grows)).length, 2);
      const report = await server.connection.sendRequest<{ skipped?: string; findings: unknown[] }>('taskReliability/fileReport', { uri: big });
      assert.match(report.skipped ?? '', /larger than taskReliability\.maxFileSize \(2000 bytes\)/);
      assert.deepEqual(report.findings, []);
      const messages = [...shown, ...server.logs.filter((l) => l.startsWith('showMessage: '))];
      assert.ok(shown.every((m) => m.startsWith('3: ')), `information messages: ${shown.join('\n')}`);
      assert.equal(messages.filter((m) => /maxFileSize/.test(m)).length, 2, `one for big.py, one for grows.py:\n${messages.join('\n')}`);
      assert.equal(messages.filter((m) => /binary/.test(m)).length, 1, messages.join('\n'));
      assert.equal(server.logs.filter((l) => /big\.py: .*not analysed/.test(l)).length, 1, server.logs.join('\n'));
      await assertAlive(server);
    } finally {
      await server.stop();
    }
  });
});
