import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { applyEdits } from '../../server/src/analysis/fixes/apply.js';
import type { Analyzer } from '../../server/src/analysis/session.js';
import type { AnalysisResult, LanguageId, TextEdit, TextRange } from '../../server/src/analysis/types.js';

/**
 * Each input must be analysed within this much CPU time, up to the size limit. CPU time, not wall
 * time: the fuzz runs share 2-core machines with other work, and a load of 10 stretches a 300 ms
 * analysis past a second of wall time without the analyzer doing any more. The process's CPU time
 * also counts V8's helper threads (garbage collection, compilation), so it errs on the slow side.
 */
export const TIME_LIMIT_MS = 1000;

/**
 * The slowest input seen so far per language, and the slowest within the limit (the known slow
 * hostile inputs aside), for the run's summary.
 */
export interface Timing {
  /** CPU milliseconds. */
  ms: number;
  /** Wall-clock milliseconds, for the record. */
  wallMs: number;
  what: string;
}

export const slowest = new Map<LanguageId, Timing>();
export const slowestWithinLimit = new Map<LanguageId, Timing>();

function record(language: LanguageId, time: Time, what: () => string): void {
  for (const table of time.cpuMs < TIME_LIMIT_MS ? [slowest, slowestWithinLimit] : [slowest]) {
    const current = table.get(language);
    if (current === undefined || time.cpuMs > current.ms) table.set(language, { ms: time.cpuMs, wallMs: time.wallMs, what: what() });
  }
}

interface Time {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** Starts a stopwatch of both CPU and wall time; calling the result reads it. */
function stopwatch(): () => Time {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
  };
}

/**
 * Times `run` and, when it is over the limit, times the same work once more and keeps the lower
 * CPU time. The work is deterministic, so a hang is over the limit both times; one reading can be
 * inflated by things that are not the input's cost (a collection of earlier cases' garbage on the
 * GC's helper threads, a first compile of a path), which on a loaded CI machine pushed inputs
 * that take 400 ms over the limit.
 */
function timedTwiceIfSlow<T>(run: () => T, again: () => Time): { result: T; time: Time } {
  const elapsed = stopwatch();
  const result = run();
  let time = elapsed();
  if (time.cpuMs >= TIME_LIMIT_MS) {
    const second = again();
    if (second.cpuMs < time.cpuMs) time = second;
  }
  return { result, time };
}

/** The time `run` takes. */
function timeOf(run: () => void): Time {
  const elapsed = stopwatch();
  run();
  return elapsed();
}

const took = (time: Time): string => `${time.cpuMs.toFixed(0)} ms of CPU (${time.wallMs.toFixed(0)} ms wall; limit ${TIME_LIMIT_MS} ms of CPU)`;

/** A short, printable preview of an input for failure messages. */
export function preview(text: string, max = 400): string {
  const shown = text.length > max ? `${text.slice(0, max)}… (${text.length} code units)` : text;
  return JSON.stringify(shown);
}

function assertRange(range: TextRange, length: number, what: string): void {
  assert.ok(Number.isInteger(range.start) && Number.isInteger(range.end), `${what}: integer offsets (${range.start}, ${range.end})`);
  assert.ok(range.start >= 0 && range.start <= range.end && range.end <= length, `${what}: 0 <= ${range.start} <= ${range.end} <= ${length}`);
}

function assertEdits(text: string, edits: readonly TextEdit[], what: string): void {
  for (const edit of edits) assertRange(edit, text.length, what);
  // The edits of one fix must not overlap: applying them must succeed.
  applyEdits(text, edits);
}

/** Every offset the result holds lies inside the text, with start <= end, and every edit applies. */
export function assertRangesInside(text: string, result: AnalysisResult): void {
  for (const s of result.signals) assertRange(s.range, text.length, `signal ${s.api}`);
  for (const s of result.suppressions) {
    assertRange(s.range, text.length, 'suppression comment');
    for (const r of s.rules) assertRange(r.range, text.length, `suppressed rule id ${r.id}`);
  }
  for (const f of [...result.findings, ...result.suppressed]) {
    assertRange(f.range, text.length, `finding ${f.rule}`);
    for (const fix of f.fixes) assertEdits(text, fix.edits, `fix "${fix.title}" of ${f.rule}`);
    assertEdits(text, f.suppressLine, `line suppression of ${f.rule}`);
    assertEdits(text, f.suppressFile, `file suppression of ${f.rule}`);
  }
}

/** Analyses `text` whole: it must not throw, must finish within the limit, and its ranges must hold. */
export function checkWhole(analyzer: Analyzer, text: string, language: LanguageId, label: string): AnalysisResult {
  let measured: { result: AnalysisResult; time: Time };
  try {
    // Without the prefilter: every text is parsed and analysed, and a document's analysis (which
    // the prefilter may skip) must still equal it, so a text the prefilter wrongly skips fails here.
    const whole = (): AnalysisResult => analyzer.analyzeSync(text, language, {}, false);
    measured = timedTwiceIfSlow(whole, () => timeOf(whole));
  } catch (error) {
    throw new Error(`${label}: analyze() threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\ninput: ${preview(text)}`);
  }
  const { result, time } = measured;
  record(language, time, () => `${label} (${text.length} code units)`);
  assert.ok(time.cpuMs < TIME_LIMIT_MS, `${label}: analysis took ${took(time)} for ${text.length} code units`);
  assertRangesInside(text, result);
  return result;
}

/** The parts of a result that must not depend on how the text was reached. */
function comparable(result: AnalysisResult): unknown {
  return { signals: result.signals, findings: result.findings, suppressed: result.suppressed, suppressions: result.suppressions };
}

/**
 * Opens `initial`, applies each batch of changes with `AnalyzedDocument.update`, and after each
 * batch compares the document's own analysis with a fresh analysis of the same text.
 */
export function checkIncremental(analyzer: Analyzer, language: LanguageId, initial: string, batches: readonly (readonly TextEdit[])[], label: string): void {
  const doc = analyzer.open(initial, language);
  try {
    let text = initial;
    batches.forEach((batch, i) => {
      const before = text;
      const update = (target: typeof doc): AnalysisResult => {
        try {
          target.update(batch);
        } catch (error) {
          throw new Error(`${label}: update() threw at batch ${i + 1} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\ninitial: ${preview(initial)}\nbatches: ${preview(JSON.stringify(batches.slice(0, i + 1)), 2000)}`);
        }
        return target.analyze();
      };
      // A second measurement repeats the same update on a copy opened (untimed) at the text before it.
      const again = (): Time => {
        const copy = analyzer.open(before, language);
        try {
          return timeOf(() => update(copy));
        } finally {
          copy.dispose();
        }
      };
      const { result: incremental, time } = timedTwiceIfSlow(() => update(doc), again);
      for (const change of batch) text = text.slice(0, change.start) + change.newText + text.slice(change.end);
      assert.equal(doc.text, text, `${label}: the document's text after batch ${i + 1}`);
      record(language, time, () => `${label}, incremental batch ${i + 1} (${text.length} code units)`);
      assert.ok(time.cpuMs < TIME_LIMIT_MS, `${label}: an incremental update and analysis took ${took(time)}`);
      const whole = checkWhole(analyzer, text, language, `${label}, whole text after batch ${i + 1}`);
      assertRangesInside(text, incremental);
      assert.deepEqual(comparable(incremental), comparable(whole),
        `${label}: incremental analysis after batch ${i + 1} differs from a whole analysis\ninitial: ${preview(initial, 2000)}\nbatches: ${JSON.stringify(batches.slice(0, i + 1))}`);
    });
  } finally {
    doc.dispose();
  }
}
