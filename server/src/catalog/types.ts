/** The book, compiled from `content/*.md` at build time (see `compile.ts`). Plain JSON data. */

export interface Catalog {
  readonly version: 1;
  readonly chapters: readonly Chapter[];
  readonly rules: Readonly<Record<string, BookRule>>;
  /**
   * Retired rule ids and the live rule that now states each one (`R9.1` → `R3.2`), from the
   * chapters' front matter. Look rules up with `bookRule`, which follows them.
   */
  readonly aliases: Readonly<Record<string, string>>;
  readonly matrix: readonly MatrixRow[];
  readonly checklist: readonly ChecklistItem[];
  readonly examples: readonly CodeExample[];
}

export interface Chapter {
  readonly id: number;
  readonly slug: string;
  readonly title: string;
  readonly loadWhen: string;
  readonly sources: readonly string[];
  /** File name under `content/`. */
  readonly file: string;
  /** The Markdown body after the front matter. */
  readonly markdown: string;
  /** Line in the file where the body starts (1-based), to map body lines back to the file. */
  readonly bodyLine: number;
  readonly ruleIds: readonly string[];
}

export interface BookRule {
  readonly id: string;
  readonly chapter: number;
  readonly title: string;
  /** Markdown of each part, without the bold label. */
  readonly rule: string;
  readonly why: string;
  readonly apply: string;
  /** Fragment id of the rule's heading: `r5-1`. */
  readonly anchor: string;
  /** 1-based line of the heading in the chapter file. */
  readonly line: number;
}

export interface MatrixRow {
  readonly id: string;
  readonly task: string;
  /** Signal kinds and analyzer rule ids whose presence makes the row apply. */
  readonly matches: readonly string[];
  readonly chapters: readonly number[];
  readonly firstMove: string;
}

export interface ChecklistItem {
  readonly ruleId: string;
  readonly group: string;
  readonly text: string;
  /** Analyzer rules whose findings answer the item. */
  readonly answeredBy: readonly string[];
}

export interface CodeExample {
  readonly chapter: number;
  readonly file: string;
  readonly line: number;
  readonly language: string;
  readonly claim: { readonly kind: 'flags'; readonly rules: readonly string[] } | { readonly kind: 'clean' };
  readonly code: string;
}

export function ruleAnchor(id: string): string {
  return id.toLowerCase().replace('.', '-');
}

/**
 * The live id a rule id stands for: itself, or the rule an alias of a retired id points to. Ids the
 * book does not know come back unchanged, so callers can still say which id was asked for.
 */
export function liveRuleId(catalog: Pick<Catalog, 'aliases'>, id: string): string {
  return Object.hasOwn(catalog.aliases, id) ? (catalog.aliases[id] ?? id) : id;
}

/** The book rule an id names, following an alias of a retired id to the rule that replaced it. */
export function bookRule(catalog: Pick<Catalog, 'rules' | 'aliases'>, id: string): BookRule | undefined {
  const live = liveRuleId(catalog, id);
  return Object.hasOwn(catalog.rules, live) ? catalog.rules[live] : undefined;
}

/**
 * Where an anchor of a chapter lands: an old rule anchor (`r9-1` in chapter 9) moves to the rule
 * its id is an alias of, so links written before the rule moved still reach it.
 */
export function resolveRuleAnchor(catalog: Pick<Catalog, 'rules' | 'aliases'>, chapter: number, anchor: string): { chapter: number; anchor: string } {
  const m = /^r(\d+)-(\d+)$/.exec(anchor);
  if (m === null || Number(m[1]) !== chapter) return { chapter, anchor };
  const rule = bookRule(catalog, `R${m[1]}.${m[2]}`);
  return rule === undefined ? { chapter, anchor } : { chapter: rule.chapter, anchor: rule.anchor };
}
