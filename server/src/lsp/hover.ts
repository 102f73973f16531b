import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID, SIGNAL_RISKS, type AnalysisResult, type Finding, type MapFileFacts, type MapTask, type TaskMap, type TextRange } from '../analysis/index.js';
import { renderFindingsCard, renderRuleCard, renderSignalCard, renderTaskLines, type CardFinding, type CardOptions, type Links } from '../catalog/render.js';
import { bookRule, type Catalog } from '../catalog/types.js';
import { toRange } from './convert.js';

const contains = (range: TextRange, offset: number): boolean => range.start <= offset && offset <= range.end;
const overlaps = (a: TextRange, b: TextRange): boolean => a.start <= b.end && b.start <= a.end;
const size = (range: TextRange): number => range.end - range.start;
const card = (f: Finding): CardFinding => ({ rule: f.rule, ruleRef: f.ruleRef, severity: f.severity, message: f.message, fix: f.fixes[0]?.title });

/** The tasks a hover is over, with the link that opens each one's row in the Tasks tab (none when the client cannot run it). */
export interface HoverTasks {
  readonly tasks: readonly MapTask[];
  link(task: MapTask): string | undefined;
  /** Said under the tasks when they come from the file alone (the folder's map is not built yet). */
  readonly note?: string;
}

/** Signal kinds that sit on a task's definition or on an enqueue of it. */
const TASK_SIGNALS = new Set(['task-def', 'consumer', 'enqueue']);

/**
 * The tasks of a project map that a hover at `offset` of one file is over: the task defined there
 * (its name, or its decorator, class or worker call on the first line), or the tasks an enqueue
 * on that line starts (its name, or the enqueue call). `file` is the file as the map shows it.
 */
export function tasksAt(map: TaskMap, file: string, facts: MapFileFacts | undefined, result: AnalysisResult, text: string, offset: number): MapTask[] {
  if (facts === undefined) return [];
  const line = lineOf(text, offset);
  const word = wordAt(text, offset);
  const onSignal = result.signals.some((s) => TASK_SIGNALS.has(s.kind) && contains(s.range, offset));
  const defined = facts.tasks.filter((t) => (word === t.name && t.line <= line && line <= t.endLine) || (onSignal && t.line === line));
  const found = map.tasks.filter((t) => t.file === file && defined.some((d) => d.line === t.line && d.name === t.name));
  if (found.length > 0) return found;
  const enqueued = facts.enqueues.some((e) => e.line === line && (onSignal || (e.target.kind === 'name' && word !== undefined && e.target.name.split('.').includes(word))));
  return enqueued ? map.tasks.filter((t) => t.enqueuedFrom.some((s) => s.file === file && s.line === line)) : [];
}

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The identifier (or task type such as `email:send`) around an offset. */
function wordSpan(text: string, offset: number): TextRange | undefined {
  const isWord = (c: string | undefined): boolean => c !== undefined && /[\w$:-]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  return end > start ? { start, end } : undefined;
}

function wordAt(text: string, offset: number): string | undefined {
  const span = wordSpan(text, offset);
  return span === undefined ? undefined : text.slice(span.start, span.end);
}

/**
 * Beside the settings of a call through a client made in this file: where the client is made,
 * since its options (and a finding about them, with the fix) are there rather than on the call.
 * Kept to a few words: the card must fit without scrolling.
 */
function clientNote(doc: TextDocument, result: AnalysisResult, client: TextRange | undefined): string | undefined {
  if (client === undefined) return undefined;
  const line = doc.positionAt(client.start).line + 1;
  const made = doc.getText().slice(client.start, client.end).replace(/\s+/g, '');
  const there = [...new Set(result.findings.filter((f) => overlaps(f.range, client)).map((f) => `\`${f.rule}\``))];
  return `client: \`${made}\` on [line ${line}](${doc.uri}#L${line})${there.length === 0 ? '' : `, with ${there.join(', ')}`}`;
}

/**
 * The hover at an offset: a signal's card (its findings, or its risk, settings and rules), a
 * rule's card over a rule id in a suppression comment, or the findings alone. Over a task's
 * definition or an enqueue of it, the task's settings and callers from the project map come first.
 */
export function hoverAt(doc: TextDocument, result: AnalysisResult, offset: number, catalog: Catalog, links: Links, options: CardOptions = {}, tasks?: HoverTasks): Hover | null {
  const card = cardAt(doc, result, offset, catalog, links, options);
  const lines = (tasks?.tasks ?? []).slice(0, 2).map((t) => renderTaskLines(t, tasks?.link(t)));
  if (lines.length === 0) return card;
  const head = [...lines, ...(tasks?.note === undefined ? [] : [`_${tasks.note}_`])].join('\n\n');
  if (card === null) {
    const word = wordSpan(doc.getText(), offset);
    return { contents: { kind: 'markdown', value: head }, ...(word === undefined ? {} : { range: toRange(doc, word.start, word.end) }) };
  }
  const value = typeof card.contents === 'object' && 'value' in card.contents ? card.contents.value : '';
  return { ...card, contents: { kind: 'markdown', value: `${head}\n\n---\n\n${value}` } };
}

function cardAt(doc: TextDocument, result: AnalysisResult, offset: number, catalog: Catalog, links: Links, options: CardOptions): Hover | null {
  for (const comment of result.suppressions) {
    const id = comment.rules.find((r) => contains(r.range, offset));
    if (id === undefined) continue;
    const meta = RULES_BY_ID.get(id.id)?.meta;
    const rule = meta === undefined ? undefined : bookRule(catalog, meta.ruleRef);
    const head = meta === undefined
      ? `\`${id.id}\` is not a Task Reliability rule: this comment suppresses nothing.`
      : `\`${meta.id}\`: ${meta.description}${comment.reason === undefined ? '\n\nAdd a reason after `--` so the next reader knows why this is safe.' : ''}`;
    const text = rule === undefined ? head : `${head}\n\n${renderRuleCard(catalog, rule, links, result.language)}`;
    return { contents: { kind: 'markdown', value: text }, range: toRange(doc, id.range.start, id.range.end) };
  }
  const findings = result.findings.filter((f) => contains(f.range, offset));
  const signal = result.signals.filter((s) => contains(s.range, offset)).sort((a, b) => size(a.range) - size(b.range))[0];
  if (signal !== undefined) {
    // A name from another module says where it comes from, above the card.
    const names = (result.projectNames ?? []).filter((n) => signal.range.start <= n.range.start && n.range.end <= signal.range.end);
    const origin = names.map((n) => `${n.message}.\n\n`).join('');
    const client = clientNote(doc, result, signal.client);
    const value = origin + renderSignalCard(catalog, { ...signal, risk: SIGNAL_RISKS[signal.kind], client }, findings.map(card), links, result.language, options);
    return { contents: { kind: 'markdown', value }, range: toRange(doc, signal.range.start, signal.range.end) };
  }
  const first = findings[0];
  if (first === undefined) return null;
  // The framework of a finding with no signal under the cursor is the one of the call it covers.
  const api = result.signals.filter((s) => overlaps(s.range, first.range)).sort((a, b) => size(a.range) - size(b.range))[0]?.api;
  const value = renderFindingsCard(catalog, findings.map(card), links, { language: result.language, api }, options);
  return { contents: { kind: 'markdown', value }, range: toRange(doc, first.range.start, first.range.end) };
}
