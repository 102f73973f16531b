import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Scopes } from '../../server/src/analysis/facts/scopes.js';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { generate, seeded } from '../../scripts/bench/generate.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { ruleFixtures } from '../helpers/fixtures.js';

/**
 * The scope index (one query for every scope and class node) must answer exactly as the
 * `node.parent` walks it replaced: the same analysis with the index on and off, on every rule
 * fixture, on the benchmark's generated files, and on damaged copies of them (syntax errors put
 * scope nodes inside ERROR nodes and leave zero-width MISSING nodes).
 */
function withAndWithoutIndex(text: string, language: LanguageId, label: string): void {
  Scopes.useIndex = true;
  const indexed = testAnalyzer().analyzeSync(text, language);
  Scopes.useIndex = false;
  const walked = testAnalyzer().analyzeSync(text, language);
  Scopes.useIndex = true;
  assert.deepEqual(indexed, walked, `${label}: the scope index changes the analysis`);
}

/** Deletes or inserts a few bracket and keyword characters at seeded places. */
function damage(text: string, seed: number): string {
  const next = seeded(seed);
  let out = text;
  for (let i = 0; i < 6; i++) {
    const at = Math.floor(next() * out.length);
    const insert = ['(', ')', '{', '}', ':', 'def ', 'function ', '\n  ', ''][Math.floor(next() * 9)] ?? '';
    out = out.slice(0, at) + insert + out.slice(at + (insert === '' ? 3 : 0));
  }
  return out;
}

const CODE = SUPPORTED_LANGUAGES.filter((l) => l !== 'yaml');

describe('scope index', () => {
  before(async () => {
    for (const language of CODE) await testAnalyzer().prepare(language);
  });
  after(() => {
    Scopes.useIndex = true;
  });

  it('gives the same analysis as parent walks on every rule fixture', () => {
    for (const fixture of ruleFixtures()) {
      if (fixture.language === 'yaml' || !CODE.includes(fixture.language)) continue;
      withAndWithoutIndex(fixture.text, fixture.language, fixture.file);
      for (let seed = 1; seed <= 3; seed++) withAndWithoutIndex(damage(fixture.text, seed), fixture.language, `${fixture.file} damaged (${seed})`);
    }
  });

  for (const language of CODE) {
    it(`gives the same analysis as parent walks on a generated ${language} file, whole and damaged`, () => {
      const text = generate(language, 600, 7);
      withAndWithoutIndex(text, language, `${language} generated`);
      for (let seed = 1; seed <= 3; seed++) withAndWithoutIndex(damage(text, seed * 31), language, `${language} generated, damaged (${seed})`);
    });
  }
});
