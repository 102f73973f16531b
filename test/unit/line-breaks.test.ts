// Line breaks: a file saved with CR line ends (classic Mac) says the same as with LF. CR and LF are
// both one code unit, so the findings must match exactly: same rules, same ranges, same messages,
// and every fix must keep the file's own line break.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyEdits } from '../../server/src/analysis/fixes/apply.js';
import type { AnalysisResult } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { ruleFixtures } from '../helpers/fixtures.js';

const yamlPositives = ruleFixtures().filter((f) => f.language === 'yaml' && f.kind === 'positive');

const summary = (result: AnalysisResult): unknown => result.findings.map((f) => ({ rule: f.rule, range: f.range, message: f.message, fixes: f.fixes.map((x) => x.title) }));

describe('CR line breaks in YAML', () => {
  before(async () => {
    await testAnalyzer().prepare('yaml');
  });

  it('has YAML positive fixtures to check', () => {
    assert.ok(yamlPositives.length > 0);
  });

  for (const fixture of yamlPositives) {
    it(`${fixture.file}: CR-only gives the findings of LF, and its fixes write CR`, () => {
      const lf = fixture.text.replace(/\r\n?/g, '\n');
      const cr = lf.replace(/\n/g, '\r');
      const withLf = testAnalyzer().analyzeSync(lf, 'yaml');
      const withCr = testAnalyzer().analyzeSync(cr, 'yaml');
      assert.ok(withLf.findings.length > 0, 'the LF fixture has findings');
      assert.equal(withCr.hasSyntaxErrors, withLf.hasSyntaxErrors);
      assert.deepEqual(summary(withCr), summary(withLf));
      for (const finding of withCr.findings) {
        for (const fix of finding.fixes) {
          const fixed = applyEdits(cr, fix.edits);
          assert.ok(!fixed.includes('\n'), `fix "${fix.title}" of ${finding.rule} writes an LF into a CR file`);
          assert.equal(fixed.replace(/\r/g, '\n'), applyEdits(lf, withLf.findings.find((f) => f.rule === finding.rule && f.range.start === finding.range.start)?.fixes.find((x) => x.title === fix.title)?.edits ?? []));
        }
      }
    });
  }

  it('reads a comment on a CR-only line as a comment, not as the rest of the file', () => {
    const text = 'apiVersion: batch/v1\r# reliability-ignore-file cron-missing-deadline -- a test\rkind: CronJob\rmetadata:\r  name: a\rspec:\r  schedule: "*/5 * * * *"\r  jobTemplate: {}\r';
    const result = testAnalyzer().analyzeSync(text, 'yaml');
    assert.equal(result.suppressions.length, 1);
    assert.ok(result.findings.every((f) => f.rule !== 'cron-missing-deadline'));
    assert.ok(result.findings.length + result.suppressed.length > 0, 'the CronJob is read');
  });
});
