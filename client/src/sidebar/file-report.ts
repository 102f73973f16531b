/**
 * Follows the active editor and keeps the language server's report on its document (signals and
 * findings) current: asked again when the editor changes, and when the server says the document's
 * analysis changed (it says so on every edit; the requests are coalesced).
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  FILE_REPORT_CHANGED_NOTIFICATION,
  FILE_REPORT_REQUEST,
  type FileReport,
  type FileReportChangedParams,
  type FileReportParams,
} from '../../../server/src/protocol';
import type { ActiveFile } from './messages';

/** Long enough to skip the reports of intermediate keystrokes, short enough to feel live. */
const TYPING_DELAY_MS = 150;

export class FileReportTracker implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ActiveFile | null>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private document: vscode.TextDocument | undefined;
  private current: ActiveFile | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Each request's number; an answer that is not the latest request's is dropped as stale. */
  private generation = 0;

  constructor(
    private readonly client: LanguageClient,
    private readonly languages: readonly string[],
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.emitter,
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor?.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.document) this.follow(undefined);
      }),
      client.onNotification(FILE_REPORT_CHANGED_NOTIFICATION, (params: FileReportChangedParams) => {
        if (params.uri === this.document?.uri.toString()) this.schedule(TYPING_DELAY_MS);
      }),
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) this.schedule(0);
      }),
    );
    this.follow(vscode.window.activeTextEditor?.document);
  }

  get file(): ActiveFile | null {
    return this.current;
  }

  private follow(document: vscode.TextDocument | undefined): void {
    if (document !== undefined && document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') {
      // The Output panel and other non-file editors take focus too; the sidebar keeps the last file.
      return;
    }
    if (document === undefined) {
      const stillVisible = this.document !== undefined && vscode.window.visibleTextEditors.some((e) => e.document === this.document);
      if (stillVisible && !this.document?.isClosed) return;
      this.document = undefined;
      this.publish(null);
      return;
    }
    if (document === this.document) return;
    this.document = document;
    this.publish({ uri: document.uri.toString(), name: this.nameOf(document), supported: this.supported(document), report: null });
    this.schedule(0);
  }

  private supported(document: vscode.TextDocument): boolean {
    return this.languages.includes(document.languageId);
  }

  private nameOf(document: vscode.TextDocument): string {
    return document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const document = this.document;
    const generation = ++this.generation;
    if (document === undefined || !this.supported(document) || this.client.state !== State.Running) return;
    const params: FileReportParams = { uri: document.uri.toString() };
    try {
      const report = await this.client.sendRequest<FileReport | null>(FILE_REPORT_REQUEST, params);
      if (generation !== this.generation || document !== this.document) return;
      this.publish({ uri: params.uri, name: this.nameOf(document), supported: true, report });
    } catch (error) {
      this.output.warn(`Sidebar: the file report for ${params.uri} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private publish(file: ActiveFile | null): void {
    this.current = file;
    this.emitter.fire(file);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
