// Property-based and mutation fuzzing of the analysis core (issue 7). `npm test` runs a short seeded
// run of this file; `npm run fuzz` (scripts/fuzz.mjs) runs it with FUZZ_RUNS=100000 per language.
//
// Environment:
//   FUZZ_SEED       fast-check seed (default below; printed by every run, so a failure replays)
//   FUZZ_RUNS       cases per language: 40% generated programs, 40% fixture mutations, 20% edit series
//   FUZZ_LANGUAGES  comma-separated languages to run (default: every language in SUPPORTED_LANGUAGES)
//   FUZZ_HOSTILE    0 to skip the fixed hostile inputs
// A failure prints fast-check's seed and path; rerun with FUZZ_SEED=<seed> and the same FUZZ_RUNS.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import type { LanguageId, TextEdit } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { hostileInputs } from '../fuzz/hostile.js';
import { applySequential, fixtureFiles, mutationEdits } from '../fuzz/mutations.js';
import { PROGRAM_GENERATORS } from '../fuzz/programs.js';
import { checkIncremental, checkWhole, slowest, slowestWithinLimit, type Timing } from '../fuzz/properties.js';
import { checkScaling, SCALING_CASES, scaledProgram } from '../fuzz/scaling.js';

export const DEFAULT_SEED = 20_070_007;
/** The CI run's size: a few seconds per language on this project's 2-core machines. */
const DEFAULT_RUNS = 250;

const seed = Number(process.env['FUZZ_SEED'] ?? DEFAULT_SEED);
const runs = Number(process.env['FUZZ_RUNS'] ?? DEFAULT_RUNS);
const only = process.env['FUZZ_LANGUAGES']?.split(',').map((l) => l.trim()).filter((l) => l !== '');
const languages = SUPPORTED_LANGUAGES.filter((l) => only === undefined || only.includes(l));
const fixtures = fixtureFiles();
/** The full run (`npm run fuzz`) also edits each hostile input and runs the known failures as todo. */
const full = runs >= 10_000;
const counts = new Map<LanguageId, number>();
const count = (language: LanguageId, n = 1): void => void counts.set(language, (counts.get(language) ?? 0) + n);

/**
 * Hostile inputs over the time limit today, by `language: input name`, with what the time goes to
 * (CPU times measured with scripts/fuzz.mjs's inputs on the project's 2-core machines). Each costs
 * in proportion to what it holds, not in its nesting: tens of thousands of findings, or the `yaml`
 * package composing hundreds of thousands of nodes. Nesting itself adds nothing: the detectors
 * walk chains and nested literals with lists, so a file 10,000 levels deep is analysed like any
 * other (test/unit/deep-nesting.test.ts). AnalyzedDocument.analyze still answers a stack overflow
 * with an empty result, as a last resort.
 */
const callsLine = (findings: string, seconds: string): string => `too slow: a 1 MB line of calls is ${findings} findings, one per call (${seconds} s of CPU; parsing 1 MB of code alone takes about 1 s)`;
const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  'python: a 1 MB line of calls': callsLine('52,600', '3.2'),
  'python: 10,000 stacked decorators': 'too slow: 20,000 findings, two per decorator (1.8 s of CPU)',
  'javascript: a 1 MB line of calls': callsLine('62,500', '3.8'),
  'typescript: a 1 MB line of calls': callsLine('52,600', '3.6'),
  'tsx: a 1 MB line of calls': callsLine('83,300', '9.5'),
  'java: a 1 MB line of calls': callsLine('41,700', '2.2'),
  'go: a 1 MB line of calls': callsLine('66,700', '4.9'),
  'ruby: a 1 MB line of calls': callsLine('50,000', '4.0'),
  'yaml: a stream of CronJobs just under the size limit': 'too slow: 9,173 CronJobs with two findings each (2.6 s of CPU)',
  'yaml: 100,000 empty documents': 'too slow: the `yaml` package composes 100,000 documents (2.0 s of CPU)',
  'yaml: a 1 MB flow sequence on one line': 'too slow: the `yaml` package lexes and composes 333,000 flow items (5.4 s of CPU, nearly all in the package)',
  'yaml: 5,000 nested block sequences': 'too slow: the `yaml` package composes 5,000 nested sequences (0.95 s of CPU alone, over the limit with the edits of the full run)',
};

/** fast-check's options for one property: the seed is shared, so every property replays from it. */
const options = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, endOnFailure: true });

console.log(`fuzz: seed ${seed}, ${runs} cases per language, languages ${languages.join(', ')}`);

// scripts/fuzz.mjs loads the bundle with FUZZ_LIST=1 only to read the language list above.
describe('fuzzing the analyzer', { skip: process.env['FUZZ_LIST'] === '1' }, () => {
  before(async () => {
    // The first analysis of a language compiles its queries: keep that out of the timings.
    for (const language of languages) {
      await testAnalyzer().prepare(language);
      testAnalyzer().analyzeSync(hostileInputs(language).find((i) => i.name === 'CRLF line breaks')?.text ?? '', language);
    }
  });

  after(() => {
    for (const language of languages) {
      const shown = (s: Timing | undefined): string => (s === undefined ? '-' : `${s.ms.toFixed(1)} ms of CPU (${s.wallMs.toFixed(1)} ms wall): ${s.what}`);
      console.log(`fuzz: ${language}: ${counts.get(language) ?? 0} cases; slowest ${shown(slowest.get(language))}; slowest within the limit ${shown(slowestWithinLimit.get(language))}`);
    }
  });

  it('has a program generator and scaling cases for every supported language', () => {
    for (const language of SUPPORTED_LANGUAGES) assert.ok(PROGRAM_GENERATORS[language] !== undefined, language);
    for (const language of SUPPORTED_LANGUAGES) assert.ok(SCALING_CASES[language].length > 0, language);
  });

  for (const language of languages) {
    describe(language, () => {
      const analyzer = testAnalyzer();
      const own = fixtures.filter((f) => f.language === language);
      // One program in ten repeats a construct real code repeats (chains, nesting, long expressions) up to 300 times.
      const generated = fc.oneof({ arbitrary: PROGRAM_GENERATORS[language], weight: 9 }, { arbitrary: scaledProgram(language), weight: 1 });
      // Languages with no fixture yet mutate generated programs instead.
      const base = own.length > 0 ? fc.oneof(generated, fc.constantFrom(...own.map((f) => f.text))) : generated;

      it(`generated programs: never throws, ends in time, ranges inside the text (${Math.ceil(runs * 0.4)} cases)`, () => {
        fc.assert(fc.property(generated, (text) => {
          count(language);
          checkWhole(analyzer, text, language, 'generated program');
        }), options(Math.ceil(runs * 0.4)));
      });

      it(`mutated fixtures: never throws, ends in time, ranges inside the text (${Math.ceil(runs * 0.4)} cases)`, () => {
        const source = own.length > 0 ? fc.constantFrom(...own) : generated.map((text) => ({ file: 'generated', language, text }));
        fc.assert(fc.property(source, mutationEdits(), (fixture, mutate) => {
          count(language);
          const text = applySequential(fixture.text, mutate(fixture.text));
          checkWhole(analyzer, text, language, `mutation of ${fixture.file}`);
        }), options(Math.ceil(runs * 0.4)));
      });

      it(`edit series: incremental analysis equals whole analysis (${Math.ceil(runs * 0.2)} cases)`, () => {
        fc.assert(fc.property(base, fc.array(mutationEdits(3), { minLength: 1, maxLength: 4 }), (initial, series) => {
          count(language);
          let text = initial;
          const batches: TextEdit[][] = series.map((mutate) => {
            const batch = mutate(text);
            text = applySequential(text, batch);
            return batch;
          });
          checkIncremental(analyzer, language, initial, batches, 'edit series');
        }), options(Math.ceil(runs * 0.2)));
      });

      // The analysis costs about what the file holds: ten times a repeated construct may cost about
      // ten times as much, never a hundred (quadratic) or more (a Java builder chain of 25 calls
      // once took minutes).
      for (const c of SCALING_CASES[language]) {
        it(`scaling: ${c.name}, n = 100 and n = 1,000, grows about linearly`, () => {
          count(language);
          checkScaling(analyzer, language, c);
        });
      }

      if (process.env['FUZZ_HOSTILE'] !== '0') {
        for (const input of hostileInputs(language)) {
          const known = KNOWN_FAILURES[`${language}: ${input.name}`];
          // Known failures are skipped in the short run (some take tens of seconds) and run as
          // `todo` in the full one, so that their times and errors stay in its report.
          const mode = known === undefined ? {} : full ? { todo: known } : { skip: known };
          it(`hostile input: ${input.name}`, mode, () => {
            count(language);
            checkWhole(analyzer, input.text, language, input.name);
            if (!full) return;
            // One keystroke in the middle, then one at the end: the incremental path must agree too.
            const middle = Math.floor(input.text.length / 2);
            checkIncremental(analyzer, language, input.text, [[{ start: middle, end: middle, newText: ' ' }], [{ start: input.text.length + 1, end: input.text.length + 1, newText: '\n' }]], input.name);
          });
        }
      }
    });
  }
});
