import { Query, type Language, type Node } from 'web-tree-sitter';
import type { LineIndex } from '../parsing/positions.js';
import type { CallFact, ListLayout } from './types.js';

const queries = new WeakMap<Language, Map<string, Query>>();

/** One compiled query per language and source, compiled on first use and kept for the process. */
export function compiledQuery(language: Language, source: string): Query {
  let perLanguage = queries.get(language);
  if (perLanguage === undefined) {
    perLanguage = new Map();
    queries.set(language, perLanguage);
  }
  let query = perLanguage.get(source);
  if (query === undefined) {
    query = new Query(language, source);
    perLanguage.set(source, query);
  }
  return query;
}

/**
 * The layout of a bracketed list whose opening token is `open` and last item `lastItem`. Rows come
 * from the line index, not the tree, so that every kind of line break counts the same way.
 */
export function listLayout(lines: LineIndex, open: Node, lastItem: Node | undefined): ListLayout {
  if (lastItem === undefined) {
    return { insertAt: open.startIndex + 1, isEmpty: true, itemIndent: undefined, trailingCommaEnd: undefined, trailingCommentEnd: undefined };
  }
  const row = lines.lineOf(lastItem.startIndex);
  let itemIndent: string | undefined;
  if (row !== lines.lineOf(open.startIndex)) {
    const indent = lines.indentAt(lastItem.startIndex);
    if (lines.lineStart(row) + indent.length === lastItem.startIndex) itemIndent = indent;
  }
  let next = lastItem.nextSibling;
  let trailingCommaEnd: number | undefined;
  if (next?.type === ',') {
    trailingCommaEnd = next.endIndex;
    next = next.nextSibling;
  }
  const lastRow = lines.lineOf(lastItem.endIndex);
  const trailingCommentEnd = next !== null && next.type === 'comment' && lines.lineOf(next.startIndex) === lastRow ? next.endIndex : undefined;
  return { insertAt: lastItem.endIndex, isEmpty: false, itemIndent, trailingCommaEnd, trailingCommentEnd };
}

/** Strips the quotes (and Python prefixes) from a string literal's text. */
export function unquote(text: string): string {
  const m = /^[rRbBuUfF]*("""|'''|"|'|`)([\s\S]*)\1$/.exec(text);
  return m?.[2] ?? text;
}

/** Links each call to the call that created its receiver, once all calls are known. */
export function linkReceivers(calls: CallFact[], receiverOrigins: Map<CallFact, number>): void {
  const byStart = new Map<number, CallFact>();
  for (const call of calls) if (!byStart.has(call.start)) byStart.set(call.start, call);
  for (const [call, originStart] of receiverOrigins) {
    const origin = byStart.get(originStart);
    if (origin !== undefined) (call as { receiver: CallFact | undefined }).receiver = origin;
  }
}

/** Counts quote characters of string literals to pick the file's preferred quote. */
export function preferredQuote(strings: readonly Node[]): "'" | '"' {
  let single = 0;
  let double = 0;
  for (const s of strings) {
    const first = s.text.replace(/^[rRbBuUfF]+/, '')[0];
    if (first === "'") single++;
    else if (first === '"') double++;
  }
  return single > double ? "'" : '"';
}
