// Runs the extension-host suite (dist/test/exthost/index.js) in desktop VS Code, the standard
// @vscode/test-electron way, for machines that can download VS Code. The project's own machines
// cannot (no download host), so there test/editor/run-exthost-tests.mjs runs the same suite in
// the VS Code server. Usage, after `node esbuild.mjs`: node dist/test/exthost/run-electron.js
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // This file is bundled to dist/test/exthost/run-electron.js, beside the suite's index.js.
  const extensionDevelopmentPath = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.join(__dirname, 'index.js');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'task-reliability-exthost-'));
  const workspace = path.join(scratch, 'workspace');
  const examples = path.join(extensionDevelopmentPath, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
  else fs.mkdirSync(workspace);
  try {
    await runTests({
      version: process.env['VSCODE_TEST_VERSION'] ?? '1.100.3',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user')],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
