import { lookupTable } from '../analysis/lookup.js';
import type { LanguageId, SignalSetting } from '../analysis/types.js';
import { clipMarkdown, shortWhy, visibleLength } from './card-text.js';
import { frameworkOf, selectApply, type FrameworkFilter } from './frameworks.js';
import { bookRule, type BookRule, type Catalog } from './types.js';
import type { MapTask } from '../analysis/map/types.js';
import { cellsOf } from './task-settings.js';

/**
 * Hover cards, rendered from the catalog. A card fits without scrolling: at most CARD_MAX visible
 * characters, so it carries the finding, the rule's RULE, a short WHY and the APPLY steps for the
 * framework under the cursor, and links to the rest of the book. Links are made by the caller,
 * because the editor opens them as commands and other clients as files.
 */
export interface Links {
  rule(id: string): string;
  chapter(id: number): string;
  /** A task's row in the sidebar's Tasks tab; absent for clients with no sidebar. */
  task?(folder: string, key: string): string;
}

export interface CardSignal {
  readonly kind: string;
  readonly api: string;
  readonly chapters: readonly number[];
  readonly risk: string;
  readonly settings?: readonly SignalSetting[] | undefined;
  /** For a call through a client made in the same file: where it is made (markdown), said beside the settings. */
  readonly client?: string | undefined;
}

export interface CardFinding {
  readonly rule: string;
  readonly ruleRef: string;
  readonly severity: string;
  readonly message: string;
  /** The title of the finding's quick fix, when it has one. */
  readonly fix?: string | undefined;
}

/** Where the card is shown: the file's language, and the API whose framework picks the APPLY steps. */
export interface CardContext {
  readonly language: LanguageId;
  readonly api?: string | undefined;
}

export interface CardOptions {
  /**
   * Whether a finding's card starts with its message (the default). A client whose hover already
   * shows the diagnostic above the card (VS Code) turns it off: the hover has room for a dozen lines.
   */
  readonly withMessages?: boolean;
}

/** The most visible characters a card may hold. */
export const CARD_MAX = 1200;
/**
 * What a card plans for. VS Code shows a hover at most 250 px tall (or a quarter of the editor)
 * before it scrolls, the diagnostic's own message included: about a dozen lines of a hover's
 * width, so the optional parts (general APPLY steps) are added only while the card stays this short.
 */
const CARD_ROOM = 900;
/** About three lines of a hover. */
const WHY_MAX = 300;
const RULE_MAX = 220;
/** A finding's message is never shortened below this many visible characters. */
const MESSAGE_MIN = 120;
/** A Markdown hard line break: the next line starts without a paragraph's margin. */
const BR = '\\';

const KIND_TITLES: Readonly<Record<string, string>> = lookupTable({
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
});

function filterOf(context: CardContext): { filter: FrameworkFilter; framework: string | undefined } {
  const framework = context.api === undefined ? undefined : frameworkOf(context.api, context.language);
  return { framework, filter: { frameworks: framework === undefined ? [] : [framework], languages: [context.language] } };
}

/** The card over a signal: its findings when it has some, else what can go wrong, its settings and its rules. */
export function renderSignalCard(catalog: Catalog, signal: CardSignal, findings: readonly CardFinding[], links: Links, language: LanguageId, options: CardOptions = {}): string {
  const context = { language, api: signal.api };
  if (findings.length > 0) return renderFindingsCard(catalog, findings, links, context, options);
  const head = [`**${KIND_TITLES[signal.kind] ?? signal.kind}** \`${signal.api}\` · Task Reliability`, `**What can go wrong:** ${signal.risk}`];
  const client = signal.client === undefined ? [] : [signal.client];
  if (signal.settings !== undefined && signal.settings.length > 0) head.push(`**Set here:** ${[...signal.settings.map(describeSetting), ...client].join(' · ')}`);
  else if (signal.client !== undefined) head.push(`**Set here:** ${signal.client}`);
  const out = [head.join(`${BR}\n`)];
  const { filter, framework } = filterOf(context);
  const [first, second] = rulesFor(catalog, signal, filter);
  const chapters = signal.chapters.map((id) => catalog.chapters.find((c) => c.id === id)).filter((c) => c !== undefined);
  const tail = ['', `Read: ${chapters.map((c) => `[${c.id} · ${c.title}](${links.chapter(c.id)})`).join(' · ')}`];
  if (first !== undefined) {
    out.push('', `**Rule${second === undefined ? '' : 's'} for ${framework === undefined ? 'this call' : `\`${framework}\``}:**`);
    const secondLine = second === undefined ? [] : [`- **[${second.id}](${links.rule(second.id)}) ${second.title}.**`];
    const firstLine = ruleLine(first, links, RULE_MAX * 0.6);
    const room = CARD_ROOM - visibleLength([...out, firstLine, ...secondLine, ...tail].join('\n'));
    out.push(firstLine, ...applySteps(first, filter, room, '  ', true), ...secondLine);
  }
  return [...out, ...tail].join('\n');
}

/** The card for the findings under the cursor: the first in full, the others in one line each. */
export function renderFindingsCard(catalog: Catalog, findings: readonly CardFinding[], links: Links, context: CardContext, options: CardOptions = {}): string {
  const [first, ...rest] = findings;
  if (first === undefined) return '';
  const others = rest.map((f) => {
    const rule = bookRule(catalog, f.ruleRef);
    const fix = f.fix === undefined ? '' : ` Quick fix: ${f.fix}.`;
    return `---\n\n**${capitalise(f.severity)}** \`${f.rule}\`: ${clipMarkdown(f.message, 160)} ${rule === undefined ? '' : `[${rule.id}](${links.rule(rule.id)}) ${rule.title}.`}${fix}`;
  });
  const message = `**${capitalise(first.severity)}** \`${first.rule}\`: ${first.message}`;
  const rule = bookRule(catalog, first.ruleRef);
  if (rule === undefined) return [message, ...others.map((o) => `\n${o}`)].join('\n');
  const fix = first.fix === undefined ? undefined : `**Quick fix:** ${first.fix} (Ctrl+.)`;
  const after = ['', ...ruleLinks(catalog, rule, links), ...others.flatMap((o) => ['', o])];
  const lead = options.withMessages === false ? undefined : message;
  const build = (shown: string | undefined): string =>
    [...ruleBlock(rule, links, filterOf(context).filter, CARD_ROOM - visibleLength(after.join('\n')), shown, fix), ...after].join('\n');
  const card = build(lead);
  // A message long enough to push the card past CARD_MAX is shortened in the card: the editor shows
  // the diagnostic's whole message too, and the book's part is what the card is for.
  const over = visibleLength(card) - CARD_MAX;
  if (over <= 0 || lead === undefined) return card;
  return build(clipMarkdown(lead, Math.max(MESSAGE_MIN, visibleLength(lead) - over - 1)));
}

/** The card for a rule alone (a rule id in a suppression comment), with the file's language. */
export function renderRuleCard(catalog: Catalog, rule: BookRule, links: Links, language: LanguageId, room = CARD_ROOM): string {
  const tail = ruleLinks(catalog, rule, links);
  return [...ruleBlock(rule, links, { frameworks: [], languages: [language] }, room - visibleLength(tail.join('\n'))), '', ...tail].join('\n');
}

/**
 * The message (when there is one), the rule's title and RULE, its short WHY, the APPLY steps for
 * the filter and the quick fix, within `room` visible characters. Lines of one paragraph are joined
 * by hard breaks, and a single APPLY step follows its label on the same line: VS Code's hover is
 * short, and every paragraph margin or list costs a line.
 */
function ruleBlock(rule: BookRule, links: Links, filter: FrameworkFilter, room: number, message?: string, fix?: string): string[] {
  const head = [
    ...(message === undefined ? [] : [message]),
    `**[${rule.id}](${links.rule(rule.id)}) ${rule.title}.** **RULE:** ${clipMarkdown(oneLine(rule.rule), RULE_MAX)}`,
    `**WHY:** ${shortWhy(rule.why, WHY_MAX)}`,
  ].join(`${BR}\n`);
  // The label names the framework only when the book has steps of its own for it.
  const own = filter.frameworks.length > 0 && selectApply(rule.apply, filter).specific.length > 0;
  const label = own ? `**APPLY (${filter.frameworks.join(', ')}):**` : '**APPLY:**';
  const tail = fix === undefined ? [] : [fix];
  // The framework's own steps alone when the book has them: VS Code's hover is 250 px high, and a
  // general step under the framework's own costs the lines the card does not have.
  const steps = applySteps(rule, filter, room - visibleLength([head, label, ...tail].join('\n')), '', own);
  const [only, ...more] = steps;
  // Inline, the step drops its own key when the label already names the framework.
  const inline = only?.replace(own ? /^- (?:\*\*[^*\n]+:\*\*\s*)?/ : /^- /, '');
  const apply = inline === undefined ? [] : more.length === 0 ? [`${label} ${inline}`] : [label, ...steps];
  const body = [...apply, ...tail];
  if (body.length === 0) return [head];
  return more.length === 0 ? [[head, ...body].join(`${BR}\n`)] : [head, '', ...apply, '', ...tail];
}

/**
 * The APPLY bullets for the filter, the framework's own first, without code examples: whole
 * bullets while they fit, the first one clipped when even it does not.
 */
function applySteps(rule: BookRule, filter: FrameworkFilter, room: number, indent = '', ownOnly = false): string[] {
  const { specific, general } = selectApply(rule.apply, filter);
  const out: string[] = [];
  let used = 0;
  for (const bullet of ownOnly ? specific : [...specific, ...general]) {
    const flat = `- ${bullet.replace(/^[-*+]\s+/, '').replace(/\s*\n\s*/g, ' ')}`;
    const size = visibleLength(flat) + 1;
    if (used + size <= room) {
      out.push(`${indent}${flat}`);
      used += size;
    } else {
      if (out.length === 0 && room > 80) out.push(`${indent}${clipMarkdown(flat, room - 1)}`);
      break;
    }
  }
  return out;
}

/** "Open R6.1 in the book", "All rules of chapter 6", and the chapter's other rules, in one line of links. */
function ruleLinks(catalog: Catalog, rule: BookRule, links: Links): string[] {
  const chapter = catalog.chapters.find((c) => c.id === rule.chapter);
  const others = (chapter?.ruleIds ?? []).filter((id) => id !== rule.id).map((id) => {
    const title = bookRule(catalog, id)?.title.replace(/["\\]/g, '') ?? '';
    return `[${id}](${links.rule(id)} "${title}")`;
  });
  const open = `[Open ${rule.id} in the book](${links.rule(rule.id)}) · [All rules of chapter ${rule.chapter}](${links.chapter(rule.chapter)})`;
  return [others.length === 0 ? open : `${open}: ${others.join(' · ')}`];
}

function ruleLine(rule: BookRule, links: Links, max: number): string {
  return `- **[${rule.id}](${links.rule(rule.id)}) ${rule.title}.** ${clipMarkdown(oneLine(rule.rule), Math.max(60, max - visibleLength(rule.title) - 8))}`;
}

function describeSetting(setting: SignalSetting): string {
  if (setting.state === 'set' && setting.value === undefined) return `\`${setting.name}\` set elsewhere in this file`;
  if (setting.state === 'set') return `\`${setting.name}=${setting.value ?? ''}\``.replace(/ (\([^)]*\))`$/, '` $1');
  return `\`${setting.name}\` ${setting.state === 'unset' ? 'not set' : 'unknown here'}`;
}

/**
 * The one or two rules for a signal: the decision matrix's first move for its kind, then the
 * first rule of its chapters with APPLY steps for its framework (else the chapter's next rule).
 */
function rulesFor(catalog: Catalog, signal: CardSignal, filter: FrameworkFilter): BookRule[] {
  const picked: BookRule[] = [];
  const add = (rule: BookRule | undefined): void => {
    if (rule !== undefined && picked.length < 2 && !picked.includes(rule)) picked.push(rule);
  };
  const row = catalog.matrix.find((r) => r.matches.includes(signal.kind));
  for (const m of row?.firstMove.matchAll(/\bR\d+\.\d+\b/g) ?? []) add(bookRule(catalog, m[0]));
  const candidates = signal.chapters.flatMap((id) => catalog.chapters.find((c) => c.id === id)?.ruleIds ?? []).map((id) => bookRule(catalog, id));
  if (filter.frameworks.length > 0) for (const rule of candidates) if (rule !== undefined && selectApply(rule.apply, filter).specific.length > 0) add(rule);
  for (const rule of candidates) add(rule);
  return picked;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Markdown's code span for a name from the project: backticks inside it would end the span. */
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/**
 * A task's lines at the top of a hover over its definition or an enqueue of it: the effective
 * settings as the project map joins them (base classes, app configuration, defaults), how many
 * places enqueue it and how many of those are in a transaction or pass a key, and a link to its
 * row in the Tasks tab when the client can open one.
 */
export function renderTaskLines(task: MapTask, link: string | undefined): string {
  const cells = cellsOf(task);
  const sites = task.enqueuedFrom;
  const inTransaction = sites.filter((s) => s.inTransaction && !s.afterCommit).length;
  const keyed = sites.filter((s) => s.idempotencyKey).length;
  const callers = sites.length === 0 ? 'No enqueue site in the project'
    : `Enqueued from ${sites.length === 1 ? '1 place' : `${sites.length} places`} (${inTransaction} in a transaction, ${keyed} with a key)`;
  const counts = [callers, `${task.sideEffects.length} side effect${task.sideEffects.length === 1 ? '' : 's'}`, `${task.findings.length} finding${task.findings.length === 1 ? '' : 's'}`];
  return [
    `**Task ${code(task.name)}** · ${task.framework}${task.queue === null ? '' : ` · queue ${code(task.queue)}`}`,
    `Attempts ${cells.retries} · backoff ${cells.backoff} · jitter ${cells.jitter} · acks ${cells.acks} · time limit ${cells.timeLimit}`,
    `${counts.join(' · ')}${link === undefined ? '' : ` · [Show in the Tasks tab](${link})`}`,
  ].join(`${BR}\n`);
}
