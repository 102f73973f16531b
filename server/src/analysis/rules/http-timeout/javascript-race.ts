import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';

/**
 * `Promise.race([fetch(url), new Promise((_, reject) => setTimeout(reject, 5000))])`: the caller
 * stops waiting when the timer fires. Only this unambiguous shape counts: the call is itself an
 * element of the array literal raced (awaited or not), and another element is a `new Promise`
 * whose executor calls `setTimeout`. A helper that returns a timer promise (`delay(5000)`,
 * `timers/promises`) is not followed: its name alone does not say what it returns. The request
 * itself is not aborted (the socket stays open until the server answers), so the fix that adds a
 * real timeout is still the better code; but the caller cannot hang, which is the failure the rule
 * reports.
 */
const cache = new WeakMap<FileFacts, ReadonlySet<number>>();

export function racedWithTimer(facts: FileFacts, call: CallFact): boolean {
  return racedCalls(facts).has(call.node.id);
}

/**
 * The ids of the calls raced against a timer, found once per file from the `Promise.race` calls.
 * Reading a node's parent walks down from the root, and a query over a deeply nested file is slow,
 * so the races are found where the text spells `Promise.race` and confirmed on the tree there: a
 * mention in a comment or a string has no call around it and counts for nothing.
 */
function racedCalls(facts: FileFacts): ReadonlySet<number> {
  const known = cache.get(facts);
  if (known !== undefined) return known;
  const raced = new Set<number>();
  for (let at = facts.text.indexOf('Promise.race'); at >= 0; at = facts.text.indexOf('Promise.race', at + 1)) {
    const callee = facts.root.descendantForIndex(at, at + 'Promise.race'.length);
    const member = callee === null || callee.type === 'member_expression' ? callee : callee.parent;
    const race = member?.parent;
    if (member?.type !== 'member_expression' || member.text.replace(/\s/g, '') !== 'Promise.race' || race?.type !== 'call_expression') continue;
    const args = race.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
    const array = args.length === 1 ? args[0] : undefined;
    if (array?.type !== 'array') continue;
    const elements = array.namedChildren.filter((e): e is Node => e !== null && e.type !== 'comment');
    const timers = elements.filter(isTimer);
    if (timers.length === 0) continue;
    for (const element of elements) {
      if (timers.includes(element)) continue;
      const inner = element.type === 'await_expression' ? element.namedChild(0) : element;
      if (inner?.type === 'call_expression') raced.add(inner.id);
    }
  }
  cache.set(facts, raced);
  return raced;
}

function isTimer(node: Node): boolean {
  const n = node.type === 'await_expression' ? (node.namedChild(0) ?? node) : node;
  return n.type === 'new_expression' && n.childForFieldName('constructor')?.text === 'Promise' && callsSetTimeout(n);
}

function callsSetTimeout(root: Node): boolean {
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'setTimeout') return true;
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return false;
}
