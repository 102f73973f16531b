// The worker's warm-up of a language (Analyzer.warm) registers the queries an analysis asks for
// without compiling them one by one, and compiles them once, together: the analyses after it must
// be those of an analyzer that never warmed up, for every fixture of every language.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../server/src/analysis/index.js';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import { distDir, testAnalyzer } from '../helpers/analyzer.js';
import { fixtureFiles } from '../fuzz/mutations.js';

describe('query warm-up', () => {
  const warmed = new Analyzer({ wasmPath: (file) => path.join(distDir, file) });

  before(async () => {
    for (const language of SUPPORTED_LANGUAGES) {
      await warmed.prepare(language);
      await testAnalyzer().prepare(language);
      warmed.warm(language);
    }
  });

  it('a warmed analyzer gives every fixture the result a cold one gives, and an empty text the same result too', () => {
    const fixtures = fixtureFiles();
    assert.ok(fixtures.length > 100, 'the fixtures are found');
    for (const fixture of fixtures) {
      assert.deepEqual(warmed.analyzeSync(fixture.text, fixture.language, {}, false), testAnalyzer().analyzeSync(fixture.text, fixture.language, {}, false), fixture.file);
    }
    for (const language of SUPPORTED_LANGUAGES) assert.deepEqual(warmed.analyzeSync('', language, {}, false), testAnalyzer().analyzeSync('', language, {}, false), language);
  });
});
