// The npm package, as a user gets it: `npm run package:npm` packs a tarball, which is installed
// offline into an empty project with `npm install --save-dev`, and its three bins run from there.
// The bundles are self-contained, so the install fetches nothing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { repoRoot } from '../helpers/analyzer.js';
import { SAMPLE_PROJECT } from '../helpers/cli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** What the package may hold: the bins, the bundles they run and their data, and the usual documents. */
const ALLOWED = [
  /^package\/(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/,
  /^package\/bin\/task-reliability(-ls|-mcp)?\.js$/,
  /^package\/dist\/(cli|server|server-main|mcp|analysis-worker|analysis-worker-main)\.js$/,
  /^package\/dist\/[\w-]+\.wasm$/,
  /^package\/dist\/(catalog|search-index)\.json$/,
  /^package\/dist\/content\/[\w-]+\.md$/,
];

interface Manifest {
  name: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  private?: boolean;
}

let work: string;
let project: string;
let tarball: string;

function run(command: string, args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  // npm_config_* from an outer `npm run` would leak its settings into the user's commands.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-npm-'));
  const pack = run(process.execPath, [path.join(repoRoot, 'scripts', 'pack-npm.mjs'), work], repoRoot);
  assert.equal(pack.code, 0, `${pack.stdout}\n${pack.stderr}`);
  tarball = pack.stdout.trim().split('\n').pop() ?? '';
  assert.ok(fs.existsSync(tarball), `no tarball at ${tarball}`);

  // An empty project, as `npm init -y` leaves it, with files for the check to find.
  project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'sample', version: '1.0.0', private: true }, null, 2));
  for (const [rel, text] of Object.entries(SAMPLE_PROJECT)) {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), text);
  }
  const install = run(npm, ['install', '--save-dev', '--offline', '--no-package-lock', tarball], project);
  assert.equal(install.code, 0, `${install.stdout}\n${install.stderr}`);
});

after(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the bundles, grammars and book, and nothing else', () => {
    const entries = run('tar', ['tzf', tarball], work).stdout.trim().split('\n');
    assert.deepEqual(entries.filter((e) => !ALLOWED.some((re) => re.test(e))), []);
    for (const need of ['package/dist/cli.js', 'package/dist/server.js', 'package/dist/server-main.js', 'package/dist/analysis-worker.js', 'package/dist/analysis-worker-main.js', 'package/dist/mcp.js', 'package/dist/catalog.json', 'package/dist/web-tree-sitter.wasm', 'package/dist/tree-sitter-python.wasm']) {
      assert.ok(entries.includes(need), `${need} is missing`);
    }
  });

  it('installs with no dependency of its own: the install added one package and nothing under it', () => {
    const installed = path.join(project, 'node_modules', 'task-reliability-hints');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Manifest;
    assert.equal(manifest.dependencies, undefined);
    assert.notEqual(manifest.private, true);
    const modules = fs.readdirSync(path.join(project, 'node_modules')).filter((e) => !e.startsWith('.'));
    assert.deepEqual(modules, ['task-reliability-hints']);
    const saved = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    assert.ok(saved.devDependencies?.['task-reliability-hints'] !== undefined, 'npm install --save-dev recorded it');
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['task-reliability', 'task-reliability-ls', 'task-reliability-mcp']);
  });

  it('runs `npx task-reliability check .` in the project', () => {
    const check = run(npx, ['--offline', 'task-reliability', 'check', '.', '--format', 'json'], project);
    assert.equal(check.stderr, '');
    assert.equal(check.code, 0, 'warnings only: the check passes');
    const report = JSON.parse(check.stdout) as { files: { path: string; findings: { rule: string }[] }[] };
    const rules = Object.fromEntries(report.files.map((f) => [f.path, f.findings.map((x) => x.rule)]));
    assert.deepEqual(rules['app/pay.py'], ['http-timeout']);
    assert.deepEqual(rules['k8s/cron.yaml']?.sort(), ['cron-missing-deadline', 'cron-overlap']);
    assert.equal(rules['node_modules/lib/index.js'], undefined, 'the installed package itself is not checked');
  });

  it('starts the language server, which answers initialize over stdio', async () => {
    const bin = path.join(project, 'node_modules', '.bin', 'task-reliability-ls');
    const child = spawn(bin, ['--stdio'], { cwd: project, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const reply = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Content-Length: (\d+)\r\n\r\n/.exec(out);
          if (m !== null && Buffer.byteLength(out.slice((m.index ?? 0) + m[0].length)) >= Number(m[1])) resolve(out.slice((m.index ?? 0) + m[0].length));
        });
        child.once('exit', (code) => reject(new Error(`the server exited (${code}) before answering`)));
      });
      const message = JSON.parse(reply) as { id: number; result?: { capabilities?: { hoverProvider?: unknown }; serverInfo?: { name?: string } } };
      assert.equal(message.id, 1);
      assert.ok(message.result?.capabilities?.hoverProvider, 'the server offers hovers');
    } finally {
      child.kill();
    }
  });

  it('starts the MCP server, which lists its tools', async () => {
    const client = new Client({ name: 'npm-package-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: path.join(project, 'node_modules', '.bin', 'task-reliability-mcp'), args: ['--root', project], cwd: project, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['audit', 'chapter', 'map', 'route', 'rule']);
    } finally {
      await client.close();
    }
  });
});
