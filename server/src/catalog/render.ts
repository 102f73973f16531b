import { lookupTable } from '../analysis/lookup.js';
import { bookRule, type BookRule, type Catalog } from './types.js';

/**
 * Markdown for hovers and command output, rendered from the catalog. Links are made by the caller,
 * because the editor opens them as commands and other clients as files.
 */
export interface Links {
  rule(id: string): string;
  chapter(id: number): string;
}

export interface CardSignal {
  readonly kind: string;
  readonly api: string;
  readonly chapters: readonly number[];
  readonly risk: string;
}

export interface CardFinding {
  readonly rule: string;
  readonly ruleRef: string;
  readonly severity: string;
  readonly message: string;
}

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

/** How many rules of each chapter a hover lists, so the card stays readable. */
const RULES_PER_CHAPTER = 4;
const CHAPTERS_WITH_RULES = 2;

export function renderSignalCard(catalog: Catalog, signal: CardSignal, findings: readonly CardFinding[], links: Links): string {
  const out: string[] = [];
  out.push(`**${KIND_TITLES[signal.kind] ?? signal.kind}** \`${signal.api}\` · Task Reliability`);
  out.push('');
  out.push(`**What can go wrong here:** ${signal.risk}`);
  for (const finding of findings) {
    out.push('');
    out.push(renderFinding(catalog, finding, links));
  }
  const shown = new Set(findings.map((f) => f.ruleRef));
  for (const chapterId of signal.chapters.slice(0, CHAPTERS_WITH_RULES)) {
    const chapter = catalog.chapters.find((c) => c.id === chapterId);
    if (chapter === undefined) continue;
    const rules = chapter.ruleIds.filter((id) => !shown.has(id)).slice(0, RULES_PER_CHAPTER);
    if (rules.length === 0) continue;
    out.push('');
    out.push(`**Chapter ${chapter.id} · [${chapter.title}](${links.chapter(chapter.id)})**`);
    for (const id of rules) {
      const rule = bookRule(catalog, id);
      if (rule !== undefined) out.push(`- [${rule.id}](${links.rule(rule.id)}) ${firstSentence(rule.rule)}`);
    }
  }
  const more = signal.chapters.slice(CHAPTERS_WITH_RULES).map((id) => catalog.chapters.find((c) => c.id === id)).filter((c) => c !== undefined);
  if (more.length > 0) {
    out.push('');
    out.push(`Also read: ${more.map((c) => `[${c.id} · ${c.title}](${links.chapter(c.id)})`).join(' · ')}`);
  }
  return out.join('\n');
}

/** A finding with its book rule in full: RULE, WHY and APPLY. */
export function renderFinding(catalog: Catalog, finding: CardFinding, links: Links): string {
  const rule = bookRule(catalog, finding.ruleRef);
  const head = `**${capitalise(finding.severity)}** \`${finding.rule}\`: ${finding.message}`;
  if (rule === undefined) return head;
  return `${head}\n\n${renderRule(rule, links)}`;
}

export function renderRule(rule: BookRule, links: Links): string {
  return [
    `**[${rule.id}](${links.rule(rule.id)}) ${rule.title}**`,
    '',
    `**RULE:** ${rule.rule}`,
    '',
    `**WHY:** ${rule.why}`,
    '',
    `**APPLY:**`,
    '',
    stripExamples(rule.apply),
    '',
    `[Open chapter ${rule.chapter} at ${rule.id}](${links.rule(rule.id)})`,
  ].join('\n');
}

/** Hover cards show the APPLY steps; the checked code examples stay in the chapter. */
function stripExamples(markdown: string): string {
  return markdown.replace(/\n*(```|~~~)[\s\S]*?\1[^\n]*\n?/g, '\n').trim();
}

function firstSentence(markdown: string): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
