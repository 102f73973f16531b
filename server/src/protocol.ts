/**
 * The custom protocol between the extension and its language server, in one place. Each message
 * says its direction. Both sides import these types; only plain JSON crosses the wire.
 */
import type { Range } from 'vscode-languageserver-types';

/** The task map's plain data, which the `taskReliability/taskMap` request answers with. */
export type { MapEnqueueSite, MapFindingRef, MapRetry, MapSchedule, MapSettingSource, MapSideEffect, MapTask, TaskMap } from './analysis/map/types.js';

/** Options the client passes in `initialize`. */
export interface InitializationOptions {
  /** `command`: links in hovers and diagnostics run the extension's commands (VS Code); `file`: open the chapter file. */
  readonly linkStyle?: 'command' | 'file';
  /**
   * The client watches source files and `.task-reliability.json` itself and sends
   * `workspace/didChangeWatchedFiles` (VS Code's client does). Otherwise the server registers the
   * watchers when the client supports dynamic registration.
   */
  readonly watchesFiles?: boolean;
  /**
   * The client shows a diagnostic's message in the same hover as the server's card (VS Code
   * does), so the card leaves the message out and keeps its few lines for the book.
   */
  readonly hoverShowsDiagnostics?: boolean;
  /** A folder of the extension's storage where the server keeps the project's summaries between sessions. */
  readonly storageDir?: string;
}

/**
 * Client → server request: analyse every supported file of every workspace folder, honouring
 * .gitignore, the exclude globs and maxFileSize. Send it with a `workDoneToken` to receive
 * `$/progress` (begin, then reports with a percentage and "N/M files", then end); cancel the
 * request to stop the scan. Findings of files that are not open are pushed with
 * `textDocument/publishDiagnostics` and kept current through `workspace/didChangeWatchedFiles`;
 * open files keep the diagnostics the client pulls. Answers when the scan ends or is cancelled.
 */
export const SCAN_WORKSPACE_REQUEST = 'taskReliability/scanWorkspace';

export interface ScanWorkspaceParams {
  readonly workDoneToken?: string | number;
}

export interface ScanWorkspaceResult {
  /** Files analysed (not counting skipped ones). */
  readonly files: number;
  readonly filesWithFindings: number;
  readonly findings: number;
  /** Files left out for their size, binary content, or a read error. */
  readonly skipped: number;
  readonly cancelled: boolean;
  readonly durationMs: number;
}

/**
 * The files a client watches for the workspace scan and the project model: every extension the
 * analyzer supports, and Spring's `.properties` configuration, which Java files read.
 */
export const WATCHED_SOURCES_GLOB = '**/*.{py,pyw,js,mjs,cjs,jsx,ts,mts,cts,tsx,yaml,yml,rb,rake,java,go,properties}';

/** Client → server: the signals and findings of one open document, for the sidebar. */
export const FILE_REPORT_REQUEST = 'taskReliability/fileReport';

export interface FileReportParams {
  readonly uri: string;
}

export interface FileReportSignal {
  readonly kind: string;
  readonly api: string;
  readonly chapters: readonly number[];
  readonly range: Range;
}

export interface FileReportFinding {
  readonly rule: string;
  readonly ruleRef: string;
  readonly chapter: number;
  readonly severity: string;
  readonly message: string;
  readonly range: Range;
}

export interface FileReport {
  readonly uri: string;
  readonly version: number;
  readonly signals: readonly FileReportSignal[];
  readonly findings: readonly FileReportFinding[];
  /** Why the file was not analysed (too large, binary, excluded, disabled), when it was not. */
  readonly skipped?: string;
}

/**
 * A file a language-model tool names: the server reads an open document's text as the editor has
 * it and other files from disk, each under its own settings and with its project.
 */
export interface AgentFileRef {
  readonly uri: string;
  /** How the file is shown to the model (relative to the workspace). */
  readonly path: string;
  /** Keep only what lies in this range of offsets (the active editor's selection). */
  readonly selection?: { readonly start: number; readonly end: number };
}

/**
 * Client → server: the book and the analyzer for VS Code's language-model tools, answered as
 * Markdown. `route` and `audit` analyse the files they are given in the server, which owns the
 * project model; an invalid input is answered with an error whose message the model can act on.
 */
export const AGENT_BOOK_REQUEST = 'taskReliability/book';

export type AgentBookParams =
  | { readonly tool: 'route'; readonly task?: string; readonly files: readonly AgentFileRef[]; readonly budget?: number }
  | { readonly tool: 'audit'; readonly files: readonly AgentFileRef[]; readonly skipped?: readonly { readonly path: string; readonly reason: string }[]; readonly checklist?: 'touched' | 'all'; readonly budget?: number }
  | { readonly tool: 'rule'; readonly id: string; readonly framework?: string }
  | { readonly tool: 'chapter'; readonly chapter?: number; readonly part?: 'all' | 'narrative' | 'rules'; readonly framework?: string };

export interface AgentBookResult {
  readonly markdown: string;
}

/** Server → client: the analysis of an open document changed (the sidebar re-requests its report). */
export const FILE_REPORT_CHANGED_NOTIFICATION = 'taskReliability/fileReportChanged';

export interface FileReportChangedParams {
  readonly uri: string;
}

/**
 * Client → server: the task map of a workspace folder (every task and schedule with its effective
 * settings, enqueue sites, side effects and findings), for the sidebar's Tasks tab. Paths in the
 * answer are relative to the folder. Answers an error when the URI is not a workspace folder.
 */
export const TASK_MAP_REQUEST = 'taskReliability/taskMap';

export interface TaskMapParams {
  /** The workspace folder's URI; the first workspace folder when absent. */
  readonly uri?: string;
}

/** Server → client: the task map of a workspace folder changed (an edit, a save, a scan); ask again. */
export const TASK_MAP_CHANGED_NOTIFICATION = 'taskReliability/taskMapChanged';

export interface TaskMapChangedParams {
  /** The workspace folder's URI. */
  readonly uri: string;
}

/** The data every diagnostic carries, so that code actions need no server-side cache. */
export interface DiagnosticData {
  readonly rule: string;
  readonly ruleRef: string;
  readonly chapter: number;
  readonly fixes: readonly { readonly title: string; readonly safe: boolean; readonly edits: readonly LspTextEdit[] }[];
  readonly suppressLine: readonly LspTextEdit[];
  readonly suppressFile: readonly LspTextEdit[];
}

export interface LspTextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** Commands the server's links and code actions name; the client registers them. */
export const COMMANDS = {
  showRule: 'taskReliability.showRule',
  openChapter: 'taskReliability.openChapter',
  openMatrix: 'taskReliability.openDecisionMatrix',
  search: 'taskReliability.searchBook',
  exportReport: 'taskReliability.exportSelfAuditReport',
  restartServer: 'taskReliability.restartServer',
  scanWorkspace: 'taskReliability.scanWorkspace',
  /** Opens the sidebar's Tasks tab, on one task when given `{ folder: uri, task: key }` (see the webview's taskKey). */
  showTasks: 'taskReliability.showTasks',
} as const;

/**
 * The result id of a pulled diagnostic report answered from the file's own analysis, before its
 * project was learned; the server asks the client to pull again once the project's analysis is done.
 */
export const OWN_ANALYSIS_RESULT_ID = 'own-analysis';

/**
 * The Node options the extension starts the language server with. V8's pool of background threads
 * (four by default) compiles and collects beside the main threads; with one, a start to the first
 * diagnostics of a 1k-line file costs about a fifth less CPU and the server with 20 open files
 * about 8 MB less memory, on a machine whose cores other processes share. An editor that runs
 * `server.js` itself may pass the same options.
 */
export const SERVER_NODE_ARGS: readonly string[] = ['--v8-pool-size=1'];
