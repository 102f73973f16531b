/**
 * The arithmetic of `npm run eval`, kept free of files and processes so that unit tests can run it
 * on small synthetic inputs: label parsing, matching what the analyzer reported against the labels,
 * recall and precision per signal kind and per rule, and the two splits kept apart.
 */

export type Split = 'tune' | 'holdout';

/** One construct a reviewer marked, or a look-alike that must not be reported (a trap). */
export interface Label {
  readonly file: string;
  /** 1-based, as the CLI reports lines. */
  readonly line: number;
  /** The signal kind the construct is; absent on a trap. */
  readonly kind?: string;
  readonly api?: string;
  /** What a rule reads at this construct (timeout present, retry bounded, ack mode...): kept for readers. */
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** Rule ids a careful reviewer expects at this line; empty means "explicitly none". */
  readonly expect: readonly string[];
  /**
   * The line the expected findings are reported on, when the rule puts them elsewhere in the
   * construct than its signal: a Go retry loop's finding sits on its sleep, a `RetryTemplate`
   * chain's on its `noBackoff()`, where the fix goes. A map gives the line per rule id (a loop's
   * `retry-unbounded` on its head, its `retry-no-backoff` on its sleep).
   */
  readonly findingLine?: number | Readonly<Record<string, number>>;
  readonly reason?: string;
  /** Set on a look-alike: why it is not the API it resembles. Nothing may be reported there. */
  readonly trap?: string;
}

export interface RepoLabels {
  readonly labels: readonly Label[];
  /** Files in which every construct is labelled: there, anything else reported is a false positive. */
  readonly complete: ReadonlySet<string>;
}

/** What the analyzer reported at one line: a signal (kind) or a finding (rule). */
export interface Observed {
  readonly file: string;
  readonly line: number;
  /** The signal kind or the rule id. */
  readonly key: string;
  readonly api?: string;
}

/** How far (in lines) a report may be from its label and still match it. */
export const LINE_TOLERANCE = 1;

/** Reads one repository's JSONL labels; throws with the line number on a malformed record. */
export function parseLabels(text: string, source: string): RepoLabels {
  const labels: Label[] = [];
  const complete = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    const where = `${source}:${index + 1}`;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${where}: not JSON: ${(error as Error).message}`);
    }
    const file = record['file'];
    if (typeof file !== 'string' || file === '') throw new Error(`${where}: "file" is required`);
    if (record['line'] === undefined) {
      if (record['complete'] !== true) throw new Error(`${where}: a record without "line" must be a file mark with "complete": true`);
      complete.add(file);
      return;
    }
    const lineNo = record['line'];
    if (typeof lineNo !== 'number' || !Number.isInteger(lineNo) || lineNo < 1) throw new Error(`${where}: "line" must be a whole number from 1`);
    const expect = record['expect'] ?? [];
    if (!Array.isArray(expect) || !expect.every((e) => typeof e === 'string')) throw new Error(`${where}: "expect" must be a list of rule ids`);
    const trap = record['trap'];
    const kind = record['kind'];
    if (trap === undefined && typeof kind !== 'string') throw new Error(`${where}: a label needs a "kind" (or a "trap" reason)`);
    if (trap !== undefined && (typeof trap !== 'string' || expect.length > 0)) throw new Error(`${where}: "trap" is the reason it is a look-alike, and a trap expects nothing`);
    if (expect.length > 0 && typeof record['reason'] !== 'string') throw new Error(`${where}: every expected finding needs a "reason"`);
    const findingLine = record['findingLine'];
    const isLine = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1;
    const perRule = typeof findingLine === 'object' && findingLine !== null && !Array.isArray(findingLine)
      && Object.entries(findingLine).every(([rule, n]) => expect.includes(rule) && isLine(n));
    if (findingLine !== undefined && (!(isLine(findingLine) || perRule) || expect.length === 0)) {
      throw new Error(`${where}: "findingLine" must be a whole number from 1, or one per expected rule id, on a label that expects a finding`);
    }
    labels.push({
      file,
      line: lineNo,
      expect: expect as string[],
      ...(typeof kind === 'string' ? { kind } : {}),
      ...(typeof record['api'] === 'string' ? { api: record['api'] } : {}),
      ...(typeof record['reason'] === 'string' ? { reason: record['reason'] } : {}),
      ...(typeof trap === 'string' ? { trap } : {}),
      ...(findingLine === undefined ? {} : { findingLine: findingLine as number | Record<string, number> }),
      ...(typeof record['attrs'] === 'object' && record['attrs'] !== null ? { attrs: record['attrs'] as Record<string, unknown> } : {}),
    });
  });
  return { labels, complete };
}

export interface Expected {
  readonly file: string;
  readonly line: number;
  readonly key: string;
  readonly api?: string;
  readonly reason?: string;
}

export interface Miss {
  readonly file: string;
  readonly line: number;
  readonly expected: string;
  /** What was reported within the tolerance instead (other kinds or rules), for the reader. */
  readonly got: readonly string[];
  readonly api?: string;
  readonly reason?: string;
}

export interface FalsePositive {
  readonly file: string;
  readonly line: number;
  readonly got: string;
  readonly api?: string;
  /** Why it counts: a complete file, a labelled line, or a trap. */
  readonly because: string;
}

export interface Tally {
  tp: number;
  fn: number;
  fp: number;
  /** Reports on lines nobody judged (files not marked complete): left out of precision. */
  unjudged: number;
}

export interface MatchResult {
  readonly tallies: Map<string, Tally>;
  readonly misses: Miss[];
  readonly falsePositives: FalsePositive[];
}

const emptyTally = (): Tally => ({ tp: 0, fn: 0, fp: 0, unjudged: 0 });

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  let tally = map.get(key);
  if (tally === undefined) map.set(key, tally = emptyTally());
  return tally;
}

/**
 * Matches reports to expectations of one repository. A report matches an expectation of the same
 * key in the same file within LINE_TOLERANCE lines, each used once, exact lines paired first so a
 * neighbour cannot steal a report from its own line. An unmatched report is a false positive when
 * its file is complete, when a label sits on its exact line (the reviewer listed what belongs
 * there), or when a trap is within the tolerance; otherwise nobody judged it.
 */
export function match(expected: readonly Expected[], observed: readonly Observed[], labels: RepoLabels, allKeys: readonly string[] = []): MatchResult {
  const tallies = new Map<string, Tally>();
  for (const key of allKeys) tallyOf(tallies, key);
  const misses: Miss[] = [];
  const falsePositives: FalsePositive[] = [];
  const group = <T extends { file: string; key: string }>(items: readonly T[]): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const id = `${item.file}\u0000${item.key}`;
      const list = map.get(id);
      if (list === undefined) map.set(id, [item]);
      else list.push(item);
    }
    return map;
  };
  const expectedBy = group(expected);
  const observedBy = group(observed);
  const usedObserved = new Set<Observed>();
  for (const [id, wants] of expectedBy) {
    const candidates = observedBy.get(id) ?? [];
    const unmatched = new Set(wants);
    for (let distance = 0; distance <= LINE_TOLERANCE; distance++) {
      for (const want of [...unmatched]) {
        const hit = candidates.find((o) => !usedObserved.has(o) && Math.abs(o.line - want.line) === distance);
        if (hit === undefined) continue;
        usedObserved.add(hit);
        unmatched.delete(want);
        tallyOf(tallies, want.key).tp++;
      }
    }
    for (const want of unmatched) {
      tallyOf(tallies, want.key).fn++;
      const got = observed.filter((o) => o.file === want.file && Math.abs(o.line - want.line) <= LINE_TOLERANCE).map((o) => o.key);
      misses.push({ file: want.file, line: want.line, expected: want.key, got, ...(want.api === undefined ? {} : { api: want.api }), ...(want.reason === undefined ? {} : { reason: want.reason }) });
    }
  }
  for (const report of observed) {
    if (usedObserved.has(report)) continue;
    const tally = tallyOf(tallies, report.key);
    const because = judgedBecause(report, labels);
    if (because === undefined) {
      tally.unjudged++;
      continue;
    }
    tally.fp++;
    falsePositives.push({ file: report.file, line: report.line, got: report.key, because, ...(report.api === undefined ? {} : { api: report.api }) });
  }
  return { tallies, misses, falsePositives };
}

function judgedBecause(report: Observed, labels: RepoLabels): string | undefined {
  const near = labels.labels.filter((l) => l.file === report.file && Math.abs(l.line - report.line) <= LINE_TOLERANCE);
  const trap = near.find((l) => l.trap !== undefined);
  if (trap !== undefined) return `trap: ${trap.trap ?? ''}`;
  if (labels.complete.has(report.file)) return 'file labelled complete';
  if (near.some((l) => l.line === report.line)) return 'labelled line';
  return undefined;
}

/** The signal expectations of a repository's labels (traps expect none). */
export function expectedSignals(labels: RepoLabels): Expected[] {
  return labels.labels.flatMap((l) => (l.kind === undefined || l.trap !== undefined ? [] : [{ file: l.file, line: l.line, key: l.kind, ...(l.api === undefined ? {} : { api: l.api }) }]));
}

/** The finding expectations: one per rule id a label expects. */
export function expectedFindings(labels: RepoLabels): Expected[] {
  const lineOf = (l: Label, rule: string): number => (typeof l.findingLine === 'number' ? l.findingLine : l.findingLine?.[rule] ?? l.line);
  return labels.labels.flatMap((l) => l.expect.map((rule) => ({ file: l.file, line: lineOf(l, rule), key: rule, ...(l.api === undefined ? {} : { api: l.api }), ...(l.reason === undefined ? {} : { reason: l.reason }) })));
}

export interface Ratio {
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly unjudged: number;
  /** null when there is nothing to divide by. */
  readonly recall: number | null;
  readonly precision: number | null;
}

export function ratio(t: Tally): Ratio {
  return {
    ...t,
    recall: t.tp + t.fn === 0 ? null : t.tp / (t.tp + t.fn),
    precision: t.tp + t.fp === 0 ? null : t.tp / (t.tp + t.fp),
  };
}

/** Adds `from` into `into`, key by key. */
export function addTallies(into: Map<string, Tally>, from: ReadonlyMap<string, Tally>): void {
  for (const [key, t] of from) {
    const sum = tallyOf(into, key);
    sum.tp += t.tp;
    sum.fn += t.fn;
    sum.fp += t.fp;
    sum.unjudged += t.unjudged;
  }
}

export function total(map: ReadonlyMap<string, Tally>): Tally {
  const sum = emptyTally();
  for (const t of map.values()) {
    sum.tp += t.tp;
    sum.fn += t.fn;
    sum.fp += t.fp;
    sum.unjudged += t.unjudged;
  }
  return sum;
}

export interface RepoScore {
  readonly repo: string;
  readonly split: Split;
  readonly signals: MatchResult;
  readonly findings: MatchResult;
}

export interface SplitScore {
  readonly repos: number;
  readonly labels: number;
  readonly signals: Record<string, Ratio>;
  readonly findings: Record<string, Ratio>;
  readonly signalsTotal: Ratio;
  readonly findingsTotal: Ratio;
}

/** Sums repository scores of one split; `kinds` and `rules` name every row, reported or not. */
export function scoreSplit(scores: readonly RepoScore[], split: Split, labelCount: (repo: string) => number, kinds: readonly string[], rules: readonly string[]): SplitScore {
  const mine = scores.filter((s) => s.split === split);
  const signals = new Map<string, Tally>(kinds.map((k) => [k, emptyTally()]));
  const findings = new Map<string, Tally>(rules.map((r) => [r, emptyTally()]));
  for (const s of mine) {
    addTallies(signals, s.signals.tallies);
    addTallies(findings, s.findings.tallies);
  }
  const rows = (map: Map<string, Tally>): Record<string, Ratio> => Object.fromEntries([...map].map(([k, t]) => [k, ratio(t)]));
  return {
    repos: mine.length,
    labels: mine.reduce((n, s) => n + labelCount(s.repo), 0),
    signals: rows(signals),
    findings: rows(findings),
    signalsTotal: ratio(total(signals)),
    findingsTotal: ratio(total(findings)),
  };
}

/** A small seeded generator (mulberry32): the same seed draws the same sample on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Up to `perKey` items of every key that `taken` does not already hold, in the same seeded order
 * as `seededSample`: a top-up that gives rare keys enough items to judge, kept apart from the
 * random sample so that the sample's own proportions stay unbiased.
 */
export function seededTopUp<T>(items: readonly T[], taken: readonly T[], perKey: number, seed: number, order: (a: T, b: T) => number, key: (item: T) => string): T[] {
  const have = new Set(taken);
  const counts = new Map<string, number>();
  for (const item of taken) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const extra: T[] = [];
  for (const item of seededSample(items, items.length, seed, order)) {
    const k = key(item);
    if (have.has(item) || (counts.get(k) ?? 0) >= perKey) continue;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    extra.push(item);
  }
  return extra;
}

/** Draws `n` items without replacement, in a seeded order that does not depend on the input order. */
export function seededSample<T>(items: readonly T[], n: number, seed: number, order: (a: T, b: T) => number): T[] {
  const random = seededRandom(seed);
  return [...items].sort(order).map((item) => ({ item, k: random() })).sort((a, b) => a.k - b.k).slice(0, n).map((x) => x.item);
}
