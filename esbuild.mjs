// Builds every bundle of the extension (client, server, CLI, tests), copies the tree-sitter
// grammars next to them and compiles the book in content/ into dist/catalog.json.
// Usage: node esbuild.mjs [--production] [--watch] [--outdir DIR]  (default dist/; scripts/package.mjs
// builds the .vsix contents elsewhere so that packaging never replaces the bundles tests run from)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { aliases } from './scripts/bundle-aliases.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const outdirFlag = process.argv.indexOf('--outdir');
const dist = outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1] ?? 'dist') : path.join(root, 'dist');
const pkgDir = (name) => path.dirname(require.resolve(`${name}/package.json`));

/** The grammars are used only for their prebuilt .wasm files, copied beside the bundles. */
const WASM = {
  'web-tree-sitter.wasm': require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  'tree-sitter-python.wasm': path.join(pkgDir('tree-sitter-python'), 'tree-sitter-python.wasm'),
  'tree-sitter-javascript.wasm': path.join(pkgDir('tree-sitter-javascript'), 'tree-sitter-javascript.wasm'),
  'tree-sitter-typescript.wasm': path.join(pkgDir('tree-sitter-typescript'), 'tree-sitter-typescript.wasm'),
  'tree-sitter-tsx.wasm': path.join(pkgDir('tree-sitter-typescript'), 'tree-sitter-tsx.wasm'),
  'tree-sitter-ruby.wasm': path.join(pkgDir('tree-sitter-ruby'), 'tree-sitter-ruby.wasm'),
  'tree-sitter-java.wasm': path.join(pkgDir('tree-sitter-java'), 'tree-sitter-java.wasm'),
  'tree-sitter-go.wasm': path.join(pkgDir('tree-sitter-go'), 'tree-sitter-go.wasm'),
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'mocha'],
  alias: aliases,
  logLevel: 'warning',
};

/** Each test file is a bundle of its own; exthost's index.js loads the *.test.js beside it. */
function testEntries(folder) {
  const dir = path.join(root, 'test', folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.test\.ts$|^index\.ts$|^run-electron\.ts$/.test(f)).map((f) => path.join(dir, f));
}

const bundles = [
  { entryPoints: { client: 'client/src/extension.ts' }, outdir: dist },
  // server.js and analysis-worker.js are small entries that run the bundles beside them through
  // V8's code cache (server/src/boot/): compiling a bundle of megabytes is a large part of a start.
  { entryPoints: { server: 'server/src/boot/server.ts', 'analysis-worker': 'server/src/boot/worker.ts' }, outdir: dist },
  // In the two bundles run through vm.Script for V8's code cache (server/src/boot/), dynamic
  // imports (web-tree-sitter's of fs/promises) become require calls, since Node 20 resolves an
  // import() there only behind an experimental flag. Other bundles keep theirs: the tests import
  // ES modules at run time.
  { entryPoints: { 'server-main': 'server/src/lsp/main.ts' }, outdir: dist, supported: { 'dynamic-import': false } },
  // Analysis runs in a worker thread of the server and the CLI (see server/src/worker/).
  { entryPoints: { 'analysis-worker-main': 'server/src/worker/main.ts' }, outdir: dist, supported: { 'dynamic-import': false } },
  { entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: dist },
  { entryPoints: { mcp: 'server/src/mcp/main.ts' }, outdir: dist },
  // The sidebar webview runs in a browser frame: one IIFE script (loaded with a nonce) and one stylesheet.
  { entryPoints: { webview: 'webview/src/main.ts', sidebar: 'media/sidebar.css' }, outdir: dist, platform: 'browser', format: 'iife', target: 'chrome120', external: [] },
  { entryPoints: testEntries('unit'), outdir: path.join(dist, 'test', 'unit') },
  { entryPoints: testEntries('protocol'), outdir: path.join(dist, 'test', 'protocol') },
  { entryPoints: testEntries('cli'), outdir: path.join(dist, 'test', 'cli') },
  { entryPoints: testEntries('package'), outdir: path.join(dist, 'test', 'package') },
  { entryPoints: testEntries('mcp'), outdir: path.join(dist, 'test', 'mcp') },
  { entryPoints: testEntries('exthost'), outdir: path.join(dist, 'test', 'exthost') },
].filter((b) => Object.keys(b.entryPoints).length > 0);

async function compileCatalog() {
  const tool = path.join(dist, 'tools', 'compile-catalog.cjs');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: ['server/src/catalog/compile.ts'], outfile: tool });
  delete require.cache[tool];
  const { compileCatalog: compile } = require(tool);
  const contentDir = path.join(root, 'content');
  const files = fs.readdirSync(contentDir).filter((f) => f.endsWith('.md')).map((name) => ({ name, text: fs.readFileSync(path.join(contentDir, name), 'utf8') }));
  const result = compile(files);
  for (const w of result.warnings) console.warn(`content/${w.file}:${w.line}: warning: ${w.message}`);
  if (result.errors.length > 0) {
    for (const e of result.errors) console.error(`content/${e.file}:${e.line}: error: ${e.message}`);
    throw new Error(`the book has ${result.errors.length} format error(s)`);
  }
  fs.writeFileSync(path.join(dist, 'catalog.json'), JSON.stringify(result.catalog));
  // Editors other than VS Code open the book's chapters as files: ship them beside the server.
  fs.mkdirSync(path.join(dist, 'content'), { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dist, 'content', f.name), f.text);
}

/** The sidebar's search index, built once here so the webview only loads it (MiniSearch.loadJSON). */
async function writeSearchIndex() {
  const tool = path.join(dist, 'tools', 'search-index.cjs');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: ['webview/src/search-index.ts'], outfile: tool });
  delete require.cache[tool];
  const { searchIndexJson } = require(tool);
  const catalog = JSON.parse(fs.readFileSync(path.join(dist, 'catalog.json'), 'utf8'));
  fs.writeFileSync(path.join(dist, 'search-index.json'), searchIndexJson(catalog));
}

/** The codicon font and its stylesheet, served to the webview from dist/codicons/. */
function copyCodicons() {
  const from = path.join(pkgDir('@vscode/codicons'), 'dist');
  fs.mkdirSync(path.join(dist, 'codicons'), { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join(dist, 'codicons', file));
}

/**
 * The bundles the server's threads run keep their comments in development builds, and a few
 * comments hold characters beyond Latin-1 (an arrow, a dash): V8 then holds the whole source as a
 * two-byte string, in each thread that loads it (4.2 MB instead of 2.1 MB for server-main.js). esbuild
 * already writes every other such character as an escape; the comments' are written so too, which
 * moves no mapping of the source map (a comment runs to the end of its line).
 */
function latin1Bundles() {
  if (production) return;
  for (const name of ['server-main.js', 'analysis-worker-main.js']) {
    const file = path.join(dist, name);
    const source = fs.readFileSync(file, 'utf8');
    if (!/[^\u0000-\u00ff]/.test(source)) continue;
    fs.writeFileSync(file, source.replace(/[^\u0000-\u00ff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
}

function copyWasm() {
  for (const [name, from] of Object.entries(WASM)) fs.copyFileSync(from, path.join(dist, name));
}

try {
  if (!watch) fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  copyWasm();
  await compileCatalog();
  await writeSearchIndex();
  copyCodicons();
  if (watch) {
    for (const b of bundles) await (await esbuild.context({ ...common, ...b })).watch();
    console.log('watching for changes');
  } else {
    await Promise.all(bundles.map((b) => esbuild.build({ ...common, ...b })));
    latin1Bundles();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
