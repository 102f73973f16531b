import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../../lookup.js';
import type { LineIndex } from '../../parsing/positions.js';
import { buildBottomUp, listLayout, unquote } from '../common.js';
import type { ArgumentsFact, ObjectFact, PropertyFact, ValueFact, ValueKind } from '../types.js';

/**
 * Python values as the rules read them: literals by kind, dict displays with string keys as
 * objects, and call arguments split into positional and keyword ones.
 */

export type Resolver = (node: Node | null) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = lookupTable({
  none: 'none',
  true: 'true',
  false: 'false',
  integer: 'number',
  float: 'number',
  string: 'string',
  concatenated_string: 'string',
  identifier: 'identifier',
  attribute: 'member',
  call: 'call',
  dictionary: 'object',
  list: 'array',
  tuple: 'array',
  lambda: 'function',
});

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  return buildBottomUp<ValueFact>(node, dictValues, (value, built) => {
    let kind = KINDS[value.type] ?? 'other';
    if (value.type === 'unary_operator' && value.namedChild(0)?.type.match(/integer|float/)) kind = 'number';
    const base = { kind, text: value.text, start: value.startIndex, end: value.endIndex, node: value };
    if (kind === 'call' || kind === 'identifier' || kind === 'member') {
      const api = resolve(kind === 'call' ? value.childForFieldName('function') : value);
      return api === undefined ? base : { ...base, api };
    }
    if (kind === 'object') return { ...base, object: dictFact(value, built, lines) };
    return base;
  });
}

/** The values of a dict display's pairs, whose facts its own fact holds. */
function dictValues(node: Node): Node[] {
  if (node.type !== 'dictionary') return [];
  return node.namedChildren.filter((c) => c?.type === 'pair').map((c) => c?.childForFieldName('value')).filter((v) => v != null);
}

function dictFact(node: Node, built: (value: Node) => ValueFact, lines: LineIndex): ObjectFact {
  const props = new Map<string, PropertyFact>();
  let hasSpread = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'dictionary_splat') hasSpread = true;
    else if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key?.type === 'string' && value !== null) {
        const name = unquote(key.text);
        props.set(name, { key: name, value: built(value), start: child.startIndex, end: child.endIndex });
      } else hasSpread = true;
    }
  }
  return {
    props,
    hasSpread,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, node, last),
  };
}

export function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex): ArgumentsFact {
  const positional: ValueFact[] = [];
  const keywords = new Map<string, PropertyFact>();
  let hasSplat = node.type !== 'argument_list';
  let last: Node | undefined;
  if (node.type === 'argument_list') {
    for (const child of node.namedChildren) {
      if (child === null || child.type === 'comment') continue;
      last = child;
      if (child.type === 'keyword_argument') {
        const name = child.childForFieldName('name')?.text;
        const value = child.childForFieldName('value');
        if (name !== undefined && value !== null) {
          keywords.set(name, { key: name, value: valueFact(value, resolve, lines), start: child.startIndex, end: child.endIndex });
        }
      } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') hasSplat = true;
      else positional.push(valueFact(child, resolve, lines));
    }
  }
  return {
    positional,
    keywords,
    hasSplat,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, node, last),
  };
}
