import type { Node } from 'web-tree-sitter';
import { lineBreakOf } from './parsing/positions.js';
import type { OffsetMap, RowMap } from './result-items.js';
import type { LanguageId } from './types.js';

/**
 * The in-body edit's context texts (`incremental.ts`): a document's top-level statements as units,
 * the declarations the fast path can re-analyse alone, and the small text of a declaration with
 * the statements it needs, with the maps from that text's offsets and rows back to the document's.
 */

/** A top-level statement: a declaration with a body (a unit the fast path can re-analyse alone) or anything else. */
export interface Unit {
  readonly start: number;
  readonly end: number;
  /** The 0-based rows of its start and its end. */
  readonly startRow: number;
  readonly endRow: number;
  /** For a declaration: its name, its node type and its body's range; undefined for other statements. */
  readonly declaration: { readonly name: string; readonly type: string; readonly bodyStart: number; readonly bodyEnd: number; readonly bodyRow: number } | undefined;
  /**
   * For a statement that only binds names (a JavaScript `const` whose value a call builds, a
   * TypeScript type): those names, and the context holds it only when they are used there.
   * Undefined for any other statement, which every context holds.
   */
  readonly binds?: readonly string[];
}

/** A context text: slices of the document joined by line breaks, and where each slice came from. */
export interface Context {
  readonly text: string;
  /** Each slice: where it starts in the context and in the document, and its first row in both. */
  readonly segments: readonly { readonly contextStart: number; readonly start: number; readonly length: number; readonly contextRow: number; readonly row: number }[];
  /** The declaration's slice: its index in `segments`. */
  readonly target: number;
  /** The document's line break, which the context must use too. */
  readonly eol: string;
}

/** The languages with a fast path, and their declarations with a body. */
export const DECLARATIONS: Partial<Record<LanguageId, ReadonlySet<string>>> = {
  python: new Set(['function_definition', 'class_definition']),
  javascript: new Set(['function_declaration', 'generator_function_declaration', 'class_declaration']),
  typescript: new Set(['function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'interface_declaration', 'enum_declaration']),
  tsx: new Set(['function_declaration', 'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'interface_declaration', 'enum_declaration']),
  go: new Set(['function_declaration', 'method_declaration']),
  ruby: new Set(['class', 'module', 'method', 'singleton_method']),
  // A Java file's declarations are the members of its top-level classes (see `topLevel`).
  java: new Set(['method_declaration', 'constructor_declaration']),
};

/** A top-level statement, or in Java a class's head (to its body's brace), member or closing brace. */
export interface TopLevel {
  readonly node: Node | undefined;
  readonly start: number;
  readonly end: number;
  readonly startRow: number;
  readonly endRow: number;
}

const whole = (node: Node): TopLevel => ({ node, start: node.startIndex, end: node.endIndex, startRow: node.startPosition.row, endRow: node.endPosition.row });

/**
 * The units of a file, in the text's order. A Java file holds its methods inside a class: each
 * top-level class is cut into its head (annotations, name, `extends`, up to the body's brace),
 * each member (with its indentation), and the closing brace, so that a method is a unit as a
 * Python function is.
 */
export function topLevel(root: Node, language: LanguageId, text: string): TopLevel[] {
  const out: TopLevel[] = [];
  for (const node of root.children) {
    if (node === null) continue;
    const body = language === 'java' && node.type === 'class_declaration' ? node.childForFieldName('body') : null;
    if (body == null || body.type !== 'class_body') {
      out.push(whole(node));
      continue;
    }
    out.push({ node: undefined, start: node.startIndex, end: body.startIndex + 1, startRow: node.startPosition.row, endRow: body.startPosition.row });
    for (const member of body.children) {
      // The braces are the head's and the closing unit's.
      if (member === null || member.type === '{' || member.type === '}') continue;
      // A member's unit starts at its line's start when only its indentation comes before it: the
      // fixes and suppressions the context's analysis writes take the indentation of the line.
      let start = member.startIndex;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      out.push({ ...whole(member), start: start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r' ? start : member.startIndex });
    }
    out.push({ node: undefined, start: body.endIndex - 1, end: body.endIndex, startRow: body.endPosition.row, endRow: body.endPosition.row });
  }
  return out;
}

const JAVASCRIPT_FUNCTIONS = new Set(['arrow_function', 'function_expression', 'function', 'generator_function', 'class']);
const TYPESCRIPT_BINDINGS = new Set(['type_alias_declaration']);

/** What a top-level statement declares: a declaration with a body, names only, or neither (undefined). */
type Declared = { readonly kind: 'body'; readonly type: string; readonly name: string; readonly body: Node } | { readonly kind: 'binds'; readonly names: readonly string[] };

/**
 * What a top-level node declares: the definition a Python decorator or a JavaScript `export` wraps,
 * a JavaScript `const` bound to a function, the names of other `const`s and TypeScript types.
 */
export function declared(node: Node, language: LanguageId): Declared | undefined {
  const types = DECLARATIONS[language];
  if (types === undefined) return undefined;
  const inner = node.type === 'decorated_definition' ? node.childForFieldName('definition')
    : node.type === 'export_statement' ? node.childForFieldName('declaration') : node;
  if (inner == null) return undefined;
  if (types.has(inner.type)) {
    const name = inner.childForFieldName('name')?.text;
    const body = inner.childForFieldName('body');
    return name === undefined || body == null ? undefined : { kind: 'body', type: inner.type, name, body };
  }
  if (language !== 'javascript' && language !== 'typescript' && language !== 'tsx') return undefined;
  if (TYPESCRIPT_BINDINGS.has(inner.type)) {
    const name = inner.childForFieldName('name')?.text;
    return name === undefined ? undefined : { kind: 'binds', names: [name] };
  }
  if (inner.type !== 'lexical_declaration' && inner.type !== 'variable_declaration') return undefined;
  const declarators = inner.namedChildren.filter((child): child is Node => child?.type === 'variable_declarator');
  const names = declarators.map((d) => d.childForFieldName('name')).map((n) => (n?.type === 'identifier' ? n.text : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  const values = declarators.map((d) => d.childForFieldName('value'));
  const value = values.length === 1 ? values[0] : undefined;
  const body = value != null && JAVASCRIPT_FUNCTIONS.has(value.type) ? value.childForFieldName('body') : undefined;
  if (body != null && value != null) return { kind: 'body', type: `${inner.type}/${value.type}`, name: names[0] as string, body };
  // Only a value built by a call (a client, a queue, a worker) waits until a name asks for it: the
  // file's constants are read without their names (a fix that prefers a named timeout).
  return values.every((v) => v?.type === 'new_expression' || v?.type === 'call_expression' || v?.type === 'await_expression') ? { kind: 'binds', names: names as string[] } : undefined;
}

/** The index of the unit that holds `offset`, or -1. */
export function unitIndexAt(units: readonly Unit[], offset: number): number {
  let low = 0;
  let high = units.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const unit = units[middle] as Unit;
    if (offset < unit.start) high = middle - 1;
    else if (offset >= unit.end) low = middle + 1;
    else return middle;
  }
  return -1;
}

/**
 * What joins two slices of a context: the document's line break (fixes write the line break of the
 * text they fix), and in JavaScript an empty statement too, so that a statement without its
 * semicolon never runs on into the next slice (automatic semicolon insertion reads the next line).
 */
function separatorOf(language: LanguageId, eol: string): string {
  return language === 'python' ? eol : `${eol};${eol}`;
}

/** The number of line breaks in a text, counted as `LineIndex` counts them (CR LF is one). */
export function rowsIn(text: string): number {
  let rows = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) rows++;
  }
  return rows;
}

/**
 * Builds the context text of the declaration at `target`, with its text `declaration` (the previous
 * or the new one); `delta` and `rowDelta` are how far the units after it have moved in `text`.
 */
export function contextOf(language: LanguageId, text: string, units: readonly Unit[], included: readonly number[], target: number, declaration: string, delta: number, rowDelta: number): Context {
  const separator = separatorOf(language, lineBreakOf(text));
  const separatorRows = rowsIn(separator);
  const parts: string[] = [];
  const segments: { contextStart: number; start: number; length: number; contextRow: number; row: number }[] = [];
  let length = 0;
  let contextRow = 0;
  let targetSegment = -1;
  const targetUnit = units[target] as Unit;
  for (const index of included) {
    const unit = units[index] as Unit;
    // `text` is the document's text the declaration belongs to: the units after it have moved by `delta`.
    const after = unit.start >= targetUnit.end;
    const start = after ? unit.start + delta : unit.start;
    const slice = index === target ? declaration : text.slice(start, start + unit.end - unit.start);
    if (index === target) targetSegment = segments.length;
    segments.push({ contextStart: length, start, length: slice.length, contextRow, row: after ? unit.startRow + rowDelta : unit.startRow });
    parts.push(slice);
    length += slice.length + separator.length;
    contextRow += (index === target ? rowsIn(slice) : unit.endRow - unit.startRow) + separatorRows;
  }
  return { text: parts.join(separator), segments, target: targetSegment, eol: lineBreakOf(text) };
}

/** The last segment whose start (`contextRow` or `contextStart`) is at or before `at`. */
function segmentAt(context: Context, key: 'contextRow' | 'contextStart', at: number): Context['segments'][number] | undefined {
  let low = 0;
  let high = context.segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((context.segments[middle]?.[key] ?? 0) <= at) low = middle;
    else high = middle - 1;
  }
  return context.segments[low];
}

/** Maps a row of a context text to the document's. */
export function contextRows(context: Context): RowMap {
  return (row) => {
    const segment = segmentAt(context, 'contextRow', row);
    return segment === undefined ? row : segment.row + row - segment.contextRow;
  };
}

/** Maps an offset of a context text to the document's; a separator maps to the end of the slice before it. */
export function contextMap(context: Context): OffsetMap {
  return (offset) => {
    const segment = segmentAt(context, 'contextStart', offset);
    return segment === undefined ? offset : segment.start + Math.min(offset - segment.contextStart, segment.length);
  };
}
