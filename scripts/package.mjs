// `npm run package`: builds the production bundles into a staging folder (out/vsix/) and packs it
// with @vscode/vsce into task-reliability-hints-<version>.vsix at the repository root. Staging
// keeps dist/ (the bundles that the tests run from) untouched, and .vscodeignore is an allowlist
// applied to a folder that holds nothing else.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stage = path.join(repo, 'out', 'vsix');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const vsix = path.join(repo, process.argv[2] ?? `${pkg.name}-${pkg.version}.vsix`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${path.basename(args[0] ?? command)} failed (exit ${result.status})`);
    process.exit(1);
  }
}

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
for (const entry of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'schemas']) {
  fs.cpSync(path.join(repo, entry), path.join(stage, entry), { recursive: true });
}
run(process.execPath, [path.join(repo, 'esbuild.mjs'), '--production', '--outdir', path.join(stage, 'dist')], repo);
// No repository URL exists yet, so README links stay relative and vsce is told not to ask for one.
run(process.execPath, [path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository',
  '--no-rewrite-relative-links', '--out', vsix], stage);
console.log(`package: ${path.relative(process.cwd(), vsix)}`);
