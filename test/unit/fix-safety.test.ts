// Fix safety over every fixture (issue 7). fix-fixtures.test.ts checks each fix fixture's exact
// before/after text; this checks every fix of every finding in every fixture file, safe or not:
// the result parses with no new syntax errors, the finding is gone, no other finding appears,
// fixing again changes nothing, and the text changes only inside the ranges the fix claims.
// Fix-all on every file with several safe fixes equals applying them one by one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixAll } from '../../server/src/analysis/fix-all.js';
import { applyEdits } from '../../server/src/analysis/fixes/apply.js';
import type { AnalysisResult, Finding, Fix, LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { fixtureFiles } from '../fuzz/mutations.js';

/** Rule and fix fixtures with findings to fix; crash regressions and `.after` files have none to check. */
const files = fixtureFiles().filter((f) => !f.file.startsWith('crashes') && !/\.after\.[a-z]+$/.test(f.file));

/** Findings as a multiset of rule and message, which survives offsets moving. */
function tally(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.rule}: ${f.message}`, (counts.get(`${f.rule}: ${f.message}`) ?? 0) + 1);
  return counts;
}

/** The text outside the fix's edits is unchanged, piece by piece, and each edit's text is where it claims. */
function assertTouchesOnlyItsRanges(text: string, fixed: string, fix: Fix): void {
  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  let at = 0;
  let out = 0;
  for (const edit of edits) {
    const kept = text.slice(at, edit.start);
    assert.equal(fixed.slice(out, out + kept.length), kept, `"${fix.title}" changes text before offset ${edit.start}`);
    out += kept.length;
    assert.equal(fixed.slice(out, out + edit.newText.length), edit.newText, `"${fix.title}" puts its text at ${edit.start}`);
    out += edit.newText.length;
    at = edit.end;
  }
  assert.equal(fixed.slice(out), text.slice(at), `"${fix.title}" changes text after its last edit`);
}

/** Applies the first safe fix of the first finding until none is left (what fix-all promises to equal). */
function oneByOne(text: string, language: LanguageId): string {
  let current = text;
  for (let step = 0; step < 200; step++) {
    const next = testAnalyzer().analyzeSync(current, language).findings.find((f) => f.fixes[0]?.safe === true);
    const fix = next?.fixes[0];
    if (fix === undefined) return current;
    current = applyEdits(current, fix.edits);
  }
  throw new Error('safe fixes did not converge');
}

describe('fix safety on every fixture', () => {
  before(async () => {
    for (const language of new Set(files.map((f) => f.language))) await testAnalyzer().prepare(language);
  });

  it('has fixtures with fixes to check', () => {
    const fixes = files.flatMap((f) => testAnalyzer().analyzeSync(f.text, f.language).findings.flatMap((x) => x.fixes));
    assert.ok(fixes.length >= 50, `${fixes.length} fixes`);
  });

  for (const file of files) {
    it(`every fix in ${file.file}`, () => {
      const analyzer = testAnalyzer();
      const initial: AnalysisResult = analyzer.analyzeSync(file.text, file.language);
      const was = tally(initial.findings);
      for (const finding of initial.findings) {
        for (const fix of finding.fixes) {
          const what = `${finding.rule} at ${finding.range.start}: "${fix.title}"`;
          const fixed = applyEdits(file.text, fix.edits);
          assertTouchesOnlyItsRanges(file.text, fixed, fix);
          const after = analyzer.analyzeSync(fixed, file.language);
          if (!initial.hasSyntaxErrors) assert.equal(after.hasSyntaxErrors, false, `${what} leaves a syntax error:\n${fixed}`);
          const now = tally(after.findings);
          const key = `${finding.rule}: ${finding.message}`;
          assert.ok((now.get(key) ?? 0) < (was.get(key) ?? 0), `${what} does not remove its finding:\n${fixed}`);
          for (const [other, count] of now) assert.ok(count <= (was.get(other) ?? 0), `${what} brings a new finding: ${other}\n${fixed}`);
          // Fixing the same rule again offers nothing new at this place: no finding of the rule
          // starts where the fixed one did (offsets before the first edit do not move).
          const firstEdit = Math.min(...fix.edits.map((e) => e.start));
          if (finding.range.start < firstEdit) {
            assert.ok(!after.findings.some((f) => f.rule === finding.rule && f.range.start === finding.range.start && f.message === finding.message), `${what} can be applied twice`);
          }
        }
      }
      const safe = initial.findings.filter((f) => f.fixes[0]?.safe === true).length;
      if (safe === 0) return;
      const all = fixAll(analyzer, file.text, file.language, undefined);
      assert.ok(all !== undefined, 'fix-all changes a file with safe fixes');
      assert.equal(applyEdits(file.text, [all.edit]), all.text, 'fix-all\'s single edit gives its text');
      assert.equal(all.text, oneByOne(file.text, file.language), 'fix-all equals applying the safe fixes one by one');
      assert.equal(fixAll(analyzer, all.text, file.language, undefined), undefined, 'fix-all a second time changes nothing');
    });
  }
});
