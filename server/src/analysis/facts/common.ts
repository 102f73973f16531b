import { Query, type Language, type Node } from 'web-tree-sitter';
import type { LineIndex } from '../parsing/positions.js';
import type { CallFact } from './types.js';

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
 * The indentation of items that sit on their own lines inside a bracketed list, or undefined when
 * the list is written on one line (then fixes append on the same line).
 */
export function itemIndent(lines: LineIndex, open: Node, lastItem: Node | undefined): string | undefined {
  if (lastItem === undefined) return undefined;
  const itemRow = lastItem.startPosition.row;
  if (itemRow === open.startPosition.row) return undefined;
  const indent = lines.indentAt(lastItem.startIndex);
  return lines.lineStart(itemRow) + indent.length === lastItem.startIndex ? indent : undefined;
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
