/**
 * Routing: from a task in words and/or the analysis of files to the decision-matrix rows that
 * apply, the chapters to read in order and the book rules to apply. Pure: it reads the catalog and
 * the analyzer's results and touches no file, editor or network, so the CLI, the MCP server and the
 * editor's tools give the same answer.
 */
import { LineIndex, type SignalKind } from '../analysis/index.js';
import { frameworksIn } from '../catalog/frameworks.js';
import { bookRule, type BookRule, type Catalog } from '../catalog/types.js';
import { BookSearch } from './book-search.js';
import { keywordsIn } from './keywords.js';
import type { FileAnalysis, Reason, RoutedChapter, RoutedFinding, RoutedRow, RoutedRule, RouteResult, RuleSource } from './types.js';

/**
 * How much each kind of evidence weighs. A finding says something needs fixing, so it outweighs a
 * signal, which only says the topic is in play; a keyword from the table is a strong hint written
 * by us, and a full-text hit counts by how close it is to the best hit.
 */
const WEIGHT = { finding: 3, signal: 2, keyword: 2, textRow: 2.5, textRule: 1, textChapter: 1.5 } as const;
/** The first chapter of a row or keyword matters most; later ones by these factors. */
const POSITION = [1, 0.6, 0.4, 0.3, 0.25] as const;
/** Full-text hits weaker than this fraction of the best hit are noise for routing. */
const MIN_RELATIVE = { row: 0.4, rule: 0.35, chapter: 0.35 } as const;
const MAX_TEXT_ROWS = 4;
const MAX_TEXT_RULES = 6;
const MAX_ROWS = 8;
/** Chapters scoring below this fraction of the best are left out of the reading list. */
const MIN_CHAPTER_SHARE = 0.15;
const MAX_CHAPTERS = 6;
const CHECKLIST_CHAPTER = 13;
/** How much more the task's words count than the files' evidence when both are given (see balance). */
const TASK_WEIGHT = 1.5;
const RULE_REF = /\bR\d+\.\d+\b/g;

export interface RouteInput {
  readonly task?: string | undefined;
  readonly files?: readonly FileAnalysis[] | undefined;
}

interface Tally {
  score: number;
  /** What the files' findings and signals gave the chapter, and what the task's words gave it. */
  files: number;
  task: number;
  readonly via: string[];
}

export class Router {
  private readonly search: BookSearch;

  /** `searchIndexJson`: the prebuilt index (`dist/search-index.json`) of this catalog, when at hand. */
  constructor(private readonly catalog: Catalog, searchIndexJson?: string) {
    this.search = new BookSearch(catalog, searchIndexJson);
  }

  route(input: RouteInput): RouteResult {
    const task = input.task?.trim() === '' ? undefined : input.task?.trim();
    const files = input.files ?? [];
    const rows = new Map<string, { score: number; files: number; reasons: Reason[] }>();
    const chapters = new Map<number, Tally>();
    const textRules: BookRule[] = [];
    const addRow = (id: string, score: number, reason: Reason): void => {
      const entry = rows.get(id) ?? { score: 0, files: 0, reasons: [] };
      entry.score += score;
      if (reason.kind !== 'words') entry.files += score;
      if (entry.reasons.length < 3) entry.reasons.push(reason);
      rows.set(id, entry);
    };
    const addChapter = (id: number, score: number, via: string, source: 'files' | 'task' = 'task'): void => {
      if (id < 3 || id > 12 || score <= 0) return;
      const entry = chapters.get(id) ?? { score: 0, files: 0, task: 0, via: [] };
      entry[source] += score;
      if (!entry.via.includes(via)) entry.via.push(via);
      chapters.set(id, entry);
    };

    const { findings, signals } = this.evidence(files);
    // The second and later occurrences of the same rule or kind add less: ten calls without a
    // timeout are one topic, and must not drown what the task says.
    const seen = new Map<string, number>();
    const repeat = (key: string): number => {
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return n === 1 ? 1 : n <= 5 ? 0.25 : 0;
    };
    for (const f of findings) {
      const factor = repeat(f.rule);
      for (const row of this.catalog.matrix) {
        if (row.matches.includes(f.rule)) addRow(row.id, WEIGHT.finding * factor, { kind: 'finding', rule: f.rule, path: f.path, line: f.line });
      }
    }
    for (const s of signals) {
      const factor = repeat(s.kind);
      for (const row of this.catalog.matrix) {
        if (row.matches.includes(s.kind)) addRow(row.id, WEIGHT.signal * factor, { kind: 'signal', signal: s.kind, path: s.path, line: s.line });
      }
    }

    if (task !== undefined) {
      const keywords = keywordsIn(task);
      for (const k of keywords) k.chapters.forEach((c, i) => addChapter(c, WEIGHT.keyword * (k.weight ?? 1) * (POSITION[i] ?? 0.2), `words: ${k.label}`));
      const hits = this.search.search(task, keywords.flatMap((k) => k.expand ?? []));
      for (const hit of hits.filter((h) => h.kind === 'row' && h.relative >= MIN_RELATIVE.row).slice(0, MAX_TEXT_ROWS)) {
        addRow(hit.id, WEIGHT.textRow * hit.relative, { kind: 'words', words: hit.words });
      }
      for (const hit of hits.filter((h) => h.kind === 'rule' && h.relative >= MIN_RELATIVE.rule).slice(0, MAX_TEXT_RULES)) {
        const rule = bookRule(this.catalog, hit.id);
        if (rule === undefined) continue;
        textRules.push(rule);
        addChapter(rule.chapter, WEIGHT.textRule * hit.relative, rule.id);
      }
      for (const hit of hits.filter((h) => h.kind === 'chapter' && h.relative >= MIN_RELATIVE.chapter).slice(0, 3)) {
        addChapter(hit.chapter, WEIGHT.textChapter * hit.relative, `load trigger of chapter ${hit.chapter}`);
      }
    }

    const routedRows = this.pickRows(rows);
    for (const { row, score } of routedRows) {
      const files = rows.get(row.id)?.files ?? 0;
      const fromFiles = Math.min(score, files);
      row.chapters.forEach((c, i) => {
        addChapter(c, fromFiles * (POSITION[i] ?? 0.2), row.id, 'files');
        addChapter(c, (score - fromFiles) * (POSITION[i] ?? 0.2), row.id, 'task');
      });
    }
    balance(chapters);
    const routedChapters = this.pickChapters(chapters);
    return {
      task,
      rows: routedRows,
      chapters: routedChapters,
      rules: this.pickRules(findings, routedRows, textRules, routedChapters),
      findings,
      signals: countKinds(signals.map((s) => s.kind)),
      files: files.map((f) => f.path),
      frameworks: frameworksIn(files.flatMap((f) => f.result.signals.map((s) => ({ api: s.api, language: f.result.language })))),
      languages: [...new Set(files.map((f) => f.result.language))],
    };
  }

  /** Findings and signals of the files, with 1-based lines. */
  private evidence(files: readonly FileAnalysis[]): { findings: RoutedFinding[]; signals: { kind: SignalKind; path: string; line: number }[] } {
    const findings: RoutedFinding[] = [];
    const signals: { kind: SignalKind; path: string; line: number }[] = [];
    for (const file of files) {
      const lines = new LineIndex(file.text);
      for (const f of file.result.findings) {
        const start = lines.position(f.range.start);
        const end = lines.position(f.range.end);
        findings.push({
          path: file.path, rule: f.rule, ruleRef: f.ruleRef, chapter: f.chapter, severity: f.severity, message: f.message,
          line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
        });
      }
      for (const s of file.result.signals) signals.push({ kind: s.kind, path: file.path, line: lines.lineOf(s.range.start) + 1 });
    }
    return { findings, signals };
  }

  private pickRows(rows: ReadonlyMap<string, { score: number; files: number; reasons: Reason[] }>): RoutedRow[] {
    const result: RoutedRow[] = [];
    for (const row of this.catalog.matrix) {
      const entry = rows.get(row.id);
      if (entry !== undefined) result.push({ row, score: round(entry.score), reasons: entry.reasons });
    }
    // Stable sort: equal scores keep the matrix's order (signal rows, then rule rows, then tasks).
    return result.sort((a, b) => b.score - a.score).slice(0, MAX_ROWS);
  }

  private pickChapters(chapters: ReadonlyMap<number, Tally>): RoutedChapter[] {
    const ranked = [...chapters.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    const best = ranked[0]?.[1].score ?? 0;
    const picked = ranked.filter(([, t]) => t.score >= best * MIN_CHAPTER_SHARE).slice(0, MAX_CHAPTERS);
    const result: RoutedChapter[] = [];
    for (const [id, tally] of picked) {
      const chapter = this.catalog.chapters.find((c) => c.id === id);
      if (chapter !== undefined) result.push({ chapter: { id, title: chapter.title, loadWhen: chapter.loadWhen }, score: round(tally.score), via: tally.via });
    }
    const checklist = this.catalog.chapters.find((c) => c.id === CHECKLIST_CHAPTER);
    if (checklist !== undefined && result.length > 0) {
      result.push({ chapter: { id: checklist.id, title: checklist.title, loadWhen: checklist.loadWhen }, score: 0, via: ['before finishing'] });
    }
    return result;
  }

  /** Rules in order of urgency: what the findings cite, the rows' first moves, words, then the chapters'. */
  private pickRules(findings: readonly RoutedFinding[], rows: readonly RoutedRow[], textRules: readonly BookRule[], chapters: readonly RoutedChapter[]): RoutedRule[] {
    const result: RoutedRule[] = [];
    const seen = new Set<string>();
    const add = (id: string, source: RuleSource): void => {
      const rule = bookRule(this.catalog, id);
      if (rule === undefined || seen.has(rule.id)) return;
      seen.add(rule.id);
      result.push({ rule, source });
    };
    for (const f of findings) add(f.ruleRef, 'finding');
    for (const { row } of rows) for (const m of row.firstMove.matchAll(RULE_REF)) add(m[0], 'row');
    for (const rule of textRules) add(rule.id, 'words');
    for (const { chapter } of chapters) {
      if (chapter.id === CHECKLIST_CHAPTER) continue;
      for (const id of this.catalog.chapters.find((c) => c.id === chapter.id)?.ruleIds ?? []) add(id, 'chapter');
    }
    return result;
  }
}

function countKinds(kinds: readonly SignalKind[]): { kind: SignalKind; count: number }[] {
  const counts = new Map<SignalKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, count]) => ({ kind, count }));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Balances the files and the task when both are given: each side's scores are scaled to its own
 * best chapter before they are added, so a file with many findings cannot drown what the task asks
 * for. The task weighs a little more, because it says what the user is about to do, while the
 * files say what the code already does.
 */
function balance(chapters: Map<number, Tally>): void {
  let bestFiles = 0;
  let bestTask = 0;
  for (const t of chapters.values()) {
    bestFiles = Math.max(bestFiles, t.files);
    bestTask = Math.max(bestTask, t.task);
  }
  const both = bestFiles > 0 && bestTask > 0;
  for (const t of chapters.values()) t.score = both ? t.files / bestFiles + TASK_WEIGHT * (t.task / bestTask) : t.files + t.task;
}
