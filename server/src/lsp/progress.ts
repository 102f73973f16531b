import {
  WorkDoneProgress,
  type CancellationToken,
  type Connection,
  type ProgressToken,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver';
import { SILENT, type ScanProgress } from './scan.js';

/** Progress on the token a client sent with its request (client-initiated work-done progress). */
export function tokenProgress(connection: Connection, token: ProgressToken | undefined): ScanProgress {
  if (token === undefined) return SILENT;
  const send = (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void => {
    void connection.sendProgress(WorkDoneProgress.type, token, value);
  };
  return {
    begin: (title, message) => send({ kind: 'begin', title, message, percentage: 0, cancellable: true }),
    report: (percentage, message) => send({ kind: 'report', percentage, message }),
    done: (message) => send({ kind: 'end', message }),
  };
}

/**
 * Progress the server starts itself (a scan on startup or after a config change), where the client
 * supports `window/workDoneProgress/create`; the user can cancel it from the editor.
 */
export async function serverProgress(connection: Connection, supported: boolean): Promise<{ progress: ScanProgress; token: CancellationToken | undefined }> {
  if (!supported) return { progress: SILENT, token: undefined };
  try {
    const reporter = await connection.window.createWorkDoneProgress();
    return {
      progress: {
        begin: (title, message) => reporter.begin(title, 0, message, true),
        report: (percentage, message) => reporter.report(percentage, message),
        done: () => reporter.done(),
      },
      token: reporter.token,
    };
  } catch {
    return { progress: SILENT, token: undefined };
  }
}
