import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../../facts/types.js';

/**
 * `Promise.race([fetch(url), new Promise((_, reject) => setTimeout(reject, 5000))])`: the caller
 * stops waiting when the timer fires. Only this unambiguous shape counts: the call is itself an
 * element of the array literal raced (awaited or not), and another element is a `new Promise`
 * whose executor calls `setTimeout`. A helper that returns a timer promise (`delay(5000)`,
 * `timers/promises`) is not followed: its name alone does not say what it returns. The request itself is not aborted (the socket stays open until the server
 * answers), so the fix that adds a real timeout is still the better code; but the caller cannot
 * hang, which is the failure the rule reports.
 */
export function racedWithTimer(call: CallFact): boolean {
  let element: Node = call.node;
  if (element.parent?.type === 'await_expression') element = element.parent;
  const array = element.parent;
  if (array?.type !== 'array') return false;
  const race = array.parent?.type === 'arguments' ? array.parent.parent : null;
  const callee = race?.type === 'call_expression' ? race.childForFieldName('function') : null;
  if (callee?.type !== 'member_expression' || callee.text.replace(/\s/g, '') !== 'Promise.race') return false;
  return array.namedChildren.some((other) => other !== null && other.id !== element.id && isTimer(other));
}

function isTimer(node: Node): boolean {
  const n = node.type === 'await_expression' ? (node.namedChild(0) ?? node) : node;
  return n.type === 'new_expression' && n.childForFieldName('constructor')?.text === 'Promise' && callsSetTimeout(n);
}

function callsSetTimeout(node: Node): boolean {
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'setTimeout') return true;
  return node.namedChildren.some((c) => c !== null && callsSetTimeout(c));
}
