import { isMap, isNode, isPair, isScalar, isSeq, Lexer, parseAllDocuments, type Document, type Pair, type YAMLMap } from 'yaml';
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

/**
 * One Kubernetes object: a document's top-level map, or an item of a `kind: List` document (what
 * `kubectl get -o yaml` prints for several objects).
 */
export interface YamlResource {
  readonly root: YAMLMap;
  readonly kind: string | undefined;
  readonly kindRange: TextRange | undefined;
}

export interface YamlFacts {
  readonly text: string;
  readonly lines: LineIndex;
  readonly documents: readonly YamlDocumentFacts[];
  /** Every object of the stream, documents and list items alike, in order. */
  readonly resources: readonly YamlResource[];
  readonly comments: readonly { readonly text: string; readonly start: number; readonly end: number }[];
  readonly hasSyntaxErrors: boolean;
}

/** The lexer's control tokens mark structure and take no room in the source. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * The deepest nesting of flow collections (`{` and `[`) the `yaml` package is asked to compose.
 * Its composer recurses once per level; a few thousand levels (found by fuzzing, issue 7) bring the
 * stack so close to its end that V8 aborts the whole process ("RegExpCompiler Allocation failed")
 * instead of throwing. No real manifest nests anywhere near this deep.
 */
const MAX_FLOW_DEPTH = 1000;

export function yamlFacts(text: string): YamlFacts {
  const lines = new LineIndex(text);
  // YAML counts a lone CR as a line break (YAML 1.2, 5.4: b-break), but the `yaml` package reads
  // only LF and CRLF, so a file saved with CR line ends parsed as one long line. Both are one code
  // unit: the stream is read with each lone CR as LF, and every offset still holds for `text`.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const documents: YamlDocumentFacts[] = [];
  const resources: YamlResource[] = [];
  // The lexer runs first: its tokens give the comments, and the flow nesting depth decides whether
  // the stream may be composed at all (see MAX_FLOW_DEPTH).
  const comments: { text: string; start: number; end: number }[] = [];
  let offset = 0;
  let depth = 0;
  let maxDepth = 0;
  for (const token of new Lexer().lex(source)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token.startsWith('#')) comments.push({ text: token, start: offset, end: offset + token.length });
    else if (token === '{' || token === '[') maxDepth = Math.max(maxDepth, ++depth);
    else if (token === '}' || token === ']') depth = Math.max(0, depth - 1);
    offset += token.length;
  }
  // Too deep to compose safely: the file is reported as broken and yields no resources.
  if (maxDepth > MAX_FLOW_DEPTH) return { text, lines, documents, resources, comments, hasSyntaxErrors: true };
  let hasSyntaxErrors = false;
  for (const document of parseAllDocuments(source, { uniqueKeys: false })) {
    if (document.errors.length > 0) hasSyntaxErrors = true;
    const root = isMap(document.contents) ? document.contents : undefined;
    const resource = root === undefined ? undefined : resourceOf(root);
    documents.push({ document, root, kind: resource?.kind, kindRange: resource?.kindRange });
    if (resource === undefined) continue;
    resources.push(resource);
    const items = resource.kind === 'List' ? pairOf(resource.root, 'items')?.value : undefined;
    if (isSeq(items)) for (const item of items.items) if (isMap(item)) resources.push(resourceOf(item));
  }
  return { text, lines, documents, resources, comments, hasSyntaxErrors };
}

function resourceOf(root: YAMLMap): YamlResource {
  const kindNode = pairOf(root, 'kind')?.value;
  const kind = isScalar(kindNode) && typeof kindNode.value === 'string' ? kindNode.value : undefined;
  const kindRange = isScalar(kindNode) && kindNode.range != null ? { start: kindNode.range[0], end: kindNode.range[1] } : undefined;
  return { root, kind, kindRange };
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
 * An edit that adds `key: value` to a map, after the pair named `after` when present (else first).
 * In a block map the entry gets its own line at the map's indentation; it goes right after the
 * anchor's line only when the anchor's value is a one-line scalar, else before the next pair, so
 * that it never lands inside a nested block or a block scalar. In a flow map it is appended after
 * the anchor's value (or the last pair's) with a comma.
 */
export function insertMapEntry(facts: YamlFacts, map: YAMLMap, entry: string, after?: string): { start: number; end: number; newText: string } | undefined {
  const anchor = after === undefined ? undefined : pairOf(map, after);
  if (map.flow === true) {
    const last = anchor ?? map.items[map.items.length - 1];
    const end = last === undefined ? undefined : nodeEnd(last.value) ?? nodeEnd(last.key);
    if (end !== undefined) return { start: end, end, newText: `, ${entry}` };
    if (map.range == null) return undefined;
    return { start: map.range[0] + 1, end: map.range[0] + 1, newText: ` ${entry} ` };
  }
  const first = map.items[0];
  if (!isPair(first)) return undefined;
  const firstKey = keyRange(first);
  if (firstKey === undefined) return undefined;
  const lines = facts.lines;
  const indent = ' '.repeat(firstKey.start - lines.lineStart(lines.lineOf(firstKey.start)));
  const eol = lines.eol;
  const anchorValue = anchor?.value;
  if (anchor !== undefined && isScalar(anchorValue) && anchorValue.range != null && isOneLine(facts, anchorValue.type, anchorValue.range[0], anchorValue.range[1])) {
    let lineEnd = anchorValue.range[1];
    while (lineEnd < facts.text.length && facts.text[lineEnd] !== '\n' && facts.text[lineEnd] !== '\r') lineEnd++;
    return { start: lineEnd, end: lineEnd, newText: `${eol}${indent}${entry}` };
  }
  const next = anchor === undefined ? undefined : map.items[map.items.indexOf(anchor) + 1];
  const nextKey = next === undefined ? undefined : keyRange(next);
  const at = nextKey ?? firstKey;
  return { start: at.start, end: at.start, newText: `${entry}${eol}${indent}` };
}

function nodeEnd(node: unknown): number | undefined {
  return isNode(node) && node.range != null ? node.range[1] : undefined;
}

function isOneLine(facts: YamlFacts, type: string | undefined, start: number, end: number): boolean {
  if (type === 'BLOCK_FOLDED' || type === 'BLOCK_LITERAL') return false;
  return facts.lines.lineOf(start) === facts.lines.lineOf(end);
}

/** `kind: CronWorkflow` of Argo Workflows' API group (`apiVersion: argoproj.io/v1alpha1`). */
export function isArgoCronWorkflow(resource: YamlResource): boolean {
  const version = pairOf(resource.root, 'apiVersion')?.value;
  return resource.kind === 'CronWorkflow' && isScalar(version) && typeof version.value === 'string' && version.value.startsWith('argoproj.io/');
}
