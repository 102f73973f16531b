/**
 * The findings of every open document, read from VS Code's diagnostics rather than asked of the
 * server: the diagnostics are already there, current, and filtered by the user's settings. They
 * answer the self-audit checklist.
 */
import * as vscode from 'vscode';
import type { WorkspaceFinding } from './messages';

const SOURCE = 'task-reliability';
const SEVERITIES: Readonly<Record<vscode.DiagnosticSeverity, WorkspaceFinding['severity']>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code === undefined ? undefined : String(code);
}

export function workspaceFindings(): WorkspaceFinding[] {
  const out: WorkspaceFinding[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      const rule = ruleOf(d);
      if (d.source !== SOURCE || rule === undefined) continue;
      out.push({
        rule,
        uri: uri.toString(),
        name: vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1),
        range: {
          start: { line: d.range.start.line, character: d.range.start.character },
          end: { line: d.range.end.line, character: d.range.end.character },
        },
        message: d.message,
        severity: SEVERITIES[d.severity],
      });
    }
  }
  return out;
}

/** Fires (coalesced) when the extension's diagnostics change. */
export function onDidChangeFindings(listener: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
    // Diagnostics of other extensions change all the time; only ours matter here, but a cleared
    // diagnostic no longer says whose it was, so any change to a document we reported on counts.
    if (event.uris.length === 0) return;
    clearTimeout(timer);
    timer = setTimeout(listener, 200);
  });
  return { dispose: () => { clearTimeout(timer); subscription.dispose(); } };
}
