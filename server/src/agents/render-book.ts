/**
 * The book's own text for agents: the table of contents with each chapter's load trigger, one
 * chapter, one rule. Rendered from the catalog, the same text the hovers and the sidebar show.
 */
import { RULES } from '../analysis/index.js';
import { filterApply, filterChapterApply, type FrameworkFilter } from '../catalog/frameworks.js';
import type { BookRule, Catalog, Chapter } from '../catalog/types.js';
import { linkTo, type AgentLinks } from './links.js';

export const BOOK_TITLE = 'Distributed Task Reliability: Idempotency, Retries & Queues';

export type ChapterPart = 'all' | 'narrative' | 'rules';

/** The contents: each chapter with its load trigger, so an agent can pick without reading. */
export function renderToc(catalog: Catalog, links: AgentLinks): string {
  const out = [`# ${BOOK_TITLE}`, '', 'Chapters, each with its load trigger (when to open it). Rule ids read `R<chapter>.<n>`.', ''];
  for (const c of catalog.chapters) {
    const rules = c.ruleIds.length > 0 ? ` Rules ${c.ruleIds[0]}–${c.ruleIds.at(-1)}.` : '';
    out.push(`${c.id}. ${linkTo(`**${c.title}**`, links.chapter(c.id))}: ${c.loadWhen}${rules}`);
  }
  out.push('', `To read a chapter, ${links.fetchChapter}. To read a rule, ${links.fetchRule}.`);
  return out.join('\n');
}

/**
 * A chapter with its load trigger and sources on top. `narrative` or `rules` returns only that
 * part of a content chapter (3–12); chapters without those parts are returned whole. With a
 * framework filter, each rule's APPLY keeps only that framework's steps and the general ones.
 */
export function renderChapter(chapter: Chapter, part: ChapterPart = 'all', filter?: FrameworkFilter): string {
  const head = [`> Chapter ${chapter.id} of *${BOOK_TITLE}*. ${chapter.loadWhen}`];
  if (chapter.sources.length > 0) head.push('>', `> Sources: ${chapter.sources.join('; ')}`);
  if (filter !== undefined) head.push('>', `> ${filterNote(filter)}`);
  const body = part === 'all' ? chapter.markdown : section(chapter, part === 'narrative' ? 'Narrative' : 'Agent rules');
  return `${head.join('\n')}\n\n${(filter === undefined ? body : filterChapterApply(body, filter)).trim()}\n`;
}

/** Says which APPLY steps were kept, so an agent knows the others exist. */
export function filterNote(filter: FrameworkFilter): string {
  return `APPLY steps for ${filter.frameworks.join(', ')} and for any framework only; the other frameworks' steps are left out.`;
}

function section(chapter: Chapter, heading: string): string {
  const lines = chapter.markdown.split(/\r?\n/);
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return chapter.markdown;
  let end = start + 1;
  while (end < lines.length && !(lines[end] ?? '').startsWith('## ')) end++;
  return [`# ${chapter.title}`, '', ...lines.slice(start, end)].join('\n');
}

/** One rule in full, with its checked examples, its checklist item and the analyzer rules citing it. */
/**
 * `filter`: keep only one framework's APPLY steps (and the general ones); `retiredId`: the old id the
 * reader asked for, which the book now states as this rule.
 */
export function renderBookRule(catalog: Catalog, rule: BookRule, links: AgentLinks, filter?: FrameworkFilter, retiredId?: string): string {
  const chapter = catalog.chapters.find((c) => c.id === rule.chapter);
  const analyzerRules = RULES.filter((r) => r.meta.ruleRef === rule.id).map((r) => `\`${r.meta.id}\``);
  const checklist = catalog.checklist.filter((i) => i.ruleId === rule.id);
  const out = [
    `# ${rule.id} ${rule.title}`,
    '',
    `Chapter ${rule.chapter}, ${linkTo(chapter?.title ?? `chapter ${rule.chapter}`, links.rule(rule.id))}.`,
    ...(retiredId === undefined ? [] : ['', `${retiredId} is no longer a rule of its own: the book states it as ${rule.id}.`]),
    '',
    `**RULE:** ${rule.rule}`,
    '',
    `**WHY:** ${rule.why}`,
    '',
    filter === undefined ? '**APPLY:**' : `**APPLY:** (${filterNote(filter)})`,
    '',
    filter === undefined ? rule.apply : filterApply(rule.apply, filter),
  ];
  if (analyzerRules.length > 0) out.push('', `The analyzer checks this rule as ${analyzerRules.join(', ')}.`);
  for (const item of checklist) out.push('', `Self-audit item (${item.group}): ${item.text}`);
  return out.join('\n');
}
