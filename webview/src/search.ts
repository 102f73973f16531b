/**
 * Searching the book: prefix and fuzzy matching over the prebuilt index, and the snippet that
 * shows a result's matching words in context. Pure functions, so the unit tests run them on the
 * real index.
 */
import type MiniSearch from 'minisearch';
import type { SearchOptions } from 'minisearch';
import type { SearchDoc, SearchDocKind } from './search-index';

export interface SnippetPart {
  readonly text: string;
  readonly mark: boolean;
}

export interface SearchHit {
  readonly id: string;
  readonly kind: SearchDocKind;
  readonly chapter: number;
  readonly anchor?: string;
  readonly title: string;
  readonly ref: string;
  readonly score: number;
  readonly snippet: readonly SnippetPart[];
}

/** Rule ids and option names are matched as typed; fuzziness is for words in prose. */
function fuzziness(term: string): number | false {
  if (/\d/.test(term) || term.length < 4) return false;
  return 0.2;
}

const QUERY: SearchOptions = {
  prefix: (term) => term.length >= 2,
  fuzzy: fuzziness,
  boost: { ref: 6, title: 3, text: 1 },
  boostDocument: (_id, _term, stored) => (stored?.['kind'] === 'rule' ? 1.3 : stored?.['kind'] === 'chapter' ? 1.1 : 1),
};

/**
 * Every word must match (a narrowing search, like the editor's own filters); when that finds
 * nothing, any word may match, so a half-remembered phrase still gets results.
 */
export function searchBook(index: MiniSearch<SearchDoc>, query: string, limit = 40): SearchHit[] {
  const q = query.trim();
  if (q === '') return [];
  let results = index.search(q, { ...QUERY, combineWith: 'AND' });
  if (results.length === 0) results = index.search(q, { ...QUERY, combineWith: 'OR' });
  return results.slice(0, limit).map((r) => {
    const text = String(r['text'] ?? '');
    const anchor = r['anchor'] as string | undefined;
    return {
      id: String(r.id),
      kind: r['kind'] as SearchDocKind,
      chapter: Number(r['chapter']),
      ...(anchor === undefined ? {} : { anchor }),
      title: String(r['title'] ?? ''),
      ref: String(r['ref'] ?? ''),
      score: r.score,
      snippet: snippet(text, [...r.terms, ...r.queryTerms]),
    };
  });
}

const BEFORE = 50;
const AFTER = 150;

/**
 * The part of `text` around the first matched term, with every matched term marked. Terms are
 * lowercase index terms; they are found case-insensitively in the original text.
 */
export function snippet(text: string, terms: readonly string[]): SnippetPart[] {
  const lower = text.toLowerCase();
  const wanted = [...new Set(terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  let first = -1;
  for (const term of wanted) {
    const at = lower.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  let start = first < 0 ? 0 : Math.max(0, first - BEFORE);
  let end = Math.min(text.length, (first < 0 ? 0 : first) + AFTER);
  // Cut at word boundaries so the snippet does not open or close mid-word.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < (first < 0 ? end : first)) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + AFTER / 2) end = space;
  }
  const window = text.slice(start, end);
  const marks: [number, number][] = [];
  const windowLower = window.toLowerCase();
  for (const term of wanted) {
    for (let at = windowLower.indexOf(term); at >= 0; at = windowLower.indexOf(term, at + term.length)) {
      if (!marks.some(([s, e]) => at < e && at + term.length > s)) marks.push([at, at + term.length]);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', mark: false });
  let cursor = 0;
  for (const [s, e] of marks) {
    if (s > cursor) parts.push({ text: window.slice(cursor, s), mark: false });
    parts.push({ text: window.slice(s, e), mark: true });
    cursor = e;
  }
  if (cursor < window.length) parts.push({ text: window.slice(cursor), mark: false });
  if (end < text.length) parts.push({ text: '…', mark: false });
  return parts;
}
