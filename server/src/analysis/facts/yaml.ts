import { isMap, isPair, isScalar, Lexer, parseAllDocuments, type Document, type Pair, type YAMLMap } from 'yaml';
import { LineIndex } from '../parsing/positions.js';
import type { TextRange } from '../types.js';

/**
 * Facts of a YAML stream: each document's top-level map, with the pairs rules need. Parsed with
 * the `yaml` package, which gives exact offsets per document of a multi-document stream.
 */
export interface YamlDocumentFacts {
  readonly document: Document.Parsed;
  readonly root: YAMLMap | undefined;
  /** The value of `kind:`, when it is a plain string. */
  readonly kind: string | undefined;
  readonly kindRange: TextRange | undefined;
}

export interface YamlFacts {
  readonly text: string;
  readonly lines: LineIndex;
  readonly documents: readonly YamlDocumentFacts[];
  readonly comments: readonly { readonly text: string; readonly start: number; readonly end: number }[];
  readonly hasSyntaxErrors: boolean;
}

/** The lexer's control tokens mark structure and take no room in the source. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

export function yamlFacts(text: string): YamlFacts {
  const lines = new LineIndex(text);
  const documents: YamlDocumentFacts[] = [];
  let hasSyntaxErrors = false;
  for (const document of parseAllDocuments(text, { uniqueKeys: false })) {
    if (document.errors.length > 0) hasSyntaxErrors = true;
    const root = isMap(document.contents) ? document.contents : undefined;
    const kindPair = root === undefined ? undefined : pairOf(root, 'kind');
    const kindNode = kindPair?.value;
    const kind = isScalar(kindNode) && typeof kindNode.value === 'string' ? kindNode.value : undefined;
    const kindRange = isScalar(kindNode) && kindNode.range != null ? { start: kindNode.range[0], end: kindNode.range[1] } : undefined;
    documents.push({ document, root, kind, kindRange });
  }
  const comments: { text: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token.startsWith('#')) comments.push({ text: token, start: offset, end: offset + token.length });
    offset += token.length;
  }
  return { text, lines, documents, comments, hasSyntaxErrors };
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item;
  }
  return undefined;
}

export function mapAt(map: YAMLMap | undefined, ...path: string[]): YAMLMap | undefined {
  let current: YAMLMap | undefined = map;
  for (const key of path) {
    if (current === undefined) return undefined;
    const value: unknown = pairOf(current, key)?.value;
    current = isMap(value) ? value : undefined;
  }
  return current;
}

export function scalarValue(map: YAMLMap | undefined, key: string): { value: unknown; range: TextRange } | undefined {
  if (map === undefined) return undefined;
  const node = pairOf(map, key)?.value;
  if (!isScalar(node) || node.range == null) return undefined;
  return { value: node.value, range: { start: node.range[0], end: node.range[1] } };
}

export function keyRange(pair: Pair): TextRange | undefined {
  return isScalar(pair.key) && pair.key.range != null ? { start: pair.key.range[0], end: pair.key.range[1] } : undefined;
}

/**
 * An edit that adds `key: value` to a block map as a new line, after the pair named `after` when
 * present (else before the first pair), at the map's own indentation.
 */
export function insertMapEntry(facts: YamlFacts, map: YAMLMap, entry: string, after?: string): { start: number; end: number; newText: string } | undefined {
  if (map.flow === true) return undefined;
  const first = map.items[0];
  if (!isPair(first)) return undefined;
  const firstKey = keyRange(first);
  if (firstKey === undefined) return undefined;
  const indent = ' '.repeat(firstKey.start - facts.lines.lineStart(facts.lines.lineOf(firstKey.start)));
  const eol = facts.lines.eol;
  const anchor = after === undefined ? undefined : pairOf(map, after);
  const anchorValue = anchor?.value;
  if (anchor !== undefined && isScalar(anchorValue) && anchorValue.range != null) {
    let lineEnd = anchorValue.range[1];
    while (lineEnd < facts.text.length && facts.text[lineEnd] !== '\n' && facts.text[lineEnd] !== '\r') lineEnd++;
    return { start: lineEnd, end: lineEnd, newText: `${eol}${indent}${entry}` };
  }
  return { start: firstKey.start, end: firstKey.start, newText: `${entry}${eol}${indent}` };
}
