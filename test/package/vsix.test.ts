import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/analyzer.js';
import { zipEntries } from '../helpers/zip.js';

const VSIX = path.join(repoRoot, 'out', 'test-package.vsix');

/** What the installed extension runs or shows, and nothing else (see .vscodeignore). */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/media\/[\w.-]+\.(png|svg|css)$/,
  /^extension\/schemas\/[\w.-]+\.schema\.json$/,
  /^extension\/dist\/[\w-]+\.(js|css|wasm)$/,
  /^extension\/dist\/(catalog|search-index)\.json$/,
  /^extension\/dist\/content\/[\w-]+\.md$/,
  /^extension\/dist\/codicons\/codicon\.(css|ttf)$/,
];
const REQUIRED = [
  'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/media/icon.png',
  'extension/schemas/task-reliability.schema.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/server-main.js', 'extension/dist/analysis-worker.js', 'extension/dist/analysis-worker-main.js', 'extension/dist/catalog.json',
  'extension/dist/web-tree-sitter.wasm', 'extension/dist/tree-sitter-python.wasm', 'extension/dist/tree-sitter-tsx.wasm',
];

describe('the .vsix from npm run package', () => {
  let entries: string[];
  before(() => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), path.relative(repoRoot, VSIX)], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
    assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
    entries = zipEntries(VSIX);
  });

  it('holds only the allowlisted files: no sources, tests, node_modules or source maps', () => {
    const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(entries.filter((e) => /\.(ts|map)$|node_modules|\/test\/|\/src\//.test(e)), []);
  });

  it('holds what the extension needs at run time', () => {
    for (const file of REQUIRED) assert.ok(entries.includes(file), `${file} is missing`);
    const chapters = entries.filter((e) => e.startsWith('extension/dist/content/'));
    assert.ok(chapters.length >= 13, `only ${chapters.length} chapters`);
  });

  it('carries an icon, categories, keywords and a license in its manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['icon'], 'media/icon.png');
    assert.equal(manifest['license'], 'MIT');
    assert.ok(Array.isArray(manifest['categories']) && manifest['categories'].includes('Linters'));
    assert.ok(Array.isArray(manifest['keywords']) && manifest['keywords'].length > 0);
    const png = fs.readFileSync(path.join(repoRoot, 'media', 'icon.png'));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'a 128×128 PNG');
  });

  it('installs in the real VS Code server', async (t) => {
    const helper = path.join(repoRoot, 'test', 'editor', 'vscode-server.mjs');
    // The module is ESM and outside the bundle: loaded at run time, from its own path.
    const server = (await import(pathToFileURL(helper).href)) as {
      serverInstalled(): boolean;
      makeRunDirs(id: string): { root: string; ext: string };
      installExtension(dirs: unknown, vsix: string): void;
    };
    if (!server.serverInstalled()) {
      t.skip('the VS Code server is not installed (test/editor/setup.sh)');
      return;
    }
    const dirs = server.makeRunDirs(`vsix-${process.pid}`);
    try {
      server.installExtension(dirs, VSIX);
      const installed = fs.readdirSync(dirs.ext).filter((d) => d.startsWith('task-reliability-hints.'));
      assert.deepEqual(installed, ['task-reliability-hints.task-reliability-hints-0.1.0']);
      const root = path.join(dirs.ext, installed[0] ?? '');
      for (const file of ['dist/client.js', 'dist/server.js', 'dist/tree-sitter-python.wasm']) assert.ok(fs.existsSync(path.join(root, file)), file);
      // The installed server starts and answers, with nothing from this repository beside it.
      const version = spawnSync(process.execPath, [path.join(root, 'dist', 'server.js'), '--version'], { encoding: 'utf8' });
      assert.equal(version.stdout.trim(), 'task-reliability-ls 0.1.0');
    } finally {
      fs.rmSync(dirs.root, { recursive: true, force: true });
    }
  });
});
