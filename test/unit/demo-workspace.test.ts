// The demo workspace that `npm start` opens: it type-checks in the editor with no dependency
// installed (examples/types/ declares the APIs it imports), and the analyzer still reports its
// findings, which the editor walk counts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type * as TypeScript from 'typescript';
import { repoRoot } from '../helpers/analyzer.js';
import { runCli } from '../helpers/cli.js';

// Loaded at run time from the project's own typescript package, not bundled into the test.
const ts = createRequire(path.join(repoRoot, 'package.json'))('typescript') as typeof TypeScript;
const examples = path.join(repoRoot, 'examples');

function demoProgram(): { program: TypeScript.Program; options: TypeScript.CompilerOptions; files: string[] } {
  const configFile = path.join(examples, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  assert.equal(read.error, undefined, 'examples/tsconfig.json parses');
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, examples, undefined, configFile);
  assert.deepEqual(parsed.errors, []);
  return { program: ts.createProgram(parsed.fileNames, parsed.options), options: parsed.options, files: parsed.fileNames };
}

function messages(diagnostics: readonly TypeScript.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file === undefined ? '' : path.relative(examples, d.file.fileName)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('the demo workspace (examples/)', () => {
  const { program, options, files } = demoProgram();

  it('type-checks with no error and no installed dependency (tsc -p examples)', () => {
    assert.ok(files.some((f) => f.endsWith('notifications/worker.ts')), 'the demo worker is in the program');
    assert.deepEqual(messages(ts.getPreEmitDiagnostics(program)), []);
  });

  it('needs its declarations: without examples/types/ the imports do not resolve', () => {
    const bare = ts.createProgram(files.filter((f) => !f.includes('/types/')), options, undefined, program);
    const missing = ts.getPreEmitDiagnostics(bare).filter((d) => d.code === 2307).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(missing.map((m) => /'([^']+)'/.exec(m)?.[1]).sort(), ['axios', 'bullmq', 'p-retry']);
  });

  it('declares in package.json every package the TypeScript files import', () => {
    const imported = new Set<string>();
    for (const source of program.getSourceFiles()) {
      if (source.isDeclarationFile || !source.fileName.startsWith(examples)) continue;
      for (const statement of source.statements) {
        if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !statement.moduleSpecifier.text.startsWith('.')) {
          imported.add(statement.moduleSpecifier.text);
        }
      }
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(examples, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual([...imported].sort(), Object.keys(manifest.dependencies ?? {}).sort());
  });

  it('still has the findings the editor walk expects, and none in the declarations', () => {
    const run = runCli(['check', '.', '--format', 'json'], examples);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as { files: { path: string; findings: { rule: string }[] }[] };
    const counts = Object.fromEntries(report.files.map((f) => [f.path, f.findings.length]));
    for (const demo of ['billing/tasks.py', 'notifications/worker.ts', 'k8s/cronjobs.yaml', 'shipping/LabelService.java', 'inventory/worker.go', 'accounts/welcome_job.rb']) {
      assert.ok((counts[demo] ?? 0) > 0, `${demo} has findings (${JSON.stringify(counts)})`);
    }
    for (const [file, count] of Object.entries(counts)) if (file.startsWith('types/')) assert.equal(count, 0, file);
    const worker = report.files.find((f) => f.path === 'notifications/worker.ts');
    assert.deepEqual(worker?.findings.map((f) => f.rule).sort(), ['enqueue-no-idempotency-key', 'http-timeout', 'http-timeout', 'http-timeout', 'notify-in-retried-task', 'retry-no-jitter']);
  });
});
