import type { AnalysisResult, AnalyzeOptions, LanguageId, TextChange, TextEdit } from '../analysis/index.js';
import type { Splice } from '../analysis/incremental.js';

/**
 * Where a file sits in its project: the worker keeps one project model per root (reading the
 * project's modules from disk, and open documents' texts from what it was sent), so the options it
 * analyses with hold plain data only.
 */
export interface ProjectLocation {
  readonly root: string;
  readonly path: string;
}

/** The options of one analysis, as sent: AnalyzeOptions without the project model object. */
export type WorkerOptions = Omit<AnalyzeOptions, 'project'>;

/**
 * Messages between the language server (or the CLI) and its analysis worker thread. The worker
 * handles them one at a time, in the order sent, so an edit sent before an analysis request is
 * always applied before it runs.
 */
export type ToWorker =
  /** Opens a document: its text is parsed and kept, and later edits reparse it incrementally. */
  | { readonly kind: 'open'; readonly uri: string; readonly language: LanguageId; readonly text: string; readonly path?: string }
  /** Changes in offsets of the text left by the previous change, applied in order, then one reparse. */
  | { readonly kind: 'edit'; readonly uri: string; readonly changes: readonly TextChange[] }
  | { readonly kind: 'close'; readonly uri: string }
  /** Files changed on disk: every project model forgets what it read of the file system. */
  | { readonly kind: 'filesChanged' }
  | { readonly kind: 'analyze'; readonly id: number; readonly uri: string; readonly options: WorkerOptions; readonly project?: ProjectLocation }
  /** A text that is not kept: a file of a workspace scan or of the CLI. */
  | { readonly kind: 'analyzeText'; readonly id: number; readonly text: string; readonly language: LanguageId; readonly options: WorkerOptions; readonly project?: ProjectLocation }
  | { readonly kind: 'fixAll'; readonly id: number; readonly text: string; readonly language: LanguageId; readonly options: WorkerOptions; readonly rule?: string };

export type FromWorker =
  /** The worker begins request `id`: its time budget runs from here. */
  | { readonly kind: 'started'; readonly id: number }
  /**
   * An analysis's result. For an open document, `seq` numbers its analyses, and `splice` says how the
   * findings relate to those of analysis `basis` when the in-body edit's fast path answered.
   */
  | { readonly kind: 'result'; readonly id: number; readonly result: AnalysisResult; readonly seq?: number; readonly splice?: BasedSplice }
  | { readonly kind: 'fixed'; readonly id: number; readonly fixed: { readonly text: string; readonly edit: TextEdit } | undefined }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** What the worker is started with. */
export interface WorkerData {
  /** The folder of the grammars' `.wasm` files. */
  readonly wasmDir: string;
  /**
   * How long a project's prefilter may spend learning its modules of interest, in milliseconds of
   * wall time, before it gives up and lets every file of that root through. The language server
   * sets one, since the first diagnostics of an open file wait for it; the CLI sets none, since a
   * whole-tree check repays the learning many times over.
   */
  readonly learnBudgetMs?: number;
  /**
   * For tests only: a request whose text contains this marker never finishes, as an analysis that
   * has gone exponential would not. Set through TASK_RELIABILITY_TEST_HANG_MARKER.
   */
  readonly hangMarker?: string;
  /**
   * For tests only: the first analysis of each project root waits, before it reads anything of the
   * project, until this file exists, so that a test can observe what is answered before a project
   * is learned. Set through TASK_RELIABILITY_TEST_HOLD_LEARNING.
   */
  readonly holdLearningUntil?: string;
  /** The owner process's time origin, when its start is traced (see trace.ts). */
  readonly traceOrigin?: number;
}

/** A splice of the in-body edit's fast path (`Splice`), with the number of the analysis it started from. */
export interface BasedSplice extends Splice {
  readonly basis: number;
}
