import path from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageFromPath, treatmentOf, type Finding } from '../analysis/index.js';
import { BudgetExceeded, type AnalysisWorker, type ProjectLocation } from '../worker/client.js';
import type { Links } from '../catalog/render.js';
import { CONFIG_FILE } from '../config/project.js';
import { readSource } from '../workspace/source.js';
import { isGitIgnored } from '../workspace/walk.js';
import type { Configuration } from './configuration.js';
import { toDiagnostic } from './convert.js';
import type { DocumentStore } from './documents.js';
import { fsPathOf, isInside, uriOf, type WorkspaceFolders } from './folders.js';
import type { ClosedFileFindings } from './task-map.js';

export interface WorkspaceHost {
  readonly connection: Connection;
  readonly worker: AnalysisWorker;
  readonly configuration: Configuration;
  readonly documents: DocumentStore;
  readonly folders: WorkspaceFolders;
  links(): Links;
  /** Whether the client pulls the diagnostics of open documents. */
  pulls(): boolean;
  /** The project model: scanned files resolve their imports through it, and it is told of files that change on disk. */
  readonly project?: { fileChanged(file: string): void; locationOf(uri: string): ProjectLocation | undefined };
}

export type FileOutcome =
  | { readonly kind: 'analysed'; readonly findings: number }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'ignored' };

/**
 * The diagnostics of files that are not open, found by a workspace scan and pushed with
 * textDocument/publishDiagnostics. Once a folder has been scanned its results stay current:
 * watched-file events re-analyse a changed file from disk and clear a deleted one. An open
 * document belongs to the editor instead: its diagnostics come from the editor's text.
 */
export class WorkspaceDiagnostics implements ClosedFileFindings {
  private readonly published = new Set<string>();
  private readonly scanned = new Set<string>();
  /** Each closed file's own findings as last published, and the project rules' findings given with the text they were placed in. */
  private readonly own = new Map<string, Diagnostic[]>();
  private readonly project = new Map<string, { readonly text: string; readonly diagnostics: Diagnostic[] }>();

  constructor(private readonly host: WorkspaceHost) {}

  markScanned(folder: string): void {
    this.scanned.add(folder);
  }

  isScanned(file: string): boolean {
    return [...this.scanned].some((folder) => isInside(folder, file));
  }

  scannedFolders(): string[] {
    return [...this.scanned];
  }

  /** Analyses a file from disk and publishes its findings; `scanning` skips checks the walk made. */
  async refresh(file: string, scanning = false): Promise<FileOutcome> {
    const { host } = this;
    const uri = uriOf(file);
    const language = languageFromPath(file);
    const folder = host.folders.folderOf(file);
    if (language === undefined || folder === undefined || host.documents.get(uri) !== undefined) return { kind: 'ignored' };
    const scope = await host.configuration.scope(uriOf(folder));
    const settings = scope.settingsFor(file);
    if (!settings.enable || (!scanning && (scope.isExcluded(file) || isGitIgnored(folder, file)))) {
      this.clear(uri);
      return { kind: 'ignored' };
    }
    const source = await readSource(file, settings.maxFileSize);
    if (source.kind === 'skipped') {
      this.clear(uri);
      return source;
    }
    // Generated and minified files are never analysed; test and example code only when the user
    // asked for it to be reported as production code (taskReliability.testCode "report"): a scan
    // lists what the product needs fixed, and an open test file still gets its hints.
    if (treatmentOf(scope.classify(file, source.text).kind, settings.testCode) !== 'analyse') {
      this.clear(uri);
      return { kind: 'ignored' };
    }
    let result;
    try {
      const project = host.project?.locationOf(uri);
      const place = scope.place(file);
      const options = { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds, ...(place === undefined ? {} : { place }) };
      result = await host.worker.analyzeText(source.text, language, options, settings.analysisTimeBudgetMs, project);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      this.clear(uri);
      return { kind: 'skipped', reason: `its analysis took longer than ${error.budgetMs} ms (taskReliability.analysisTimeBudgetMs)` };
    }
    // The file may have been opened while it was analysed: then the editor's text is what counts.
    if (host.documents.get(uri) !== undefined) return { kind: 'ignored' };
    const text = TextDocument.create(uri, language, 0, source.text);
    const links = host.links();
    this.own.set(uri, result.findings.map((f) => toDiagnostic(text, f, links)));
    // Project findings placed in another text are stale: the task map joins again after this change.
    if (this.project.get(uri)?.text !== source.text) this.project.delete(uri);
    this.show(uri);
    return { kind: 'analysed', findings: result.findings.length };
  }

  shows(file: string): boolean {
    return this.isScanned(file) && this.host.documents.get(uriOf(file)) === undefined;
  }

  /** The task map's findings for a closed file, shown with the file's own until the next join. */
  setProjectFindings(file: string, text: string, findings: readonly Finding[]): void {
    const uri = uriOf(file);
    const language = languageFromPath(file);
    if (language === undefined || !this.shows(file)) return;
    const document = TextDocument.create(uri, language, 0, text);
    const links = this.host.links();
    if (findings.length === 0) this.project.delete(uri);
    else this.project.set(uri, { text, diagnostics: findings.map((f) => toDiagnostic(document, f, links)) });
    this.show(uri);
  }

  /** Publishes a closed file's own diagnostics with its project ones. */
  private show(uri: string): void {
    this.publish(uri, [...(this.own.get(uri) ?? []), ...(this.project.get(uri)?.diagnostics ?? [])]);
  }

  /** A file or folder was deleted: its results, and those of everything under it, go. */
  deleted(target: string): void {
    const uri = uriOf(target);
    for (const published of [...this.published]) {
      if (published === uri || published.startsWith(`${uri}/`)) this.clear(published);
    }
  }

  /** Clears results under `folder` that a finished scan did not produce (now excluded, for example). */
  retain(folder: string, seen: ReadonlySet<string>): void {
    for (const uri of [...this.published]) {
      const file = fsPathOf(uri);
      if (file !== undefined && isInside(folder, file) && !seen.has(uri)) this.clear(uri);
    }
  }

  /** A document opened: with pull diagnostics its pushed results would show twice, so they go. */
  opened(uri: string): void {
    if (this.host.pulls()) this.clear(uri);
  }

  /** A document closed: a scanned file shows its results on disk again; others show nothing. */
  async closed(uri: string): Promise<void> {
    // A client that pulls drops a closed document's diagnostics itself; others were pushed them.
    if (!this.host.pulls()) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    const file = fsPathOf(uri);
    if (file !== undefined && this.isScanned(file)) await this.refresh(file);
  }

  forgetFolder(folder: string): void {
    this.scanned.delete(folder);
    this.retain(folder, new Set());
  }

  private publish(uri: string, diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0 && !this.published.has(uri)) return;
    if (diagnostics.length === 0) this.published.delete(uri);
    else this.published.add(uri);
    void this.host.connection.sendDiagnostics({ uri, diagnostics });
  }

  private clear(uri: string): void {
    this.own.delete(uri);
    this.project.delete(uri);
    this.publish(uri, []);
  }
}

export const isConfigFile = (file: string): boolean => path.basename(file) === CONFIG_FILE;
