import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanWorkspaceResult } from '../../server/src/protocol';

const EXTENSION_ID = 'task-reliability-hints.task-reliability-hints';
const PAY = 'import requests\n\n\ndef charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n';

const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'task-reliability');

/** Resolves when the file's diagnostics satisfy `accept`: waits for the event, never a clock. */
function diagnosticsWhere(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    if (accept(ours(uri))) {
      resolve(ours(uri));
      return;
    }
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (!accept(ours(uri))) return;
      sub.dispose();
      resolve(ours(uri));
    });
  });
}

describe('Scan Workspace in a real VS Code', () => {
  it('shows the findings of files that are not open, and follows the files on disk', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the suite runs with a workspace folder');
    const late = vscode.Uri.joinPath(folder, 'scan-extra', 'late.py');
    await vscode.workspace.fs.writeFile(late, new TextEncoder().encode(PAY));

    const result = await vscode.commands.executeCommand<ScanWorkspaceResult | undefined>('taskReliability.scanWorkspace');
    assert.ok(result !== undefined && !result.cancelled, 'the scan finished');
    // Documents open in the editor keep their pulled diagnostics and are not rescanned.
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && d.uri.fsPath.startsWith(folder.fsPath)).length;
    assert.ok(result.files + open >= 4, `only ${result.files} files scanned and ${open} open`);
    assert.equal((await diagnosticsWhere(late, (d) => d.length === 1))[0]?.code !== undefined, true);
    const cron = vscode.Uri.joinPath(folder, 'k8s', 'cronjobs.yaml');
    const codes = (await diagnosticsWhere(cron, (d) => d.length >= 2)).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    assert.ok(codes.includes('cron-overlap'), codes.join(', '));

    // The watcher reports the change and the server re-reads the file from disk.
    await vscode.workspace.fs.writeFile(late, new TextEncoder().encode(PAY.replace('json=order)', 'json=order, timeout=5)')));
    await diagnosticsWhere(late, (d) => d.length === 0);
    await vscode.workspace.fs.writeFile(late, new TextEncoder().encode(PAY));
    await diagnosticsWhere(late, (d) => d.length === 1);
    // Deleting the folder reports the folder alone; its files' findings go with it.
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'scan-extra'), { recursive: true });
    await diagnosticsWhere(late, (d) => d.length === 0);
  });
});
