/**
 * The sidebar's webview view. It serves the HTML (strict CSP, nonce'd script), answers the
 * webview's `ready` with everything it needs to draw, forwards changes while the view is loaded,
 * and carries out the webview's requests after checking them.
 *
 * retainContextWhenHidden is off on purpose: the webview saves its own state (tab, chapter,
 * scroll, search text, filters) with setState and redraws from `init` when shown again, which
 * costs a few milliseconds instead of keeping a hidden renderer alive.
 */
import * as vscode from 'vscode';
import type { BookData } from './book-data';
import { receiveWebviewMessage } from './dispatch';
import type { FileReportTracker } from './file-report';
import { makeNonce, sidebarErrorHtml, sidebarHtml } from './html';
import type { HostMessage, Range, SidebarLocation } from './messages';
import type { TaskMapTracker } from './task-map';
import type { ChecklistTicks } from './ticks';
import { onDidChangeFindings, workspaceFindings } from './workspace-findings';

export const SIDEBAR_VIEW_ID = 'taskReliability.sidebar';

export interface SidebarDeps {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly book: BookData;
  readonly files: FileReportTracker;
  readonly ticks: ChecklistTicks;
  readonly taskMap: TaskMapTracker;
  readonly exportReport: () => Promise<void>;
}

export class SidebarProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Where a command asked to go while the webview was not loaded; sent with `init`. */
  private pending: SidebarLocation | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private viewSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: SidebarDeps) {
    this.subscriptions.push(
      deps.files.onDidChange((file) => this.post({ type: 'file', file })),
      onDidChangeFindings(() => this.post({ type: 'findings', findings: workspaceFindings() })),
      deps.taskMap.onDidChange((state) => this.post({ type: 'taskMap', state })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const s of this.viewSubscriptions) s.dispose();
    this.view = view;
    this.ready = false;
    const { context } = this.deps;
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const webview = view.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    void this.checkBundle(dist);
    webview.html = sidebarHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'sidebar.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    this.viewSubscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => receiveWebviewMessage(raw, {
        ready: () => this.sendInit(),
        reveal: (uri, range) => void this.reveal(uri, range),
        tick: (ruleId, ticked) => void this.tick(ruleId, ticked),
        exportReport: () => void this.deps.exportReport(),
        taskMap: (folder, refresh) => this.deps.taskMap.want(folder, refresh),
        openTaskFile: (folder, file, line) => void this.openTaskFile(folder, file, line),
        error: (message) => this.deps.output.error(`Sidebar webview: ${message}`),
      }, (line) => this.deps.output.warn(line))),
      // Without retained context a hidden webview is unloaded; it says `ready` again when reloaded.
      view.onDidChangeVisibility(() => {
        if (view.visible) return;
        this.ready = false;
        // The Tasks tab asks for the map again when it shows; until then no map is built for it.
        this.deps.taskMap.pause();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.ready = false;
        this.deps.taskMap.pause();
      }),
    ];
  }

  /**
   * A webview whose script file is missing would say "Loading the book…" forever: check that the
   * bundle is there and, if it is not, show why instead.
   */
  private async checkBundle(dist: vscode.Uri): Promise<void> {
    const view = this.view;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(dist, 'webview.js'));
    } catch {
      if (this.view !== view) return;
      this.deps.output.error('Sidebar: dist/webview.js is missing (run the build).');
      this.showError("The sidebar's script (dist/webview.js) is missing from the extension. Rebuild or reinstall the extension, then reload the window.");
    }
  }

  private showError(message: string): void {
    if (this.view === undefined) return;
    const webview = this.view.webview;
    webview.html = sidebarErrorHtml({
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.deps.context.extensionUri, 'dist', 'sidebar.css')).toString(),
      message,
    });
  }

  /** Reveals the sidebar at a location, loading the view first if it is not. */
  async show(location: SidebarLocation): Promise<void> {
    if (this.view !== undefined && this.ready) {
      void this.view.webview.postMessage({ type: 'navigate', location } satisfies HostMessage);
      this.view.show(false);
      return;
    }
    this.pending = location;
    await vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
  }

  private sendInit(): void {
    if (this.view === undefined) return;
    let message: HostMessage;
    try {
      message = {
        type: 'init',
        catalog: this.deps.book.catalog,
        searchIndex: this.deps.book.searchIndex,
        ticks: [...this.deps.ticks.get()],
        file: this.deps.files.file,
        findings: workspaceFindings(),
        taskMap: this.deps.taskMap.state,
        ...(this.pending === undefined ? {} : { location: this.pending }),
      };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.deps.output.error(`Sidebar: the book could not be loaded from dist/ (run the build): ${detail}`);
      this.showError(`The book could not be loaded from the extension's dist/ folder (${detail}). Rebuild or reinstall the extension, then reload the window.`);
      return;
    }
    this.pending = undefined;
    this.ready = true;
    void this.view.webview.postMessage(message);
  }

  private post(message: HostMessage): void {
    if (this.view !== undefined && this.ready) void this.view.webview.postMessage(message);
  }

  /**
   * Reveals a range of a document the extension reported on: an open document or one with our
   * diagnostics (a workspace scan reports closed files). Any other URI from the webview is refused.
   */
  private async reveal(uri: string, range: Range): Promise<void> {
    const known = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri) || workspaceFindings().some((f) => f.uri === uri);
    if (!known) {
      this.deps.output.warn(`Sidebar: not revealing ${uri}: the extension has not reported on it.`);
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
      const clamp = (p: { line: number; character: number }): vscode.Position => document.validatePosition(new vscode.Position(p.line, p.character));
      const selection = new vscode.Range(clamp(range.start), clamp(range.end));
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      const editor = await vscode.window.showTextDocument(document, { selection, viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Active });
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      this.deps.output.warn(`Sidebar: revealing ${uri} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Opens a file named by the task map at its line; a path outside the map's workspace folder is refused. */
  private async openTaskFile(folder: string, file: string, line: number): Promise<void> {
    const uri = this.deps.taskMap.fileUri(folder, file);
    if (uri === undefined) {
      this.deps.output.warn(`Sidebar: not opening ${file}: it is not a file of the workspace folder ${folder}.`);
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const position = document.validatePosition(new vscode.Position(Math.max(0, line - 1), 0));
      const selection = new vscode.Range(position, position);
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      const editor = await vscode.window.showTextDocument(document, { selection, viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Active });
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      this.deps.output.warn(`Sidebar: opening ${uri.toString()} failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showWarningMessage(`Task Reliability: ${file} could not be opened; the task map may be older than the files. Refresh the Tasks tab.`);
    }
  }

  private async tick(ruleId: string, ticked: boolean): Promise<void> {
    const ticks = await this.deps.ticks.set(ruleId, ticked);
    this.post({ type: 'ticks', ticks: [...ticks] });
  }

  dispose(): void {
    for (const s of [...this.subscriptions, ...this.viewSubscriptions]) s.dispose();
  }
}
