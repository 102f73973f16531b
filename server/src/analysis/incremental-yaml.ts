import { analyzeParsed } from './analyze.js';
import { rowsIn } from './incremental-context.js';
import type { MapFileFacts } from './map/facts.js';
import type { ParserPool } from './parsing/parser.js';
import { LineIndex, lineBreakOf } from './parsing/positions.js';
import { mapFinding, mapItems, mapMapFacts, shifter, split, type Items, type OffsetMap } from './result-items.js';
import { suppressFileEdit } from './suppressions.js';
import type { AnalysisResult, AnalyzeOptions, TextEdit } from './types.js';

/**
 * The YAML edit's fast path. Every fact the YAML rules read belongs to one document of the stream
 * (a Kubernetes object, a workflow, a Sidekiq schedule), and a document's parse does not depend on
 * the documents around it: a `---` line (at the start of a line, followed by a space or a line
 * break) starts a new document wherever it stands, even inside a block scalar or a quoted string.
 * So an edit inside one document, which neither adds nor removes such a line, needs the analysis
 * of that document only. The document is analysed in a context text made of as many empty lines
 * as precede it (rows and columns are the document's own; offsets move by a constant) and itself,
 * and the result is spliced into the last whole result, whose other items only move.
 *
 * As in the other languages' path (incremental.ts) the context is checked, not trusted: with the
 * document's previous text it must reproduce what the whole analysis said inside it, item for item.
 * What else joins documents falls back to a whole analysis: a file suppression comment outside the
 * document, a next-line comment on the line before it, a suppressed finding, a syntax error,
 * directives (`%YAML`), document end markers (`...`), a byte order mark, and line separators that
 * JavaScript reads as line breaks and YAML does not.
 */

/** What the YAML fast path keeps of the last analysis of a document. */
export interface YamlSnapshot {
  readonly language: 'yaml';
  readonly text: string;
  readonly result: AnalysisResult;
  readonly optionsKey: string;
  /** The start of each document: 0, then each `---` line's. */
  readonly starts: readonly number[];
  /** The row of each start. */
  readonly rows: readonly number[];
  /** Whether the prefilter lets the text around a document through alone, by the document's start. */
  readonly passesAround: Map<number, boolean>;
  /** The last context analysis, reused when the same document is edited again. */
  lastContext?: DocumentAnalysis;
}

interface DocumentAnalysis {
  readonly key: string;
  readonly items: Items;
  readonly map: MapFileFacts | undefined;
}

/** A line that starts a document. */
const MARKER = /^---(?=[ \t\r\n]|$)/gm;
/** What the path does not handle: directives, document end markers, a byte order mark, JavaScript-only line breaks. */
const UNHANDLED = /^%|^\.\.\.(?=[ \t\r\n]|$)|[\u2028\u2029\uFEFF]/m;

function markersOf(text: string): number[] {
  return [...text.matchAll(MARKER)].map((match) => match.index ?? 0);
}

/** The fast path's view of a YAML text after a whole analysis; undefined when it cannot start from it. */
export function yamlSnapshotOf(text: string, result: AnalysisResult, key: string): YamlSnapshot | undefined {
  if (result.hasSyntaxErrors || UNHANDLED.test(text)) return undefined;
  const starts = [0, ...markersOf(text).filter((at) => at > 0)];
  const rows: number[] = [];
  let row = 0;
  let from = 0;
  for (const start of starts) {
    row += rowsIn(text.slice(from, start));
    rows.push(row);
    from = start;
  }
  return { language: 'yaml', text, result, optionsKey: key, starts, rows, passesAround: new Map() };
}

const MAP_LISTS = ['tasks', 'bases', 'queues', 'enqueues', 'functions', 'schedules'] as const;

/**
 * The task map's facts after the edit: the whole file's, with the document's items (those that
 * start on its rows) taken from the context after the edit, those after it moved, and those before
 * it as they were (a fact of the document before may end on the `---` line, which does not move).
 * Undefined when the context before the edit does not say what the whole file said of the document.
 */
function spliceMap(whole: MapFileFacts | undefined, previous: MapFileFacts | undefined, next: MapFileFacts | undefined, rows: { start: number; end: number; delta: number }, move: OffsetMap): MapFileFacts | undefined {
  if (whole === undefined || previous === undefined || next === undefined) return undefined;
  if (!same(previous.imports, next.imports) || !same(previous.appAcksLate, next.appAcksLate)) return undefined;
  const out: Record<string, unknown> = { ...whole };
  for (const key of MAP_LISTS) {
    const list: readonly { readonly line: number }[] = whole[key];
    const before = list.filter((item) => item.line - 1 < rows.start);
    const inside = list.filter((item) => item.line - 1 >= rows.start && item.line - 1 <= rows.end);
    const after = mapMapFacts(list.filter((item) => item.line - 1 > rows.end), (row) => row + rows.delta, move);
    if (after === undefined || !same(previous[key], inside) || next[key].some((item) => item.line - 1 < rows.start || item.line - 1 > rows.end + rows.delta)) return undefined;
    out[key] = [...before, ...next[key], ...after];
  }
  return out as unknown as MapFileFacts;
}

export interface YamlFastResult {
  readonly result: AnalysisResult;
  readonly snapshot: YamlSnapshot;
  readonly splice: { readonly previous: number; readonly before: number; readonly after: number; readonly delta: number; readonly changeRow: number; readonly changeColumn: number; readonly endRow: number; readonly rowDelta: number };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The length of a text's first three lines (with their line breaks), all `suppressFileEdit` reads. */
export function topLines(text: string): number {
  let end = 0;
  for (let line = 0; line < 3; line++) {
    const next = text.slice(end).search(/\r\n|\r|\n/);
    if (next < 0) return text.length;
    end += next + (text.startsWith('\r\n', end + next) ? 2 : 1);
  }
  return end;
}

/**
 * Analyses one document in its context text and moves its items to the document's offsets;
 * undefined when the context does not parse cleanly or an item lands outside the document.
 */
function analyzeDocument(pool: ParserPool, document: string, start: number, row: number, options: AnalyzeOptions | undefined, whole: string, key: string): DocumentAnalysis | undefined {
  const eol = lineBreakOf(whole);
  const prefix = eol.repeat(row);
  const context = prefix + document;
  if (lineBreakOf(context) !== eol) return undefined;
  const result = analyzeParsed(pool, context, 'yaml', undefined, options);
  if (result.hasSyntaxErrors) return undefined;
  let outside = false;
  const map: OffsetMap = (offset) => {
    if (offset < prefix.length) outside = true;
    return offset - prefix.length + start;
  };
  // The edit that suppresses a rule in the whole file goes at the file's top, which the context's is not.
  const top = new LineIndex(whole.slice(0, topLines(whole)));
  const fileEdits = new Map<string, readonly TextEdit[]>();
  const fileEdit = (rule: string): readonly TextEdit[] => {
    let edits = fileEdits.get(rule);
    if (edits === undefined) fileEdits.set(rule, edits = [suppressFileEdit('yaml', top, rule)]);
    return edits;
  };
  const moved = mapItems({ ...result, findings: result.findings.map((finding) => ({ ...finding, suppressFile: [] })) }, map);
  const items: Items = { ...moved, findings: moved.findings.map((finding) => ({ ...finding, suppressFile: fileEdit(finding.rule) })) };
  const facts = result.map === undefined ? undefined : mapMapFacts(result.map, (r) => r, map);
  if (outside || (result.map !== undefined && facts === undefined)) return undefined;
  return { key, items, map: facts };
}

const fallback = (reason: { fallback: string }, step: string): undefined => {
  reason.fallback = step;
  return undefined;
};

/**
 * The result of `text` (the snapshot's text after `changes`, each in offsets of the text left by
 * the previous one) by the YAML fast path, or undefined when the whole file must be analysed.
 * `reason` receives why it fell back.
 */
export function analyzeYamlEdited(
  pool: ParserPool, snapshot: YamlSnapshot, changes: readonly TextEdit[], text: string, options: AnalyzeOptions | undefined, key: string,
  prefilter: ((text: string) => boolean) | undefined, reason: { fallback: string },
): YamlFastResult | undefined {
  if (changes.length === 0 || key !== snapshot.optionsKey) return fallback(reason, 'options');
  const first = changes[0] as TextEdit;
  let target = 0;
  while (target + 1 < snapshot.starts.length && (snapshot.starts[target + 1] as number) <= first.start) target++;
  const start = snapshot.starts[target] as number;
  const last = target + 1 === snapshot.starts.length;
  const end = last ? snapshot.text.length : snapshot.starts[target + 1] as number;
  // Every change must stay inside the document, whose end moves with each change; one that reaches
  // the next document's `---` line (or the line break before it) joins the two.
  let delta = 0;
  for (const change of changes) {
    if (change.start < start || (last ? change.end > end + delta : change.end >= end + delta)) return fallback(reason, 'not inside one document');
    delta += change.newText.length - (change.end - change.start);
  }
  if (text.length !== snapshot.text.length + delta) return fallback(reason, 'length');
  const before = snapshot.text.slice(start, end);
  const after = text.slice(start, end + delta);
  // The document must still be one document, begun as it was, of what this path handles.
  if (!same(markersOf(after), markersOf(before)) || UNHANDLED.test(after)) return fallback(reason, 'the edit changed where documents start');
  if (!last && !/[\r\n]$/.test(after)) return fallback(reason, 'the edit changed where documents start');

  // A text the prefilter skips has an empty result. The text around the document is cut at line
  // starts, so no name runs on into it: when it holds a name alone, every text with it does.
  let passes = prefilter === undefined || snapshot.passesAround.get(start);
  if (passes === undefined && prefilter !== undefined) {
    passes = prefilter(snapshot.text.slice(0, start)) || prefilter(snapshot.text.slice(end));
    snapshot.passesAround.set(start, passes);
  }
  if (!passes && prefilter !== undefined && !prefilter(text)) return fallback(reason, 'the prefilter skips the text');

  // Suppression comments outside that reach into the document: a file's, or a next-line one on the line before it.
  for (const comment of snapshot.result.suppressions) {
    if (comment.range.start >= start && comment.range.start < end) continue;
    if (comment.kind === 'file') return fallback(reason, 'a file suppression outside the document');
    if (comment.range.end <= start && /^[^\r\n]*(?:\r\n|\r|\n)$/.test(snapshot.text.slice(comment.range.end, start))) return fallback(reason, 'a suppression on the line before the document');
  }
  const old = split(snapshot.result, start, end);
  if (old === undefined) return fallback(reason, 'an item outside reaches into the document');
  if (old.inside.suppressed.length > 0) return fallback(reason, 'a suppressed finding inside');

  const row = snapshot.rows[target] as number;
  const previousKey = `${start}\n${before}`;
  const previous = snapshot.lastContext?.key === previousKey ? snapshot.lastContext : analyzeDocument(pool, before, start, row, options, snapshot.text, previousKey);
  if (previous === undefined) return fallback(reason, 'context (before) does not parse cleanly');
  // The context must say what the whole analysis said of the document.
  if (!same(previous.items, old.inside)) return fallback(reason, 'context differs from the whole analysis');
  const next = analyzeDocument(pool, after, start, row, options, text, `${start}\n${after}`);
  if (next === undefined) return fallback(reason, 'context (after) does not parse cleanly');
  if (next.items.suppressed.length > 0) return fallback(reason, 'a suppressed finding inside');
  if (next.items.suppressions.some((c) => c.kind === 'file')) return fallback(reason, 'suppression reaching outside');
  // A next-line comment on the document's last line reaches the next document's first.
  if (!last && next.items.suppressions.some((c) => /^[^\r\n]*(?:\r\n|\r|\n)$/.test(after.slice(c.range.end - start)))) return fallback(reason, 'suppression reaching outside');
  if (!last && old.inside.suppressions.some((c) => /^[^\r\n]*(?:\r\n|\r|\n)$/.test(before.slice(c.range.end - start)))) return fallback(reason, 'suppression reaching outside');

  const move = shifter(end, delta);
  const rowsBefore = rowsIn(before);
  const rowDelta = rowsIn(after) - rowsBefore;
  // The document's last row: its final line break (before the next document) ends it.
  const endRow = row + rowsBefore - (!last && rowsBefore > 0 ? 1 : 0);
  let map: MapFileFacts | undefined;
  if (options?.map === true) {
    map = spliceMap(snapshot.result.map, previous.map, next.map, { start: row, end: endRow, delta: rowDelta }, move);
    if (map === undefined) return fallback(reason, 'the task map\'s facts');
  }
  const moved = mapItems(old.after, move);
  const result: AnalysisResult = {
    language: 'yaml',
    signals: [...old.before.signals, ...next.items.signals, ...moved.signals],
    findings: [...old.before.findings, ...next.items.findings, ...moved.findings],
    suppressed: snapshot.result.suppressed.map((finding) => mapFinding(finding, move)),
    suppressions: [...old.before.suppressions, ...next.items.suppressions, ...moved.suppressions],
    hasSyntaxErrors: false,
    ...(map === undefined ? {} : { map }),
  };
  const firstChange = Math.min(...changes.map((c) => c.start));
  const changeRow = row + rowsIn(snapshot.text.slice(start, firstChange));
  const changeColumn = firstChange - Math.max(snapshot.text.lastIndexOf('\n', firstChange - 1), snapshot.text.lastIndexOf('\r', firstChange - 1)) - 1;
  const starts = snapshot.starts.map((s, i) => (i > target ? s + delta : s));
  const rows = snapshot.rows.map((r, i) => (i > target ? r + rowDelta : r));
  return {
    result,
    splice: { previous: snapshot.result.findings.length, before: old.before.findings.length, after: moved.findings.length, delta, changeRow, changeColumn, endRow, rowDelta },
    snapshot: { language: 'yaml', text, result, optionsKey: snapshot.optionsKey, starts, rows, passesAround: new Map(passes === true ? [[start, true]] : []), lastContext: next },
  };
}
