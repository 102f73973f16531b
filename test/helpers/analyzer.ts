import path from 'node:path';
import { Analyzer } from '../../server/src/analysis/session.js';

/** The repository root and the build folder, seen from a bundled test in dist/test/<suite>/. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const distDir = path.join(repoRoot, 'dist');

let shared: Analyzer | undefined;

/** One analyzer for the whole test process, loading the wasm files from dist/. */
export function testAnalyzer(): Analyzer {
  shared ??= new Analyzer({ wasmPath: (file) => path.join(distDir, file) });
  return shared;
}
