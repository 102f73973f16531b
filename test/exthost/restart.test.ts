// Kills the language server under a real VS Code (issue 7): the client must start it again and the
// diagnostics must come back. The test runs inside the extension host, and the client forks the
// server from it over IPC, so the server is a child of this process running dist/server.js.
// Every wait is for an event (diagnostics changing), never for a clock.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import * as vscode from 'vscode';

const PY = `import requests


def charge(order):
    return requests.post("https://pay.example.com/charge", json=order)
`;

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'task-reliability');

function diagnosticsWhere(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const now = ours(uri);
    if (accept(now)) {
      resolve(now);
      return;
    }
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const current = ours(uri);
      if (accept(current)) {
        sub.dispose();
        resolve(current);
      }
    });
  });
}

/** Child processes of this extension host that run our server bundle, from /proc (Linux) or `ps` (macOS). */
function serverPids(): number[] {
  const parent = process.pid;
  if (fs.existsSync('/proc/self/stat')) {
    return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
      try {
        // The command name in field 2 may hold spaces: the parent pid is the second field after its ')'.
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const cmdline = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
        return ppid === parent && /dist[\\/]server\.js/.test(cmdline) ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
  }
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m !== null && Number(m[2]) === parent && /dist[\\/]server\.js/.test(m[3] ?? '') ? [Number(m[1])] : [];
  });
}

describe('restart: the language server dies in a real VS Code', () => {
  it('is started again by the client, and the diagnostics come back and follow edits', async function () {
    if (process.platform === 'win32') this.skip();
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: PY });
    await vscode.window.showTextDocument(doc);
    await diagnosticsWhere(doc.uri, (ds) => ds.length === 1);
    const before = serverPids();
    assert.equal(before.length, 1, `one server process, child of the extension host ${process.pid}: ${JSON.stringify(before)}`);
    const [pid] = before as [number];

    // The client clears the dead server's diagnostics, starts a new server and pulls again.
    const cleared = diagnosticsWhere(doc.uri, (ds) => ds.length === 0);
    process.kill(pid, 'SIGKILL');
    await cleared;
    const [back] = await diagnosticsWhere(doc.uri, (ds) => ds.length === 1);
    assert.equal(back?.code !== undefined && typeof back.code === 'object' ? String(back.code.value) : String(back?.code), 'http-timeout');
    const after = serverPids();
    assert.equal(after.length, 1, `one new server process: ${JSON.stringify(after)}`);
    assert.notEqual(after[0], pid, 'a new process, not the killed one');

    // The new server follows edits: adding the timeout clears the finding.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(4, 69), ', timeout=5');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhere(doc.uri, (ds) => ds.length === 0);
  });
});
