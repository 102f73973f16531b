import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { ConfigScope } from '../config/scope.js';
import { languageFromEditorId, type AnalysisResult, type FileClass, type LanguageId, type TextChange } from '../analysis/index.js';
import { BudgetExceeded, type AnalysisWorker, type ProjectLocation, type WorkerOptions } from '../worker/client.js';

/** One open document: the editor's text and its analyses (its syntax tree lives in the analysis worker). */
export interface OpenDocument {
  readonly uri: string;
  readonly language: LanguageId;
  text: TextDocument;
  cache: { version: number; optionsKey: string; result: AnalysisResult } | undefined;
  /** The analysis of the current version and options while it runs, shared by every request that needs it. */
  running: { version: number; optionsKey: string; result: Promise<AnalysisResult | BudgetExceeded> } | undefined;
  /** The last analysis that finished in time: what the file keeps when a newer one runs past its budget. */
  last: AnalysisResult | undefined;
  /** The file's kind (test, generated...) for one version of its text and one config scope. */
  fileClass: { version: number; scope: ConfigScope; value: FileClass } | undefined;
}

/**
 * Keeps the editor's documents and mirrors them into the analysis worker: each incremental change
 * is sent as offsets, and the worker reparses its tree once per batch before the next analysis.
 */
export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();

  /** `overBudget` hears of every analysis that ran past its budget (the server tells the user once). */
  constructor(private readonly worker: AnalysisWorker, private readonly overBudget: (doc: OpenDocument, error: BudgetExceeded) => void) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocument | undefined {
    const language = languageFromEditorId(languageId);
    this.close(uri);
    if (language === undefined) return undefined;
    const doc: OpenDocument = { uri, language, text: TextDocument.create(uri, languageId, version, text), cache: undefined, running: undefined, last: undefined, fileClass: undefined };
    this.documents.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.documents.get(uri);
    if (doc === undefined) return undefined;
    const edits: TextChange[] = [];
    let whole = false;
    for (const change of changes) {
      if ('range' in change) {
        const start = doc.text.offsetAt(change.range.start);
        const end = doc.text.offsetAt(change.range.end);
        edits.push({ start, end, newText: change.text });
      } else {
        whole = true;
      }
      doc.text = TextDocument.update(doc.text, [change], version);
    }
    // A whole-text change sends the new text at once (the changes after it in the batch included):
    // the worker's project models read open documents' texts, so a dependent analysed before this
    // document must see it, not the file on disk.
    if (whole) this.worker.reopen(uri, doc.language, doc.text.getText());
    else if (edits.length > 0) this.worker.edit(uri, edits);
    doc.cache = undefined;
    doc.running = undefined;
    return doc;
  }

  close(uri: string): void {
    if (!this.documents.delete(uri)) return;
    this.worker.close(uri);
  }

  /** Drops the worker's copy of a document (a skipped file keeps no syntax tree). */
  release(doc: OpenDocument): void {
    this.worker.close(doc.uri);
    doc.cache = undefined;
  }

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  all(): IterableIterator<OpenDocument> {
    return this.documents.values();
  }

  /**
   * Analyses the current version in the worker. Requests for the same version and options share
   * one analysis. Returns undefined when the document changed or closed meanwhile (its result would
   * be stale). An analysis that runs past `budgetMs` leaves the document its last results (none
   * before its first), and the same version is not analysed again.
   */
  async analyze(doc: OpenDocument, options: WorkerOptions, budgetMs: number, project?: ProjectLocation): Promise<AnalysisResult | undefined> {
    const version = doc.text.version;
    const optionsKey = JSON.stringify({ options, project });
    if (doc.cache !== undefined && doc.cache.version === version && doc.cache.optionsKey === optionsKey) return doc.cache.result;
    if (doc.running === undefined || doc.running.version !== version || doc.running.optionsKey !== optionsKey) {
      const result = this.worker.analyzeDocument(doc.uri, options, budgetMs, project).catch((error: unknown) => {
        if (error instanceof BudgetExceeded) return error;
        throw error;
      });
      doc.running = { version, optionsKey, result };
    }
    const running = doc.running;
    let result: AnalysisResult | BudgetExceeded;
    try {
      result = await running.result;
    } finally {
      if (doc.running === running) doc.running = undefined;
    }
    if (this.documents.get(doc.uri) !== doc || doc.text.version !== version) return undefined;
    if (result instanceof BudgetExceeded) {
      const kept = doc.last ?? { language: doc.language, signals: [], findings: [], suppressed: [], suppressions: [], hasSyntaxErrors: false };
      doc.cache = { version, optionsKey, result: kept };
      this.overBudget(doc, result);
      return kept;
    }
    doc.cache = { version, optionsKey, result };
    doc.last = result;
    return result;
  }

  dispose(): void {
    for (const uri of [...this.documents.keys()]) this.close(uri);
  }
}
