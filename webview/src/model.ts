/**
 * The sidebar's view model: what each section shows, computed from the catalog, the active file's
 * report and the workspace's findings. Pure data in, pure data out: the webview draws it, the
 * extension's report export reuses it, and the unit tests check it without a DOM.
 */
import type { Catalog, ChecklistItem, MatrixRow } from '../../server/src/catalog/types';
import type { FileReport, FileReportFinding, FileReportSignal } from '../../server/src/protocol';
import type { WorkspaceFinding } from '../../client/src/sidebar/messages';

/** How often each signal kind and each rule occurs in the active file. */
export interface FileFacts {
  readonly signals: ReadonlyMap<string, number>;
  readonly findings: ReadonlyMap<string, number>;
}

export const NO_FACTS: FileFacts = { signals: new Map(), findings: new Map() };

export function factsOf(report: FileReport | null | undefined): FileFacts {
  if (report === null || report === undefined) return NO_FACTS;
  const count = (keys: readonly string[]): Map<string, number> => {
    const map = new Map<string, number>();
    for (const k of keys) map.set(k, (map.get(k) ?? 0) + 1);
    return map;
  };
  return { signals: count(report.signals.map((s) => s.kind)), findings: count(report.findings.map((f) => f.rule)) };
}

export interface MatrixRowView {
  readonly row: MatrixRow;
  /** Signals of the active file whose kind the row matches. */
  readonly signalCount: number;
  /** Findings of the active file whose rule the row matches. */
  readonly findingCount: number;
  readonly applies: boolean;
}

export interface MatrixView {
  readonly rows: readonly MatrixRowView[];
  /** Rows that apply to the active file, whether or not the filter shows them. */
  readonly applicable: number;
  readonly total: number;
}

export interface MatrixQuery {
  readonly filter: string;
  readonly onlyApplicable: boolean;
}

/**
 * Filters the decision matrix. Every word of the filter must occur in the row's task, matches,
 * first move or chapter titles; a word shaped like a row id (`m12`) or a chapter reference (`ch6`)
 * matches only that row or chapter, so `m1` does not also match M10–M19.
 */
export function matrixView(catalog: Catalog, facts: FileFacts, query: MatrixQuery): MatrixView {
  const titles = new Map(catalog.chapters.map((c) => [c.id, c.title.toLowerCase()]));
  const words = query.filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const all = catalog.matrix.map((row): MatrixRowView => {
    const signalCount = row.matches.reduce((n, m) => n + (facts.signals.get(m) ?? 0), 0);
    const findingCount = row.matches.reduce((n, m) => n + (facts.findings.get(m) ?? 0), 0);
    return { row, signalCount, findingCount, applies: signalCount + findingCount > 0 };
  });
  const matches = (view: MatrixRowView): boolean => words.every((word) => {
    const row = view.row;
    if (/^m\d+$/.test(word)) return row.id.toLowerCase() === word;
    const chapter = /^(?:ch|chapter)(\d+)$/.exec(word);
    if (chapter !== null) return row.chapters.includes(Number(chapter[1]));
    const haystack = [row.task, row.firstMove, ...row.matches, ...row.chapters.map((c) => titles.get(c) ?? '')].join(' ').toLowerCase();
    return haystack.includes(word);
  });
  const rows = all.filter((v) => (!query.onlyApplicable || v.applies) && matches(v));
  // Rows that apply come first, findings before signals, so the view starts with what needs fixing.
  const rank = (v: MatrixRowView): number => (v.findingCount > 0 ? 0 : v.signalCount > 0 ? 1 : 2);
  const sorted = [...rows].sort((a, b) => rank(a) - rank(b));
  return { rows: sorted, applicable: all.filter((v) => v.applies).length, total: all.length };
}

export interface ChapterGroup {
  readonly chapter: number;
  readonly title: string;
  readonly findings: readonly FileReportFinding[];
  readonly signals: readonly FileReportSignal[];
}

const byPosition = (a: { range: { start: { line: number; character: number } } }, b: { range: { start: { line: number; character: number } } }): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/** The active file's findings and signals grouped by the chapter that answers them first. */
export function groupByChapter(catalog: Catalog, report: FileReport): ChapterGroup[] {
  const groups = new Map<number, { findings: FileReportFinding[]; signals: FileReportSignal[] }>();
  const group = (chapter: number): { findings: FileReportFinding[]; signals: FileReportSignal[] } => {
    let g = groups.get(chapter);
    if (g === undefined) groups.set(chapter, (g = { findings: [], signals: [] }));
    return g;
  };
  for (const f of report.findings) group(f.chapter).findings.push(f);
  for (const s of report.signals) group(s.chapters[0] ?? 0).signals.push(s);
  return [...groups.entries()]
    .sort(([a, ga], [b, gb]) => Number(gb.findings.length > 0) - Number(ga.findings.length > 0) || a - b)
    .map(([chapter, g]) => ({
      chapter,
      title: catalog.chapters.find((c) => c.id === chapter)?.title ?? 'Other',
      findings: [...g.findings].sort(byPosition),
      signals: [...g.signals].sort(byPosition),
    }));
}

export type ChecklistStatus = 'failing' | 'done' | 'open';

export interface ChecklistItemView {
  readonly item: ChecklistItem;
  readonly status: ChecklistStatus;
  readonly ticked: boolean;
  /** Findings of the rules that answer the item; non-empty exactly when the item fails. */
  readonly findings: readonly WorkspaceFinding[];
  /** Whether the analyzer can answer this item at all (it names answering rules). */
  readonly automated: boolean;
}

export interface ChecklistView {
  readonly groups: readonly { readonly name: string; readonly items: readonly ChecklistItemView[] }[];
  readonly counts: Readonly<Record<ChecklistStatus, number>> & { readonly total: number };
}

/**
 * Answers the checklist. A finding of an answering rule makes the item fail even when the reader
 * ticked it: the code says otherwise. Items without findings are done once the reader ticks them.
 */
export function checklistView(items: readonly ChecklistItem[], findings: readonly WorkspaceFinding[], ticks: ReadonlySet<string>): ChecklistView {
  const counts = { failing: 0, done: 0, open: 0, total: items.length };
  const groups: { name: string; items: ChecklistItemView[] }[] = [];
  for (const item of items) {
    const answering = new Set(item.answeredBy);
    const mine = findings.filter((f) => answering.has(f.rule)).sort((a, b) => a.name.localeCompare(b.name) || a.range.start.line - b.range.start.line);
    const ticked = ticks.has(item.ruleId);
    const status: ChecklistStatus = mine.length > 0 ? 'failing' : ticked ? 'done' : 'open';
    counts[status]++;
    let group = groups.find((g) => g.name === item.group);
    if (group === undefined) groups.push((group = { name: item.group, items: [] }));
    group.items.push({ item, status, ticked, findings: mine, automated: item.answeredBy.length > 0 });
  }
  return { groups, counts };
}

/** One-line human labels for signal kinds, as the hover cards name them. */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  'http-call': 'Outbound call',
  retry: 'Retry policy',
  'task-def': 'Task definition',
  enqueue: 'Enqueue / publish',
  consumer: 'Message consumer',
  'queue-config': 'Queue configuration',
  schedule: 'Schedule',
  notify: 'Notification send',
  payment: 'Payment call',
  'circuit-breaker': 'Circuit breaker',
  lock: 'Distributed lock',
};
