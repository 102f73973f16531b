/** Wires the sidebar together: its data sources, the webview view provider, the report export. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BookData } from './book-data';
import { exportSelfAuditReport } from './export-report';
import { FileReportTracker } from './file-report';
import type { SidebarLocation } from './messages';
import { SIDEBAR_VIEW_ID, SidebarProvider } from './provider';
import { TaskMapTracker } from './task-map';
import { ChecklistTicks } from './ticks';

export interface Sidebar {
  readonly book: BookData;
  show(location: SidebarLocation): Promise<void>;
  /** Opens the Tasks tab, on one task of one folder's map when given. */
  showTasks(folder?: string, task?: string): Promise<void>;
  exportReport(target?: unknown): Promise<vscode.Uri | undefined>;
}

export function registerSidebar(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  languages: readonly string[],
  output: vscode.LogOutputChannel,
): Sidebar {
  const book = new BookData(context);
  const ticks = new ChecklistTicks(context.workspaceState);
  const files = new FileReportTracker(client, languages, output);
  const taskMap = new TaskMapTracker(client, output);
  const exportReport = (target?: unknown): Promise<vscode.Uri | undefined> => exportSelfAuditReport(book, ticks, output, target);
  const provider = new SidebarProvider({ context, output, book, files, ticks, taskMap, exportReport: async () => void (await exportReport()) });
  context.subscriptions.push(files, taskMap, provider, vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, provider));
  const showTasks = async (folder?: string, task?: string): Promise<void> => {
    // The folder is chosen before the tab shows, so the map the tab asks for is that folder's.
    if (folder !== undefined) taskMap.want(folder);
    await provider.show(task === undefined ? { tab: 'tasks' } : { tab: 'tasks', task });
  };
  return { book, show: (location) => provider.show(location), showTasks, exportReport };
}
