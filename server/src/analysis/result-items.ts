import type { Finding, Signal, SuppressionComment, TextEdit, TextRange } from './types.js';

/**
 * The items of an analysis result that sit at offsets (signals, findings with their fixes and
 * suppression edits, suppression comments), moved to another text or split around a declaration:
 * what the in-body edit's fast path (`incremental.ts`) does to the last whole result.
 */
export interface Items {
  readonly signals: readonly Signal[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly Finding[];
  readonly suppressions: readonly SuppressionComment[];
}

/** Moves an offset of the previous text to the new one: offsets at or after the declaration's end move by `delta`. */
export const shifter = (end: number, delta: number) => (offset: number): number => (offset >= end ? offset + delta : offset);

export type OffsetMap = (offset: number) => number;

// The mapped copies share every part an offset map leaves as it was (results are never mutated):
// an edit moves half a file's findings, and most of their parts (a file suppression's edit at the
// top) stay where they are.

function mapRange(range: TextRange, map: OffsetMap): TextRange {
  const start = map(range.start);
  const end = map(range.end);
  return start === range.start && end === range.end ? range : { start, end };
}

function mapEdits(edits: readonly TextEdit[], map: OffsetMap): readonly TextEdit[] {
  let moved: TextEdit[] | undefined;
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i] as TextEdit;
    const start = map(edit.start);
    const end = map(edit.end);
    if (moved === undefined && start === edit.start && end === edit.end) continue;
    moved ??= edits.slice(0, i);
    moved.push(start === edit.start && end === edit.end ? edit : { start, end, newText: edit.newText });
  }
  return moved ?? edits;
}

export function mapFinding<F extends Finding>(finding: F, map: OffsetMap): F {
  const range = mapRange(finding.range, map);
  let fixes: Finding['fixes'] | undefined;
  for (let i = 0; i < finding.fixes.length; i++) {
    const fix = finding.fixes[i] as Finding['fixes'][number];
    const edits = mapEdits(fix.edits, map);
    if (fixes === undefined && edits === fix.edits) continue;
    fixes ??= finding.fixes.slice(0, i);
    (fixes as Finding['fixes'][number][]).push(edits === fix.edits ? fix : { ...fix, edits });
  }
  const suppressLine = mapEdits(finding.suppressLine, map);
  const suppressFile = mapEdits(finding.suppressFile, map);
  const suppression = (finding as { suppression?: { range: TextRange } }).suppression;
  const suppressionRange = suppression === undefined ? undefined : mapRange(suppression.range, map);
  // Places in this file the finding depends on move like the finding; another file's do not.
  const related = finding.related?.map((r) => {
    if (r.range === undefined) return r;
    const moved = mapRange(r.range, map);
    return moved === r.range ? r : { ...r, range: moved };
  });
  const relatedMoved = related !== undefined && related.some((r, i) => r !== finding.related?.[i]);
  if (range === finding.range && fixes === undefined && suppressLine === finding.suppressLine && suppressFile === finding.suppressFile && suppressionRange === suppression?.range && !relatedMoved) return finding;
  const moved: Finding = { ...finding, range, fixes: fixes ?? finding.fixes, suppressLine, suppressFile, ...(relatedMoved ? { related } : {}) };
  return (suppression === undefined ? moved : { ...moved, suppression: { ...suppression, range: suppressionRange } }) as F;
}

export function mapItems(items: Items, map: OffsetMap): Items {
  return {
    signals: items.signals.map((signal) => {
      const range = mapRange(signal.range, map);
      const client = signal.client === undefined ? undefined : mapRange(signal.client, map);
      if (range === signal.range && client === signal.client) return signal;
      return { ...signal, range, ...(client === undefined ? {} : { client }) };
    }),
    findings: items.findings.map((finding) => mapFinding(finding, map)),
    suppressed: items.suppressed.map((finding) => mapFinding(finding, map)),
    suppressions: items.suppressions.map((comment) => {
      const range = mapRange(comment.range, map);
      return range === comment.range ? comment : { ...comment, range, rules: comment.rules.map((rule) => ({ ...rule, range: mapRange(rule.range, map) })) };
    }),
  };
}

/** Whether a range or an edit overlaps the inside of [start, end) (an insertion at either end does not). */
const overlaps = (a: TextRange, start: number, end: number): boolean => a.start < end && a.end > start;

/** Whether a finding's range, or an edit of its fixes or suppressions, overlaps the inside of [start, end). */
function reachesInto(finding: Finding, start: number, end: number): boolean {
  const edit = (e: TextEdit): boolean => overlaps(e, start, end);
  if (overlaps(finding.range, start, end) || finding.suppressLine.some(edit) || finding.suppressFile.some(edit)) return true;
  for (const fix of finding.fixes) if (fix.edits.some(edit)) return true;
  const suppression = (finding as { suppression?: { range: TextRange } }).suppression;
  return suppression !== undefined && overlaps(suppression.range, start, end);
}

/** The index of the first item of a list sorted by start whose range starts at or after `offset`. */
function firstFrom(list: readonly { readonly range: TextRange }[], offset: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] as { range: TextRange }).range.start < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Splits a result's items into those of the declaration [start, end) and the others; undefined when
 * an item of the others reaches inside it. Signals, findings and suppression comments are sorted by
 * their start (suppressed findings are in the rules' order). `checked` skips the reach test, when
 * it is known to hold.
 */
export function split(items: Items, start: number, end: number, checked = false): { inside: Items; before: Items; after: Items } | undefined {
  const rangeReaches = (item: { readonly range: TextRange }): boolean => overlaps(item.range, start, end);
  const parts = <T extends { readonly range: TextRange }>(list: readonly T[]): [T[], T[], T[]] => {
    const from = firstFrom(list, start);
    const to = firstFrom(list, end);
    return [list.slice(0, from), list.slice(from, to), list.slice(to)];
  };
  const [signalsBefore, signalsInside, signalsAfter] = parts(items.signals);
  const [findingsBefore, findingsInside, findingsAfter] = parts(items.findings);
  const [commentsBefore, commentsInside, commentsAfter] = parts(items.suppressions);
  const suppressedInside = items.suppressed.filter((f) => f.range.start >= start && f.range.start < end);
  const suppressedBefore = items.suppressed.filter((f) => f.range.start < start);
  const suppressedAfter = items.suppressed.filter((f) => f.range.start >= end);
  if (!checked) {
    if ([...signalsBefore, ...signalsAfter, ...commentsBefore, ...commentsAfter].some(rangeReaches)) return undefined;
    if ([...findingsBefore, ...findingsAfter, ...suppressedBefore, ...suppressedAfter].some((f) => reachesInto(f, start, end))) return undefined;
  }
  return {
    inside: { signals: signalsInside, findings: findingsInside, suppressed: suppressedInside, suppressions: commentsInside },
    before: { signals: signalsBefore, findings: findingsBefore, suppressed: suppressedBefore, suppressions: commentsBefore },
    after: { signals: signalsAfter, findings: findingsAfter, suppressed: suppressedAfter, suppressions: commentsAfter },
  };
}

/** Where an item sits against a declaration: before it (-1), inside it (0), after it (1). */
export type Place = -1 | 0 | 1;

/**
 * Splits a list into the items before, inside and after a declaration; undefined when the list
 * does not hold them in that order (its order is then not the text's, and a splice would guess).
 */
export function partition<T>(list: readonly T[], place: (item: T) => Place): { before: T[]; inside: T[]; after: T[] } | undefined {
  const parts = { before: [] as T[], inside: [] as T[], after: [] as T[] };
  let last: Place = -1;
  for (const item of list) {
    const where = place(item);
    if (where < last) return undefined;
    last = where;
    (where < 0 ? parts.before : where > 0 ? parts.after : parts.inside).push(item);
  }
  return parts;
}

/** Moves a 0-based row of one text to another; undefined for a row that cannot be moved (it lies in the edited part). */
export type RowMap = (row: number) => number | undefined;

/** What a visit of `rebuild` returns for a value it cannot move. */
const FAILED = Symbol('failed');

/**
 * Rebuilds a tree of plain data with `visit` applied to each object in it, arrays walked through;
 * `visit` gets the object and the walk for its values, and returns it, a new object, or `FAILED`.
 * What a visit leaves as it was is shared, as above. Undefined when a visit failed.
 */
function rebuild<T>(value: T, visit: (record: Record<string, unknown>, walk: (v: unknown) => unknown) => unknown): T | undefined {
  let failed = false;
  const walk = (v: unknown): unknown => {
    if (failed || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((item: unknown) => {
        const moved = walk(item);
        if (moved !== item) changed = true;
        return moved;
      });
      return changed ? out : v;
    }
    const out = visit(v as Record<string, unknown>, walk);
    if (out !== FAILED) return out;
    failed = true;
    return v;
  };
  const moved = walk(value);
  return failed ? undefined : (moved as T);
}

/** Walks each value of a record, copying it only when a value changed. */
function eachValue(record: Record<string, unknown>, move: (key: string, value: unknown) => unknown): unknown {
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const moved = move(key, item);
    if (moved === FAILED) return FAILED;
    if (moved !== item) (out ??= { ...record })[key] = moved;
  }
  return out ?? record;
}

/** The keys of the task map's facts that hold a 1-based line of the file (0 stands for no line). */
const LINE_KEYS = new Set(['line', 'endLine', 'lastRetryCallLine']);

/**
 * Moves the lines and offsets (an enqueue's `start` and `end`) of task map facts; undefined when a
 * line cannot be moved. A setting read from another file (it names its `file`) keeps its line.
 */
export function mapMapFacts<T>(value: T, rows: RowMap, offsets: OffsetMap): T | undefined {
  return rebuild(value, (record, walk) => (typeof record['file'] === 'string' ? record : eachValue(record, (key, item) => {
    if (typeof item === 'number' && LINE_KEYS.has(key)) {
      const row = item <= 0 ? item - 1 : rows(item - 1);
      return row === undefined ? FAILED : row + 1;
    }
    return typeof item === 'number' && (key === 'start' || key === 'end') ? offsets(item) : walk(item);
  })));
}

/** Moves a 0-based position of one text to another; undefined for one that cannot be moved. */
export type PointMap = (line: number, character: number) => { readonly line: number; readonly character: number } | undefined;

/**
 * Moves the positions of a module summary (each `at`: a line and character, an end line and end
 * character, 0-based); undefined when one cannot be moved.
 */
export function moveSummaryPositions<T>(value: T, point: PointMap): T | undefined {
  return rebuild(value, (record, walk) => {
    const { line, character, endLine, endCharacter } = record;
    if (typeof line !== 'number' || typeof character !== 'number' || typeof endLine !== 'number' || typeof endCharacter !== 'number') return eachValue(record, (_key, item) => walk(item));
    const start = point(line, character);
    const end = point(endLine, endCharacter);
    if (start === undefined || end === undefined) return FAILED;
    if (start.line === line && start.character === character && end.line === endLine && end.character === endCharacter) return record;
    return { ...record, line: start.line, character: start.character, endLine: end.line, endCharacter: end.character };
  });
}
