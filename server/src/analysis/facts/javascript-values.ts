import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import type { LineIndex } from '../parsing/positions.js';
import { buildBottomUp, listLayout, unquote } from './common.js';
import type { ArgumentsFact, ObjectFact, PropertyFact, ValueFact, ValueKind } from './types.js';

/*
 * The facts of a JavaScript or TypeScript value and of a call's arguments, as the rules read them:
 * the value's kind, the API it resolves to, an object's properties and its layout for fixes.
 */

export type Resolver = (node: Node | null) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = lookupTable({
  null: 'none',
  undefined: 'none',
  true: 'true',
  false: 'false',
  number: 'number',
  string: 'string',
  template_string: 'string',
  identifier: 'identifier',
  member_expression: 'member',
  call_expression: 'call',
  new_expression: 'call',
  object: 'object',
  array: 'array',
  arrow_function: 'function',
  function_expression: 'function',
});

/** Type assertions and parentheses do not change the value: `{ forever: true } as const` is an object. */
const TRANSPARENT = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'parenthesized_expression']);

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  return buildBottomUp<ValueFact>(node, innerValues, (value, built) => {
    const inner = TRANSPARENT.has(value.type) ? value.namedChild(0) : null;
    if (inner !== null) return built(inner);
    const kind: ValueKind = value.type === 'identifier' && value.text === 'undefined' ? 'none' : (KINDS[value.type] ?? 'other');
    const base = { kind, text: value.text, start: value.startIndex, end: value.endIndex, node: value };
    if (kind === 'call' || kind === 'identifier' || kind === 'member') {
      const api = resolve(value);
      return api === undefined ? base : { ...base, api };
    }
    if (kind === 'object') return { ...base, object: objectFact(value, built, lines) };
    return base;
  });
}

/** The values inside `node` whose facts its own fact holds: a wrapped value, an object's property values. */
function innerValues(node: Node): Node[] {
  if (TRANSPARENT.has(node.type)) return node.namedChildren.slice(0, 1).filter((c) => c !== null);
  if (node.type !== 'object') return [];
  return node.namedChildren.filter((c) => c?.type === 'pair').map((c) => c?.childForFieldName('value')).filter((v) => v != null);
}

function objectFact(node: Node, built: (value: Node) => ValueFact, lines: LineIndex): ObjectFact {
  const props = new Map<string, PropertyFact>();
  let hasSpread = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key === null || value === null || key.type === 'computed_property_name') {
        hasSpread = true;
        continue;
      }
      const name = key.type === 'string' ? unquote(key.text) : key.text;
      props.set(name, { key: name, value: built(value), start: child.startIndex, end: child.endIndex });
    } else if (child.type === 'shorthand_property_identifier') {
      props.set(child.text, { key: child.text, value: built(child), start: child.startIndex, end: child.endIndex });
    } else if (child.type === 'method_definition') {
      const name = child.childForFieldName('name')?.text;
      if (name !== undefined) props.set(name, { key: name, value: built(child), start: child.startIndex, end: child.endIndex });
    } else {
      hasSpread = true;
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
  let hasSplat = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'spread_element') hasSplat = true;
    else positional.push(valueFact(child, resolve, lines));
  }
  return {
    positional,
    keywords: new Map(),
    hasSplat,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, node, last),
  };
}
