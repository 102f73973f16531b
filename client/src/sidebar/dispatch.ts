/**
 * Routes a message from the webview to its handler after checking it. Separate from the provider,
 * which needs the `vscode` module, so that the unit tests can feed it malformed messages.
 */
import { describeMessage, parseWebviewMessage, type Range } from './messages';

export interface WebviewHandlers {
  ready(): void;
  reveal(uri: string, range: Range): void;
  tick(ruleId: string, ticked: boolean): void;
  exportReport(): void;
  taskMap(folder: string | undefined, refresh: boolean): void;
  openTaskFile(folder: string, file: string, line: number): void;
  error(message: string): void;
}

/** Returns whether the message was handled; a rejected one is logged and otherwise ignored. */
export function receiveWebviewMessage(raw: unknown, handlers: WebviewHandlers, log: (line: string) => void): boolean {
  const message = parseWebviewMessage(raw);
  if (message === undefined) {
    log(`Sidebar: ignored a malformed or unknown message from the webview: ${describeMessage(raw)}`);
    return false;
  }
  switch (message.type) {
    case 'ready':
      handlers.ready();
      break;
    case 'reveal':
      handlers.reveal(message.uri, message.range);
      break;
    case 'tick':
      handlers.tick(message.ruleId, message.ticked);
      break;
    case 'export':
      handlers.exportReport();
      break;
    case 'taskMap':
      handlers.taskMap(message.folder, message.refresh === true);
      break;
    case 'openTaskFile':
      handlers.openTaskFile(message.folder, message.file, message.line);
      break;
    case 'error':
      handlers.error(message.message);
      break;
  }
  return true;
}
