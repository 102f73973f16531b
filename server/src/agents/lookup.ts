/**
 * Finding a chapter or a rule by what an agent or a person typed, with an error message that says
 * what does exist. Every front end (CLI, MCP, VS Code tools) answers a bad reference the same way.
 */
import { canonicalFramework, FRAMEWORK_KEYS, type FrameworkFilter } from '../catalog/frameworks.js';
import { bookRule, type BookRule, type Catalog, type Chapter } from '../catalog/types.js';

export type Lookup =
  | { readonly kind: 'chapter'; readonly chapter: Chapter }
  | { readonly kind: 'rule'; readonly rule: BookRule; /** The retired id that was asked for, when it led to this rule. */ readonly retiredId?: string }
  | { readonly kind: 'error'; readonly message: string };

/** Rule ids are written `R5.1`; `r5.1`, `R5-1` and `5.1` are accepted, as people and models type them. */
export function normaliseRuleId(text: string): string | undefined {
  const m = /^\s*[Rr]?(\d+)[.-](\d+)\s*$/.exec(text);
  return m === null ? undefined : `R${Number(m[1])}.${Number(m[2])}`;
}

export function findRule(catalog: Catalog, text: string): Lookup {
  const id = normaliseRuleId(text);
  if (id === undefined) return { kind: 'error', message: `"${text}" is not a rule id: rule ids read R<chapter>.<n>, for example R5.1.` };
  const rule = bookRule(catalog, id);
  if (rule !== undefined) return rule.id === id ? { kind: 'rule', rule } : { kind: 'rule', rule, retiredId: id };
  const chapter = catalog.chapters.find((c) => c.id === Number(/^R(\d+)/.exec(id)?.[1]));
  const range = chapter !== undefined && chapter.ruleIds.length > 0
    ? `chapter ${chapter.id} has ${chapter.ruleIds[0]} to ${chapter.ruleIds.at(-1)}`
    : 'rules exist in chapters 3 to 12';
  return { kind: 'error', message: `There is no rule ${id}: ${range}.` };
}

export function findChapter(catalog: Catalog, value: number | string): Lookup {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  const chapter = catalog.chapters.find((c) => c.id === n);
  if (chapter !== undefined) return { kind: 'chapter', chapter };
  const ids = catalog.chapters.map((c) => c.id);
  return { kind: 'error', message: `There is no chapter ${String(value).trim()}: chapters are numbered ${Math.min(...ids)} to ${Math.max(...ids)}.` };
}

/** `5` is a chapter, `R5.1` (or `5.1`) a rule. */
export function findChapterOrRule(catalog: Catalog, text: string): Lookup {
  return /^\s*\d+\s*$/.test(text) ? findChapter(catalog, text) : findRule(catalog, text);
}

/**
 * The APPLY filter for a framework typed by an agent (`celery`, `Spring Kafka`), undefined when
 * none was given, or an error that lists the keys the book uses.
 */
export function findFramework(text: string | undefined): { readonly filter: FrameworkFilter | undefined } | { readonly error: string } {
  if (text === undefined || text.trim() === '') return { filter: undefined };
  const key = canonicalFramework(text);
  if (key !== undefined) return { filter: { frameworks: [key] } };
  return { error: `"${text.trim()}" is not a framework the book names. Use one of: ${FRAMEWORK_KEYS.join(', ')}.` };
}
