import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, emptyResult, fixAll, languageFromPath, mayHaveSignals, ProjectPrefilter, sameSummary, type AnalyzedDocument, type AnalyzeOptions, type LanguageId, type ModuleSummary, type ProjectModel, type SummaryCache } from '../analysis/index.js';
import { FileResolver } from '../workspace/resolver.js';
import { walkFolder } from '../workspace/walk.js';
import type { FromWorker, ProjectLocation, ToWorker, WorkerData, WorkerOptions } from './protocol.js';
import { fastPath } from '../analysis/incremental.js';
import { trace, traceMemory, tracing } from '../trace.js';

/**
 * The analysis worker thread: it owns the parser, the open documents' syntax trees and every
 * analysis, so that the thread that answers the editor (hovers, code actions, other files'
 * diagnostics) never waits for one. A request that runs past its budget is ended by terminating
 * this thread; the owner then starts a new one.
 */
const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error('the analysis worker must run in a worker thread');
const analyzer = new Analyzer({ wasmPath: (file) => path.join(data.wasmDir, file) });
const documents = new Map<string, AnalyzedDocument>();
const send = (message: FromWorker): void => port.postMessage(message);

/**
 * One project model per root, sharing one summary cache; open documents' texts win over the disk.
 * Each root has its prefilter, which learns the project's modules of interest when first asked.
 */
interface Project {
  readonly resolver: FileResolver;
  readonly model: ProjectModel;
  readonly prefilter: ProjectPrefilter;
  /** The root's files, listed when the prefilter first learns, again after a change on disk. */
  files: string[] | undefined;
}
const projects = new Map<string, Project>();
/** The project root each open document was last analysed with: its prefilter is that root's. */
const rootsOf = new Map<string, string>();
/** Folders no project module is resolved from: dependencies and virtual environments. */
const NOT_PROJECT = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__']);
let summaries: SummaryCache | undefined;
/** Open documents' texts by file path, for the project models (a new one starts from them). */
const openTexts = new Map<string, string>();
/** The file path of each open document that has one. */
const pathsOf = new Map<string, string>();

function openText(file: string, text: string | undefined): void {
  if (text === undefined) openTexts.delete(file);
  else openTexts.set(file, text);
  for (const { resolver } of projects.values()) resolver.setOpen(file, text);
}

/** A script module may import one in a sibling language: their grammars load together. */
const SCRIPT_LANGUAGES: readonly LanguageId[] = ['javascript', 'typescript', 'tsx'];

function projectAt(root: string): Project {
  let entry = projects.get(root);
  if (entry === undefined) {
    summaries ??= analyzer.summaries();
    const resolver = new FileResolver(root);
    for (const [file, text] of openTexts) resolver.setOpen(file, text);
    const model = analyzer.projectModel(resolver, summaries);
    const project: Project = {
      resolver,
      model,
      files: undefined,
      prefilter: new ProjectPrefilter(model, () => {
        const deadline = data.learnBudgetMs === undefined ? undefined : performance.now() + data.learnBudgetMs;
        return {
          // Open documents count too: one not yet saved is a module its importers can read.
          files: [...new Set([...(project.files ??= listProject(root)), ...[...openTexts.keys()].filter((f) => !path.relative(root, f).startsWith('..'))])],
          complete: (project.files ??= listProject(root)).length < MAX_PROJECT_FILES,
          read: (file) => resolver.read(file),
          languageOf: (file) => languageFromPath(file),
          ...(deadline === undefined ? {} : { expired: () => performance.now() > deadline }),
        };
      }),
    };
    projects.set(root, entry = project);
  }
  return entry;
}

/**
 * A root larger than this (a home folder without a root marker, a huge monorepo) is not walked
 * to the end: its prefilter lets every file through, as without one.
 */
const MAX_PROJECT_FILES = 20_000;

/** The root's analysable files, up to one more than the limit. */
function listProject(root: string): string[] {
  const files: string[] = [];
  for (const file of walkFolder(root, { isExcluded: (f, isDir) => isDir && NOT_PROJECT.has(path.basename(f)) })) {
    files.push(file);
    if (files.length >= MAX_PROJECT_FILES) break;
  }
  return files;
}

/** Loads the grammars a file analysed with its project needs: its own, and its modules' (a script may import another script language). */
async function preparedWithProject(language: LanguageId): Promise<void> {
  for (const other of SCRIPT_LANGUAGES.includes(language) ? SCRIPT_LANGUAGES : [language]) await prepared(other);
}

async function withProject(options: WorkerOptions, language: LanguageId, location: ProjectLocation | undefined): Promise<AnalyzeOptions> {
  if (location === undefined) return options;
  await preparedWithProject(language);
  return { ...options, project: { model: projectAt(location.root).model, path: location.path } };
}

/** The last summary each project file had in an analysis, to tell when an edit changed it. */
const lastSummaries = new Map<string, ModuleSummary | undefined>();

/** An analysed file's summary changed: its project's prefilter may have a module of interest more or less. */
function learnedFrom(location: ProjectLocation, language: LanguageId, summary: ModuleSummary | undefined): void {
  if (lastSummaries.has(location.path) && sameSummary(lastSummaries.get(location.path), summary)) return;
  lastSummaries.set(location.path, summary);
  if (projects.get(location.root)?.prefilter.summaryChanged(location.path, language) !== true) return;
  // The other open documents of the root are asked again at their next analysis.
  for (const [uri, root] of rootsOf) if (root === location.root) documents.get(uri)?.refilter();
}

/** The prefilter of an open document: its project's once an analysis named the root, and none before. */
function documentPrefilter(uri: string): (text: string, language: LanguageId) => boolean {
  return (text, language) => {
    const root = rootsOf.get(uri);
    return root === undefined || projectAt(root).prefilter.passes(text, language);
  };
}

let released: Promise<void> | undefined;

/** Resolves when a project may be read: at once, or once the test hook's file exists (see WorkerData). */
function learningReleased(): Promise<void> {
  const file = data.holdLearningUntil;
  if (file === undefined) return Promise.resolve();
  released ??= new Promise<void>((resolve) => {
    const done = (): boolean => {
      if (!fs.existsSync(file)) return false;
      watcher.close();
      resolve();
      return true;
    };
    const watcher = fs.watch(path.dirname(file), () => done());
    done();
  });
  return released;
}

function hangOnMarker(text: string): void {
  if (data.hangMarker === undefined || data.hangMarker === '' || !text.includes(data.hangMarker)) return;
  // Spins on purpose (tests only): the owner must end the thread from outside.
  for (;;) { /* an analysis that never ends */ }
}

/**
 * The open documents by their last use (an edit or an analysis), the most recent last. Only the
 * most recent keep their syntax trees: a tree is what lets an edit reparse incrementally, and the
 * others' trees would only hold the wasm heap, which never shrinks. A document without its tree is
 * parsed again at its next analysis or edit (a few milliseconds per thousand lines once warm).
 */
const recent = new Set<string>();
const KEPT_TREES = 3;

function used(uri: string): void {
  recent.delete(uri);
  recent.add(uri);
  if (recent.size <= KEPT_TREES) return;
  let excess = recent.size - KEPT_TREES;
  for (const old of recent) {
    if (excess-- <= 0) break;
    recent.delete(old);
    // Disposing a document drops its tree only: it parses again when next used.
    documents.get(old)?.dispose();
  }
}

const warm = new Set<LanguageId>();

/**
 * Loads a language's grammar and compiles its queries with an empty analysis, before any request
 * of that language starts its budget: the first analysis in a new worker would otherwise carry
 * a compilation that costs more than the file itself.
 */
async function prepared(language: LanguageId): Promise<void> {
  if (!analyzer.isPrepared(language)) {
    await analyzer.prepare(language);
    trace(`grammar loaded: ${language}`);
  }
  if (warm.has(language)) return;
  warm.add(language);
  analyzer.warm(language);
  trace(`queries compiled: ${language}`);
}

/**
 * Prepares a language only for a text the prefilter lets through: a file that names no known
 * library is neither parsed nor analysed, so it never waits for a grammar to load.
 */
async function preparedFor(language: LanguageId, text: string): Promise<void> {
  if (mayHaveSignals(text, language)) await prepared(language);
}

/** The number of analyses of each open document so far (see the `result` message's `seq`). */
const analysisCount = new Map<string, number>();

/** How the open documents' analyses were answered, for the trace: the in-body edit's fast path shows in the editor's path. */
const paths = { edit: 0, whole: 0, none: 0 };

function traceAnalysis(doc: AnalyzedDocument): void {
  paths[doc.lastPath]++;
  const why = doc.lastPath === 'whole' && fastPath.fallback !== '' ? ` (the fast path fell back: ${fastPath.fallback})` : '';
  trace(`analysis answered by ${doc.lastPath === 'edit' ? 'the fast path' : doc.lastPath === 'whole' ? 'a whole analysis' : 'the prefilter'}${why}; fast path hits ${paths.edit} of ${paths.edit + paths.whole + paths.none}`);
  fastPath.fallback = '';
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case 'open': {
      // A document with a file is analysed with its project, where a library can come in through a
      // project module the text alone does not show: the prefilter is for files without one.
      // Its project's prefilter applies once an analysis names the root; until then it is parsed.
      const prefilter = message.path === undefined || documentPrefilter(message.uri);
      await (prefilter === true ? preparedFor(message.language, message.text) : prepared(message.language));
      documents.get(message.uri)?.dispose();
      documents.set(message.uri, analyzer.open(message.text, message.language, prefilter));
      used(message.uri);
      trace(`opened (parsed) ${message.uri}`);
      if (message.path !== undefined) {
        pathsOf.set(message.uri, message.path);
        openText(message.path, message.text);
      }
      return;
    }
    case 'edit': {
      const doc = documents.get(message.uri);
      if (doc === undefined) return;
      used(message.uri);
      for (const change of message.changes) doc.edit(change);
      // An edit can let a skipped text through the prefilter: its grammar loads before it is parsed.
      // With the grammar loaded, the prefilter is not asked here (it reads the whole text): the
      // analysis asks it when it needs the answer.
      if (!analyzer.isPrepared(doc.language) && doc.wanted()) await prepared(doc.language);
      doc.reparse();
      const file = pathsOf.get(message.uri);
      if (file !== undefined) openText(file, doc.text);
      return;
    }
    case 'close': {
      const closed = documents.get(message.uri);
      closed?.dispose();
      documents.delete(message.uri);
      recent.delete(message.uri);
      rootsOf.delete(message.uri);
      const file = pathsOf.get(message.uri);
      pathsOf.delete(message.uri);
      if (file !== undefined) {
        openText(file, undefined);
        lastSummaries.delete(file);
        // The file is read from the disk again, which may bind what its edits did not, or the reverse.
        if (closed !== undefined) for (const project of projects.values()) project.prefilter.summaryChanged(file, closed.language);
      }
      return;
    }
    case 'filesChanged':
      for (const project of projects.values()) {
        project.resolver.forget();
        project.files = undefined;
        project.prefilter.invalidate();
      }
      return;
    case 'analyze': {
      const doc = documents.get(message.uri);
      if (doc === undefined) {
        send({ kind: 'error', id: message.id, message: `${message.uri} is not open in the analysis worker` });
        return;
      }
      // The project's prefilter learns before the budget starts (that is the project's cost, not the
      // file's), with the grammars of the modules it summarises loaded.
      if (message.project !== undefined) await learningReleased();
      if (message.project !== undefined) await preparedWithProject(doc.language);
      if (message.project !== undefined && rootsOf.get(message.uri) !== message.project.root) {
        rootsOf.set(message.uri, message.project.root);
        doc.refilter();
      }
      await (doc.wanted() ? prepared(doc.language) : Promise.resolve());
      const options = await withProject(message.options, doc.language, message.project);
      send({ kind: 'started', id: message.id });
      trace(`analysis started${message.project === undefined ? '' : ' with its project'}`);
      hangOnMarker(doc.text);
      const result = doc.analyze(options);
      if (tracing) traceAnalysis(doc);
      traceMemory('analysis done');
      // The fast path started from the document's previous analysis: the server keeps the
      // diagnostics of its findings that the edit only moved.
      const basis = analysisCount.get(message.uri) ?? 0;
      const seq = basis + 1;
      analysisCount.set(message.uri, seq);
      const splice = doc.lastSplice;
      send({ kind: 'result', id: message.id, result, seq, ...(splice === undefined || basis === 0 ? {} : { splice: { ...splice, basis } }) });
      if (message.project !== undefined) learnedFrom(message.project, doc.language, result.summary);
      used(message.uri);
      return;
    }
    case 'analyzeText': {
      const location = message.project;
      if (location === undefined) await preparedFor(message.language, message.text);
      else await learningReleased().then(() => preparedWithProject(message.language));
      const prefilter = location === undefined || projectAt(location.root).prefilter.passes(message.text, message.language);
      if (!prefilter) {
        send({ kind: 'started', id: message.id });
        send({ kind: 'result', id: message.id, result: emptyResult(message.language) });
        return;
      }
      const options = await withProject(message.options, message.language, location);
      send({ kind: 'started', id: message.id });
      hangOnMarker(message.text);
      send({ kind: 'result', id: message.id, result: analyzer.analyzeSync(message.text, message.language, options, location === undefined) });
      return;
    }
    case 'fixAll': {
      await preparedFor(message.language, message.text);
      send({ kind: 'started', id: message.id });
      hangOnMarker(message.text);
      send({ kind: 'fixed', id: message.id, fixed: fixAll(analyzer, message.text, message.language, message.options, message.rule) });
      return;
    }
  }
}

// One message at a time, in order: loading a grammar is asynchronous, and an edit must never
// overtake the open it follows.
// The tree-sitter runtime is initialised at once: every request but one for a skipped text needs it.
trace('worker main');
let queue = analyzer.startRuntime().then(() => trace('runtime ready'), () => undefined);
port.on('message', (message: ToWorker) => {
  trace(`received ${message.kind}`);
  queue = queue.then(() => handle(message)).then(() => trace(`handled ${message.kind}`)).catch((error: unknown) => {
    const id = 'id' in message ? message.id : undefined;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (id !== undefined) send({ kind: 'error', id, message: text });
  });
});
