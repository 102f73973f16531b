import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer, fixAll, mayHaveSignals, type AnalyzedDocument, type LanguageId } from '../analysis/index.js';
import type { FromWorker, ToWorker, WorkerData } from './protocol.js';

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
      await preparedFor(message.language, message.text);
      documents.get(message.uri)?.dispose();
      documents.set(message.uri, analyzer.open(message.text, message.language));
      return;
    }
    case 'edit': {
      const doc = documents.get(message.uri);
      if (doc === undefined) return;
      for (const change of message.changes) doc.edit(change);
      // An edit can let a skipped text through the prefilter: its grammar loads before it is parsed.
      if (doc.wanted()) await prepared(doc.language);
      doc.reparse();
      return;
    }
    case 'close':
      documents.get(message.uri)?.dispose();
      documents.delete(message.uri);
      return;
    case 'analyze': {
      const doc = documents.get(message.uri);
      if (doc !== undefined) await preparedFor(doc.language, doc.text);
      if (doc === undefined) {
        send({ kind: 'error', id: message.id, message: `${message.uri} is not open in the analysis worker` });
        return;
      }
      send({ kind: 'started', id: message.id });
      hangOnMarker(doc.text);
      send({ kind: 'result', id: message.id, result: doc.analyze(message.options) });
      return;
    }
    case 'analyzeText': {
      await preparedFor(message.language, message.text);
      send({ kind: 'started', id: message.id });
      hangOnMarker(message.text);
      send({ kind: 'result', id: message.id, result: analyzer.analyzeSync(message.text, message.language, message.options) });
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
