import type { Node } from 'web-tree-sitter';
import { unquote } from '../../facts/common.js';
import type { CallFact, FileFacts, ObjectFact, PropertyFact, ValueFact } from '../../facts/types.js';

/**
 * Reading JavaScript options the way the rules need them: an option is present, absent (the
 * library's default applies) or unknown (passed through a variable or a spread, so no finding).
 */
export type OptionLookup =
  | { readonly kind: 'object'; readonly object: ObjectFact }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown' };

const MISSING: OptionLookup = { kind: 'missing' };
const UNKNOWN: OptionLookup = { kind: 'unknown' };

/** The options object a call takes at `index`: a literal, nothing at all, or something the file cannot show. */
export function optionsAt(call: CallFact, index: number): OptionLookup {
  const args = call.args;
  if (args === undefined) return UNKNOWN;
  const value = args.positional[index];
  if (value === undefined) return args.hasSplat ? UNKNOWN : MISSING;
  return objectLookup(value);
}

/** A value as an options object: `undefined` and `null` count as none. */
export function objectLookup(value: ValueFact): OptionLookup {
  if (value.kind === 'none') return MISSING;
  return value.object === undefined ? UNKNOWN : { kind: 'object', object: value.object };
}

/** A property of an options lookup: present, absent (known not to be there), or unknown. */
export function propertyOf(options: OptionLookup, key: string): PropertyFact | 'absent' | 'unknown' {
  if (options.kind === 'missing') return 'absent';
  if (options.kind === 'unknown') return 'unknown';
  const prop = options.object.props.get(key);
  if (prop !== undefined) return prop;
  return options.object.hasSpread ? 'unknown' : 'absent';
}

/** A nested options object (`{ defaultJobOptions: { ... } }`). */
export function nestedOptions(options: OptionLookup, key: string): OptionLookup {
  const prop = propertyOf(options, key);
  if (prop === 'absent') return MISSING;
  if (prop === 'unknown') return UNKNOWN;
  return objectLookup(prop.value);
}

/** `Infinity` or `Number.POSITIVE_INFINITY`, read off the syntax tree. */
function isInfinity(node: Node): boolean {
  if (node.type === 'identifier') return node.text === 'Infinity';
  return node.type === 'member_expression' && node.childForFieldName('object')?.text === 'Number' && node.childForFieldName('property')?.text === 'POSITIVE_INFINITY';
}

/** A number literal (`5_000`), `Infinity`, or a module constant holding one. */
export function numberValue(facts: FileFacts, value: ValueFact): number | undefined {
  if (isInfinity(value.node)) return Number.POSITIVE_INFINITY;
  // `-1` is a unary expression around a number.
  if (value.kind === 'number' || (value.node.type === 'unary_expression' && /^-\s*[\d_.]+$/.test(value.text))) {
    const n = Number(value.text.replace(/[_\s]/g, ''));
    return Number.isNaN(n) ? undefined : n;
  }
  if (value.kind === 'identifier') {
    const constant = facts.constants.get(value.text);
    if (constant !== undefined && constant.kind === 'number' && constant.node.id !== value.node.id) return numberValue(facts, constant);
  }
  return undefined;
}

/** A string literal or a template without substitutions, or a module constant holding one. */
export function stringValue(facts: FileFacts, value: ValueFact): string | undefined {
  if (value.kind === 'string') {
    if (value.node.type === 'template_string' && value.node.namedChildren.some((c) => c?.type === 'template_substitution')) return undefined;
    return unquote(value.text);
  }
  if (value.kind === 'identifier') {
    const constant = facts.constants.get(value.text);
    if (constant !== undefined && constant.kind === 'string' && constant.node.id !== value.node.id) return stringValue(facts, constant);
  }
  return undefined;
}

/** Whether a string-valued expression is known to end with `suffix`, even when a template builds its start. */
export function endsWith(facts: FileFacts, value: ValueFact, suffix: string): boolean {
  const known = stringValue(facts, value);
  if (known !== undefined) return known.endsWith(suffix);
  return value.node.type === 'template_string' && value.text.endsWith(`${suffix}\``);
}

/** A string literal in the file's own quote style. */
export function quoted(facts: FileFacts, text: string): string {
  return `${facts.quote}${text}${facts.quote}`;
}

const FUNCTIONS = new Set([
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function',
]);

export function isFunction(node: Node): boolean {
  return FUNCTIONS.has(node.type);
}

/** The innermost function around `node`, or the program. */
export function enclosingFunction(node: Node): Node {
  let last = node;
  for (let n = node.parent; n !== null; n = n.parent) {
    if (FUNCTIONS.has(n.type)) return n;
    last = n;
  }
  return last;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

