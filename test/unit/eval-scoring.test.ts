import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expectedFindings, expectedSignals, match, parseLabels, ratio, scoreSplit, seededSample, seededTopUp,
  type Observed, type RepoScore,
} from '../../scripts/eval/scoring.js';
import { importVerdictsFromText, isTestPath, judgedPrecision, parseVerdicts, readJudged, sampleMarkdown, verdictKey, type SampledFinding } from '../../scripts/eval/verdicts.js';

const labels = (...records: object[]): ReturnType<typeof parseLabels> => parseLabels(records.map((r) => JSON.stringify(r)).join('\n'), 'test.jsonl');

describe('eval: label parsing', () => {
  it('reads constructs, traps and complete-file marks', () => {
    const parsed = labels(
      { file: 'a.py', complete: true },
      { file: 'a.py', line: 3, kind: 'http-call', api: 'requests.get', expect: ['http-timeout'], reason: 'no timeout' },
      { file: 'a.py', line: 9, trap: 'Flask route' },
    );
    assert.deepEqual([...parsed.complete], ['a.py']);
    assert.equal(parsed.labels.length, 2);
    assert.equal(parsed.labels[1]?.trap, 'Flask route');
  });

  it('rejects an expected finding without a reason, and a label without kind or trap', () => {
    assert.throws(() => labels({ file: 'a.py', line: 3, kind: 'http-call', expect: ['http-timeout'] }), /test\.jsonl:1: every expected finding needs a "reason"/);
    assert.throws(() => labels({ file: 'a.py', line: 3, expect: [] }), /needs a "kind"/);
    assert.throws(() => parseLabels('{"file": "a.py", "line": 0, "kind": "retry"}', 'x'), /"line" must be a whole number from 1/);
  });
});

describe('eval: matching', () => {
  const repo = labels(
    { file: 'a.py', complete: true },
    { file: 'a.py', line: 10, kind: 'http-call', expect: ['http-timeout'], reason: 'r' },
    { file: 'a.py', line: 11, kind: 'http-call', expect: [] },
    { file: 'b.py', line: 5, kind: 'enqueue', expect: [] },
    { file: 'b.py', line: 20, trap: 'a decorator named task' },
  );

  it('pairs exact lines first, so a neighbour cannot take a report from its own line', () => {
    const observed: Observed[] = [{ file: 'a.py', line: 11, key: 'http-call' }, { file: 'a.py', line: 10, key: 'http-call' }];
    const result = match(expectedSignals(repo), observed, repo);
    assert.deepEqual(result.tallies.get('http-call'), { tp: 2, fn: 0, fp: 0, unjudged: 0 });
  });

  it('matches within one line and no further', () => {
    const near = match(expectedSignals(repo), [{ file: 'b.py', line: 6, key: 'enqueue' }], repo);
    assert.equal(near.tallies.get('enqueue')?.tp, 1);
    const far = match(expectedSignals(repo), [{ file: 'b.py', line: 7, key: 'enqueue' }], repo);
    assert.deepEqual(far.tallies.get('enqueue'), { tp: 0, fn: 1, fp: 0, unjudged: 1 });
    assert.deepEqual(far.misses.filter((m) => m.expected === 'enqueue').map((m) => m.line), [5]);
  });

  it('counts an unmatched report as a false positive only in a complete file, on a labelled line or near a trap', () => {
    const observed: Observed[] = [
      { file: 'a.py', line: 30, key: 'retry' },
      { file: 'b.py', line: 21, key: 'task-def' },
      { file: 'b.py', line: 5, key: 'http-call' },
      { file: 'b.py', line: 40, key: 'retry' },
    ];
    const result = match(expectedSignals(repo), observed, repo);
    assert.deepEqual(result.falsePositives.map((p) => `${p.file}:${p.line} ${p.because.split(':')[0] ?? ''}`), [
      'a.py:30 file labelled complete',
      'b.py:21 trap',
      'b.py:5 labelled line',
    ]);
    assert.equal(result.tallies.get('retry')?.unjudged, 1);
  });

  it('scores findings per rule, with explicit "none" labels turning a report into a false positive', () => {
    const observed: Observed[] = [{ file: 'a.py', line: 10, key: 'http-timeout' }, { file: 'a.py', line: 11, key: 'http-timeout' }];
    const result = match(expectedFindings(repo), observed, repo, ['http-timeout', 'retry-unbounded']);
    assert.deepEqual(result.tallies.get('http-timeout'), { tp: 1, fn: 0, fp: 1, unjudged: 0 });
    assert.deepEqual(result.tallies.get('retry-unbounded'), { tp: 0, fn: 0, fp: 0, unjudged: 0 });
  });

  it('expects a finding on its label\'s findingLine when one is given, and the signal on the label\'s line', () => {
    const loop = parseLabels([
      '{"file":"w.go","line":10,"kind":"retry","expect":["retry-no-jitter"],"reason":"doubling sleep","findingLine":16}',
    ].join('\n'), 'w.jsonl');
    assert.deepEqual(expectedFindings(loop).map((e) => e.line), [16]);
    assert.deepEqual(expectedSignals(loop).map((e) => e.line), [10]);
    const found = match(expectedFindings(loop), [{ file: 'w.go', line: 16, key: 'retry-no-jitter' }], loop);
    assert.deepEqual(found.tallies.get('retry-no-jitter'), { tp: 1, fn: 0, fp: 0, unjudged: 0 });
    assert.throws(() => parseLabels('{"file":"w.go","line":10,"kind":"retry","expect":[],"findingLine":16}', 'w.jsonl'), /findingLine/);
    const perRule = parseLabels('{"file":"w.go","line":10,"kind":"retry","expect":["retry-unbounded","retry-no-backoff"],"reason":"429 forever","findingLine":{"retry-no-backoff":17}}', 'w.jsonl');
    assert.deepEqual(expectedFindings(perRule).map((e) => `${e.key}:${e.line}`), ['retry-unbounded:10', 'retry-no-backoff:17']);
    assert.throws(() => parseLabels('{"file":"w.go","line":10,"kind":"retry","expect":["retry-unbounded"],"reason":"r","findingLine":{"retry-no-backoff":17}}', 'w.jsonl'), /findingLine/);
  });

  it('lists what was reported near a miss', () => {
    const result = match(expectedFindings(repo), [{ file: 'a.py', line: 10, key: 'retry-unbounded' }], repo);
    assert.deepEqual(result.misses.map((m) => [m.expected, m.got]), [['http-timeout', ['retry-unbounded']]]);
  });
});

describe('eval: recall, precision and splits', () => {
  it('divides only where there is something to divide', () => {
    assert.deepEqual(ratio({ tp: 3, fn: 1, fp: 1, unjudged: 7 }), { tp: 3, fn: 1, fp: 1, unjudged: 7, recall: 0.75, precision: 0.75 });
    assert.deepEqual(ratio({ tp: 0, fn: 0, fp: 0, unjudged: 2 }), { tp: 0, fn: 0, fp: 0, unjudged: 2, recall: null, precision: null });
  });

  it('keeps tune and holdout apart and names every kind and rule', () => {
    const repo = labels({ file: 'a.py', line: 1, kind: 'retry', expect: [] });
    const score = (name: string, split: 'tune' | 'holdout', hit: boolean): RepoScore => ({
      repo: name,
      split,
      signals: match(expectedSignals(repo), hit ? [{ file: 'a.py', line: 1, key: 'retry' }] : [], repo),
      findings: match([], [], repo),
    });
    const scores = [score('t1', 'tune', true), score('t2', 'tune', false), score('h1', 'holdout', true)];
    const tune = scoreSplit(scores, 'tune', () => 1, ['retry', 'lock'], ['http-timeout']);
    const holdout = scoreSplit(scores, 'holdout', () => 1, ['retry', 'lock'], ['http-timeout']);
    assert.equal(tune.repos, 2);
    assert.equal(tune.labels, 2);
    assert.equal(tune.signals['retry']?.recall, 0.5);
    assert.equal(holdout.signals['retry']?.recall, 1);
    assert.equal(tune.signals['lock']?.recall, null);
    assert.deepEqual(Object.keys(tune.findings), ['http-timeout']);
  });

  it('draws the same sample for the same seed whatever the input order', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const order = (a: number, b: number): number => a - b;
    const first = seededSample(items, 10, 7, order);
    assert.deepEqual(seededSample([...items].reverse(), 10, 7, order), first);
    assert.notDeepEqual(seededSample(items, 10, 8, order), first);
    assert.equal(new Set(first).size, 10);
  });

  it('tops a sample up to K items of every key, leaving out what the sample holds', () => {
    // 40 items of key "a", 3 of "b", 1 of "c": a random sample of 5 rarely reaches "b" or "c".
    const items = [...Array.from({ length: 40 }, (_, i) => `a${i}`), 'b0', 'b1', 'b2', 'c0'];
    const order = (x: string, y: string): number => x.localeCompare(y);
    const key = (x: string): string => x[0] ?? '';
    const sample = seededSample(items, 5, 3, order);
    const extra = seededTopUp(items, sample, 2, 3, order, key);
    const all = [...sample, ...extra];
    assert.equal(new Set(all).size, all.length, 'no item twice');
    for (const k of ['b', 'c']) assert.equal(all.filter((x) => key(x) === k).length, Math.min(2, items.filter((x) => key(x) === k).length), k);
    assert.ok(extra.every((x) => key(x) !== 'a') || sample.filter((x) => key(x) === 'a').length < 2, 'a key the sample already covers gets nothing more');
    assert.deepEqual(seededTopUp([...items].reverse(), sample, 2, 3, order, key), extra, 'the same top-up whatever the input order');
  });
});

describe('eval: judged verdicts', () => {
  const finding = (lines: string[], line: number): SampledFinding => ({ repo: 'o/r', commit: 'abc123', file: 'src/a.py', line, rule: 'http-timeout', message: 'no timeout', lines });
  const text = ['import requests', '', 'def f():', '    r = requests.get(url)', '    return r', ''];

  it('keeps a verdict when lines are added far above, and drops it when the code around the finding changes', () => {
    const key = verdictKey(finding(text, 4));
    const shifted = ['# header', '# more', '', '', '', '', ...text];
    assert.equal(verdictKey(finding(shifted, 10)), key);
    assert.equal(verdictKey(finding(text.map((l) => l.replace('    ', '  ')), 4)), key, 'whitespace is normalised');
    const edited = [...text];
    edited[4] = '    return r.json()';
    assert.notEqual(verdictKey(finding(edited, 4)), key);
  });

  it('round-trips verdicts through the sample Markdown, and the last record of a key wins', () => {
    const f = finding(text, 4);
    const markdown = sampleMarkdown([f], new Map(), 'sample').replace('verdict: \n', 'verdict: wrong\n').replace('reason: \n', 'reason: a timeout is set by the session\n');
    const parsed = parseVerdicts(markdown);
    assert.deepEqual(parsed, [{ key: verdictKey(f), verdict: 'wrong', reason: 'a timeout is set by the session' }]);
    const records = importVerdictsFromText(markdown, new Map());
    assert.equal(records[0]?.line, 4);
    assert.equal(records[0]?.repo, 'o/r');
    assert.equal(records[0]?.file, 'src/a.py');
    const jsonl = [records[0], { ...records[0], verdict: 'correct' }].map((r) => JSON.stringify(r)).join('\n');
    assert.equal(readJudged(jsonl).get(verdictKey(f))?.verdict, 'correct');
    assert.deepEqual(importVerdictsFromText(markdown, readJudged(JSON.stringify(records[0]))), [], 'an unchanged verdict is not written again');
    assert.throws(() => parseVerdicts(markdown.replace('verdict: wrong', 'verdict: maybe')), /unknown verdict "maybe"/);
  });

  it('marks a hint (test or example code by the CLI\'s classification) as test code in the sample and its records', () => {
    const f = { ...finding(text, 4), file: 'docs/examples/a.py', hint: true };
    const markdown = sampleMarkdown([f], new Map(), 'sample').replace('verdict: \n', 'verdict: wrong\n').replace('reason: \n', 'reason: demo\n');
    assert.match(markdown, /docs\/examples\/a\.py:4 \(test code\)/);
    const records = importVerdictsFromText(markdown, new Map());
    assert.equal(records[0]?.test, true);
    assert.equal(judgedPrecision(records).test.wrong, 1);
    assert.equal(judgedPrecision(records).production.judged, 0);
  });

  it('shows a reused verdict in the sample it prints', () => {
    const f = finding(text, 4);
    const known = new Map([[verdictKey(f), { key: verdictKey(f), repo: 'o/r', commit: 'abc123', file: 'src/a.py', line: 4, rule: 'http-timeout', verdict: 'correct' as const, reason: 'hangs' }]]);
    assert.match(sampleMarkdown([f], known, 's'), /verdict: correct\nreason: hangs/);
  });

  it('tells test code by path and computes precision for production and test apart', () => {
    assert.equal(isTestPath('pkg/worker_test.go'), true);
    assert.equal(isTestPath('src/__tests__/a.ts'), true);
    assert.equal(isTestPath('spec/models/user_spec.rb'), true);
    assert.equal(isTestPath('src/test/java/a/FooTest.java'), true);
    assert.equal(isTestPath('app/latest.py'), false);
    assert.equal(isTestPath('src/contest/entry.ts'), false);
    assert.equal(isTestPath('pkg/testhelpers/session.go'), true);
    const p = judgedPrecision([
      { file: 'app/a.py', verdict: 'correct' },
      { file: 'app/b.py', verdict: 'wrong' },
      { file: 'app/c.py', verdict: 'debatable' },
      { file: 'tests/t.py', verdict: 'correct-in-test' },
      { file: 'app/d.py', verdict: 'correct-in-test' },
    ]);
    assert.deepEqual([p.production.correct, p.production.wrong, p.production.debatable, p.production.precision], [1, 1, 1, 0.5]);
    assert.deepEqual([p.test.judged, p.test.precision], [2, 1]);
    assert.equal(p.all.precision, 0.75);
  });
});
