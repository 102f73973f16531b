import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type FileEvent,
  type InitializeParams,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { CONFIG_FILE } from '../config/project.js';
import { SCAN_WORKSPACE_REQUEST, WATCHED_SOURCES_GLOB, type InitializationOptions, type ScanWorkspaceParams } from '../protocol.js';
import { fsPathOf, uriOf } from './folders.js';
import { serverProgress, tokenProgress } from './progress.js';
import { SILENT, WorkspaceScanner } from './scan.js';
import { isConfigFile, WorkspaceDiagnostics, type WorkspaceHost } from './workspace-diagnostics.js';

/** Settings edits come in bursts (typing in settings.json): rescan once they settle. */
const RESCAN_DELAY_MS = 500;

/**
 * Everything beyond the open documents: the scan request, the optional scan on startup, watched
 * files (source files and config files), and workspace folders coming and going.
 */
export class WorkspaceSupport {
  readonly diagnostics: WorkspaceDiagnostics;
  private readonly scanner: WorkspaceScanner;
  private progressSupport = false;
  private folderEvents = false;
  private registerWatchers = false;
  private rescanTimer: NodeJS.Timeout | undefined;

  /** `scanned` hears of the folders a scan went through to the end. */
  constructor(private readonly host: WorkspaceHost, private readonly settingsChanged: () => void, private readonly scanned: (folders: readonly string[]) => void = () => undefined) {
    this.diagnostics = new WorkspaceDiagnostics(host);
    this.scanner = new WorkspaceScanner(host, this.diagnostics);
  }

  initialize(params: InitializeParams): void {
    const caps = params.capabilities;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    this.progressSupport = caps.window?.workDoneProgress === true;
    this.folderEvents = caps.workspace?.workspaceFolders === true;
    this.registerWatchers = init.watchesFiles !== true && caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  }

  listen(): void {
    const c = this.host.connection;
    c.onRequest(SCAN_WORKSPACE_REQUEST, async (params: ScanWorkspaceParams, token) => {
      const folders = this.host.folders.all();
      const result = await this.scanner.scan(folders, tokenProgress(c, params.workDoneToken), token);
      if (!result.cancelled) this.scanned(folders);
      return result;
    });
    c.onDidChangeWatchedFiles(({ changes }) => void this.filesChanged(changes));
    c.onShutdown(() => {
      clearTimeout(this.rescanTimer);
      this.scanner.cancel();
    });
  }

  async initialized(): Promise<void> {
    const c = this.host.connection;
    if (this.folderEvents) c.workspace.onDidChangeWorkspaceFolders((event) => this.foldersChanged(event));
    if (this.registerWatchers) {
      void c.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: WATCHED_SOURCES_GLOB }, { globPattern: `**/${CONFIG_FILE}` }],
      });
    }
    const startup: string[] = [];
    for (const folder of this.host.folders.all()) {
      const scope = await this.host.configuration.scope(uriOf(folder));
      if (scope.settingsFor(folder).scanOnStartup) startup.push(folder);
    }
    if (startup.length > 0) await this.backgroundScan(startup);
  }

  /** A scan the server starts itself: shown as cancellable progress where the client can. */
  private async backgroundScan(folders: readonly string[], visible = true): Promise<void> {
    const { progress, token } = visible ? await serverProgress(this.host.connection, this.progressSupport) : { progress: SILENT, token: undefined };
    const result = await this.scanner.scan(folders, progress, token);
    if (!result.cancelled) this.scanned(folders);
    this.host.connection.console.info(`Workspace scan of ${folders.join(', ')}: ${result.files} files, ${result.findings} findings, ${result.durationMs} ms${result.cancelled ? ' (cancelled)' : ''}`);
  }

  /** Settings changed: scanned folders are scanned again, quietly, once the edits settle. */
  rescanLater(folders: readonly string[] = this.diagnostics.scannedFolders()): void {
    if (folders.length === 0) return;
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.backgroundScan(folders, false), RESCAN_DELAY_MS);
  }

  private async filesChanged(changes: readonly FileEvent[]): Promise<void> {
    for (const change of changes) {
      const file = fsPathOf(change.uri);
      if (file === undefined) continue;
      if (isConfigFile(file)) {
        const folder = this.host.folders.folderOf(file);
        if (folder === undefined) continue;
        this.host.configuration.projectChanged(folder);
        this.settingsChanged();
        if (this.diagnostics.isScanned(folder)) this.rescanLater([folder]);
      }
      this.host.project?.fileChanged(file);
      if (isConfigFile(file)) continue;
      if (change.type === FileChangeType.Deleted) {
        this.diagnostics.deleted(file);
      } else if (this.diagnostics.isScanned(file)) {
        await this.diagnostics.refresh(file);
      }
    }
  }

  private foldersChanged(event: WorkspaceFoldersChangeEvent): void {
    const { removed } = this.host.folders.change(event);
    for (const folder of removed) this.diagnostics.forgetFolder(folder);
    this.host.configuration.editorChanged();
  }
}
