// The in-body edit's fast path (server/src/analysis/incremental.ts) against a whole analysis: seeded
// random edits of every fixture, of generated fuzz programs and of the benchmark's generated files;
// after each, the document's result must equal a whole analysis of its new text in every detail.
// A failure names the seed, the file, the edit and the path the document took; rerun with
// INCREMENTAL_SEED=<seed> to replay it.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fastPath } from '../../server/src/analysis/incremental.js';
import type { AnalysisResult, LanguageId, TextEdit } from '../../server/src/analysis/types.js';
import { generate, seeded } from '../../scripts/bench/generate.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { fixtureFiles } from '../fuzz/mutations.js';
import { PROGRAM_GENERATORS } from '../fuzz/programs.js';

const SEED = Number(process.env['INCREMENTAL_SEED'] ?? 20_261_207);
/** The languages with a fast path: the others always take the whole analysis. */
const LANGUAGES: readonly LanguageId[] = ['python', 'javascript', 'typescript', 'tsx', 'go', 'ruby'];

/** Code that names what the analysis recognises, typed into a body. */
const API_TEXT: Readonly<Record<string, readonly string[]>> = {
  python: ['requests.get(url)', 'time.sleep(2)', 'self.retry(countdown=5)', 'send_mail("s", "b", "f", ["t"])', 'task.delay(1)', 'requests', 'stripe.Charge.create(amount=1)', 'session', 'app', 'log', 'HTTP_TIMEOUT'],
  javascript: ['fetch(url)', 'axios.get(u)', 'await queue.add("x", {})', 'setTimeout', 'await sleep(1000)', 'stripe.charges.create({})', 'TIMEOUT_MS', 'pRetry'],
  go: ['http.Get(url)', 'time.Sleep(time.Second)', 'client.Enqueue(task)', 'http.DefaultClient', 'backoff.NewExponentialBackOff()', 'ctx'],
  ruby: ['Net::HTTP.get(uri)', 'sleep 1', 'perform_async(1)', 'retry', 'Faraday.new', 'HTTParty.get(url)', 'Stripe::Charge.create(amount: 1)'],
};
const COMMENT: Readonly<Record<string, string>> = { python: '#', javascript: '//', go: '//', ruby: '#' };
const family = (language: LanguageId): string => (language === 'typescript' || language === 'tsx' ? 'javascript' : language);
const ONE_CHARACTER = ['x', 'e', '_', ' ', '(', ')', '"', "'", ':', ',', '.', '{', '}', '\n', '#', '/', '0', '\t'];

/** A seeded random edit of `text`, mostly inside indented lines (a body, where the fast path applies). */
function randomEdit(text: string, language: LanguageId, next: () => number): { edit: TextEdit; kind: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const lines: { start: number; end: number; indent: number }[] = [];
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    const indent = /^[ \t]*/.exec(text.slice(start, stop))?.[0].length ?? 0;
    if (indent > 0 && indent < stop - start) lines.push({ start, end: stop, indent });
    if (end < 0) break;
    start = end + 1;
  }
  const line = lines.length > 0 && next() < 0.9 ? pick(lines) : { start: 0, end: text.length, indent: 0 };
  const at = line.start + line.indent + Math.floor(next() * (line.end - line.start - line.indent + 1));
  const indent = text.slice(line.start, line.start + line.indent);
  const comment = COMMENT[family(language)] as string;
  const kind = pick(['char', 'char', 'delete', 'api', 'line', 'comment', 'suppress', 'rename', 'rename']);
  switch (kind) {
    case 'char': return { kind, edit: { start: at, end: at, newText: pick(ONE_CHARACTER) } };
    case 'delete': return { kind, edit: { start: at, end: Math.min(at + 1, text.length), newText: '' } };
    case 'api': return { kind, edit: { start: at, end: at, newText: pick(API_TEXT[family(language)] as readonly string[]) } };
    case 'line': return { kind, edit: { start: line.start, end: Math.min(line.end + 1, text.length), newText: '' } };
    case 'comment': return { kind, edit: { start: line.start + line.indent, end: line.start + line.indent, newText: `${comment} ` } };
    case 'suppress': {
      const what = pick(['reliability-ignore-next-line http-timeout', 'reliability-ignore-next-line', 'reliability-ignore-file http-timeout', 'noqa: S113', 'reliability-ignore-next-line retry-no-backoff -- tested']);
      return { kind, edit: { start: line.start, end: line.start, newText: `${indent}${comment} ${what}\n` } };
    }
    default: {
      // The benchmark's edit: a letter typed after the first letter of a word of the line.
      const word = /[A-Za-z_]\w*/.exec(text.slice(line.start + line.indent, line.end));
      const offset = word === null ? at : line.start + line.indent + word.index + 1;
      return { kind, edit: { start: offset, end: offset, newText: 'x' } };
    }
  }
}

interface Input {
  readonly label: string;
  readonly language: LanguageId;
  readonly text: string;
  readonly edits: number;
}

function inputs(): Input[] {
  const list: Input[] = [];
  for (const fixture of fixtureFiles()) {
    if (LANGUAGES.includes(fixture.language)) list.push({ label: `fixture ${fixture.file}`, language: fixture.language, text: fixture.text, edits: 2 });
  }
  for (const language of LANGUAGES) {
    const programs = fc.sample(PROGRAM_GENERATORS[language] as fc.Arbitrary<string>, { seed: SEED, numRuns: 6 });
    programs.forEach((text, i) => list.push({ label: `fuzz program ${language} #${i}`, language, text, edits: 3 }));
    list.push({ label: `generated ${language} (1,000 lines)`, language, text: generate(language, 1000), edits: 12 });
  }
  return list;
}

/** The first place two results differ, for a readable failure. */
function firstDifference(a: AnalysisResult, b: AnalysisResult): string {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AnalysisResult>) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x === y) continue;
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => JSON.stringify(item)) : [JSON.stringify(value)]);
    const only = (p: string[], q: string[]): string[] => p.filter((item) => !q.includes(item)).slice(0, 2);
    return `${key}: only in the document's: ${only(list(a[key]), list(b[key])).join(' | ') || '(order)'}; only in the whole: ${only(list(b[key]), list(a[key])).join(' | ') || '(order)'}`;
  }
  return 'none in JSON (undefined properties)';
}

describe('in-body edits: the fast path equals a whole analysis', () => {
  before(async () => {
    for (const language of LANGUAGES) await testAnalyzer().prepare(language);
  });

  it(`random edits of fixtures, fuzz programs and generated files (seed ${SEED})`, (t) => {
    const analyzer = testAnalyzer();
    const next = seeded(SEED);
    const fast = new Map<LanguageId, number>();
    let total = 0;
    const reasons = new Map<string, number>();
    for (const input of inputs()) {
      const doc = analyzer.open(input.text, input.language);
      try {
        doc.analyze();
        const history: string[] = [];
        const check = (step: string): void => {
          fastPath.fallback = '';
          const result = doc.analyze();
          const whole = analyzer.analyzeSync(doc.text, input.language);
          total++;
          if (doc.lastPath === 'edit') fast.set(input.language, (fast.get(input.language) ?? 0) + 1);
          if (process.env['INCREMENTAL_REASONS'] !== undefined && doc.lastPath !== 'edit') reasons.set(`${input.language}: ${fastPath.fallback}`, (reasons.get(`${input.language}: ${fastPath.fallback}`) ?? 0) + 1);
          assert.deepEqual(result, whole, [
            `seed ${SEED}, ${input.label}, ${step}`,
            `path: ${doc.lastPath}${fastPath.fallback === '' ? '' : ` (fallback: ${fastPath.fallback})`}`,
            `first difference: ${firstDifference(result, whole)}`,
            `the edits before: ${history.join(' / ') || 'none'}`,
          ].join('\n'));
          history.push(step);
        };
        for (let i = 0; i < input.edits; i++) {
          // One edit in four is a burst of two or three, analysed once, as an editor pulls after typing.
          const burst = next() < 0.25 ? 2 + Math.floor(next() * 2) : 1;
          const made: { edit: TextEdit; kind: string; removed: string }[] = [];
          for (let j = 0; j < burst; j++) {
            const change = randomEdit(doc.text, input.language, next);
            made.push({ ...change, removed: doc.text.slice(change.edit.start, change.edit.end) });
            doc.edit(change.edit);
          }
          doc.reparse();
          const described = made.map((m) => `${m.kind} ${JSON.stringify(m.edit)}`).join(', ');
          check(`edit ${i + 1}: ${described}`);
          // An edit that broke the syntax is undone (most are typed on), so that the next ones start
          // from a text the fast path can take; the undo is checked too.
          if (doc.analyze().hasSyntaxErrors || next() < 0.3) {
            for (const m of [...made].reverse()) doc.edit({ start: m.edit.start, end: m.edit.start + m.edit.newText.length, newText: m.removed });
            doc.reparse();
            check(`undo of edit ${i + 1}: ${described}`);
          }
        }
      } finally {
        doc.dispose();
      }
    }
    for (const [reason, n] of [...reasons].sort()) t.diagnostic(`${reason}: ${n}`);
    t.diagnostic(`fast path: ${LANGUAGES.map((l) => `${l} ${fast.get(l) ?? 0}`).join(', ')} of ${total} edits`);
    // The test must reach the fast path, or it proves nothing about it.
    for (const language of LANGUAGES) assert.ok((fast.get(language) ?? 0) > 0, `no edit of ${language} took the fast path (of ${total} edits)`);
  });
});
