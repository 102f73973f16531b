import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, SCAN_WORKSPACE_REQUEST, WATCHED_SOURCES_GLOB, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../server/src/protocol';

/**
 * The watchers whose events the client forwards as workspace/didChangeWatchedFiles: source files
 * and config files as they are created or changed, and every deletion, because deleting a folder
 * reports the folder alone and its path matches no source-file glob.
 */
export function workspaceWatchers(context: vscode.ExtensionContext): vscode.FileSystemWatcher[] {
  const watchers = [
    vscode.workspace.createFileSystemWatcher(WATCHED_SOURCES_GLOB, false, false, true),
    vscode.workspace.createFileSystemWatcher('**/.task-reliability.json'),
    vscode.workspace.createFileSystemWatcher('**/*', true, true, false),
  ];
  context.subscriptions.push(...watchers);
  return watchers;
}

/**
 * "Task Reliability: Scan Workspace": asks the server to analyse every folder, showing its
 * work-done progress in a cancellable notification. Cancelling cancels the request, and the
 * server stops between two files. Resolves with the server's summary (undefined if cancelled).
 */
export function registerScanCommand(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.scanWorkspace, async (): Promise<ScanWorkspaceResult | undefined> => {
    const c = client();
    if (c === undefined || (vscode.workspace.workspaceFolders ?? []).length === 0) {
      void vscode.window.showInformationMessage('Task Reliability: open a folder to scan it.');
      return undefined;
    }
    const options = { location: vscode.ProgressLocation.Notification, title: 'Task Reliability: scanning the workspace', cancellable: true };
    const result = await vscode.window.withProgress(options, async (progress, token) => {
      const workDoneToken = randomUUID();
      let shown = 0;
      const listener = c.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? shown;
        progress.report({ ...(value.message === undefined ? {} : { message: value.message }), increment: Math.max(0, percentage - shown) });
        shown = Math.max(shown, percentage);
      });
      try {
        const params: ScanWorkspaceParams = { workDoneToken };
        return await c.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, params, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        listener.dispose();
      }
    });
    if (result !== undefined && !result.cancelled) {
      const seconds = (result.durationMs / 1000).toFixed(1);
      void vscode.window.setStatusBarMessage(`Task Reliability: ${result.files} files scanned in ${seconds} s, ${result.findings} findings in ${result.filesWithFindings} files`, 10_000);
    }
    return result?.cancelled === true ? undefined : result;
  });
}
