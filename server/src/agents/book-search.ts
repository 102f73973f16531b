/**
 * Full-text search of the book for routing. It reuses the sidebar's MiniSearch index (the same
 * documents, tokenizer and term processing, see webview/src/search-index.ts), so an agent and a
 * person searching the same words find the same rows and rules. The build writes the index to
 * `dist/search-index.json`; loading that takes about 60 ms where building it from the catalog takes
 * 200 to 500 ms (the whole book is indexed, sections included), so front ends pass the file when
 * they have it and the tests build it from the catalog.
 */
import type MiniSearch from 'minisearch';
import type { SearchOptions } from 'minisearch';
import type { Catalog } from '../catalog/types.js';
import { buildSearchIndex, loadSearchIndex, type SearchDoc, type SearchDocKind } from '../../../webview/src/search-index.js';

export interface BookHit {
  readonly id: string;
  readonly kind: Extract<SearchDocKind, 'row' | 'rule' | 'chapter'>;
  readonly chapter: number;
  /** The hit's score divided by the best hit's: 1 for the best, comparable across queries. */
  readonly relative: number;
  /** Query words that matched, for the evidence shown to the agent. */
  readonly words: readonly string[];
}

/**
 * Words that say what kind of work a task is but not which reliability topic it touches. They are
 * dropped from the query because, matched by prefix, they pull in unrelated rows ("add" → "address").
 */
const FILLER = new Set([
  'add', 'adding', 'make', 'making', 'build', 'building', 'write', 'writing', 'create', 'creating', 'implement', 'new',
  'use', 'using', 'need', 'want', 'should', 'can', 'how', 'do', 'does', 'i', 'we', 'my', 'our', 'when', 'into', 'onto',
  'up', 'set', 'setup', 'some', 'code', 'function', 'feature', 'please', 'then', 'so', 'if', 'all', 'each', 'every',
  'not', 'no', 'its', 'their', 'them', 'they', 'what', 'which', 'will', 'would', 'about', 'after', 'before',
]);

const KINDS = new Set<string>(['row', 'rule', 'chapter']);

/** Rule ids and option names are matched as typed; fuzziness is for words in prose. */
const QUERY: SearchOptions = {
  combineWith: 'OR',
  prefix: (term) => term.length >= 4,
  fuzzy: (term) => (/\d/.test(term) || term.length < 5 ? false : 0.2),
  boost: { ref: 4, title: 3, text: 1 },
  filter: (result) => KINDS.has(String(result['kind'])),
};

export class BookSearch {
  private readonly index: MiniSearch<SearchDoc>;

  constructor(catalog: Catalog, indexJson?: string) {
    this.index = indexJson === undefined ? buildSearchIndex(catalog) : loadSearchIndex(indexJson);
  }

  /** Hits for a task in words, best first; `extra` are terms the keyword table adds. */
  search(task: string, extra: readonly string[] = []): BookHit[] {
    const words = (task.toLowerCase().match(/[\p{L}\p{N}_$.\-/]+/gu) ?? [])
      .map((w) => w.replace(/^[.\-/]+|[.\-/]+$/g, ''))
      .filter((w) => w.length > 1 && !FILLER.has(w));
    const query = [...new Set([...words, ...extra])].join(' ');
    if (query === '') return [];
    const results = this.index.search(query, QUERY);
    const best = results[0]?.score ?? 0;
    if (best <= 0) return [];
    return results.map((r) => ({
      id: String(r.id),
      kind: r['kind'] as BookHit['kind'],
      chapter: Number(r['chapter']),
      relative: r.score / best,
      words: [...new Set(r.queryTerms)],
    }));
  }
}
