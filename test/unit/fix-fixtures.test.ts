import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixAll } from '../../server/src/analysis/fix-all.js';
import { applyEdits } from '../../server/src/analysis/fixes/apply.js';
import { RULES } from '../../server/src/analysis/rules/index.js';
import type { AnalysisResult, Finding, Fix, LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { fixFixtures, ruleFixtures } from '../helpers/fixtures.js';

const fixtures = fixFixtures();

/** Findings as a multiset of rule and message, which survive the offsets moving. */
function tally(findings: readonly Finding[], except?: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    if (f.rule === except) continue;
    const key = `${f.rule}: ${f.message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Applies the first fix of the first finding that `pick` accepts, re-analysing after each, until
 * none is left. Each step must remove exactly one such finding, so a fix that does not remove
 * its own finding fails here instead of looping.
 */
function fixOneByOne(text: string, language: LanguageId, pick: (f: Finding) => boolean, applied: Fix[] = []): string {
  const analyzer = testAnalyzer();
  let current = text;
  let result: AnalysisResult = analyzer.analyzeSync(current, language);
  for (let step = 0; step < 100; step++) {
    const candidates = result.findings.filter((f) => pick(f) && f.fixes.length > 0);
    const next = candidates[0];
    const fix = next?.fixes[0];
    if (next === undefined || fix === undefined) return current;
    current = applyEdits(current, fix.edits);
    applied.push(fix);
    result = analyzer.analyzeSync(current, language);
    const left = result.findings.filter((f) => pick(f) && f.fixes.length > 0).length;
    assert.equal(left, candidates.length - 1, `the fix "${fix.title}" removes its finding:\n${current}`);
  }
  throw new Error('fixes did not converge');
}

describe('fix fixtures', () => {
  before(async () => {
    for (const language of new Set(fixtures.map((f) => f.language))) await testAnalyzer().prepare(language);
    await testAnalyzer().prepare('typescript');
    await testAnalyzer().prepare('python');
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      const analyzer = testAnalyzer();
      const initial = analyzer.analyzeSync(fixture.before, fixture.language);
      assert.equal(initial.hasSyntaxErrors, false, 'the .before file parses');
      assert.ok(initial.findings.some((f) => f.rule === fixture.rule && f.fixes.length > 0), `the .before file has a fixable ${fixture.rule} finding`);

      const applied: Fix[] = [];
      const fixed = fixOneByOne(fixture.before, fixture.language, (f) => f.rule === fixture.rule, applied);
      assert.equal(fixed, fixture.after);

      const final = analyzer.analyzeSync(fixed, fixture.language);
      assert.equal(final.hasSyntaxErrors, false, 'the fixed text parses with no errors');
      assert.deepEqual(final.findings.filter((f) => f.rule === fixture.rule).map((f) => f.message), [], 'the rule\'s findings are gone');
      const was = tally(initial.findings, fixture.rule);
      for (const [key, count] of tally(final.findings, fixture.rule)) {
        assert.ok(count <= (was.get(key) ?? 0), `no new finding appears: ${key}`);
      }
      assert.equal(fixAll(analyzer, fixed, fixture.language, undefined, fixture.rule), undefined, 'fixing again changes nothing');
      // Fix-all applies safe fixes only: a fixture whose fixes include an unsafe one must not come out fixed.
      const all = fixAll(analyzer, fixture.before, fixture.language, undefined, fixture.rule)?.text;
      if (applied.every((f) => f.safe)) assert.equal(all, fixture.after, 'fixAll with onlyRule agrees');
      else assert.notEqual(all, fixture.after, 'fixAll skips the unsafe fixes');
    });
  }
});

describe('fix fixture coverage', () => {
  const positives = ruleFixtures().filter((f) => f.kind === 'positive');
  before(async () => {
    for (const language of new Set(positives.map((f) => f.language))) await testAnalyzer().prepare(language);
  });
  for (const rule of RULES) {
    if (rule.meta.fix === 'none') continue;
    for (const language of rule.meta.languages) {
      // A rule's fix may exist in some languages only (confluent-kafka has the option, sarama needs three
      // settings): a language needs a fix fixture when the rule's positive fixtures get a fix there.
      it(`${rule.meta.id} has a fix fixture in ${language} if it offers a fix there`, () => {
        const offers = positives.some((f) => f.rule === rule.meta.id && f.language === language
          && testAnalyzer().analyzeSync(f.text, language).findings.some((x) => x.rule === rule.meta.id && x.fixes.length > 0));
        if (offers) assert.ok(fixtures.some((f) => f.rule === rule.meta.id && f.language === language));
      });
    }
  }
});

const MANY: readonly { language: LanguageId; text: string }[] = [
  {
    language: 'python',
    text: [
      'import requests',
      'from tenacity import retry, wait_exponential',
      'import backoff',
      '',
      '',
      '@retry(wait=wait_exponential(multiplier=1))',
      'def sync(url):',
      '    requests.get(url)',
      '    return requests.post(',
      '        url,',
      '        json={"a": 1},',
      '    )',
      '',
      '',
      '@retry',
      '@backoff.on_exception(backoff.expo, IOError)',
      'def other(session: requests.Session):',
      '    with requests.Session() as s:',
      '        s.get("https://example.com")',
      '',
    ].join('\n'),
  },
  {
    language: 'typescript',
    text: [
      "import axios from 'axios';",
      "import pRetry from 'p-retry';",
      '',
      'export async function sync(url: string): Promise<void> {',
      '  await pRetry(() => axios.get(url), { retries: Infinity });',
      '  await fetch(url, {',
      "    method: 'POST',",
      '  });',
      '  const api = axios.create({ baseURL: url });',
      "  await api.get('/x');",
      '}',
      '',
    ].join('\n'),
  },
  {
    language: 'yaml',
    text: [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: a',
      'spec:',
      '  schedule: "*/5 * * * *"',
      '  jobTemplate: {}',
      '---',
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: b',
      'spec:',
      '  concurrencyPolicy: Allow',
      '  schedule: "0 * * * *"',
      '  jobTemplate: {}',
      '',
    ].join('\n'),
  },
];

describe('fix-all', () => {
  before(async () => {
    for (const { language } of MANY) await testAnalyzer().prepare(language);
  });

  for (const { language, text } of MANY) {
    it(`equals applying every fix one by one (${language})`, () => {
      const analyzer = testAnalyzer();
      const initial = analyzer.analyzeSync(text, language);
      assert.ok(initial.findings.length >= 4, `the sample has many findings (${initial.findings.length})`);
      const oneByOne = fixOneByOne(text, language, (f) => f.fixes[0]?.safe === true);
      const all = fixAll(analyzer, text, language, undefined);
      assert.ok(all !== undefined);
      assert.equal(all.text, oneByOne);
      assert.equal(applyEdits(text, [all.edit]), all.text, 'the single edit fix-all returns gives the same text');
      const final = analyzer.analyzeSync(all.text, language);
      assert.equal(final.hasSyntaxErrors, false);
      assert.deepEqual(final.findings.filter((f) => f.fixes[0]?.safe === true).map((f) => f.rule), []);
    });
  }
});
