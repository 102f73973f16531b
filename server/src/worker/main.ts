import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, fixAll, mayHaveSignals, type AnalyzedDocument, type AnalyzeOptions, type LanguageId, type ProjectModel, type SummaryCache } from '../analysis/index.js';
import { FileResolver } from '../workspace/resolver.js';
import type { FromWorker, ProjectLocation, ToWorker, WorkerData, WorkerOptions } from './protocol.js';

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

/** One project model per root, sharing one summary cache; open documents' texts win over the disk. */
const projects = new Map<string, { resolver: FileResolver; model: ProjectModel }>();
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

async function withProject(options: WorkerOptions, language: LanguageId, location: ProjectLocation | undefined): Promise<AnalyzeOptions> {
  if (location === undefined) return options;
  for (const other of SCRIPT_LANGUAGES.includes(language) ? SCRIPT_LANGUAGES : [language]) await prepared(other);
  let entry = projects.get(location.root);
  if (entry === undefined) {
    summaries ??= analyzer.summaries();
    const resolver = new FileResolver(location.root);
    for (const [file, text] of openTexts) resolver.setOpen(file, text);
    entry = { resolver, model: analyzer.projectModel(resolver, summaries) };
    projects.set(location.root, entry);
  }
  return { ...options, project: { model: entry.model, path: location.path } };
}

function hangOnMarker(text: string): void {
  if (data.hangMarker === undefined || data.hangMarker === '' || !text.includes(data.hangMarker)) return;
  // Spins on purpose (tests only): the owner must end the thread from outside.
  for (;;) { /* an analysis that never ends */ }
}

const warm = new Set<LanguageId>();

/**
 * Loads a language's grammar and compiles its queries with an empty analysis, before any request
 * of that language starts its budget: the first analysis in a new worker would otherwise carry
 * a compilation that costs more than the file itself.
 */
async function prepared(language: LanguageId): Promise<void> {
  if (!analyzer.isPrepared(language)) await analyzer.prepare(language);
  if (warm.has(language)) return;
  warm.add(language);
  analyzer.analyzeSync('', language, {}, false);
}

/**
 * Prepares a language only for a text the prefilter lets through: a file that names no known
 * library is neither parsed nor analysed, so it never waits for a grammar to load.
 */
async function preparedFor(language: LanguageId, text: string): Promise<void> {
  if (mayHaveSignals(text, language)) await prepared(language);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case 'open': {
      // A document with a file is analysed with its project, where a library can come in through a
      // project module the text alone does not show: the prefilter is for files without one.
      const prefilter = message.path === undefined;
      await (prefilter ? preparedFor(message.language, message.text) : prepared(message.language));
      documents.get(message.uri)?.dispose();
      documents.set(message.uri, analyzer.open(message.text, message.language, prefilter));
      if (message.path !== undefined) {
        pathsOf.set(message.uri, message.path);
        openText(message.path, message.text);
      }
      return;
    }
    case 'edit': {
      const doc = documents.get(message.uri);
      if (doc === undefined) return;
      for (const change of message.changes) doc.edit(change);
      // An edit can let a skipped text through the prefilter: its grammar loads before it is parsed.
      if (doc.wanted()) await prepared(doc.language);
      doc.reparse();
      const file = pathsOf.get(message.uri);
      if (file !== undefined) openText(file, doc.text);
      return;
    }
    case 'close': {
      documents.get(message.uri)?.dispose();
      documents.delete(message.uri);
      const file = pathsOf.get(message.uri);
      pathsOf.delete(message.uri);
      if (file !== undefined) openText(file, undefined);
      return;
    }
    case 'filesChanged':
      for (const { resolver } of projects.values()) resolver.forget();
      return;
    case 'analyze': {
      const doc = documents.get(message.uri);
      if (doc === undefined) {
        send({ kind: 'error', id: message.id, message: `${message.uri} is not open in the analysis worker` });
        return;
      }
      await (message.project === undefined ? preparedFor(doc.language, doc.text) : prepared(doc.language));
      const options = await withProject(message.options, doc.language, message.project);
      send({ kind: 'started', id: message.id });
      hangOnMarker(doc.text);
      send({ kind: 'result', id: message.id, result: doc.analyze(options) });
      return;
    }
    case 'analyzeText': {
      await (message.project === undefined ? preparedFor(message.language, message.text) : prepared(message.language));
      const options = await withProject(message.options, message.language, message.project);
      send({ kind: 'started', id: message.id });
      hangOnMarker(message.text);
      send({ kind: 'result', id: message.id, result: analyzer.analyzeSync(message.text, message.language, options, message.project === undefined) });
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
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message)).catch((error: unknown) => {
    const id = 'id' in message ? message.id : undefined;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (id !== undefined) send({ kind: 'error', id, message: text });
  });
});
