/**
 * "Export Self-Audit Report": asks where to save (or takes a target, for tests and scripts), writes
 * the checklist with its findings as Markdown, and offers to open it.
 */
import * as vscode from 'vscode';
import type { BookData } from './book-data';
import { renderReport } from './report';
import type { ChecklistTicks } from './ticks';
import { workspaceFindings } from './workspace-findings';

const FILE_NAME = 'task-reliability-self-audit.md';

export async function exportSelfAuditReport(book: BookData, ticks: ChecklistTicks, output: vscode.LogOutputChannel, target?: unknown): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  let uri = target instanceof vscode.Uri ? target : undefined;
  if (uri === undefined) {
    uri = await vscode.window.showSaveDialog({
      title: 'Export Self-Audit Report',
      saveLabel: 'Export',
      filters: { Markdown: ['md'] },
      ...(folder === undefined ? {} : { defaultUri: vscode.Uri.joinPath(folder.uri, FILE_NAME) }),
    });
    if (uri === undefined) return undefined;
  }
  const text = renderReport({
    catalog: book.catalog,
    findings: workspaceFindings(),
    ticks: ticks.get(),
    workspaceName: vscode.workspace.name ?? folder?.name ?? 'workspace',
    date: new Date().toISOString().slice(0, 10),
  });
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    output.error(`Export Self-Audit Report: writing ${uri.toString()} failed: ${reason}`);
    void vscode.window.showErrorMessage(`Task Reliability: could not write the report: ${reason}`);
    return undefined;
  }
  output.info(`Export Self-Audit Report: wrote ${uri.toString()}`);
  if (target === undefined) {
    void vscode.window.showInformationMessage(`Self-audit report written to ${vscode.workspace.asRelativePath(uri)}.`, 'Open Report').then((choice) => {
      if (choice !== undefined) void vscode.window.showTextDocument(uri);
    });
  }
  return uri;
}
