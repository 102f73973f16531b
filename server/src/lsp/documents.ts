import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { ConfigScope } from '../config/scope.js';
import { languageFromEditorId, type AnalysisResult, type FileClass, type AnalyzedDocument, type Analyzer, type LanguageId, type AnalyzeOptions } from '../analysis/index.js';

/** One open document: the editor's text, its syntax tree (once the grammar is loaded) and the last analysis. */
export interface OpenDocument {
  readonly uri: string;
  readonly language: LanguageId;
  text: TextDocument;
  analyzed: AnalyzedDocument | undefined;
  cache: { version: number; optionsKey: string; result: AnalysisResult } | undefined;
  /** The file's kind (test, generated...) for one version of its text and one config scope. */
  fileClass: { version: number; scope: ConfigScope; value: FileClass } | undefined;
}

/**
 * Keeps the editor's documents in sync with their trees: each incremental change is applied to
 * the text and marked in the tree, then the tree is reparsed once per batch.
 */
export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly analyzer: Analyzer) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocument | undefined {
    const language = languageFromEditorId(languageId);
    this.close(uri);
    if (language === undefined) return undefined;
    const doc: OpenDocument = { uri, language, text: TextDocument.create(uri, languageId, version, text), analyzed: undefined, cache: undefined, fileClass: undefined };
    this.documents.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.documents.get(uri);
    if (doc === undefined) return undefined;
    for (const change of changes) {
      if ('range' in change) {
        const start = doc.text.offsetAt(change.range.start);
        const end = doc.text.offsetAt(change.range.end);
        doc.analyzed?.edit({ start, end, newText: change.text });
      } else {
        doc.analyzed?.dispose();
        doc.analyzed = undefined;
      }
      doc.text = TextDocument.update(doc.text, [change], version);
    }
    doc.analyzed?.reparse();
    doc.cache = undefined;
    return doc;
  }

  close(uri: string): void {
    const doc = this.documents.get(uri);
    doc?.analyzed?.dispose();
    this.documents.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  all(): IterableIterator<OpenDocument> {
    return this.documents.values();
  }

  /**
   * Analyses the current version, loading the grammar first when needed. Returns undefined when
   * the document changed or closed while the grammar loaded: its result would be stale.
   */
  async analyze(doc: OpenDocument, options: AnalyzeOptions): Promise<AnalysisResult | undefined> {
    const version = doc.text.version;
    const optionsKey = JSON.stringify(options);
    if (doc.cache !== undefined && doc.cache.version === version && doc.cache.optionsKey === optionsKey) return doc.cache.result;
    if (!this.analyzer.isPrepared(doc.language)) await this.analyzer.prepare(doc.language);
    if (this.documents.get(doc.uri) !== doc || doc.text.version !== version) return undefined;
    doc.analyzed ??= this.analyzer.open(doc.text.getText(), doc.language);
    const result = doc.analyzed.analyze(options);
    doc.cache = { version, optionsKey, result };
    return result;
  }

  dispose(): void {
    for (const uri of [...this.documents.keys()]) this.close(uri);
  }
}
