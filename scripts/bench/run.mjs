// `npm run bench`: bundles scripts/bench/main.ts next to the built server (dist/bench/bench.js,
// so that it finds the .wasm files and server.js in dist/) and runs it with this script's arguments.
// The anchor tools (ESLint, its TypeScript parser, Ruff's wasm build) stay external: they load
// from node_modules as their users load them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { aliases } from '../bundle-aliases.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// `npm run bench -- project [--files N]` runs the project model's benchmark instead (scripts/bench/project.ts),
// `npm run bench -- project-ruby DIR` the Ruby project model on a checkout (scripts/bench/project-ruby.ts),
// `npm run bench -- map <folder>` the task map's (scripts/bench/map.ts), and `npm run bench -- designs`
// what each way of reading a tree costs against the parse (scripts/bench/designs.ts).
const mode = ['project', 'project-ruby', 'map', 'designs'].includes(process.argv[2] ?? '') ? process.argv[2] : 'main';
const project = mode !== 'main';
const outfile = path.join(REPO, 'dist', 'bench', mode === 'main' ? 'bench.js' : `${mode}.js`);

await esbuild.build({
  entryPoints: [path.join(REPO, 'scripts', 'bench', `${mode}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['eslint', '@typescript-eslint/parser', '@astral-sh/ruff-wasm-nodejs'],
  alias: aliases,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', outfile, ...process.argv.slice(project ? 3 : 2)], { cwd: REPO, stdio: 'inherit' });
process.exit(run.status ?? 1);
