import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { languageFromPath, sameSummary, type AnalysisResult, type LanguageId, type Analyzer, type ModuleSummary, type ProjectModel, type SummaryCache } from '../analysis/index.js';
import type { ConfigScope } from '../config/scope.js';
import { FileResolver } from '../workspace/resolver.js';
import { projectRootOf } from '../workspace/project-root.js';
import { walkFolder } from '../workspace/walk.js';
import { fsPathOf, uriOf, type WorkspaceFolders } from './folders.js';
import { serverProgress } from './progress.js';

/** The languages whose modules have summaries, by file name. */
const MODEL_LANGUAGES: ReadonlySet<LanguageId> = new Set(['python', 'javascript', 'typescript', 'tsx', 'go', 'ruby', 'java']);

function modelLanguage(file: string): LanguageId | undefined {
  const language = languageFromPath(file);
  return language !== undefined && MODEL_LANGUAGES.has(language) ? language : undefined;
}

/** The file the summaries persist to, in the extension's storage; its version guards the shape. */
const CACHE_FILE = 'project-summaries.json';
// 2: JavaScript summaries carry a queue's defaultJobOptions; summaries saved before would hide them.
// 3: Python summaries say what a `functools.partial` wraps.
// 4: Python summaries carry django-split-settings includes and a Celery app's own beat schedule.
const CACHE_VERSION = 4;
/** Yield to the connection every this many files while indexing, so requests are answered meanwhile. */
const INDEX_BATCH = 50;

export interface ProjectHost {
  readonly connection: Connection;
  readonly analyzer: Analyzer;
  readonly folders: WorkspaceFolders;
  scope(folder: string): Promise<ConfigScope>;
  /** The open documents whose analysis read `files` must be analysed again. */
  dependentsChanged(uris: readonly string[]): void;
  /** A file changed on disk: whatever else reads the project must read it again. */
  diskChanged?(file: string): void;
}

/**
 * The project model inside the language server. Each workspace folder is its own root (a file
 * outside every folder takes its nearest root marker); open documents' texts win over the disk.
 * When a module's export summary changes (an open document edited, a file changed on disk), the
 * open documents whose analysis read it are analysed again; an edit that leaves the summary equal
 * (inside a function body) touches nothing else.
 */
export class ProjectSupport {
  private readonly roots = new Map<string, { resolver: FileResolver; model: ProjectModel }>();
  private readonly cache: SummaryCache;
  /** The last summary seen of each project file, to tell whether an edit changed it. */
  private readonly known = new Map<string, ModuleSummary | undefined>();
  /** Project file → open documents whose last analysis read it. */
  private readonly dependents = new Map<string, Set<string>>();
  /**
   * The text last read of each dependency that has no summary (Spring's `application.yml` and
   * `.properties`): any change to it is a change for the files that read it.
   */
  private readonly texts = new Map<string, string | undefined>();
  private storageDir: string | undefined;
  progressSupport = false;

  constructor(private readonly host: ProjectHost) {
    this.cache = host.analyzer.summaries();
  }

  initialize(storageDir: string | undefined, progressSupport: boolean): void {
    this.storageDir = storageDir;
    this.progressSupport = progressSupport;
    this.load();
  }

  /** The root and path an open document is analysed with in the worker; undefined for documents with no file. */
  locationOf(uri: string): { root: string; path: string } | undefined {
    const file = fsPathOf(uri);
    return file === undefined ? undefined : { root: this.rootKey(file), path: file };
  }

  /** The project an open document is analysed with; undefined for documents with no file. */
  optionsFor(uri: string): { model: ProjectModel; path: string } | undefined {
    const file = fsPathOf(uri);
    if (file === undefined) return undefined;
    return { model: this.rootOf(file).model, path: file };
  }

  /** Records what an analysis read, and tells dependents when the document's own summary changed. */
  analysed(uri: string, result: AnalysisResult): void {
    const file = fsPathOf(uri);
    if (file === undefined) return;
    for (const dep of result.dependencies ?? []) {
      let set = this.dependents.get(dep);
      if (set === undefined) this.dependents.set(dep, (set = new Set()));
      set.add(uri);
      // The version this analysis read is the one later edits are compared with.
      const language = modelLanguage(dep);
      if (!this.known.has(dep) && language !== undefined) this.known.set(dep, this.rootOf(dep).model.summaryOf(dep, language));
      if (!this.texts.has(dep) && language === undefined) this.texts.set(dep, this.rootOf(dep).resolver.read(dep));
    }
    if (result.summary !== undefined) this.summaryIs(file, result.summary);
  }

  /** An open document's text (undefined when it closes): the model reads it instead of the disk. */
  documentText(uri: string, text: string | undefined): void {
    const file = fsPathOf(uri);
    if (file === undefined) return;
    for (const { resolver } of this.roots.values()) resolver.setOpen(file, text);
    if (text === undefined) this.fileChanged(file);
    else this.textIs(file, text);
  }

  /** A file changed, appeared or went away on disk. */
  fileChanged(file: string): void {
    for (const { resolver } of this.roots.values()) resolver.forget();
    this.host.diskChanged?.(file);
    const language = modelLanguage(file);
    if (language === undefined) {
      this.textIs(file, this.rootOf(file).resolver.read(file));
      return;
    }
    this.summaryIs(file, this.rootOf(file).model.summaryOf(file, language));
  }

  /** A dependency without a summary (a configuration file) now reads `text`: its readers are analysed again when it changed. */
  private textIs(file: string, text: string | undefined): void {
    if (!this.texts.has(file) || this.texts.get(file) === text) return;
    this.texts.set(file, text);
    const uris = [...(this.dependents.get(file) ?? [])].filter((u) => u !== uriOf(file));
    if (uris.length > 0) this.host.dependentsChanged(uris);
  }

  /** The resolver of a workspace folder's project, which the task map's join resolves imports with. */
  resolverOf(folder: string): FileResolver {
    return this.rootOf(folder).resolver;
  }

  private summaryIs(file: string, summary: ModuleSummary | undefined): void {
    const before = this.known.get(file);
    const seen = this.known.has(file);
    this.known.set(file, summary);
    if (!seen || sameSummary(before, summary)) return;
    const uris = [...(this.dependents.get(file) ?? [])].filter((u) => u !== uriOf(file));
    if (uris.length > 0) this.host.dependentsChanged(uris);
  }

  private rootKey(file: string): string {
    return this.host.folders.folderOf(file) ?? projectRootOf(file);
  }

  private rootOf(file: string): { resolver: FileResolver; model: ProjectModel } {
    const root = this.rootKey(file);
    let entry = this.roots.get(root);
    if (entry === undefined) {
      const resolver = new FileResolver(root);
      entry = { resolver, model: this.host.analyzer.projectModel(resolver, this.cache) };
      this.roots.set(root, entry);
    }
    return entry;
  }

  /**
   * Summarises every Python, JavaScript, TypeScript, Go and Ruby file of the workspace folders in the background, with work-done
   * progress, so the first analyses find their modules' summaries ready; saved to storage.
   */
  async index(): Promise<{ files: number; parsed: number; ms: number }> {
    const started = Date.now();
    const parsedBefore = this.cache.parses;
    const files: string[] = [];
    for (const folder of this.host.folders.all()) {
      const scope = await this.host.scope(folder);
      for (const file of walkFolder(folder, scope)) if (modelLanguage(file) !== undefined) files.push(file);
    }
    if (files.length === 0) return { files: 0, parsed: 0, ms: 0 };
    for (const language of new Set(files.map((f) => modelLanguage(f) as LanguageId))) await this.host.analyzer.prepare(language);
    const { progress, token } = await serverProgress(this.host.connection, this.progressSupport);
    progress.begin('Task Reliability: reading the project', `${files.length} files`);
    for (let i = 0; i < files.length; i++) {
      if (token?.isCancellationRequested === true) break;
      const file = files[i] as string;
      const summary = this.rootOf(file).model.summaryOf(file, modelLanguage(file) as LanguageId);
      if (!this.known.has(file)) this.known.set(file, summary);
      if (i % INDEX_BATCH === INDEX_BATCH - 1) {
        progress.report(Math.round((100 * i) / files.length), `${i + 1} of ${files.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    progress.done(`${files.length} files`);
    this.save();
    return { files: files.length, parsed: this.cache.parses - parsedBefore, ms: Date.now() - started };
  }

  private load(): void {
    if (this.storageDir === undefined) return;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(this.storageDir, CACHE_FILE), 'utf8')) as { version?: unknown; entries?: unknown };
      if (data.version === CACHE_VERSION && Array.isArray(data.entries)) this.cache.load(data.entries as [string, ModuleSummary][]);
    } catch {
      // No cache yet, or one from another version: the index builds it again.
    }
  }

  save(): void {
    if (this.storageDir === undefined) return;
    try {
      fs.mkdirSync(this.storageDir, { recursive: true });
      fs.writeFileSync(path.join(this.storageDir, CACHE_FILE), JSON.stringify({ version: CACHE_VERSION, entries: this.cache.entries() }));
    } catch (error) {
      this.host.connection.console.warn(`Could not save the project summaries: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
