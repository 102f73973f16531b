import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import type { LineIndex } from '../parsing/positions.js';
import { listLayout, unquote } from './common.js';
import type { ArgumentsFact, ObjectFact, PropertyFact, ValueFact, ValueKind } from './types.js';

/**
 * Ruby values as facts: literals, hashes and argument lists. Ruby passes options as a trailing
 * hash, written with or without braces (`get(url, timeout: 5)`, `create({...}, {...})`): bare
 * pairs in an argument list are the `keywords` of its ArgumentsFact, braced hashes are positional
 * values with an `object`.
 */

export type Resolver = (node: Node) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = lookupTable({
  nil: 'none',
  true: 'true',
  false: 'false',
  integer: 'number',
  float: 'number',
  rational: 'number',
  string: 'string',
  chained_string: 'string',
  identifier: 'identifier',
  instance_variable: 'identifier',
  constant: 'member',
  scope_resolution: 'member',
  call: 'call',
  hash: 'object',
  array: 'array',
  lambda: 'function',
  block: 'function',
  do_block: 'function',
});

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  if (node.type === 'parenthesized_statements' && node.namedChildCount === 1) {
    const inner = node.namedChild(0);
    if (inner !== null) return valueFact(inner, resolve, lines);
  }
  let kind: ValueKind = KINDS[node.type] ?? 'other';
  if (node.type === 'unary' && /^(integer|float)$/.test(node.namedChild(0)?.type ?? '')) kind = 'number';
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call' || kind === 'identifier' || kind === 'member') {
    const api = resolve(node);
    return api === undefined ? base : { ...base, api };
  }
  if (kind === 'object') return { ...base, object: hashFact(node, resolve, lines) };
  return base;
}

/** The name a hash key stands for: `timeout:`, `:timeout =>` and `"timeout" =>` all give `timeout`. */
export function keyName(key: Node): string | undefined {
  switch (key.type) {
    case 'hash_key_symbol':
    case 'identifier':
    case 'constant':
      return key.text;
    case 'simple_symbol':
      return key.text.slice(1);
    case 'string':
      // An interpolated key is computed: its name is unknown.
      return key.namedChildren.some((c) => c?.type === 'interpolation') ? undefined : unquote(key.text);
    default:
      return undefined;
  }
}

/** One `key => value` or `key: value` pair; Ruby 3.1's `url:` shorthand takes the value of the variable `url`. */
function pairFact(pair: Node, resolve: Resolver, lines: LineIndex): PropertyFact | undefined {
  const key = pair.childForFieldName('key');
  const name = key === null ? undefined : keyName(key);
  if (key === null || name === undefined) return undefined;
  const value = pair.childForFieldName('value');
  const fact = value === null
    ? { kind: 'identifier' as const, text: name, start: key.startIndex, end: key.endIndex, node: key }
    : valueFact(value, resolve, lines);
  return { key: name, value: fact, start: pair.startIndex, end: pair.endIndex };
}

export function hashFact(node: Node, resolve: Resolver, lines: LineIndex): ObjectFact {
  const props = new Map<string, PropertyFact>();
  let hasSpread = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    const pair = child.type === 'pair' ? pairFact(child, resolve, lines) : undefined;
    if (pair === undefined) hasSpread = true;
    else props.set(pair.key, pair);
  }
  return { props, hasSpread, start: node.startIndex, end: node.endIndex, ...listLayout(lines, node, last) };
}

/**
 * The arguments of a call, with or without parentheses. `*args`, `**opts`, `...` and `&block`
 * make absent options unknown; a block argument also has to stay last, so nothing is appended
 * after it.
 */
export function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex): ArgumentsFact {
  const positional: ValueFact[] = [];
  const keywords = new Map<string, PropertyFact>();
  let hasSplat = false;
  let keywordSplat = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'pair') {
      const pair = pairFact(child, resolve, lines);
      if (pair === undefined) hasSplat = keywordSplat = true;
      else keywords.set(pair.key, pair);
    } else if (/^(splat_argument|hash_splat_argument|block_argument|forward_argument|hash_splat_nil)$/.test(child.type)) {
      hasSplat = true;
      if (child.type === 'hash_splat_argument' || child.type === 'forward_argument') keywordSplat = true;
    } else {
      positional.push(valueFact(child, resolve, lines));
    }
  }
  const open = node.child(0)?.type === '(' ? node.child(0) : null;
  return {
    positional,
    keywords,
    hasSplat,
    keywordSplat,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, open ?? node, last, node),
  };
}

/** Seconds for a number literal or an ActiveSupport duration (`30`, `5.seconds`, `2.minutes`), else undefined. */
export function durationSeconds(value: ValueFact | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'number') return rubyNumber(value.text);
  const node = value.node;
  if (node.type !== 'call' || node.childForFieldName('arguments') !== null) return undefined;
  const receiver = node.childForFieldName('receiver');
  const unit = UNITS[node.childForFieldName('method')?.text ?? ''];
  const amount = receiver === null ? undefined : rubyNumber(receiver.text);
  return unit === undefined || amount === undefined || !/^(integer|float)$/.test(receiver?.type ?? '') ? undefined : amount * unit;
}

const UNITS: Readonly<Record<string, number>> = lookupTable({
  second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400, week: 604_800, weeks: 604_800,
});

export function rubyNumber(text: string): number | undefined {
  const n = Number(text.replace(/_/g, ''));
  return text.trim() === '' || !Number.isFinite(n) ? undefined : n;
}

/** A symbol literal's name (`:unlimited` gives `unlimited`), else undefined. */
export function symbolName(value: ValueFact | undefined): string | undefined {
  return value?.node.type === 'simple_symbol' ? value.text.slice(1) : undefined;
}
