/**
 * The webview's entry point (bundled into dist/webview.js, loaded with the page's nonce). It
 * restores the saved UI state, checks every message from the host before using it, reports its
 * own errors to the extension's output channel, and says `ready` once it listens.
 */
import { describeMessage, parseHostMessage, type WebviewMessage } from '../../client/src/sidebar/messages';
import { App } from './app';
import { restoreState, type UiState } from './state';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: UiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');

function report(message: string): void {
  vscode.postMessage({ type: 'error', message: message.slice(0, 2000) });
}

window.addEventListener('error', (event) => report(`${event.message} (${event.filename}:${event.lineno})`));
window.addEventListener('unhandledrejection', (event) => report(`Unhandled rejection: ${String(event.reason)}`));

if (root !== null) {
  const app = new App(root, { post: (m) => vscode.postMessage(m), setState: (s) => vscode.setState(s) }, restoreState(vscode.getState()));
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostMessage(event.data);
    if (message === undefined) {
      report(`ignored a malformed or unknown message from the extension: ${describeMessage(event.data)}`);
      return;
    }
    try {
      app.receive(message);
    } catch (error) {
      report(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  });
  vscode.postMessage({ type: 'ready' });
}
