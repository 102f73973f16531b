// `npm run eval`: bundles scripts/eval/main.ts and its worker next to the built analyzer
// (dist/eval/, so that they find the .wasm files and cli.js in dist/) and runs it with this
// script's arguments. The analyzer itself is measured as built: run `npm run build` after changing it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { aliases } from '../bundle-aliases.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(REPO, 'dist', 'eval');

if (!fs.existsSync(path.join(REPO, 'dist', 'cli.js'))) {
  console.error('eval: dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
await esbuild.build({
  entryPoints: { eval: path.join(REPO, 'scripts', 'eval', 'main.ts'), worker: path.join(REPO, 'scripts', 'eval', 'worker.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  alias: aliases,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', path.join(outdir, 'eval.js'), ...process.argv.slice(2)], { cwd: REPO, stdio: 'inherit' });
process.exit(run.status ?? 1);
