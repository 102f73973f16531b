import { Worker, type ResourceLimits } from 'node:worker_threads';
import { emptyResult, mayHaveSignals, type AnalysisResult, type LanguageId, type TextChange, type TextEdit } from '../analysis/index.js';
import type { BasedSplice, FromWorker, ProjectLocation, ToWorker, WorkerOptions } from './protocol.js';
import { adoptEarly, workerDataFor } from './early.js';

export type { ProjectLocation, WorkerOptions } from './protocol.js';

/** The default time one file's analysis may take (setting `taskReliability.analysisTimeBudgetMs`, CLI `--max-file-ms`). */
export const DEFAULT_TIME_BUDGET_MS = 2000;

/** A request ran past its budget: the worker was ended and its work abandoned. */
export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`the analysis took longer than its budget of ${budgetMs} ms and was abandoned`);
    this.name = 'BudgetExceeded';
  }
}

type Request = Extract<ToWorker, { id: number }>;
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

interface Pending {
  readonly message: Request;
  readonly budgetMs: number;
  readonly resolve: (value: FromWorker) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** The open document a request of `analyzeDocument` needs, as the owner knows it now. */
export interface DocumentSource {
  readonly language: LanguageId;
  readonly text: string;
  /** The document's file, when it has one: the project models read its text from here. */
  readonly path?: string | undefined;
}

export interface AnalysisWorkerOptions {
  /** The built worker script (dist/analysis-worker.js). */
  readonly script: string;
  readonly wasmDir: string;
  /** See `WorkerData.learnBudgetMs`. */
  readonly learnBudgetMs?: number;
  /** The worker thread's heap limits (the language server's, see early.ts); V8's defaults without. */
  readonly resourceLimits?: ResourceLimits;
  /** The current text of an open document, to open it again in a new worker. */
  readonly documents?: (uri: string) => DocumentSource | undefined;
  readonly log?: (message: string) => void;
}

/**
 * The owner's side of the analysis worker thread (see worker/main.ts). Requests are answered in
 * order. Each has a budget that runs from the moment the worker starts it; past it the worker is
 * terminated (Node 20 has no clock of one thread's CPU time, so the budget is the wall time of the
 * worker's own work, not of the wait in its queue), the request fails with BudgetExceeded, and the
 * requests queued behind it are sent again to a new worker, the open documents re-sent with their
 * current text.
 */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Documents open in the current worker. */
  private readonly opened = new Set<string>();
  private disposed = false;

  constructor(private readonly options: AnalysisWorkerOptions) {}

  /**
   * Starts the worker thread ahead of its first request (it otherwise starts with the first
   * message), so that loading its code overlaps with the owner's own start.
   */
  start(): void {
    if (!this.disposed) this.started();
  }

  /** Opens a document in the worker, replacing what it had under `uri`. */
  open(uri: string, language: LanguageId, text: string, path?: string): void {
    this.post({ kind: 'open', uri, language, text, ...(path === undefined ? {} : { path }) });
    this.opened.add(uri);
  }

  /** Changes to an open document; ignored when the worker does not have it (it is re-sent whole when analysed). */
  edit(uri: string, changes: readonly TextChange[]): void {
    if (this.opened.has(uri)) this.post({ kind: 'edit', uri, changes });
  }

  /**
   * A document's whole new text, replacing what the worker has. A document the worker does not have
   * is left to its next analysis, which sends it whole.
   */
  reopen(uri: string, language: LanguageId, text: string): void {
    if (!this.opened.has(uri)) return;
    const path = this.options.documents?.(uri)?.path;
    this.open(uri, language, text, path);
  }

  /** Files changed on disk: the project models read them again. */
  filesChanged(): void {
    if (this.worker !== undefined) this.post({ kind: 'filesChanged' });
  }

  close(uri: string): void {
    if (!this.opened.delete(uri)) return;
    this.post({ kind: 'close', uri });
  }

  /** Analyses an open document at the text the worker has (opening it first when it has none). */
  async analyzeDocument(uri: string, options: WorkerOptions, budgetMs = DEFAULT_TIME_BUDGET_MS, project?: ProjectLocation): Promise<AnalysisResult> {
    const reply = await this.request({ kind: 'analyze', uri, options, ...(project === undefined ? {} : { project }) }, budgetMs);
    if (reply.kind !== 'result') throw new Error(`unexpected reply ${reply.kind}`);
    if (reply.seq !== undefined) this.analyses.set(reply.result, { seq: reply.seq, splice: reply.splice });
    return reply.result;
  }

  /** Which analysis of its document a result of `analyzeDocument` was, and how it relates to an earlier one (see `BasedSplice`). */
  analysisOf(result: AnalysisResult): { readonly seq: number; readonly splice: BasedSplice | undefined } | undefined {
    return this.analyses.get(result);
  }

  private readonly analyses = new WeakMap<AnalysisResult, { readonly seq: number; readonly splice: BasedSplice | undefined }>();

  /**
   * Analyses a text that is not kept. A text the prefilter skips gets its empty result here,
   * without a round trip: most files of a workspace name no library the analysis knows. A file
   * analysed with its project is always sent: it may use a library only through a project module
   * (`from .celeryconf import app`), which only the worker's project prefilter, which knows the
   * project's modules of interest, can see.
   */
  async analyzeText(text: string, language: LanguageId, options: WorkerOptions, budgetMs = DEFAULT_TIME_BUDGET_MS, project?: ProjectLocation): Promise<AnalysisResult> {
    if (project === undefined && !mayHaveSignals(text, language)) return emptyResult(language);
    const reply = await this.request({ kind: 'analyzeText', text, language, options, ...(project === undefined ? {} : { project }) }, budgetMs);
    if (reply.kind !== 'result') throw new Error(`unexpected reply ${reply.kind}`);
    return reply.result;
  }

  async fixAll(text: string, language: LanguageId, options: WorkerOptions, rule?: string, budgetMs = DEFAULT_TIME_BUDGET_MS): Promise<{ text: string; edit: TextEdit } | undefined> {
    const reply = await this.request({ kind: 'fixAll', text, language, options, ...(rule === undefined ? {} : { rule }) }, budgetMs);
    if (reply.kind !== 'fixed') throw new Error(`unexpected reply ${reply.kind}`);
    return reply.fixed;
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the analysis worker was stopped'));
    }
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(body: RequestBody, budgetMs: number): Promise<FromWorker> {
    if (this.disposed) return Promise.reject(new Error('the analysis worker was stopped'));
    const message = { ...body, id: this.nextId++ } as Request;
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(message.id, { message, budgetMs, resolve, reject, timer: undefined });
      this.send(message);
    });
  }

  /** Sends a request, first opening its document in this worker when the worker lacks it. */
  private send(message: Request): void {
    if (message.kind === 'analyze' && !this.opened.has(message.uri)) {
      const doc = this.options.documents?.(message.uri);
      if (doc !== undefined) this.open(message.uri, doc.language, doc.text, doc.path);
    }
    this.post(message);
  }

  private post(message: ToWorker): void {
    this.started().postMessage(message);
  }

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const data = workerDataFor(this.options.wasmDir, this.options.learnBudgetMs);
    // The language server's entry may have started this thread already (see early.ts).
    const limits = this.options.resourceLimits;
    const worker = adoptEarly(this.options.script, data, limits) ?? new Worker(this.options.script, { workerData: data, ...(limits === undefined ? {} : { resourceLimits: limits }) });
    // An idle worker must not keep a CLI process alive.
    worker.unref();
    worker.on('message', (reply: FromWorker) => this.received(reply));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.lost(worker, new Error(`the analysis worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private received(reply: FromWorker): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    if (reply.kind === 'started') {
      // The budget is this thread's wall time, and this thread can be busy past it (the project's
      // index parses files here in batches): when it comes back, an overdue timer runs before the
      // worker's messages already waiting, and an analysis that finished in time would be thrown
      // away with its worker. The check waits for the messages (setImmediate runs after them).
      p.timer = setTimeout(() => setImmediate(() => this.overBudget(reply.id)), p.budgetMs);
      return;
    }
    clearTimeout(p.timer);
    this.pending.delete(reply.id);
    if (reply.kind === 'error') p.reject(new Error(reply.message));
    else p.resolve(reply);
  }

  /** Ends the worker in the middle of request `id`, fails that request, and sends the others again. */
  private overBudget(id: number): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    this.restart();
    p.reject(new BudgetExceeded(p.budgetMs));
  }

  /** The worker died by itself (out of memory, a crash in wasm): its requests fail, a new one starts on demand. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.options.log?.(`The analysis worker stopped: ${error.message}`);
    this.worker = undefined;
    this.opened.clear();
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const p of failed) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    this.opened.clear();
    void old?.terminate();
    const queued = [...this.pending.values()].sort((a, b) => a.message.id - b.message.id);
    for (const p of queued) {
      clearTimeout(p.timer);
      p.timer = undefined;
      this.send(p.message);
    }
  }
}
