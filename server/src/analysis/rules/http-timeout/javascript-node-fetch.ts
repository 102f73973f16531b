import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';

/**
 * node-fetch 2 takes a `timeout` option of its own, 0 (no timeout) when it is not given or is
 * `undefined` (node-fetch 3 dropped the option for abort signals). A call given `timeout` is left
 * alone, since the file does not say which major version is installed, except when the value is
 * an optional TypeScript parameter of the enclosing function with no default (`timeout?: number`)
 * that the function never assigns: the function's own signature lets every caller leave it out,
 * and then the request has no bound at all.
 */
const FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration']);

export type NodeFetchTimeout = 'none' | 'given' | { readonly parameter: string };

export function nodeFetchTimeout(facts: FileFacts, call: CallFact): NodeFetchTimeout {
  const callee = call.node.childForFieldName('function');
  const imported = callee?.type === 'identifier' ? facts.imports.get(callee.text)?.target : undefined;
  const timeout = call.args?.positional[1]?.object?.props.get('timeout');
  if (imported !== 'node-fetch' || timeout === undefined) return 'none';
  const value = timeout.value.node;
  const name = value.type === 'identifier' || value.type === 'shorthand_property_identifier' ? value.text : undefined;
  const fn = name === undefined ? undefined : enclosingFunction(call.node);
  if (name === undefined || fn === undefined) return 'given';
  const optional = fn.childForFieldName('parameters')?.namedChildren.some((p) => p?.type === 'optional_parameter'
    && p.childForFieldName('pattern')?.text === name && p.childForFieldName('value') === null) === true;
  return optional && !assigns(fn, name) ? { parameter: name } : 'given';
}

function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (FUNCTIONS.has(n.type)) return n;
  return undefined;
}

/** Whether the function body assigns `name` (`timeout ??= 5000`, `timeout = timeout || 5000`). */
function assigns(fn: Node, name: string): boolean {
  const body = fn.childForFieldName('body');
  return body !== null && body.descendantsOfType(['assignment_expression', 'augmented_assignment_expression'])
    .some((a) => a?.childForFieldName('left')?.text === name);
}
