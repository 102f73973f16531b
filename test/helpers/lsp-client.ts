import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { OWN_ANALYSIS_RESULT_ID } from '../../server/src/protocol.js';
import { distDir } from './analyzer.js';

/** The built server started over stdio, with a protocol connection to drive it like an editor. */
export interface ServerUnderTest {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly logs: string[];
  /** The last diagnostics published for each URI. */
  readonly published: Map<string, PublishDiagnosticsParams>;
  /** Every `$/progress` notification, in order. */
  readonly progress: { token: string | number; value: { kind: string; percentage?: number; message?: string } }[];
  /** Resolves with the next published diagnostics for `uri` that satisfy `accept`. */
  nextDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Resolves at the server's next `workspace/diagnostic/refresh` request. */
  nextRefresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A document's pulled diagnostics once its project is taken into account: an answer from the file's
 * own analysis (a project the server has not learned yet) is followed by the server's refresh, and
 * the document is pulled again then.
 */
export async function pullWithProject(server: ServerUnderTest, uri: string): Promise<Diagnostic[]> {
  for (;;) {
    // Registered before the pull: the refresh may come before its answer is read.
    const refreshed = server.nextRefresh();
    const report = await server.connection.sendRequest<{ kind: string; items: Diagnostic[]; resultId?: string }>('textDocument/diagnostic', { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`a ${report.kind} report for ${uri}`);
    if (report.resultId !== OWN_ANALYSIS_RESULT_ID) return report.items;
    await refreshed;
  }
}

/** `resolveEdits`: the client resolves code actions' edits on demand (`codeAction/resolve`), as VS Code does. */
export async function startServer(options: { pull: boolean; settings?: unknown; linkStyle?: 'command' | 'file'; workspaceFolders?: readonly string[]; resolveEdits?: boolean; env?: Readonly<Record<string, string>> }): Promise<ServerUnderTest> {
  const child = spawn(process.execPath, [path.join(distDir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logs: string[] = [];
  const progress: ServerUnderTest['progress'] = [];
  connection.onNotification('$/progress', (p: ServerUnderTest['progress'][number]) => {
    progress.push(p);
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  const published = new Map<string, PublishDiagnosticsParams>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    const i = waiters.findIndex((w) => w.uri === p.uri && w.accept(p));
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(p);
  });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.settings ?? null));
  connection.onRequest('client/registerCapability', () => null);
  const refreshWaiters: (() => void)[] = [];
  connection.onRequest('workspace/diagnostic/refresh', () => {
    for (const resolve of refreshWaiters.splice(0)) resolve();
    return null;
  });
  connection.onNotification('window/showMessage', (p: { message: string }) => {
    logs.push(`showMessage: ${p.message}`);
  });
  connection.onRequest('window/showMessageRequest', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: (options.workspaceFolders ?? []).map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
      textDocument: {
        ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
        publishDiagnostics: { versionSupport: true },
        hover: { contentFormat: ['markdown'] },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
          ...(options.resolveEdits === true ? { resolveSupport: { properties: ['edit'] }, dataSupport: true } : {}),
        },
      },
    },
    initializationOptions: { linkStyle: options.linkStyle ?? 'file' },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    logs,
    progress,
    published,
    nextDiagnostics: (uri, accept = () => true) => new Promise((resolve) => waiters.push({ uri, accept, resolve })),
    nextRefresh: () => new Promise((resolve) => refreshWaiters.push(resolve)),
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}
