import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';

/**
 * The robustness run's analysis thread: the core analyses one file per message. It runs in a
 * worker so that the main thread can terminate it when a file exceeds its wall-clock budget.
 */

export interface WorkRequest {
  readonly id: number;
  readonly file: string;
  readonly language: LanguageId;
}

export type WorkReply =
  | { readonly id: number; readonly ok: true; readonly cpuMs: number; readonly wallMs: number; readonly findings: number; readonly signals: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

const { distDir } = workerData as { distDir: string };
const analyzer = new Analyzer({ wasmPath: (file) => path.join(distDir, file) });
const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');

port.on('message', (request: WorkRequest) => {
  void (async (): Promise<void> => {
    try {
      const text = fs.readFileSync(request.file, 'utf8');
      await analyzer.prepare(request.language);
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = analyzer.analyzeSync(text, request.language);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpu);
      const reply: WorkReply = { id: request.id, ok: true, cpuMs: (used.user + used.system) / 1000, wallMs, findings: result.findings.length, signals: result.signals.length };
      port.postMessage(reply);
    } catch (error) {
      const reply: WorkReply = { id: request.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      port.postMessage(reply);
    }
  })();
});
