import type { Node } from 'web-tree-sitter';
import { unquote } from '../../facts/common.js';
import type { CallFact } from '../../facts/types.js';
import { enclosingFunction } from '../common/python.js';

/**
 * Whether every `**name` a call passes is a dict the enclosing function builds in view, with no
 * `idempotency_key` in it: one assignment of a dict display (`params = {}`), then only writes of
 * literal keys (`params["customer"] = customer`), and the name used nowhere else in the function.
 * saleor builds its `PaymentIntent.create` options this way. Any other use (an `update`, a computed
 * key, the dict handed to another function, a second assignment) leaves the keys unknown.
 */
export function splatsInView(call: CallFact): boolean {
  const args = call.node.childForFieldName('arguments');
  const fn = enclosingFunction(call.node);
  if (args === null || fn === undefined) return false;
  const splats = args.namedChildren.filter((a): a is Node => a?.type === 'dictionary_splat' || a?.type === 'list_splat');
  if (splats.length === 0) return false;
  return splats.every((splat) => {
    const name = splat.type === 'dictionary_splat' ? splat.namedChild(0) : null;
    return name?.type === 'identifier' && builtInView(fn, name);
  });
}

function builtInView(fn: Node, splatName: Node): boolean {
  let assigned = 0;
  for (const use of fn.descendantsOfType('identifier')) {
    if (use === null || use.text !== splatName.text || use.id === splatName.id) continue;
    const parent = use.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) {
      const right = parent.childForFieldName('right');
      if (right?.type !== 'dictionary' || right.startIndex > splatName.startIndex || !literalKeys(right)) return false;
      assigned++;
      continue;
    }
    // `params["customer"] = customer`: a write of a literal key.
    const key = parent?.type === 'subscript' && parent.childForFieldName('value')?.id === use.id ? parent.childForFieldName('subscript') : null;
    const write = parent?.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id;
    if (key?.type !== 'string' || !write || unquote(key.text) === 'idempotency_key') return false;
  }
  return assigned === 1;
}

/** A dict display whose keys are all string literals other than `idempotency_key`, with no `**` in it. */
function literalKeys(dict: Node): boolean {
  return dict.namedChildren.every((item) => {
    if (item?.type !== 'pair') return item?.type === 'comment';
    const key = item.childForFieldName('key');
    return key?.type === 'string' && unquote(key.text) !== 'idempotency_key';
  });
}
