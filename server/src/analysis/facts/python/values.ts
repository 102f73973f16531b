import type { Node } from 'web-tree-sitter';
import type { LineIndex } from '../../parsing/positions.js';
import { listLayout, unquote } from '../common.js';
import type { ArgumentsFact, ObjectFact, PropertyFact, ValueFact, ValueKind } from '../types.js';

/**
 * Python values as the rules read them: literals by kind, dict displays with string keys as
 * objects, and call arguments split into positional and keyword ones.
 */

export type Resolver = (node: Node | null) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = {
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
};

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  let kind = KINDS[node.type] ?? 'other';
  if (node.type === 'unary_operator' && node.namedChild(0)?.type.match(/integer|float/)) kind = 'number';
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call' || kind === 'identifier' || kind === 'member') {
    const api = resolve(kind === 'call' ? node.childForFieldName('function') : node);
    return api === undefined ? base : { ...base, api };
  }
  if (kind === 'object') return { ...base, object: dictFact(node, resolve, lines) };
  return base;
}

function dictFact(node: Node, resolve: Resolver, lines: LineIndex): ObjectFact {
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
        props.set(name, { key: name, value: valueFact(value, resolve, lines), start: child.startIndex, end: child.endIndex });
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
