/** The book, compiled from `content/*.md` at build time (see `compile.ts`). Plain JSON data. */

export interface Catalog {
  readonly version: 1;
  readonly chapters: readonly Chapter[];
  readonly rules: Readonly<Record<string, BookRule>>;
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
