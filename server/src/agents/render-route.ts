/**
 * The routing answer as Markdown, within a character budget. What must be read comes first (the
 * chapters in order, the matching rows, the findings), then the rules: in full (RULE and APPLY)
 * while they fit, then one line each, then only their ids grouped by chapter, with how to fetch
 * them. A model's context is the scarce resource; nothing is cut silently.
 */
import { filterApply, type FrameworkFilter } from '../catalog/frameworks.js';
import type { BookRule } from '../catalog/types.js';
import { linkTo, type AgentLinks } from './links.js';
import { BudgetWriter, clip, code, firstSentence, withoutExamples } from './markdown.js';
import type { Reason, RoutedRule, RouteResult } from './types.js';

export const DEFAULT_ROUTE_BUDGET = 6000;
export const MIN_ROUTE_BUDGET = 1000;
export const MAX_ROUTE_BUDGET = 100_000;

/** Long lists of evidence say little more than their first items. */
const MAX_FINDINGS_LISTED = 12;
const LOAD_WHEN_CHARS = 220;
/** The most of the room left after the title that each part of the head may take. */
const SHARE = { chapters: 0.35, findings: 0.25, rows: 0.35 } as const;

export interface RenderedRoute {
  readonly markdown: string;
  /** Rules shown with RULE and APPLY. */
  readonly full: readonly string[];
  /** Rules shown as one line. */
  readonly brief: readonly string[];
  /** Rules named only by id. */
  readonly omitted: readonly string[];
}

export function renderRoute(result: RouteResult, links: AgentLinks, budget = DEFAULT_ROUTE_BUDGET): RenderedRoute {
  const out = new BudgetWriter(Math.max(MIN_ROUTE_BUDGET, Math.min(MAX_ROUTE_BUDGET, budget)));
  const title = result.task === undefined ? 'Reliability route for your files' : `Reliability route: ${clip(result.task, 160)}`;
  out.add(`# ${title}`);
  if (result.chapters.length === 0) {
    out.add('');
    out.add(result.task === undefined && result.files.length === 0
      ? 'Nothing to route: give a task in words, files, or both.'
      : 'No chapter of the book applies: the task names no queue, retry, timeout, schedule, outbox, payment or notification work, and the files use none of the APIs the analyzer recognises. If the task does involve such work, describe it with those words (for example "consume orders from SQS", "retry the webhook on 5xx").');
    return { markdown: out.toString(), full: [], brief: [], omitted: [] };
  }
  if (result.files.length > 0) {
    const kinds = result.signals.map((s) => (s.count > 1 ? `${s.kind} ×${s.count}` : s.kind)).join(', ');
    out.add('');
    out.add(`Files: ${result.files.map(code).join(', ')}. Findings: ${result.findings.length}. Signals: ${kinds === '' ? 'none' : kinds}.`);
  }

  // The head never takes the room that the list of rule ids needs, so every rule stays reachable,
  // and each of its sections gets a share of the budget, so the rules themselves still fit.
  const tail = restBlock(result.rules.map((r) => r.rule), links).length + 60;
  const room = Math.max(0, out.budget - out.length - tail);
  const section = (heading: string, lines: readonly (readonly [string, string])[], share: number, total: number, more: (n: number) => string, floor = 0): number => {
    const cap = out.length + Math.max(floor, Math.floor(room * share));
    // One form for the whole list, so that the lines read alike: long when all of them fit.
    const longTotal = lines.reduce((n, [long]) => n + long.length + 1, heading.length + 5);
    const form = out.length + longTotal <= cap ? 0 : 1;
    let shown = 0;
    for (const line of lines) {
      const prefix = shown === 0 ? `\n## ${heading}\n` : '';
      const text = prefix + line[form];
      if (out.length + text.length > cap || !out.add(text, tail)) break;
      shown++;
    }
    if (shown > 0 && shown < total) out.add(more(total - shown), tail - 60);
    return shown;
  };
  // The checklist chapter closes the list whatever the budget: it is how the agent finishes.
  const reading = result.chapters.filter((c) => c.chapter.id !== 13);
  // However tight the budget, the reading list keeps its short form: it is the answer's core.
  const shortChapters = reading.reduce((n, { chapter }) => n + chapter.title.length + 120, 20);
  const shown = section('Read, in order', reading.map(({ chapter, via }, i) => {
    const head = `${i + 1}. ${linkTo(`**Chapter ${chapter.id}, ${chapter.title}**`, links.chapter(chapter.id))} (via ${via.slice(0, 4).join(', ')})`;
    return [`${head}\n   ${clip(chapter.loadWhen, LOAD_WHEN_CHARS)}`, head] as const;
  }), SHARE.chapters, reading.length, (n) => `… and ${n} more chapter${n === 1 ? '' : 's'}; ${links.fetchChapter}.`, shortChapters);
  const checklist = result.chapters.find((c) => c.chapter.id === 13);
  if (checklist !== undefined && shown > 0) {
    out.add(`${shown + 1}. ${linkTo(`**Chapter 13, ${checklist.chapter.title}**`, links.chapter(13))}: before finishing, ${links.runAudit}.`, tail - 60);
  }
  const findings = [...result.findings].sort((a, b) => result.files.indexOf(a.path) - result.files.indexOf(b.path) || a.line - b.line || a.column - b.column);
  section('Findings in your files', findings.slice(0, MAX_FINDINGS_LISTED).map((f) => {
    const line = `- ${code(`${f.path}:${f.line}:${f.column}`)} ${code(f.rule)} (${f.ruleRef}, ${f.severity}): ${f.message}`;
    return [line, line] as const;
  }), SHARE.findings, findings.length, (n) => `- … and ${n} more: ${links.runAudit}.`);
  section('Decision-matrix rows that apply', result.rows.map(({ row, reasons }) => {
    const head = `- **${row.id}** ${row.task} → chapters ${row.chapters.join(', ')}`;
    return [`${head} (${describe(reasons)}). First move: ${row.firstMove}`, `${head}. First move: ${row.firstMove}`] as const;
  }), SHARE.rows, result.rows.length, (n) => `- … and ${n} more row${n === 1 ? '' : 's'}.`);

  return renderRules(out, result.rules, links, routeFilter(result));
}

/** The APPLY filter of a route: the frameworks its files show, when they show any. */
export function routeFilter(result: RouteResult): FrameworkFilter | undefined {
  return result.frameworks.length === 0 ? undefined : { frameworks: result.frameworks, languages: result.languages };
}

function renderRules(out: BudgetWriter, rules: readonly RoutedRule[], links: AgentLinks, filter: FrameworkFilter | undefined): RenderedRoute {
  const full: string[] = [];
  const brief: string[] = [];
  let i = 0;
  // Each block reserves the room of the id list of the rules after it; a heading goes out only
  // with its first block, so a tight budget never leaves an empty section.
  const after = (k: number): number => restBlock(rules.slice(k + 1).map((r) => r.rule), links).length;
  for (; i < rules.length; i++) {
    const { rule } = rules[i] as RoutedRule;
    const heading = filter === undefined ? '\n## Rules to apply\n\n' : `\n## Rules to apply\n\nAPPLY steps for ${filter.frameworks.join(', ')} (the frameworks your files use) and for any framework.\n\n`;
    if (!out.add(`${full.length === 0 ? heading : '\n'}${fullBlock(rule, links, filter)}`, after(i))) break;
    full.push(rule.id);
  }
  for (; i < rules.length; i++) {
    const { rule } = rules[i] as RoutedRule;
    const line = `- ${linkTo(`**${rule.id}** ${rule.title}`, links.rule(rule.id))}: ${firstSentence(rule.rule)}`;
    if (!out.add(`${brief.length === 0 ? `\n## ${full.length === 0 ? 'Rules to apply' : 'Also relevant'}\n` : ''}${line}`, after(i))) break;
    brief.push(rule.id);
  }
  const omitted = rules.slice(i).map((r) => r.rule.id);
  if (omitted.length > 0) out.add(restBlock(rules.slice(i).map((r) => r.rule), links));
  return { markdown: out.toString(), full, brief, omitted };
}

function fullBlock(rule: BookRule, links: AgentLinks, filter: FrameworkFilter | undefined): string {
  return [
    `### ${rule.id} ${rule.title}`,
    `Chapter ${rule.chapter} · ${linkTo('open', links.rule(rule.id))}`,
    '',
    `**RULE:** ${rule.rule}`,
    '',
    `**APPLY:**`,
    '',
    withoutExamples(filter === undefined ? rule.apply : filterApply(rule.apply, filter)),
  ].join('\n');
}

/** The rules left out, by id and chapter: the shortest form that still lets an agent fetch them. */
function restBlock(rules: readonly BookRule[], links: AgentLinks): string {
  if (rules.length === 0) return '';
  const byChapter = new Map<number, number[]>();
  for (const r of rules) byChapter.set(r.chapter, [...(byChapter.get(r.chapter) ?? []), Number(r.id.split('.')[1])]);
  const groups = [...byChapter.entries()].map(([c, ns]) => `chapter ${c}: ${ranges(ns).map(([a, b]) => (a === b ? `R${c}.${a}` : b === a + 1 ? `R${c}.${a}, R${c}.${b}` : `R${c}.${a}–R${c}.${b}`)).join(', ')}`).join('; ');
  return `\n## More rules (not shown)\n${groups}. To read one, ${links.fetchRule}.`;
}

/** Rule numbers as runs: [1, 2, 3, 5] → [[1, 3], [5, 5]]. */
function ranges(numbers: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last !== undefined && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}

function describe(reasons: readonly Reason[]): string {
  const parts = reasons.map((r) => {
    switch (r.kind) {
      case 'finding': return `finding ${r.rule} at ${r.path}:${r.line}`;
      case 'signal': return `${r.signal} at ${r.path}:${r.line}`;
      case 'words': return `words: ${r.words.join(', ')}`;
      case 'row': return r.row;
    }
  });
  return parts.join('; ');
}
