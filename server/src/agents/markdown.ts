/** Small Markdown helpers shared by the agents' renderers. */

/** APPLY steps without their code examples: the examples stay in the chapter, a link away. */
export function withoutExamples(markdown: string): string {
  return markdown.replace(/\n*^[ \t]*(```+|~~~+)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '').trim();
}

export function firstSentence(markdown: string): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

/** Cuts text at a word boundary so that it fits `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Appends blocks while they fit a character budget. `reserve` keeps room for what must close the
 * output (the list of what was left out), so the result never exceeds the budget.
 */
export class BudgetWriter {
  private readonly parts: string[] = [];
  private used = 0;

  constructor(readonly budget: number) {}

  get length(): number {
    return this.used;
  }

  fits(block: string, reserve = 0): boolean {
    return this.used + block.length + 1 + reserve <= this.budget;
  }

  /** Adds the block if it fits and says whether it did. */
  add(block: string, reserve = 0): boolean {
    if (!this.fits(block, reserve)) return false;
    this.parts.push(block);
    this.used += block.length + 1;
    return true;
  }

  toString(): string {
    return this.parts.join('\n');
  }
}
