/**
 * The `taskReliability/taskMap` request: the task map of a workspace folder, joined from every
 * file's map facts. The facts of a file are read once (in the analysis worker, from the editor's
 * text for an open document and from disk otherwise) and kept; an edit, a save or a change on
 * disk replaces that file's facts only, and the next request joins again. The client is told
 * when a folder's map may have changed.
 *
 * A folder's map is first built when the client asks for it (the Tasks tab, a tool) or when a
 * workspace scan of the folder finishes, never by a hover or a diagnostics pull: reading a large
 * folder takes the analysis worker away from the open documents. From then on the folder is
 * live: each change joins again, and the findings of the rules that read the joined project are
 * published with the open documents' diagnostics.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { findingsOfJoin, joinProject, rawFindingsOfJoin, languageFromPath, LineIndex, treatmentOf, type AnalysisResult, type Finding, type LanguageId, type MapFileInput, type MapTask, type ProjectFileInput, type ProjectFindings, type ProjectJoin, type ProjectRawFindings, type SeveritySetting, type TaskMap } from '../analysis/index.js';
import type { Links } from '../catalog/render.js';
import { taskKey } from '../catalog/task-settings.js';
import { EMPTY_MAP_FACTS } from '../analysis/map/facts.js';
import { TASK_MAP_CHANGED_NOTIFICATION, TASK_MAP_REQUEST, type TaskMapParams } from '../protocol.js';
import { readSource } from '../workspace/source.js';
import { walkFolder } from '../workspace/walk.js';
import type { FileResolver } from '../workspace/resolver.js';
import { BudgetExceeded, type AnalysisWorker, type ProjectLocation } from '../worker/client.js';
import type { Configuration } from './configuration.js';
import type { DocumentStore } from './documents.js';
import { fsPathOf, isInside, uriOf, type WorkspaceFolders } from './folders.js';
import { tasksAt, type HoverTasks } from './hover.js';
import { serverProgress } from './progress.js';

export interface TaskMapHost {
  readonly connection: Connection;
  readonly worker: AnalysisWorker;
  readonly configuration: Configuration;
  readonly documents: DocumentStore;
  readonly folders: WorkspaceFolders;
  readonly project: { readonly progressSupport: boolean; locationOf(uri: string): ProjectLocation | undefined; resolverOf(folder: string): FileResolver };
  /** The project findings of these open documents changed: their diagnostics are computed again. */
  projectFindingsChanged(uris: readonly string[]): void;
  /** Where the project findings of files that are not open go (the workspace scan's diagnostics). */
  readonly closed?: ClosedFileFindings;
}

/** The diagnostics of closed files, which a workspace scan keeps: the project findings join them there. */
export interface ClosedFileFindings {
  /** Whether the file's diagnostics are kept current (its folder was scanned and it is not open). */
  shows(file: string): boolean;
  /** The project findings of a closed file, placed in `text` (its text on disk); empty when it has none now. */
  setProjectFindings(file: string, text: string, findings: readonly Finding[]): void;
}

/** What the project rules need of an open document besides its map facts: its text, suppressions and settings. */
interface OpenInput {
  readonly text: string;
  readonly suppressions: ProjectFileInput['suppressions'];
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  readonly hintsOnly: boolean;
}

/** A folder's last join and the project findings of its open documents, with the text each was computed on. */
interface LiveFolder {
  readonly joined: ProjectJoin;
  readonly findings: ReadonlyMap<string, { readonly text: string; readonly findings: readonly Finding[] }>;
}

/** Gives way to the event loop this often while reading a folder, so hovers and pulls are answered meanwhile. */
const SLICE_MS = 8;
/**
 * How long a hover waits for a map that is not built yet (the first hover of a large folder reads
 * every file); past it the hover shows without the task's lines, and the map goes on building.
 */
const HOVER_WAIT_MS = 400;
/** A live folder joins again this long after the last change of a burst. */
const REJOIN_DELAY_MS = 100;
/** A first build that reads at least this many files shows work-done progress. */
const PROGRESS_FROM = 50;

interface FolderFacts {
  /** Every analysable file of the folder by path; undefined until read (or after it changed). */
  readonly files: Map<string, MapFileInput | undefined>;
}

export class TaskMapSupport {
  private readonly folders = new Map<string, FolderFacts>();
  /** The reading of a folder while it runs, shared by every request that arrives meanwhile. */
  private readonly reading = new Map<string, Promise<FolderFacts>>();
  /** Per folder, how many times its facts changed; a map built at the current count is answered again as is. */
  private readonly generations = new Map<string, number>();
  private readonly builds = new Map<string, { readonly generation: number; readonly map: Promise<TaskMap> }>();
  /** Folders whose map was built: they are joined again on every change. */
  private readonly live = new Map<string, LiveFolder>();
  private readonly rejoins = new Map<string, NodeJS.Timeout>();
  /** Open documents by path, as last analysed with map facts. */
  private readonly open = new Map<string, OpenInput>();
  /** What the project rules need of a closed file besides its text (read again when it has findings). */
  private readonly closedInputs = new Map<string, Omit<OpenInput, 'text'>>();
  /** Per folder, the closed files given project findings by the last join, and the joins started. */
  private readonly closedShown = new Map<string, Set<string>>();
  private readonly closedRounds = new Map<string, number>();

  constructor(private readonly host: TaskMapHost) {}

  listen(): void {
    this.host.connection.onRequest(TASK_MAP_REQUEST, (params: TaskMapParams) => this.request(params));
  }

  private async request(params: TaskMapParams): Promise<TaskMap> {
    // Without a URI (a language-model tool asks for "the workspace"), the first folder's map.
    const folder = params?.uri === undefined ? this.host.folders.all()[0] : typeof params.uri === 'string' ? fsPathOf(params.uri) : undefined;
    if (folder === undefined || !this.host.folders.all().includes(folder)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${String(params?.uri)} is not a workspace folder of this window.`);
    }
    return this.build(folder);
  }

  /**
   * The map of a workspace folder (a path). One build runs at a time per folder and its map is
   * kept until the folder's facts change; a change during a build starts another after it.
   */
  build(folder: string): Promise<TaskMap> {
    const generation = this.generations.get(folder) ?? 0;
    const last = this.builds.get(folder);
    if (last !== undefined && last.generation === generation) return last.map;
    const previous = last?.map.catch(() => undefined);
    const map = (async () => {
      await previous;
      return this.join(folder);
    })();
    this.builds.set(folder, { generation, map });
    // A failed build is not kept: the next request tries again.
    map.catch(() => {
      if (this.builds.get(folder)?.map === map) this.builds.delete(folder);
    });
    return map;
  }

  /** Reads the files whose facts are missing or stale (with progress when they are many), then joins. */
  private async join(folder: string): Promise<TaskMap> {
    const facts = await this.read(folder);
    const missing = [...facts.files].filter(([, input]) => input === undefined).map(([file]) => file);
    const shown = missing.length >= PROGRESS_FROM ? await serverProgress(this.host.connection, this.host.project.progressSupport) : undefined;
    shown?.progress.begin('Task Reliability: building the task map', `${missing.length} files`);
    try {
      let slice = performance.now();
      for (const [i, file] of missing.entries()) {
        facts.files.set(file, await this.fileFacts(folder, file));
        if (performance.now() - slice < SLICE_MS) continue;
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
        shown?.progress.report(Math.floor((100 * i) / missing.length), `${i + 1} of ${missing.length} files`);
        if (shown?.token?.isCancellationRequested === true) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'building the task map was cancelled');
      }
    } finally {
      shown?.progress.done(`${missing.length} files`);
    }
    const resolver = this.host.project.resolverOf(folder);
    const files = [...facts.files.values()].filter((f): f is MapFileInput => f !== undefined);
    const joined = joinProject(files, { resolver: { resolve: (from, specifier, language) => resolver.resolve(from, specifier, language) }, display: (file) => resolver.display(file) });
    this.findings(folder, joined);
    return joined.map;
  }

  /**
   * The project rules' findings of the folder's open documents from a join, kept until the next;
   * the documents whose findings changed are told to the host, which publishes them again.
   */
  private findings(folder: string, joined: ProjectJoin): void {
    const facts = this.folders.get(folder);
    if (facts === undefined) return;
    const inputs: (MapFileInput | ProjectFileInput)[] = [];
    for (const input of facts.files.values()) {
      if (input === undefined) continue;
      const open = this.open.get(input.path);
      inputs.push(open === undefined ? input : { ...input, ...open });
    }
    // The rules run once per join: the open documents' findings and the closed files' come from it.
    const raws = rawFindingsOfJoin(joined);
    const found: ProjectFindings = findingsOfJoin(inputs, joined, raws);
    const next = new Map<string, { text: string; findings: readonly Finding[] }>();
    for (const [file, open] of this.open) {
      if (this.host.folders.folderOf(file) === folder) next.set(file, { text: open.text, findings: found.get(file)?.findings ?? [] });
    }
    const before = this.live.get(folder)?.findings;
    this.live.set(folder, { joined, findings: next });
    const changed = [...next].filter(([file, now]) => JSON.stringify(before?.get(file)?.findings ?? []) !== JSON.stringify(now.findings)).map(([file]) => uriOf(file));
    if (changed.length > 0) this.host.projectFindingsChanged(changed);
    void this.closedFindings(folder, joined, inputs, raws).catch((error: unknown) => this.host.connection.console.warn(`Project findings of closed files in ${folder}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * The project findings of the folder's closed files whose diagnostics a scan keeps: only the
   * files a project rule reports in are read again from disk (for their text); a file that had
   * findings and has none now is told so. A later join makes an earlier one's answer stale.
   */
  private async closedFindings(folder: string, joined: ProjectJoin, inputs: readonly (MapFileInput | ProjectFileInput)[], raws: ProjectRawFindings): Promise<void> {
    const sink = this.host.closed;
    if (sink === undefined) return;
    const round = (this.closedRounds.get(folder) ?? 0) + 1;
    this.closedRounds.set(folder, round);
    const reported = new Set(raws.map(({ raw }) => raw.path));
    const before = this.closedShown.get(folder) ?? new Set<string>();
    const candidates = new Set([...reported, ...before].filter((file) => !this.open.has(file) && sink.shows(file)));
    if (candidates.size === 0 && before.size === 0) return;
    const scope = await this.host.configuration.scope(uriOf(folder));
    const texts = new Map<string, string>();
    for (const file of candidates) {
      const source = await readSource(file, scope.settingsFor(file).maxFileSize);
      if (source.kind === 'text') texts.set(file, source.text);
    }
    if (round !== this.closedRounds.get(folder)) return;
    const withText = inputs.map((input) => {
      const text = texts.get(input.path);
      const extra = this.closedInputs.get(input.path);
      return text === undefined || extra === undefined || 'text' in input ? input : { ...input, ...extra, text };
    });
    const found = findingsOfJoin(withText, joined, raws);
    const shown = new Set<string>();
    for (const [file, text] of texts) {
      if (this.open.has(file) || !sink.shows(file)) continue;
      const findings = found.get(file)?.findings ?? [];
      if (findings.length > 0) shown.add(file);
      if (findings.length > 0 || before.has(file)) sink.setProjectFindings(file, text, findings);
    }
    this.closedShown.set(folder, shown);
  }

  /**
   * The findings of the project rules in an open document, from its folder's last join; none
   * before the folder's map is first built, or when they were computed on another text (the
   * document changed since, and the next join brings its findings).
   */
  projectFindings(uri: string, text: string): readonly Finding[] {
    const file = fsPathOf(uri);
    const folder = file === undefined ? undefined : this.host.folders.folderOf(file);
    const entry = folder === undefined || file === undefined ? undefined : this.live.get(folder)?.findings.get(file);
    return entry !== undefined && entry.text === text ? entry.findings : [];
  }

  /** A workspace scan of the folder finished: its map is built now, the worker being free of the scan. */
  scanned(folder: string): void {
    void this.build(folder).catch((error: unknown) => this.host.connection.console.warn(`Task map of ${folder}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** The folder's list of files, walked once; a new file joins it through `fileChanged`. */
  private read(folder: string): Promise<FolderFacts> {
    const known = this.folders.get(folder);
    if (known !== undefined) return Promise.resolve(known);
    let running = this.reading.get(folder);
    if (running === undefined) {
      running = (async () => {
        const scope = await this.host.configuration.scope(uriOf(folder));
        const files = new Map<string, MapFileInput | undefined>();
        let slice = performance.now();
        for (const file of walkFolder(folder, scope)) {
          files.set(file, undefined);
          if (performance.now() - slice >= SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
        }
        const facts = { files };
        this.folders.set(folder, facts);
        this.reading.delete(folder);
        return facts;
      })();
      this.reading.set(folder, running);
    }
    return running;
  }

  /** One file's map facts: from the editor's text when it is open, from disk otherwise; an empty entry when it is not analysed. */
  private async fileFacts(folder: string, file: string): Promise<MapFileInput> {
    const language = languageFromPath(file);
    const none: MapFileInput = { path: file, language: language ?? 'python', map: EMPTY_MAP_FACTS, findings: [] };
    if (language === undefined) return none;
    const uri = uriOf(file);
    const scope = await this.host.configuration.scope(uriOf(folder));
    const settings = scope.settingsFor(file);
    if (!settings.enable || scope.isExcluded(file)) return none;
    const open = this.host.documents.get(uri);
    const text = open !== undefined ? open.text.getText() : await readSource(file, settings.maxFileSize).then((s) => (s.kind === 'text' ? s.text : undefined));
    if (text === undefined || text.length > settings.maxFileSize) return none;
    // Tests and examples enqueue tasks too, but they are not the product's callers.
    if (treatmentOf(scope.classify(file, text).kind, settings.testCode) !== 'analyse') return none;
    try {
      const result = await this.host.worker.analyzeText(text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds, map: true }, settings.analysisTimeBudgetMs, this.host.project.locationOf(uri));
      if (open === undefined) this.closedInputs.set(file, { suppressions: result.suppressions, hintsOnly: false, ...(settings.rules === undefined ? {} : { rules: settings.rules }) });
      return inputOf(file, language, text, result) ?? none;
    } catch (error) {
      // One file that cannot be read leaves a gap in the map, not a map that cannot be built.
      if (!(error instanceof BudgetExceeded)) this.host.connection.console.warn(`Task map: ${file} was left out: ${error instanceof Error ? error.message : String(error)}`);
      return none;
    }
  }

  /** An open document was analysed with map facts: they replace the file's, and the client hears of a change. */
  analysed(uri: string, text: string, language: LanguageId, result: AnalysisResult, settings: { readonly rules?: Readonly<Record<string, SeveritySetting>>; readonly hintsOnly: boolean }): void {
    const file = fsPathOf(uri);
    if (file === undefined) return;
    const textChanged = this.open.get(file)?.text !== text;
    this.open.set(file, { text, suppressions: result.suppressions, hintsOnly: settings.hintsOnly, ...(settings.rules === undefined ? {} : { rules: settings.rules }) });
    const entry = this.entryOf(file);
    if (entry === undefined) return;
    // A result without map facts is a file the prefilter skipped: it names no library, so it
    // defines, enqueues and touches nothing, and what it held before is gone from the map.
    const input = inputOf(file, language, text, result) ?? { path: file, language, map: EMPTY_MAP_FACTS, findings: [] };
    const before = entry.facts.files.get(file);
    if (before !== undefined && sameInput(before, input)) {
      // The same facts in a new text (an edit inside a line, a suppression comment): the last
      // join still holds, and only the findings are placed in the new text again.
      const live = this.live.get(entry.folder);
      if (textChanged && live !== undefined) this.findings(entry.folder, live.joined);
      return;
    }
    entry.facts.files.set(file, input);
    this.changed(entry.folder);
  }

  /** An open document closed: its text no longer takes part, and the disk's is read again. */
  closed(file: string): void {
    this.open.delete(file);
    this.fileChanged(file);
  }

  /** A file changed, appeared or went away on disk (or an open document closed): it is read again on the next request. */
  fileChanged(file: string): void {
    const entry = this.entryOf(file);
    if (entry === undefined) return;
    // A folder deleted on disk takes its files with it; a new file joins the folder's list.
    for (const known of [...entry.facts.files.keys()]) if (known !== file && isInside(file, known)) entry.facts.files.delete(known);
    entry.facts.files.set(file, undefined);
    this.changed(entry.folder);
  }

  /**
   * The tasks a hover in an open document is over. From the folder's map once it is built (a
   * hover waits HOVER_WAIT_MS at most for a join in progress); before that, from what the file
   * alone says, with a note: a hover never starts the folder's build.
   */
  async hoverTasks(uri: string, result: AnalysisResult, text: string, offset: number, links: Links): Promise<HoverTasks | undefined> {
    const file = fsPathOf(uri);
    const folder = file === undefined ? undefined : this.host.folders.folderOf(file);
    if (file === undefined || folder === undefined || result.map === undefined) return undefined;
    if (result.map.tasks.length === 0 && result.map.enqueues.length === 0) return undefined;
    const resolver = this.host.project.resolverOf(folder);
    let map: TaskMap | undefined;
    if (this.live.has(folder)) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), HOVER_WAIT_MS);
      });
      map = await Promise.race([this.build(folder), late]).finally(() => clearTimeout(timer));
    }
    const alone = map === undefined;
    if (map === undefined) {
      const input = inputOf(file, result.language, text, result);
      map = input === undefined ? undefined : joinProject([input], { display: (f) => resolver.display(f) }).map;
    }
    if (map === undefined) return undefined;
    const tasks = tasksAt(map, resolver.display(file), result.map, result, text, offset);
    const folderUri = uriOf(folder);
    const note = !alone ? undefined
      : this.builds.has(folder) ? 'The task map of this folder is being built: this shows what this file alone says.'
        : 'The task map of this folder is built when the Tasks tab opens or a workspace scan ends: this shows what this file alone says.';
    return { tasks, link: (task: MapTask) => links.task?.(folderUri, taskKey(task)), ...(note === undefined ? {} : { note }) };
  }

  private entryOf(file: string): { folder: string; facts: FolderFacts } | undefined {
    const folder = this.host.folders.folderOf(file);
    const facts = folder === undefined ? undefined : this.folders.get(folder);
    return folder === undefined || facts === undefined ? undefined : { folder, facts };
  }

  private changed(folder: string): void {
    this.generations.set(folder, (this.generations.get(folder) ?? 0) + 1);
    void this.host.connection.sendNotification(TASK_MAP_CHANGED_NOTIFICATION, { uri: uriOf(folder) });
    // A live folder joins again once a burst of edits settles, so that the open documents'
    // project findings follow the edit without one join per keystroke.
    if (!this.live.has(folder)) return;
    clearTimeout(this.rejoins.get(folder));
    this.rejoins.set(folder, setTimeout(() => {
      this.rejoins.delete(folder);
      this.scanned(folder);
    }, REJOIN_DELAY_MS));
  }

  /** Stops the joins that wait for a burst of edits to settle (the server is shutting down). */
  dispose(): void {
    for (const timer of this.rejoins.values()) clearTimeout(timer);
    this.rejoins.clear();
  }
}

/** The join's input from one analysis; findings are kept as rule and 1-based line. */
function inputOf(file: string, language: LanguageId, text: string, result: AnalysisResult): MapFileInput | undefined {
  if (result.map === undefined) return undefined;
  const lines = new LineIndex(text);
  return { path: file, language, map: result.map, findings: result.findings.map((f) => ({ rule: f.rule, line: lines.lineOf(f.range.start) + 1 })) };
}

function sameInput(a: MapFileInput, b: MapFileInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
