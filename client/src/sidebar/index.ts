/** Wires the sidebar together: its data sources, the webview view provider, the report export. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BookData } from './book-data';
import { exportSelfAuditReport } from './export-report';
import { FileReportTracker } from './file-report';
import type { SidebarLocation } from './messages';
import { SIDEBAR_VIEW_ID, SidebarProvider } from './provider';
import { ChecklistTicks } from './ticks';

export interface Sidebar {
  readonly book: BookData;
  show(location: SidebarLocation): Promise<void>;
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
  const exportReport = (target?: unknown): Promise<vscode.Uri | undefined> => exportSelfAuditReport(book, ticks, output, target);
  const provider = new SidebarProvider({ context, output, book, files, ticks, exportReport: async () => void (await exportReport()) });
  context.subscriptions.push(files, provider, vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, provider));
  return { book, show: (location) => provider.show(location), exportReport };
}
