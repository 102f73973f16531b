import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'task-reliability-hints.task-reliability-hints';
const PY = `from tenacity import retry


@retry
def sync_orders():
    pass
`;

/** Resolves once the document has one of our diagnostics: waits for the event, never a clock. */
function firstFinding(uri: vscode.Uri): Promise<void> {
  const ours = () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'task-reliability');
  return new Promise((resolve) => {
    if (ours()) return resolve();
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (!ours()) return;
      sub.dispose();
      resolve();
    });
  });
}

describe('sidebar commands', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('registers every command that package.json contributes', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('reveals the sidebar at a rule, a chapter and the matrix, and refuses an unknown rule quietly', async () => {
    await vscode.commands.executeCommand('taskReliability.showRule', 'R5.1');
    await vscode.commands.executeCommand('taskReliability.openChapter', 6);
    await vscode.commands.executeCommand('taskReliability.openDecisionMatrix');
    await vscode.commands.executeCommand('taskReliability.searchBook', 'acks_late');
    await vscode.commands.executeCommand('taskReliability.showRule', 'R99.9');
  });

  it('exports the self-audit report with the findings of the open files', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: PY });
    await vscode.window.showTextDocument(doc);
    await firstFinding(doc.uri);
    const target = vscode.Uri.file(path.join(os.tmpdir(), `task-reliability-report-${process.pid}.md`));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('taskReliability.exportSelfAuditReport', target);
    assert.equal(written?.toString(), target.toString());
    const report = fs.readFileSync(target.fsPath, 'utf8');
    fs.rmSync(target.fsPath, { force: true });
    assert.match(report, /^# Self-audit report: /);
    assert.match(report, /\*\*R5\.1\*\* .* — \*\*failing\*\* \(1 finding\)/);
    assert.match(report, /retry-unbounded: /);
  });
});
