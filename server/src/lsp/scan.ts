import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver';
import type { ScanWorkspaceResult } from '../protocol.js';
import { walkFolder } from '../workspace/walk.js';
import type { WorkspaceDiagnostics, WorkspaceHost } from './workspace-diagnostics.js';
import { uriOf } from './folders.js';

/** What a scan tells the user while it runs; LSP work-done progress in practice. */
export interface ScanProgress {
  begin(title: string, message: string): void;
  report(percentage: number, message: string): void;
  done(message: string): void;
}

export const SILENT: ScanProgress = { begin: () => undefined, report: () => undefined, done: () => undefined };

/**
 * A slice of work between two returns to the event loop. Small, so that a hover or a pull of an
 * open document waits at most about this long behind a scan of thousands of files.
 */
const SLICE_MS = 8;
const SLICE_FILES = 16;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Analyses every supported file of the given workspace folders, off the request path: the work
 * is cut into slices and the scan gives way to the event loop after each, so requests for open
 * documents are answered in between. One scan runs at a time; a new one cancels the previous.
 */
export class WorkspaceScanner {
  private current: { readonly source: CancellationTokenSource; readonly done: Promise<unknown> } | undefined;

  constructor(private readonly host: WorkspaceHost, private readonly diagnostics: WorkspaceDiagnostics) {}

  async scan(folders: readonly string[], progress: ScanProgress, token?: CancellationToken): Promise<ScanWorkspaceResult> {
    const previous = this.current;
    previous?.source.cancel();
    await previous?.done;
    const source = new CancellationTokenSource();
    const done = this.run(folders, progress, () => source.token.isCancellationRequested || token?.isCancellationRequested === true);
    this.current = { source, done };
    try {
      return await done;
    } finally {
      if (this.current?.source === source) this.current = undefined;
      source.dispose();
    }
  }

  cancel(): void {
    this.current?.source.cancel();
  }

  private async run(folders: readonly string[], progress: ScanProgress, cancelled: () => boolean): Promise<ScanWorkspaceResult> {
    const started = Date.now();
    const result = { files: 0, filesWithFindings: 0, findings: 0, skipped: 0, cancelled: false, durationMs: 0 };
    const finish = (message: string): ScanWorkspaceResult => {
      progress.done(message);
      return { ...result, durationMs: Date.now() - started };
    };
    const files: string[] = [];
    const stop = (): ScanWorkspaceResult => {
      result.cancelled = true;
      return finish(`cancelled after ${result.files} of ${files.length} files`);
    };
    progress.begin('Task Reliability: scanning the workspace', 'finding files…');

    const seen = new Set<string>();
    let walkSlice = performance.now();
    for (const folder of folders) {
      this.diagnostics.markScanned(folder);
      const scope = await this.host.configuration.scope(uriOf(folder));
      // Directories are listed synchronously, one per step of the generator: the walk gives way
      // to the event loop on the same time budget as the analysis below.
      for (const file of walkFolder(folder, scope)) {
        // Nested workspace folders would otherwise be scanned twice.
        if (seen.has(file)) continue;
        seen.add(file);
        files.push(file);
        if (performance.now() - walkSlice >= SLICE_MS) {
          await yieldToEventLoop();
          if (cancelled()) return stop();
          walkSlice = performance.now();
        }
      }
    }

    let lastPercentage = -1;
    let slice = { started: performance.now(), files: 0 };
    for (const [i, file] of files.entries()) {
      if (slice.files >= SLICE_FILES || performance.now() - slice.started >= SLICE_MS) {
        await yieldToEventLoop();
        if (cancelled()) return stop();
        const percentage = Math.floor((i / files.length) * 100);
        if (percentage !== lastPercentage) {
          lastPercentage = percentage;
          progress.report(percentage, `${i}/${files.length} files`);
        }
        slice = { started: performance.now(), files: 0 };
      }
      slice.files++;
      const outcome = await this.diagnostics.refresh(file, true);
      if (outcome.kind === 'skipped') result.skipped++;
      else if (outcome.kind === 'analysed') {
        result.files++;
        result.findings += outcome.findings;
        if (outcome.findings > 0) result.filesWithFindings++;
      }
    }
    // Results of files this scan did not reach (now excluded or ignored) would be stale.
    const reached = new Set(files.map(uriOf));
    for (const folder of folders) this.diagnostics.retain(folder, reached);
    const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : '';
    return finish(`${result.files} files: ${result.findings} findings in ${result.filesWithFindings} files${skipped}`);
  }
}
