/**
 * Heading anchors, shared by the search index (built at build time from the Markdown source) and
 * the chapter renderer (markdown-it, in the webview). Both compute an anchor from the heading's
 * source text with the same function, so a search hit always lands on a heading that exists.
 */
import { ruleAnchor } from '../../server/src/catalog/types';

const RULE_HEADING = /^(R\d+\.\d+)\s/;

/** The rule id a heading introduces (`### R5.1 Bound every retry`), if it is a rule heading. */
export function ruleIdOfHeading(source: string): string | undefined {
  return RULE_HEADING.exec(source.trim())?.[1];
}

function slug(source: string): string {
  const text = source
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*~]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return text === '' ? 'section' : text.slice(0, 60).replace(/-+$/, '');
}

/**
 * Hands out the anchors of one chapter's headings in document order. Rule headings keep the
 * catalog's stable anchor (`r5-1`); other headings get `s-<slug>`, numbered when repeated.
 */
export class AnchorCounter {
  private readonly seen = new Map<string, number>();

  next(headingSource: string): string {
    const rule = ruleIdOfHeading(headingSource);
    if (rule !== undefined) return ruleAnchor(rule);
    const base = `s-${slug(headingSource)}`;
    const count = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  }
}
