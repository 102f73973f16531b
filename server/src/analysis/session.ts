import { Edit, type Tree } from 'web-tree-sitter';
import { analyzeParsed } from './analyze.js';
import { analyzeEdited, MAX_PENDING_CHANGES, optionsKey, sameProject, snapshotOf, type AnySnapshot, type Splice } from './incremental.js';
import { ParserPool, type TreeLanguage, type WasmLocator } from './parsing/parser.js';
import { pointAt, pointFrom } from './parsing/positions.js';
import { mayHaveSignals } from './prefilter.js';
import type { AnalysisResult, AnalyzeOptions, LanguageId, TextEdit } from './types.js';
import { ProjectModel } from './project/model.js';
import { SummaryCache } from './project/summary-cache.js';
import type { ModuleResolver, ModuleSummary, ProjectView } from './project/types.js';
import { summaryOfTree } from './project/use.js';
import { warmQueries } from './facts/common.js';

/** A change to a document, in offsets of the text before the change. */
export type TextChange = TextEdit;

/** The result of a file with nothing to say: no signal, no finding, no suppression. */
/** A prefilter's verdict on a text: false means it certainly holds no signal (see prefilter.ts). */
export type Prefilter = (text: string, language: LanguageId) => boolean;

export function emptyResult(language: LanguageId, hasSyntaxErrors = false): AnalysisResult {
  return { language, signals: [], findings: [], suppressed: [], suppressions: [], hasSyntaxErrors };
}

/**
 * One open document: its text and its syntax tree, updated incrementally on edits. The replaced
 * tree is deleted at once, because tree-sitter's wasm heap never shrinks.
 *
 * A text that the prefilter skips (it names no library the analysis knows) has no tree at all:
 * it is neither parsed nor analysed, and its result is empty (no syntax errors reported either).
 * The first edit that lets it through parses it afresh; one that makes it skipped deletes its tree.
 */
export class AnalyzedDocument {
  private tree: Tree | undefined;
  /**
   * The tree has been edited since its last parse: it is reparsed when an analysis needs it, so
   * that an edit the fast path answers (incremental.ts) costs no parse at all.
   */
  private stale = false;
  /** The last analysis, for the in-body edit's fast path, and the changes made since. */
  private snapshot: AnySnapshot | undefined;
  private pending: TextChange[] = [];
  /**
   * A point of the current text known without a scan (the start of the last change, as the text
   * before it is the same after it): the next change near it scans on from there, not from the start.
   */
  private anchor: { offset: number; point: { row: number; column: number } } | undefined;
  /** How the last `analyze` was answered: `edit` by the fast path, `whole` by a whole analysis. */
  lastPath: 'edit' | 'whole' | 'none' = 'none';
  /** How the last `analyze`'s findings relate to the previous one's, when the fast path answered it with a splice. */
  lastSplice: Splice | undefined;

  constructor(
    private readonly pool: ParserPool,
    readonly language: LanguageId,
    private content: string,
    private readonly prefilter: boolean | Prefilter = true,
  ) {
    if (this.wanted()) this.tree = pool.parse(language as TreeLanguage, content);
  }

  /**
   * Whether the text needs a syntax tree: a tree-sitter language, and a text the prefilter lets
   * through. The host loads the grammar before `reparse` when this holds.
   */
  wanted(): boolean {
    return this.language !== 'yaml' && this.passes();
  }

  /** The prefilter's verdict on the current text, computed once per text (an edit clears it). */
  private verdict: boolean | undefined;

  private passes(): boolean {
    this.verdict ??= typeof this.prefilter === 'function' ? this.prefilter(this.content, this.language)
      : !this.prefilter || mayHaveSignals(this.content, this.language);
    return this.verdict;
  }

  /**
   * The prefilter's answer may have changed without an edit (a project learned that a module this
   * text imports binds a library object): ask again, and drop a tree the text no longer needs.
   * The host loads the grammar before `reparse` when the text now passes. A YAML text has no tree:
   * its last analysis stays while the text passes (the YAML fast path asks the prefilter again).
   */
  refilter(): void {
    this.verdict = undefined;
    if (this.language === 'yaml' ? !this.passes() : !this.wanted()) this.drop();
  }

  /** Deletes the tree and forgets the last analysis. */
  private drop(): void {
    this.anchor = undefined;
    this.tree?.delete();
    this.tree = undefined;
    this.stale = false;
    this.snapshot = undefined;
    this.pending = [];
  }

  get text(): string {
    return this.content;
  }

  /** Applies changes in order (each in offsets of the text left by the previous one), then reparses. */
  update(changes: readonly TextChange[]): void {
    for (const change of changes) this.edit(change);
    this.reparse();
  }

  /**
   * Applies one change to the text and marks it in the tree, without reparsing: callers that
   * convert editor positions to offsets apply a batch of changes, then call `reparse` once.
   */
  edit(change: TextChange): void {
    const next = this.content.slice(0, change.start) + change.newText + this.content.slice(change.end);
    if (this.tree !== undefined) {
      const newEnd = change.start + change.newText.length;
      // The text before the change is the same in both: it is scanned once, for the start.
      const anchor = this.anchor !== undefined && this.anchor.offset <= change.start ? this.anchor : undefined;
      const start = anchor === undefined ? pointAt(this.content, change.start) : pointFrom(this.content, change.start, anchor.offset, anchor.point);
      // After a CR, the change may split a CR LF or join one: the point of its start may then change.
      this.anchor = this.content.charCodeAt(change.start - 1) === 13 ? undefined : { offset: change.start, point: start };
      this.tree.edit(new Edit({
        startIndex: change.start,
        oldEndIndex: change.end,
        newEndIndex: newEnd,
        startPosition: start,
        oldEndPosition: pointFrom(this.content, change.end, change.start, start),
        // A change right after a CR can make it a line break of its own (CR LF split): scan afresh then.
        newEndPosition: this.content.charCodeAt(change.start - 1) === 13 ? pointAt(next, newEnd) : pointFrom(next, newEnd, change.start, start),
      }));
    }
    this.content = next;
    this.verdict = undefined;
    if (this.snapshot !== undefined) {
      this.pending.push(change);
      if (this.pending.length > MAX_PENDING_CHANGES) {
        this.snapshot = undefined;
        this.pending = [];
      }
    }
  }

  /**
   * Reparses incrementally from the edited tree, deleting the old one. Error recovery can depend
   * on the old tree (seen with tree-sitter-go), so a text that does not parse cleanly, or whose old
   * tree did not, is parsed afresh: its analysis must never depend on the edits that led to it.
   */
  reparse(): void {
    // An edited tree with a last analysis waits for the next one (see `stale`), whose fast path
    // asks the prefilter about the text around the edited declaration once.
    if (this.tree !== undefined && this.snapshot !== undefined) {
      this.stale = true;
      return;
    }
    // YAML has no tree: its last analysis waits for the next one too, for the YAML fast path.
    if (this.language === 'yaml' && this.snapshot !== undefined) return;
    if (!this.wanted()) {
      this.drop();
      return;
    }
    if (this.tree === undefined) {
      this.tree = this.pool.parse(this.language as TreeLanguage, this.content);
      this.stale = false;
      return;
    }
    // An edited tree is reparsed when an analysis needs it (see `stale`).
    this.stale = true;
  }

  /** Reparses the edited tree, if it was edited since its last parse. */
  private fresh(): void {
    if (!this.stale || this.tree === undefined) return;
    this.stale = false;
    const old = this.tree;
    const language = this.language as TreeLanguage;
    // A tree with errors is not reused either: the reparse of an ambiguous text (JavaScript's
    // `await (x)`, a call of `await` or an await) after an error kept the old tree's reading where a
    // fresh parse chooses the other, so the analysis depended on the edits that led to the text.
    const oldHadError = old.rootNode.hasError;
    let tree = this.pool.parse(language, this.content, oldHadError ? undefined : old);
    old.delete();
    if (tree.rootNode.hasError && !oldHadError) {
      tree.delete();
      tree = this.pool.parse(language, this.content);
    }
    this.tree = tree;
  }

  /** Replaces the whole text (a full-document sync). */
  replace(text: string): void {
    this.drop();
    this.content = text;
    this.verdict = undefined;
    this.tree = this.wanted() ? this.pool.parse(this.language as TreeLanguage, text) : undefined;
  }

  analyze(options?: AnalyzeOptions): AnalysisResult {
    // The same text with the same options: the last result stands (a pull repeated without an edit).
    // With its project, only while the project's view of the file is the one it had.
    this.lastSplice = undefined;
    if (this.snapshot !== undefined && this.pending.length === 0 && optionsKey(options) === this.snapshot.optionsKey && sameProject(this.snapshot, options) !== false) {
      this.lastPath = 'edit';
      return this.snapshot.result;
    }
    if (this.snapshot !== undefined && this.pending.length > 0) {
      const prefilter = this.prefilter;
      const fast = analyzeEdited(this.pool, this.snapshot, this.pending, this.content, options,
        typeof prefilter === 'function' ? (text) => prefilter(text, this.language) : prefilter ? (text) => mayHaveSignals(text, this.language) : undefined);
      this.pending = [];
      this.snapshot = fast?.snapshot;
      if (fast !== undefined) {
        this.lastPath = 'edit';
        this.lastSplice = fast.splice;
        return fast.result;
      }
    }
    if (!this.passes()) {
      this.lastPath = 'none';
      if (!this.wanted()) this.drop();
      return emptyResult(this.language);
    }
    this.lastPath = 'whole';
    if (this.tree === undefined && this.language !== 'yaml') this.reparse();
    this.fresh();
    try {
      const used: { summary: ModuleSummary | undefined; view: ProjectView | undefined } = { summary: undefined, view: undefined };
      const result = analyzeParsed(this.pool, this.content, this.language, this.tree, options, {
        observe: (_facts, summary, view) => {
          used.summary = summary;
          used.view = view;
        },
      });
      this.snapshot = snapshotOf(this.language, this.content, this.tree, result, options, used);
      this.pending = [];
      return result;
    } catch (error) {
      // A last resort: the detectors walk member chains and nested literals with lists, not
      // recursion (a chain 10,000 levels deep, found by fuzzing, issue 7), but a walk that still
      // recursed would exhaust the stack on such a file. It then gets no findings instead of an
      // exception; every other error is a bug and is thrown on.
      if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
      return emptyResult(this.language, this.tree?.rootNode.hasError ?? false);
    }
  }

  dispose(): void {
    this.drop();
  }
}

/** The entry point of the core: loads grammars lazily and analyses texts and documents. */
export class Analyzer {
  private readonly pool: ParserPool;

  constructor(locator: WasmLocator) {
    this.pool = new ParserPool(locator);
  }

  /** Initialises the parsing runtime ahead of the first grammar, loading none. */
  async startRuntime(): Promise<void> {
    await this.pool.init();
  }

  /** Loads what `language` needs; call before `open` or `analyzeSync`. */
  async prepare(language: LanguageId): Promise<void> {
    if (language !== 'yaml') await this.pool.load(language);
  }

  /**
   * Runs a language's warm-up: an analysis of an empty text that learns which queries an analysis
   * asks for and compiles them once, together (see `warmQueries`), without a result.
   */
  warm(language: LanguageId): void {
    if (language === 'yaml') {
      this.analyzeSync('', language, {}, false);
      return;
    }
    warmQueries(this.pool.language(language as TreeLanguage), () => this.analyzeSync('', language, {}, false));
  }

  isPrepared(language: LanguageId): boolean {
    return language === 'yaml' || this.pool.isLoaded(language);
  }

  /**
   * Opens a document; `prefilter: false` parses and analyses it even when it names no known
   * library, and a function decides in the prefilter's place (a project's, see project-prefilter.ts).
   */
  open(text: string, language: LanguageId, prefilter: boolean | Prefilter = true): AnalyzedDocument {
    return new AnalyzedDocument(this.pool, language, text, prefilter);
  }

  /** Analyses a text once: parses, analyses and deletes the tree. */
  async analyze(text: string, language: LanguageId, options?: AnalyzeOptions): Promise<AnalysisResult> {
    // A text the prefilter skips needs no grammar: its result is known without a parse. A text
    // analysed with its project may reach a library through a project module: it is always analysed.
    if (options?.project === undefined && !mayHaveSignals(text, language)) return emptyResult(language);
    await this.prepare(language);
    return this.analyzeSync(text, language, options);
  }

  analyzeSync(text: string, language: LanguageId, options?: AnalyzeOptions, prefilter: boolean | Prefilter = true): AnalysisResult {
    if (typeof prefilter === 'function' ? !prefilter(text, language) : prefilter && options?.project === undefined && !mayHaveSignals(text, language)) return emptyResult(language);
    // The text passed (or needs no prefilter): the document need not ask again.
    const document = this.open(text, language, false);
    try {
      return document.analyze(options);
    } finally {
      document.dispose();
    }
  }

  /**
   * A project model over `resolver`, reading other modules' summaries with this analyzer's
   * parsers. Pass the same `cache` to models of several roots (or a reloaded one) to share it.
   */
  projectModel(resolver: ModuleResolver, cache: SummaryCache = this.summaries()): ProjectModel {
    return new ProjectModel(resolver, cache);
  }

  /** A summary cache that parses with this analyzer's grammars (loaded by `prepare`). */
  summaries(): SummaryCache {
    return new SummaryCache((text, language) => {
      if (language === 'yaml' || !this.pool.isLoaded(language)) return undefined;
      const tree = this.pool.parse(language, text);
      try {
        return summaryOfTree(tree, language);
      } finally {
        tree.delete();
      }
    });
  }

  /** Parses only, for the benchmark's floor. */
  parseOnly(text: string, language: LanguageId): void {
    if (language !== 'yaml') this.pool.parse(language, text).delete();
  }
}
