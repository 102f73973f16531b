// The extension-host test entry (extensionTestsPath): VS Code loads this bundle inside the real
// extension host and awaits run(). It runs, with Mocha 11, every *.test.js bundle that the build
// put beside it in dist/test/exthost/. The same entry serves test/editor/run-exthost-tests.mjs
// (VS Code server + headless Chromium) and test/exthost/run-electron.ts (desktop VS Code).
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/** Per-test bound: an editor test waits for diagnostics and hovers, never for a clock. */
const TEST_TIMEOUT_MS = 30_000;

export async function run(): Promise<void> {
  // TAP, like the node:test suites, so that scripts/test.mjs counts every suite the same way.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'tap', color: false, timeout: TEST_TIMEOUT_MS });
  const grep = process.env['EXTHOST_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
