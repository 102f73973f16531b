import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { OWN_ANALYSIS_RESULT_ID, SERVER_NODE_ARGS } from '../../server/src/protocol.js';
import { median } from './core.js';
import { generate, middleEditOffset } from './generate.js';

/**
 * The real language server over stdio, driven as an editor drives it (pull diagnostics, as VS Code
 * does). No sleeps: every measurement waits for the server's answer to a request.
 */

export interface ServerResult {
  readonly start_to_diagnostics_ms: number;
  readonly start_to_diagnostics_1k_ms: number;
  readonly hover_ms: number;
  readonly code_action_ms: number;
  /** Resident set size of the server process (its analysis worker included) with 20 open 1k-line files. */
  readonly rss_20_files_mb: number;
  /**
   * RSS growth over 2,000 one-character edits of a 10k-line file: the lowest RSS of the last ten
   * pulls minus the lowest of the first ten after the warm-up. The lowest of a window is the RSS
   * nearest a collected heap, so the figure is what the edits kept, not the garbage in flight.
   */
  readonly rss_growth_2000_edits_mb: number;
  /**
   * A pull after one keystroke inside a function body of the 10k-line Python file, opened in a
   * project folder (the server analyses it with its project and the task map, as in the editor):
   * the median of the timed keystrokes, from the keystroke sent to the diagnostics received.
   */
  readonly in_body_edit_pull_ms: number;
  /** The share of those pulls the worker answered by the in-body edit's fast path (read from its trace). */
  readonly in_body_edit_fast_share: number;
  /** The same two figures under their earlier names, kept for readers of older JSON. */
  readonly rss_mb_20_files: number;
  readonly rss_growth_mb_2000_edits: number;
}

/** Pulls at each end of the edit run whose lowest RSS is taken (see `rss_growth_2000_edits_mb`). */
const RSS_WINDOW = 10;

/** Keystrokes between two pulls in the edit run. */
const BURST = 10;

const EDITOR_LANGUAGE: Readonly<Record<LanguageId, string>> = {
  python: 'python', javascript: 'javascript', typescript: 'typescript', tsx: 'typescriptreact', yaml: 'yaml', ruby: 'ruby', java: 'java', go: 'go',
};
const EXTENSION: Readonly<Record<LanguageId, string>> = {
  python: 'py', javascript: 'js', typescript: 'ts', tsx: 'tsx', yaml: 'yaml', ruby: 'rb', java: 'java', go: 'go',
};

interface Server {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** Resolves at the server's next `workspace/diagnostic/refresh` request. */
  nextRefresh(): Promise<void>;
  stop(): Promise<void>;
}

/** `folders`: the workspace folders; `trace`: the server's trace on, its stderr handed to `trace` line by line. */
async function startServer(serverJs: string, options: { folders?: readonly string[]; trace?: (line: string) => void } = {}): Promise<Server> {
  const traced = options.trace;
  // The server runs with the Node options the extension starts it with.
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, serverJs, '--stdio'], {
    stdio: ['pipe', 'pipe', traced === undefined ? 'inherit' : 'pipe'],
    env: traced === undefined ? process.env : { ...process.env, TASK_RELIABILITY_TRACE: '1' },
  });
  if (traced !== undefined) {
    let rest = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) traced(line);
    });
  }
  const refreshes: (() => void)[] = [];
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  // A budget far above any analysis here: on a loaded machine the first analysis of a 10k-line file
  // in a new worker can pass the default 2 s, and then there is nothing to time.
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((item) => (item.section === 'taskReliability' ? { analysisTimeBudgetMs: 60_000 } : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => {
    for (const resolve of refreshes.splice(0)) resolve();
    return null;
  });
  connection.onRequest('window/showMessageRequest', () => null);
  connection.onNotification('window/logMessage', () => undefined);
  connection.onNotification('window/showMessage', () => undefined);
  connection.onNotification('taskReliability/fileReportChanged', () => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: (options.folders ?? []).map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
    capabilities: {
      workspace: { configuration: true, diagnostics: { refreshSupport: true } },
      textDocument: {
        diagnostic: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown'] },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
          resolveSupport: { properties: ['edit'] },
          dataSupport: true,
        },
      },
    },
    initializationOptions: { linkStyle: 'file' },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    child,
    nextRefresh: () => new Promise((resolve) => refreshes.push(resolve)),
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}

/** The server's resident set size, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function open(server: Server, uri: string, language: LanguageId, text: string): Promise<Diagnostic[]> {
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: EDITOR_LANGUAGE[language], version: 1, text } });
  return pull(server, uri);
}

async function pull(server: Server, uri: string): Promise<Diagnostic[]> {
  const report = await server.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  return report.items;
}

/** Process start, initialize, open, pull: five times, each in a fresh server. */
export async function startsToDiagnostics(serverJs: string, uri: string, text: string): Promise<number[]> {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    const server = await startServer(serverJs);
    const diagnostics = await open(server, uri, 'python', text);
    starts.push(now() - t0);
    if (diagnostics.length === 0) throw new Error(`${uri} gave no diagnostics`);
    await server.stop();
  }
  return starts;
}

export async function benchServer(distDir: string, log: (line: string) => void): Promise<ServerResult> {
  const serverJs = path.join(distDir, 'server.js');
  const bigText = generate('python', 10_000);
  const bigUri = 'file:///bench/big.py';

  // Start to first diagnostics of a 1k-line and a 10k-line file.
  const starts1k = await startsToDiagnostics(serverJs, 'file:///bench/small.py', generate('python', 1_000));
  const starts = await startsToDiagnostics(serverJs, bigUri, bigText);
  log(`  start to first diagnostics: 1k lines ${starts1k.map((s) => s.toFixed(0)).join(', ')} ms; 10k lines ${starts.map((s) => s.toFixed(0)).join(', ')} ms`);

  const server = await startServer(serverJs);
  try {
    const diagnostics = await open(server, bigUri, 'python', bigText);
    const doc = TextDocument.create(bigUri, 'python', 1, bigText);

    // Hover over recognised calls spread through the file.
    const hoverAt = diagnostics.filter((_, i) => i % Math.max(1, Math.floor(diagnostics.length / 60)) === 0).slice(0, 60);
    const hovers: number[] = [];
    for (const d of [...hoverAt, ...hoverAt]) {
      const t0 = now();
      const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: bigUri }, position: d.range.start });
      hovers.push(now() - t0);
      if (hover === null) throw new Error(`no hover at ${JSON.stringify(d.range.start)}`);
    }
    // Code actions as the editor asks for them: the diagnostics under the cursor in the context.
    const actions: number[] = [];
    for (const d of [...hoverAt, ...hoverAt]) {
      const t0 = now();
      const result = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: bigUri },
        range: d.range,
        context: { diagnostics: [d], triggerKind: 1 },
      });
      actions.push(now() - t0);
      if (result.length === 0) throw new Error('no code action for a diagnostic');
    }
    log(`  hover: ${median(hovers.slice(hoverAt.length)).toFixed(2)} ms, code action: ${median(actions.slice(hoverAt.length)).toFixed(2)} ms`);

    // RSS growth over 2,000 one-character edits of the 10k-line file, typed in bursts of ten, with
    // a pull after each burst (an editor pulls when typing pauses, and cancels the pulls that a
    // keystroke overtakes).
    const at = middleEditOffset(bigText);
    let version = 1;
    const samples: number[] = [];
    const edit = async (i: number): Promise<void> => {
      const start = doc.positionAt(at);
      const change = i % 2 === 0
        ? { range: { start, end: start }, text: 'x' }
        : { range: { start, end: doc.positionAt(at + 1) }, text: '' };
      version++;
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: bigUri, version }, contentChanges: [change] });
      TextDocument.update(doc, [change], version);
      if (i % BURST === BURST - 1) {
        await pull(server, bigUri);
        samples.push(rssMb(server.child.pid!));
      }
    };
    for (let i = 0; i < 200; i++) await edit(i);
    samples.length = 0;
    const t0 = now();
    for (let i = 0; i < 2000; i++) await edit(i);
    const before = Math.min(...samples.slice(0, RSS_WINDOW));
    const after = Math.min(...samples.slice(-RSS_WINDOW));
    log(`  2,000 edits in ${((now() - t0) / 1000).toFixed(1)} s: lowest RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB (peak ${Math.max(...samples).toFixed(1)} MB)`);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: bigUri } });

    const rss20 = await rssWithTwentyFiles(serverJs);
    const inBody = await inBodyEdits(serverJs, bigText);
    log(`  in-body keystroke then pull, with the project: ${inBody.ms.toFixed(2)} ms (fast path ${Math.round(inBody.fastShare * 100)} %)`);
    return {
      start_to_diagnostics_ms: median(starts),
      start_to_diagnostics_1k_ms: median(starts1k),
      hover_ms: median(hovers.slice(hoverAt.length)),
      code_action_ms: median(actions.slice(hoverAt.length)),
      rss_20_files_mb: rss20,
      rss_growth_2000_edits_mb: after - before,
      in_body_edit_pull_ms: inBody.ms,
      in_body_edit_fast_share: inBody.fastShare,
      rss_mb_20_files: rss20,
      rss_growth_mb_2000_edits: after - before,
    };
  } finally {
    await server.stop();
  }
}

/** A fresh server with 20 open 1k-line files of every supported language, each analysed. */
async function rssWithTwentyFiles(serverJs: string): Promise<number> {
  const server = await startServer(serverJs);
  try {
    for (let i = 0; i < 20; i++) {
      const language = SUPPORTED_LANGUAGES[i % SUPPORTED_LANGUAGES.length] ?? 'python';
      await open(server, `file:///bench/open-${i}.${EXTENSION[language]}`, language, generate(language, 1_000, 100 + i));
    }
    return rssMb(server.child.pid!);
  } finally {
    await server.stop();
  }
}

/**
 * The editor's in-body keystroke: the 10k-line Python file as a module of a project folder (it
 * imports its Celery app from a sibling module), open, its project learned; then one keystroke
 * inside a function body (typed and deleted alternately) and a pull, timed from the keystroke to
 * the diagnostics. The worker's trace says which pulls the fast path answered.
 */
async function inBodyEdits(serverJs: string, text: string): Promise<{ ms: number; fastShare: number }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-in-body-'));
  fs.mkdirSync(path.join(root, 'shop'));
  fs.writeFileSync(path.join(root, 'shop', '__init__.py'), '');
  fs.writeFileSync(path.join(root, 'shop', 'celeryconf.py'), 'from celery import Celery\n\napp = Celery("shop")\napp.conf.task_acks_late = True\n');
  const body = `from .celeryconf import app\n${text}`;
  const file = path.join(root, 'shop', 'big.py');
  fs.writeFileSync(file, body);
  const uri = pathToFileURL(file).href;
  let hits = { fast: 0, all: 0 };
  const server = await startServer(serverJs, {
    folders: [root],
    trace: (line) => {
      const m = /fast path hits (\d+) of (\d+)/.exec(line);
      if (m !== null) hits = { fast: Number(m[1]), all: Number(m[2]) };
    },
  });
  try {
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: body } });
    // The first answer may be the file's own, before its project is learned: the refresh says when to ask again.
    for (;;) {
      const refreshed = server.nextRefresh();
      const report = await server.connection.sendRequest<{ resultId?: string }>('textDocument/diagnostic', { textDocument: { uri } });
      if (report.resultId !== OWN_ANALYSIS_RESULT_ID) break;
      await refreshed;
    }
    const doc = TextDocument.create(uri, 'python', 1, body);
    const at = middleEditOffset(body);
    const warm = 6;
    const runs = 31;
    const samples: number[] = [];
    let fastBefore = 0;
    let allBefore = 0;
    for (let i = 0; i < warm + runs; i++) {
      if (i === warm) {
        fastBefore = hits.fast;
        allBefore = hits.all;
      }
      const start = doc.positionAt(at);
      const change = i % 2 === 0 ? { range: { start, end: start }, text: 'x' } : { range: { start, end: doc.positionAt(at + 1) }, text: '' };
      const t0 = now();
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
      TextDocument.update(doc, [change], i + 2);
      await pull(server, uri);
      if (i >= warm) samples.push(now() - t0);
    }
    // The trace line of the last analysis may still be on its way: ask once more, with no edit, so that it has arrived.
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    return { ms: median(samples), fastShare: hits.all === allBefore ? 0 : (hits.fast - fastBefore) / (hits.all - allBefore) };
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
