import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS, SERVER_NODE_ARGS, type InitializationOptions } from '../../server/src/protocol';
import { registerBookCommands } from './book';
import { registerLanguageModelTools } from './lm-tools';
import { registerScanCommand, workspaceWatchers } from './scan';
import { settingsMiddleware } from './settings';
import { registerSidebar } from './sidebar/index';

const LANGUAGES = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'yaml', 'java', 'go', 'ruby'];
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Task Reliability', { log: true });
  const module = context.asAbsolutePath('dist/server.js');
  // The server keeps V8's code cache of its bundles in the extension's global storage (see server/src/boot/code-cache.ts).
  const env = { ...process.env, TASK_RELIABILITY_CODE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_ARGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_ARGS, '--nolazy', '--inspect=6019'] } },
  };
  // The project's module summaries persist in the workspace's storage (global storage without a workspace).
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const initializationOptions: InitializationOptions = { linkStyle: 'command', watchesFiles: true, hoverShowsDiagnostics: true, storageDir };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    synchronize: { configurationSection: 'taskReliability', fileEvents: workspaceWatchers(context) },
    middleware: settingsMiddleware(context.extension.packageJSON),
    outputChannel: output,
    initializationOptions,
    // Hover links run only the book's own commands.
    markdown: { isTrusted: { enabledCommands: [COMMANDS.showRule, COMMANDS.openChapter, COMMANDS.openMatrix, COMMANDS.showTasks] }, supportHtml: false },
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  client = new LanguageClient('taskReliability', 'Task Reliability', serverOptions, clientOptions);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      output.info('Restarting the language server');
      await client?.restart();
    }),
    registerScanCommand(() => client),
    ...registerLanguageModelTools(() => client, LANGUAGES),
    ...registerBookCommands(registerSidebar(context, client, LANGUAGES, output)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
