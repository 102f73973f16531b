import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LineIndex } from '../../server/src/analysis/parsing/positions.js';
import { RULES } from '../../server/src/analysis/rules/index.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { ruleFixtures, type Expectation } from '../helpers/fixtures.js';

const fixtures = ruleFixtures();

describe('rule fixtures', () => {
  before(async () => {
    for (const language of new Set(fixtures.map((f) => f.language))) await testAnalyzer().prepare(language);
  });

  for (const fixture of fixtures) {
    it(`${fixture.file} (${fixture.kind})`, () => {
      if (fixture.kind === 'positive') assert.ok(fixture.expectations.length > 0, 'a positive fixture marks at least one finding');
      else assert.equal(fixture.expectations.length, 0, 'negative and trap fixtures mark no findings');
      const result = testAnalyzer().analyzeSync(fixture.text, fixture.language);
      const lines = new LineIndex(fixture.text);
      const actual: Expectation[] = result.findings.map((f) => {
        const start = lines.position(f.range.start);
        const end = lines.position(f.range.end);
        return { rule: f.rule, line: start.line, startColumn: start.character, endColumn: end.line === start.line ? end.character : start.character + 1 };
      });
      const key = (e: Expectation): string => `${e.rule} at line ${e.line + 1}, columns ${e.startColumn}-${e.endColumn}`;
      // Multi-line ranges are marked by their first character only.
      const normalise = (e: Expectation, i: number): string => {
        const expected = fixture.expectations[i];
        return expected !== undefined && expected.endColumn === expected.startColumn + 1 && e.rule === expected.rule && e.line === expected.line && e.startColumn === expected.startColumn
          ? key(expected) : key(e);
      };
      assert.deepEqual(actual.map(normalise).sort(), fixture.expectations.map(key).sort());
    });
  }
});

describe('fixture coverage', () => {
  // A rule over the joined project has its fixtures as projects, checked by test/cli/map-rules.test.ts.
  for (const rule of RULES.filter((r) => r.checkProject === undefined)) {
    for (const language of rule.meta.languages) {
      for (const kind of ['positive', 'negative', 'trap'] as const) {
        it(`${rule.meta.id} has a ${kind} fixture in ${language}`, () => {
          assert.ok(fixtures.some((f) => f.rule === rule.meta.id && f.language === language && f.kind === kind));
        });
      }
    }
  }
});
