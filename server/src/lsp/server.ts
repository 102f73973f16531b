import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import path from 'node:path';
import { Analyzer, treatmentOf, type AnalysisResult, type AnalyzeOptions, type FileClass } from '../analysis/index.js';
import type { Links } from '../catalog/render.js';
import { listenToAgentRequests } from './agent-requests.js';
import type { Catalog } from '../catalog/types.js';
import type { ConfigScope, Settings } from '../config/scope.js';
import { FILE_REPORT_CHANGED_NOTIFICATION, FILE_REPORT_REQUEST, OWN_ANALYSIS_RESULT_ID, type FileReport, type FileReportParams, type InitializationOptions } from '../protocol.js';
import { codeActions, FIX_ALL_KIND, fixAllData, resolveCodeAction } from './code-actions.js';
import { Configuration } from './configuration.js';
import { fileReportOf, KeptDiagnostics, toDiagnostic } from './convert.js';
import { DocumentStore, type OpenDocument } from './documents.js';
import { fsPathOf, uriOf, WorkspaceFolders } from './folders.js';
import { hoverAt } from './hover.js';
import { makeLinks } from './links.js';
import { WorkspaceSupport } from './workspace-support.js';
import { AnalysisWorker, type BudgetExceeded } from '../worker/client.js';
import { SERVER_LEARN_BUDGET_MS, SERVER_WORKER_LIMITS } from '../worker/early.js';
import { ProjectSupport } from './project.js';
import { TaskMapSupport } from './task-map.js';
import { trace, traceMemory } from '../trace.js';

export interface ServerHost {
  /** The book's catalog, read on first use (a getter): the first diagnostics of a command-link client do not need it. */
  readonly catalog: Catalog;
  readonly wasmPath: (file: string) => string;
  readonly contentDir: string;
  /** The built analysis worker script (dist/analysis-worker.js). */
  readonly workerScript: string;
}

/**
 * The language server: thin glue between LSP and the analysis core. Diagnostics are pulled by
 * the client (pushed to clients that cannot pull), and every request answers from the current
 * version of the document; nothing stale is ever sent.
 */
export class ReliabilityServer {
  private readonly worker: AnalysisWorker;
  private readonly documents: DocumentStore;
  /** Files whose analysis ran past its budget, told to the user once until one finishes in time. */
  private readonly overBudgetNotified = new Set<string>();
  private links: Links;
  /** Whether the client's hover already shows the diagnostics' messages (see InitializationOptions). */
  private hoverShowsDiagnostics = false;
  private pull = false;
  private resolveEdits = false;
  private readonly folders = new WorkspaceFolders();
  private readonly configuration: Configuration;
  private readonly workspace: WorkspaceSupport;
  private readonly skippedNotified = new Set<string>();
  private readonly classifiedNotified = new Set<string>();
  private readonly pushTimers = new Map<string, NodeJS.Timeout>();
  /** What was last pushed per document: a push of the same version with the same diagnostics says nothing new. */
  private readonly lastPushed = new Map<string, { readonly version: number; readonly diagnostics: string }>();
  private readonly converted = new WeakMap<AnalysisResult, Diagnostic[]>();
  /** The diagnostics converted last for each document, by the number of the worker's analysis they came from (see `convert`). */
  private readonly kept = new KeptDiagnostics();
  private readonly project: ProjectSupport;
  private readonly taskMap: TaskMapSupport;
  /**
   * The project roots the worker has analysed a document with: it has walked them, learned their
   * modules of interest and loaded their grammars. A document of another root is first answered
   * with its own analysis (see `analysis`).
   */
  private readonly learnedRoots = new Set<string>();
  /** Open documents whose last answer was their own analysis, awaiting their project's. */
  private readonly projectPasses = new Set<string>();
  private refreshQueued = false;

  constructor(private readonly connection: Connection, private readonly host: ServerHost) {
    this.worker = new AnalysisWorker({
      script: host.workerScript,
      wasmDir: path.dirname(host.wasmPath('web-tree-sitter.wasm')),
      learnBudgetMs: SERVER_LEARN_BUDGET_MS,
      resourceLimits: SERVER_WORKER_LIMITS,
      documents: (uri) => {
        const doc = this.documents.get(uri);
        return doc === undefined ? undefined : { language: doc.language, text: doc.text.getText(), path: fsPathOf(uri) };
      },
      log: (message) => this.connection.console.warn(message),
    });
    this.documents = new DocumentStore(this.worker, (doc, error) => this.overBudget(doc.uri, error));
    this.links = makeLinks(() => host.catalog, 'file', host.contentDir);
    this.configuration = new Configuration(connection, this.folders);
    // The project model's own analyzer reads modules' export summaries for the background index and
    // for telling which dependents an edit concerns; the analyses themselves run in the worker, which
    // keeps project models of its own (see worker/main.ts).
    this.project = new ProjectSupport({
      connection, analyzer: new Analyzer({ wasmPath: host.wasmPath }), folders: this.folders,
      diskChanged: (file) => {
        this.worker.filesChanged();
        this.taskMap.fileChanged(file);
      },
      scope: (folder) => this.configuration.scope(uriOf(folder)),
      dependentsChanged: (uris) => this.dependentsChanged(uris),
    });
    this.workspace = new WorkspaceSupport({
      connection,
      worker: this.worker,
      configuration: this.configuration,
      documents: this.documents,
      folders: this.folders,
      links: () => this.links,
      pulls: () => this.pull,
      project: this.project,
    }, () => this.settingsChanged(), (folders) => {
      for (const folder of folders) this.taskMap.scanned(folder);
    });
    this.taskMap = new TaskMapSupport({
      connection, worker: this.worker, configuration: this.configuration, documents: this.documents, folders: this.folders, project: this.project,
      projectFindingsChanged: (uris) => this.projectFindingsChanged(uris),
      closed: this.workspace.diagnostics,
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      trace('initialized');
      if (this.configuration.configurationSupport) void c.client.register(DidChangeConfigurationNotification.type, { section: 'taskReliability' });
      void this.workspace.initialized();
      void this.project.index().then((r) => r.files > 0 && c.console.info(`Project model: ${r.files} files, ${r.parsed} parsed, ${r.ms} ms`));
    });
    c.onDidChangeConfiguration(() => {
      this.configuration.editorChanged();
      this.settingsChanged();
      this.workspace.rescanLater();
    });
    c.onDidOpenTextDocument(({ textDocument: t }) => {
      trace(`didOpen ${t.uri}`);
      const doc = this.documents.open(t.uri, t.languageId, t.version, t.text);
      this.project.documentText(t.uri, t.text);
      if (doc !== undefined) {
        this.workspace.diagnostics.opened(doc.uri);
        this.changed(doc);
      }
    });
    c.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
      const doc = this.documents.change(t.uri, t.version, contentChanges);
      if (doc !== undefined) this.project.documentText(t.uri, doc.text.getText());
      if (doc !== undefined) this.changed(doc);
    });
    c.onDidCloseTextDocument(({ textDocument: t }) => {
      const wasOpen = this.documents.get(t.uri) !== undefined;
      this.documents.close(t.uri);
      this.lastPushed.delete(t.uri);
      this.kept.forget(t.uri);
      this.project.documentText(t.uri, undefined);
      // The file on disk may differ from the closed editor's text: the map reads it again.
      const file = fsPathOf(t.uri);
      if (file !== undefined) this.taskMap.closed(file);
      this.configuration.forget(t.uri);
      if (wasOpen) void this.workspace.diagnostics.closed(t.uri);
    });
    c.languages.diagnostics.on(async (params, token) => {
      const doc = this.documents.get(params.textDocument.uri);
      trace(`pull ${params.textDocument.uri}`);
      if (doc === undefined) return { kind: 'full', items: [] };
      // The request is for the version the client had when it sent it. Notifications that arrived
      // meanwhile (a change, the client's cancellation of this request) are read before the
      // analysis starts, so that no time goes into a version that is already stale.
      const version = doc.text.version;
      await new Promise((resolve) => setImmediate(resolve));
      const stale = (): boolean => this.documents.get(doc.uri) !== doc || doc.text.version !== version;
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
      if (stale()) throw staleResponse();
      const items = await this.diagnostics(doc);
      // Reading the settings can wait on the client; a change may land during that wait.
      if (stale()) throw staleResponse();
      traceMemory(`pull answered ${doc.uri}: ${items.length} diagnostics`);
      // An answer from the file's own analysis says so in its result id (opaque to editors, which
      // pull again at the refresh that follows its project's analysis).
      return { kind: 'full', items, ...(this.projectPasses.has(doc.uri) ? { resultId: OWN_ANALYSIS_RESULT_ID } : {}) };
    });
    c.onHover(async (params) => this.guard('hover', null, async () => {
      const doc = this.documents.get(params.textDocument.uri);
      const result = doc === undefined ? undefined : await this.analysis(doc);
      if (doc === undefined || result === undefined) return null;
      const offset = doc.text.offsetAt(params.position);
      const tasks = await this.taskMap.hoverTasks(doc.uri, result, doc.text.getText(), offset, this.links);
      return hoverAt(doc.text, result, offset, this.host.catalog, this.links, { withMessages: !this.hoverShowsDiagnostics }, tasks);
    }));
    c.onCodeAction(async (params) => this.guard('codeAction', [], async () => {
      const doc = this.documents.get(params.textDocument.uri);
      const result = doc === undefined ? undefined : await this.analysis(doc);
      if (doc === undefined || result === undefined) return [];
      const safeFixCounts = new Map<string, number>();
      for (const f of result.findings) if (f.fixes[0]?.safe === true) safeFixCounts.set(f.rule, (safeFixCounts.get(f.rule) ?? 0) + 1);
      const options = this.options(await this.configuration.settings(doc.uri));
      return codeActions(doc.text, params, { worker: this.worker, language: doc.language, options, safeFixCounts, resolveEdits: this.resolveEdits });
    }));
    c.onCodeActionResolve(async (action) => this.guard('codeAction/resolve', action, async () => {
      const uri = fixAllData(action.data)?.uri;
      const doc = uri === undefined ? undefined : this.documents.get(uri);
      if (doc === undefined) return action;
      const options = this.options(await this.configuration.settings(doc.uri));
      return resolveCodeAction(doc.text, action, { worker: this.worker, language: doc.language, options, safeFixCounts: new Map(), resolveEdits: true });
    }));
    c.onRequest(FILE_REPORT_REQUEST, async (params: FileReportParams) => this.fileReport(params));
    const host = this.host;
    listenToAgentRequests({
      connection: c,
      get catalog() {
        return host.catalog;
      },
      contentDir: this.host.contentDir,
      worker: this.worker,
      configuration: this.configuration,
      locationOf: (uri) => this.project.locationOf(uri),
      openAnalysis: async (uri) => {
        const doc = this.documents.get(uri);
        if (doc === undefined) return undefined;
        const scope = await this.configuration.scope(doc.uri);
        const skipped = this.skipReason(doc, scope, scope.settingsFor(fsPathOf(doc.uri) ?? doc.uri));
        const result = skipped === undefined ? await this.analysis(doc) : undefined;
        return { text: doc.text.getText(), ...(result === undefined ? {} : { result }), ...(skipped === undefined ? {} : { skipped }) };
      },
    });
    this.workspace.listen();
    this.taskMap.listen();
    c.onShutdown(() => {
      this.project.save();
      this.taskMap.dispose();
      this.documents.dispose();
      this.worker.dispose();
    });
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    trace('initialize');
    // The analysis thread the entry started is adopted now (or started, when there is none), so
    // that it loads its code and the tree-sitter runtime while the client finishes its handshake
    // and opens its first document: both are on the path to the first diagnostics.
    this.worker.start();
    const caps = params.capabilities;
    this.pull = caps.textDocument?.diagnostic !== undefined;
    this.resolveEdits = caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    this.configuration.configurationSupport = caps.workspace?.configuration === true;
    this.folders.initialize(params);
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    this.links = makeLinks(() => this.host.catalog, init.linkStyle === 'command' ? 'command' : 'file', this.host.contentDir);
    this.hoverShowsDiagnostics = init.hoverShowsDiagnostics === true;
    // File links name each rule's chapter and anchor, so every diagnostic reads the catalog: it is
    // read now, while the analysis thread works on the first document, rather than after it.
    if (init.linkStyle !== 'command') setImmediate(() => this.host.catalog);
    this.workspace.initialize(params);
    this.project.initialize(init.storageDir, params.capabilities.window?.workDoneProgress === true);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: this.resolveEdits },
        ...(this.pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'task-reliability-ls', version: '0.1.0' },
    };
  }

  /** Settings or a config file changed: every open document's diagnostics are computed again. */
  private settingsChanged(): void {
    if (this.pull) void this.connection.languages.diagnostics.refresh();
    else for (const doc of this.documents.all()) this.schedulePush(doc);
  }

  /** After an edit: clients that pull ask again by themselves; others get a push. */
  private changed(doc: OpenDocument): void {
    if (!this.pull) this.schedulePush(doc);
    void this.connection.sendNotification(FILE_REPORT_CHANGED_NOTIFICATION, { uri: doc.uri });
  }

  private schedulePush(doc: OpenDocument): void {
    clearTimeout(this.pushTimers.get(doc.uri));
    // Coalesces a burst of keystrokes into one analysis; the version check drops stale results.
    this.pushTimers.set(doc.uri, setTimeout(() => {
      this.pushTimers.delete(doc.uri);
      const version = doc.text.version;
      void this.diagnostics(doc).then((diagnostics) => {
        if (this.documents.get(doc.uri) !== doc || doc.text.version !== version) return;
        // The project's pass after an edit burst can ask for a push of a version the burst's own
        // push already sent: the client would see the same version twice.
        const sent = JSON.stringify(diagnostics);
        const last = this.lastPushed.get(doc.uri);
        if (last?.version === version && last.diagnostics === sent) return;
        this.lastPushed.set(doc.uri, { version, diagnostics: sent });
        void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      });
    }, 30));
  }

  private async diagnostics(doc: OpenDocument): Promise<Diagnostic[]> {
    return this.guard('diagnostics', [], async () => {
      const result = await this.analysis(doc, true);
      if (result === undefined) return [];
      // A result is kept per version (see DocumentStore.analyze): so are its diagnostics, which the
      // client pulls again on focus and after every settings change.
      let diagnostics = this.converted.get(result);
      if (diagnostics === undefined) {
        // The diagnostics an in-body edit only moved are kept (`KeptDiagnostics`).
        diagnostics = this.kept.convert(doc.uri, doc.text, result, this.worker.analysisOf(result), this.links);
        this.converted.set(result, diagnostics);
      }
      // The project rules' findings in this file, from the folder's last join (none before its map is built).
      const project = this.taskMap.projectFindings(doc.uri, doc.text.getText());
      return project.length === 0 ? diagnostics : [...diagnostics, ...project.map((f) => toDiagnostic(doc.text, f, this.links))];
    });
  }

  /**
   * The analysis of the current version, or undefined when the file is skipped or excluded.
   *
   * For diagnostics (`own`), a document of a project root the worker has not learned yet is first
   * analysed on its own: no walk of the root, no summaries of other modules, no map facts, so that
   * its first diagnostics wait for nothing but its own analysis. Its project's analysis follows in
   * the background (`projectPass`), and the client is told to pull again. Hovers, code actions and
   * reports wait for the project's analysis, which the task map's lines and related files need.
   */
  private async analysis(doc: OpenDocument, own = false): Promise<AnalysisResult | undefined> {
    const scope = await this.configuration.scope(doc.uri);
    const settings = scope.settingsFor(fsPathOf(doc.uri) ?? doc.uri);
    if (this.skipReason(doc, scope, settings) !== undefined) {
      // A skipped file keeps no syntax tree, so that typing in a file that grew past maxFileSize
      // (or became binary) costs no reparse; the tree is built again if it comes back under.
      this.documents.release(doc);
      return undefined;
    }
    const hintsOnly = treatmentOf(this.fileClass(doc, scope).kind, settings.testCode) === 'hint';
    const file = fsPathOf(doc.uri);
    const place = file === undefined ? undefined : scope.place(file);
    const { version } = doc.text;
    const location = this.project.locationOf(doc.uri);
    const options = { ...this.options(settings), hintsOnly, ...(place === undefined ? {} : { place }) };
    if (location !== undefined && own && !this.learnedRoots.has(location.root)) {
      const alone = await this.documents.analyze(doc, options, settings.analysisTimeBudgetMs);
      if (alone !== undefined && alone === doc.last) this.overBudgetNotified.delete(doc.uri);
      if (alone !== undefined) this.projectPass(doc, version, alone);
      return alone;
    }
    // Map facts come with every analysis of an open document, so the task map follows the editor's text.
    const result = await this.documents.analyze(doc, { ...options, map: true }, settings.analysisTimeBudgetMs, location);
    if (location !== undefined) this.learnedRoots.add(location.root);
    if (result !== undefined && result === doc.last) this.overBudgetNotified.delete(doc.uri);
    if (result !== undefined) {
      this.project.analysed(doc.uri, result);
      // Lines are read from the text the result is of; a newer version reports again when analysed.
      if (doc.text.version === version) this.taskMap.analysed(doc.uri, doc.text.getText(), doc.language, result, { rules: settings.rules, hintsOnly });
    }
    return result;
  }

  /**
   * Analyses a document with its project after it was answered with its own analysis (`own`, of
   * `version`). When the project changes its findings, or the document changed meanwhile, the
   * client pulls again (or gets a push); the new answer comes from the project's analysis, kept
   * for that version.
   */
  private projectPass(doc: OpenDocument, version: number, own: AnalysisResult): void {
    if (this.projectPasses.has(doc.uri)) return;
    this.projectPasses.add(doc.uri);
    void this.guard('project analysis', undefined, async () => {
      try {
        const full = await this.analysis(doc);
        this.projectPasses.delete(doc.uri);
        if (this.documents.get(doc.uri) !== doc) return;
        // A pulling client asks again in any case, so that an answer marked as the file's own is
        // always followed by one from its project; a push is sent only when something changed.
        const changed = doc.text.version !== version || full === undefined || JSON.stringify(full.findings) !== JSON.stringify(own.findings);
        if (this.pull || changed) this.diagnosticsChanged(doc);
      } finally {
        this.projectPasses.delete(doc.uri);
      }
    });
  }

  /** A document's diagnostics changed without an edit: pulling clients ask again (once per turn of the loop), others get a push. */
  private diagnosticsChanged(doc: OpenDocument): void {
    if (!this.pull) {
      this.schedulePush(doc);
      return;
    }
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      void this.connection.languages.diagnostics.refresh();
    });
  }

  /** One message per file that runs past its budget, not one per keystroke. */
  private overBudget(uri: string, error: BudgetExceeded): void {
    if (this.overBudgetNotified.has(uri)) return;
    this.overBudgetNotified.add(uri);
    const file = fsPathOf(uri) ?? uri;
    const message = `The analysis of ${file} took longer than ${error.budgetMs} ms (taskReliability.analysisTimeBudgetMs) and was stopped: the file keeps its last results.`;
    this.connection.console.warn(message);
    void this.connection.window.showWarningMessage(`Task Reliability: ${message}`);
  }

  /** A join changed the project findings of these open documents: their diagnostics are sent again. */
  private projectFindingsChanged(uris: readonly string[]): void {
    if (this.pull) {
      void this.connection.languages.diagnostics.refresh();
      return;
    }
    for (const uri of uris) {
      const doc = this.documents.get(uri);
      if (doc !== undefined) this.schedulePush(doc);
    }
  }

  /** A module's summary changed: the open documents that read it are analysed again. */
  private dependentsChanged(uris: readonly string[]): void {
    for (const uri of uris) {
      const doc = this.documents.get(uri);
      if (doc === undefined) continue;
      doc.cache = undefined;
      doc.running = undefined;
      if (!this.pull) this.schedulePush(doc);
      void this.connection.sendNotification(FILE_REPORT_CHANGED_NOTIFICATION, { uri });
    }
    if (this.pull) void this.connection.languages.diagnostics.refresh();
  }

  /** The file's kind for its current text, computed once per version and scope. */
  private fileClass(doc: OpenDocument, scope: ConfigScope): FileClass {
    const version = doc.text.version;
    if (doc.fileClass?.version === version && doc.fileClass.scope === scope) return doc.fileClass.value;
    const value = scope.classify(fsPathOf(doc.uri) ?? doc.uri, doc.text.getText());
    doc.fileClass = { version, scope, value };
    return value;
  }

  private skipReason(doc: OpenDocument, scope: ConfigScope, settings: Settings): string | undefined {
    if (!settings.enable) return 'Task Reliability is disabled for this file (taskReliability.enable).';
    if (scope.isExcluded(fsPathOf(doc.uri) ?? doc.uri)) return 'The file matches an exclude glob (taskReliability.exclude or the project config).';
    const text = doc.text.getText();
    let reason: string | undefined;
    if (text.length > settings.maxFileSize) reason = `The file is larger than taskReliability.maxFileSize (${settings.maxFileSize} bytes): it is not analysed.`;
    else if (text.includes('\u0000')) reason = 'The file looks binary (it contains NUL characters): it is not analysed.';
    if (reason !== undefined && !this.skippedNotified.has(doc.uri)) {
      this.skippedNotified.add(doc.uri);
      this.connection.console.info(`${doc.uri}: ${reason}`);
      void this.connection.window.showInformationMessage(`Task Reliability: ${reason}`);
    }
    if (reason !== undefined) return reason;
    const { kind, reason: why } = this.fileClass(doc, scope);
    if (treatmentOf(kind, settings.testCode) !== 'skip') return undefined;
    reason = kind === 'generated' || kind === 'minified'
      ? `The file is ${kind} code (${why}): it is not analysed.`
      : `The file is ${kind} code (${why}) and taskReliability.testCode is "skip": it is not analysed.`;
    // Said once in the log only: opening a generated file is routine and deserves no pop-up.
    if (!this.classifiedNotified.has(doc.uri)) {
      this.classifiedNotified.add(doc.uri);
      this.connection.console.info(`${doc.uri}: ${reason}`);
    }
    return reason;
  }

  private options(settings: Settings): AnalyzeOptions {
    return { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds };
  }

  private async fileReport(params: FileReportParams): Promise<FileReport | null> {
    const doc = this.documents.get(params.uri);
    if (doc === undefined) return null;
    const scope = await this.configuration.scope(doc.uri);
    const skipped = this.skipReason(doc, scope, scope.settingsFor(fsPathOf(doc.uri) ?? doc.uri));
    return fileReportOf(doc.uri, doc.text, skipped === undefined ? await this.analysis(doc) : undefined, skipped);
  }

  /** A failing request is logged once and answered with an empty result; the server keeps running. */
  private async guard<T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }
}

/** The answer to a pull for a version that changed meanwhile: the client asks again for the new one. */
function staleResponse(): ResponseError<{ retriggerRequest: boolean }> {
  return new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed while its diagnostics were computed.', { retriggerRequest: true });
}
