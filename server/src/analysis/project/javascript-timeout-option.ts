import type { Node } from 'web-tree-sitter';
import type { TimeoutOption } from './types.js';

/**
 * Whether a project function that makes an HTTP call (a `fetch` wrapper) bounds that call only when
 * its caller asks: one of its parameters is an options object from which the body takes `timeout`
 * with no default (`const { timeout, ...rest } = init || {}`), and every timer the body starts
 * (`setTimeout`, `AbortSignal.timeout`) runs for that value itself. A call through such a wrapper
 * that passes no `timeout` has none. A default (`timeout = 10_000`), a timer of the wrapper's own
 * duration (`timeout ?? 5000`), or an options object read any other way leaves the answer
 * unknown, so no call through the wrapper is reported.
 */
export function callerTimeoutOption(fn: Node): TimeoutOption | undefined {
  const body = fn.childForFieldName('body');
  const parameters = fn.childForFieldName('parameters');
  if (body?.type !== 'statement_block' || parameters === null) return undefined;
  const params = parameters.namedChildren.filter((p): p is Node => p !== null && p.type !== 'comment');
  for (const [index, param] of params.entries()) {
    const pattern = param.childForFieldName('pattern') ?? param;
    const local = pattern.type === 'object_pattern' ? timeoutOf(pattern) : pattern.type === 'identifier' ? destructured(body, pattern.text) : undefined;
    if (local === undefined) continue;
    if (local === 'defaulted') return undefined;
    return timersGuarded(body, local) ? { index, key: 'timeout' } : undefined;
  }
  return undefined;
}

/** The local name `timeout` is taken into by `const {...} = param` (or `param || {}`, `param ?? {}`) in the body's own statements. */
function destructured(body: Node, param: string): string | 'defaulted' | undefined {
  for (const statement of body.namedChildren) {
    if (statement?.type !== 'lexical_declaration' && statement?.type !== 'variable_declaration') continue;
    for (const declarator of statement.namedChildren) {
      const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
      const value = declarator?.childForFieldName('value');
      if (name?.type !== 'object_pattern' || value == null || !readsParameter(value, param)) continue;
      const found = timeoutOf(name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function readsParameter(value: Node, param: string): boolean {
  let node: Node | null = value;
  while (node?.type === 'parenthesized_expression') node = node.namedChild(0);
  if (node?.type === 'identifier') return node.text === param;
  if (node?.type !== 'binary_expression') return false;
  const operator = node.childForFieldName('operator')?.text;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  return (operator === '||' || operator === '??') && left?.type === 'identifier' && left.text === param && right?.type === 'object' && right.namedChildCount === 0;
}

/** The local name an object pattern binds `timeout` to, `defaulted` when it gives a default. */
function timeoutOf(pattern: Node): string | 'defaulted' | undefined {
  for (const prop of pattern.namedChildren) {
    if (prop?.type === 'shorthand_property_identifier_pattern' && prop.text === 'timeout') return 'timeout';
    if (prop?.type === 'object_assignment_pattern' && prop.childForFieldName('left')?.text === 'timeout') return 'defaulted';
    if (prop?.type === 'pair_pattern' && prop.childForFieldName('key')?.text === 'timeout') {
      const value = prop.childForFieldName('value');
      return value?.type === 'identifier' ? value.text : 'defaulted';
    }
  }
  return undefined;
}

/** The argument that gives each timer its duration. */
const TIMERS: ReadonlyMap<string, number> = new Map([['setTimeout', 1], ['AbortSignal.timeout', 0]]);

/** Every timer the body starts runs for the caller's value itself, never a duration of the wrapper's own. */
function timersGuarded(body: Node, local: string): boolean {
  return body.descendantsOfType('call_expression').every((call) => {
    const index = TIMERS.get(call?.childForFieldName('function')?.text ?? '');
    if (call === null || index === undefined) return true;
    const duration = call.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment')[index];
    return duration?.type === 'identifier' && duration.text === local;
  });
}
