import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { contains, enclosingFunction } from '../common/javascript.js';

const BALANCE_READ = 'stripe.Stripe.balance.retrieve';
/** Rounds of following assignments from the balance read to the payout's amount. */
const MAX_ROUNDS = 8;

/**
 * A Stripe payout whose `amount` is computed, in the same function, from a balance read earlier
 * (`stripe.balance.retrieve()`): Stripe pays out only what the available balance covers (a payout
 * larger than it fails with insufficient funds), and a payout leaves less behind, so a retried run
 * reads the smaller balance and pays out what is left, not the same sum again. dub's withdrawal
 * crons pay out the balance this way. The amount must be a name the balance reaches through the
 * function's own declarations and assignments; any other amount is still reported.
 */
export function paysOutReadBalance(facts: FileFacts, call: CallFact): boolean {
  if (call.api !== 'stripe.Stripe.payouts.create') return false;
  const amount = call.args?.positional[0]?.object?.props.get('amount')?.value;
  // `{ amount }` names the variable as `{ amount: amount }` does.
  if (amount === undefined || (amount.kind !== 'identifier' && amount.node.type !== 'shorthand_property_identifier')) return false;
  const fn = enclosingFunction(call.node);
  const reads = facts.calls.filter((c) => c.api === BALANCE_READ && c.start < call.start && contains(fn, c.node)).map((c) => c.node);
  if (reads.length === 0) return false;
  const writes = [...fn.descendantsOfType('variable_declarator'), ...fn.descendantsOfType('assignment_expression')]
    .filter((n): n is Node => n !== null && n.startIndex < call.start)
    .map((n) => ({ left: n.childForFieldName(n.type === 'variable_declarator' ? 'name' : 'left'), right: n.childForFieldName(n.type === 'variable_declarator' ? 'value' : 'right') }));
  const fromBalance = new Set<string>();
  for (let round = 0, grew = true; grew && round < MAX_ROUNDS; round++) {
    grew = false;
    for (const { left, right } of writes) {
      if (left == null || right == null) continue;
      const tainted = reads.some((r) => contains(right, r)) || right.descendantsOfType('identifier').some((i) => i !== null && fromBalance.has(i.text)) || (right.type === 'identifier' && fromBalance.has(right.text));
      if (!tainted) continue;
      for (const name of boundNames(left)) {
        if (fromBalance.has(name)) continue;
        fromBalance.add(name);
        grew = true;
      }
    }
  }
  return fromBalance.has(amount.text);
}

/** The names a declaration's or assignment's left side binds: a name, or those of a destructuring pattern's values. */
function boundNames(left: Node): string[] {
  if (left.type === 'identifier') return [left.text];
  const names = left.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']).flatMap((n) => (n === null ? [] : [n.text]));
  // A default value (`{ amount = 0 }`) or a computed key reads names rather than binding them; they are few and only widen the set.
  return left.type === 'object_pattern' || left.type === 'array_pattern' ? names : [];
}
