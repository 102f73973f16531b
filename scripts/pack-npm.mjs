// `npm run package:npm`: the npm package (CLI, language server, MCP server) as a tarball. Builds the
// production bundles into a staging folder (out/npm/), copies what .npmignore lets through, and
// runs `npm pack` there with scripts off (the prepack build has already happened), so dist/ (the
// bundles the tests run from) is left alone. Prints the tarball's path.
// Usage: node scripts/pack-npm.mjs [DEST_DIR]   (default: the repository root)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stage = path.join(repo, 'out', 'npm');
const dest = path.resolve(process.argv[2] ?? repo);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    console.error(`pack-npm: ${[command, ...args].join(' ')} failed (exit ${result.status})\n${result.stdout}`);
    process.exit(1);
  }
  return result.stdout;
}

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
for (const entry of ['package.json', '.npmignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'bin']) {
  fs.cpSync(path.join(repo, entry), path.join(stage, entry), { recursive: true });
}
run(process.execPath, [path.join(repo, 'esbuild.mjs'), '--production', '--outdir', path.join(stage, 'dist')], repo);
fs.mkdirSync(dest, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = JSON.parse(run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], stage));
const tarball = path.join(dest, packed[0].filename);
console.log(tarball);
