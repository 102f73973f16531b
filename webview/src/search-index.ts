/**
 * The book's search index: which documents it holds and how text becomes terms. The build
 * (esbuild.mjs) calls buildSearchIndex() once and writes `dist/search-index.json`; the webview
 * loads that file with the same SEARCH_OPTIONS, because MiniSearch does not serialise functions and
 * an index read with another tokenizer would silently miss terms.
 */
import MiniSearch, { type Options } from 'minisearch';
import type { Catalog, Chapter } from '../../server/src/catalog/types';
import { AnchorCounter, ruleIdOfHeading } from './anchors';

export type SearchDocKind = 'chapter' | 'rule' | 'section' | 'row';

export interface SearchDoc {
  readonly id: string;
  readonly kind: SearchDocKind;
  readonly chapter: number;
  /** Heading anchor in the chapter; absent for chapters and matrix rows. */
  readonly anchor?: string;
  readonly title: string;
  /** The id a reader cites: `R5.1`, `M12`, `Chapter 5`. */
  readonly ref: string;
  /** Plain text, for matching and for the result's snippet. */
  readonly text: string;
}

/**
 * Identifiers stay whole (`acks_late`, `http-timeout`, `R5.1`, `requests.post`) so that a search
 * for one finds it exactly; their parts (`acks`, `late`, `job` and `Id` of `jobId`) are indexed too.
 */
const TOKEN = /[\p{L}\p{N}_$]+(?:[.\-/][\p{L}\p{N}_$]+)*/gu;
const PARTS = /[.\-/_$]+|(?<=\p{Ll})(?=\p{Lu})/u;
const STOP_WORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'that', 'the', 'this', 'to', 'with']);

export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    out.push(token);
    const parts = token.split(PARTS).filter((p) => p !== '');
    if (parts.length > 1) out.push(...parts);
  }
  return out;
}

/** A query keeps compound identifiers whole: the index holds them whole as well as in parts. */
export function queryTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function processTerm(term: string): string | null {
  const lower = term.toLowerCase();
  return STOP_WORDS.has(lower) ? null : lower;
}

export const SEARCH_OPTIONS: Options<SearchDoc> = {
  idField: 'id',
  fields: ['ref', 'title', 'text'],
  storeFields: ['kind', 'chapter', 'anchor', 'title', 'ref', 'text'],
  tokenize: indexTokens,
  processTerm,
  searchOptions: { tokenize: queryTokens, processTerm },
};

/** Markdown to searchable, displayable plain text: markup characters out, words and code kept. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(```+|~~~+).*$/gm, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?/gm, '')
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, ' ')
    .replace(/\|/g, ' ')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)[*_]([^*_\s][^*_]*?)[*_](?=\s|[.,;:!?)]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Heading {
  readonly line: number;
  readonly level: number;
  readonly source: string;
  readonly anchor: string;
}

/** The ATX headings outside code fences, in order, with the anchors the renderer gives them. */
export function chapterHeadings(markdown: string): Heading[] {
  const counter = new AnchorCounter();
  const headings: Heading[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((line, i) => {
    const open = /^\s{0,3}(```+|~~~+)/.exec(line);
    if (open !== null) {
      const marker = open[1] ?? '';
      if (fence === undefined) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const h = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+\s*)?$/.exec(line);
    if (h === null) return;
    const source = (h[2] ?? '').trim();
    headings.push({ line: i, level: (h[1] ?? '#').length, source, anchor: counter.next(source) });
  });
  return headings;
}

function sectionDocs(chapter: Chapter): SearchDoc[] {
  const lines = chapter.markdown.split(/\r?\n/);
  const headings = chapterHeadings(chapter.markdown);
  const docs: SearchDoc[] = [];
  headings.forEach((heading, i) => {
    // Rule blocks are indexed from the catalog's rules; the matrix table row by row.
    if (ruleIdOfHeading(heading.source) !== undefined) return;
    if (chapter.id === 2 && heading.source === 'Matrix') return;
    const end = headings[i + 1]?.line ?? lines.length;
    const text = plainText(lines.slice(heading.line + 1, end).join('\n'));
    if (text === '') return;
    docs.push({
      id: `c${chapter.id}:${heading.anchor}`,
      kind: 'section',
      chapter: chapter.id,
      anchor: heading.anchor,
      title: heading.level === 1 ? chapter.title : plainText(heading.source),
      ref: `Chapter ${chapter.id}`,
      text,
    });
  });
  return docs;
}

export function searchDocuments(catalog: Catalog): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const chapter of catalog.chapters) {
    docs.push({ id: `c${chapter.id}`, kind: 'chapter', chapter: chapter.id, title: chapter.title, ref: `Chapter ${chapter.id}`, text: plainText(chapter.loadWhen) });
    for (const id of chapter.ruleIds) {
      const rule = catalog.rules[id];
      if (rule === undefined) continue;
      docs.push({
        id: rule.id,
        kind: 'rule',
        chapter: rule.chapter,
        anchor: rule.anchor,
        title: rule.title,
        ref: rule.id,
        text: plainText(`${rule.rule}\n${rule.why}\n${rule.apply}`),
      });
    }
    docs.push(...sectionDocs(chapter));
  }
  for (const row of catalog.matrix) {
    docs.push({
      id: row.id,
      kind: 'row',
      chapter: 2,
      title: plainText(row.task),
      ref: row.id,
      text: plainText(`${row.firstMove} ${row.matches.join(' ')}`),
    });
  }
  return docs;
}

export function buildSearchIndex(catalog: Catalog): MiniSearch<SearchDoc> {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll(searchDocuments(catalog));
  return index;
}

/** The build's entry: the index as the JSON text that `MiniSearch.loadJSON` reads. */
export function searchIndexJson(catalog: Catalog): string {
  return JSON.stringify(buildSearchIndex(catalog).toJSON());
}

export function loadSearchIndex(json: string): MiniSearch<SearchDoc> {
  return MiniSearch.loadJSON<SearchDoc>(json, SEARCH_OPTIONS);
}
