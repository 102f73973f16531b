// The CLI's check when the analyzer throws on one file: the other files are still reported, the
// failure is named on stderr, and the exit code says the check is incomplete (2), so a CI job
// cannot read a partial run as clean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { check, type CheckOptions, type FileAnalyzer } from '../../server/src/cli/check.js';
import { EXIT_INCOMPLETE } from '../../server/src/cli/exit-codes.js';
import { distDir, testAnalyzer } from '../helpers/analyzer.js';

describe('check with a file that breaks the analyzer', () => {
  it('reports the other files, names the broken one and exits 2', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-check-errors-'));
    fs.writeFileSync(path.join(root, 'good.py'), 'import requests\nrequests.get("https://example.com")\n');
    fs.writeFileSync(path.join(root, 'bad.py'), 'import requests\n');
    const failing: FileAnalyzer = {
      analyze: async (text: string, language: LanguageId, options) => {
        if (text === 'import requests\n') throw new Error('boom');
        return testAnalyzer().analyze(text, language, options);
      },
    };
    const output = path.join(root, 'report.json');
    const options: CheckOptions = { format: 'json', signals: false, quiet: false, output, color: false };
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await check([root], options, distDir, '0.0.0-test', failing);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, EXIT_INCOMPLETE);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { files: { path: string; findings: { rule: string }[] }[] };
    const good = report.files.find((f) => f.path.endsWith('good.py'));
    assert.deepEqual(good?.findings.map((f) => f.rule), ['http-timeout']);
    assert.equal(report.files.some((f) => f.path.endsWith('bad.py')), false);
    assert.match(stderr.join(''), /could not analyse .*bad\.py: boom/);
    assert.match(stderr.join(''), /1 file could not be analysed/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
