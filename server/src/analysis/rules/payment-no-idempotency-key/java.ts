import type { CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { instanceMethods, isBuiltHere, javaClass } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * payment-no-idempotency-key in Java: a Stripe `Model.create(params)` without request options, or
 * with `RequestOptions.builder()...build()` (or `RequestOptions.getDefault()`) that sets no
 * idempotency key. Options built elsewhere or held in a variable are unknown and not reported.
 * Only the models whose creation moves money (payment intents, charges, refunds, transfers,
 * payouts, subscriptions): a customer, a setup intent, a draft invoice or a Checkout Session
 * (`safe-by-api.ts`) moves none when it is created.
 *
 * Fix (unsafe), for a call with params only, in a method with exactly one `...Id` parameter:
 * `RequestOptions.builder().setIdempotencyKey("payment-" + orderId).build()`. Only the author knows
 * whether that id names one business operation (a second refund of one order needs its own key).
 */
const MONEY = /^com\.stripe\.model\.(PaymentIntent|Charge|Refund|Transfer|Payout|Subscription)\.create$/;

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (!MONEY.test(call.api) || call.args === undefined) return undefined;
  const [params, options] = call.args.positional;
  if (params === undefined || call.args.positional.length > 2) return undefined;
  if (options !== undefined && !lacksKey(facts, options.api, options.start)) return undefined;
  return {
    range: calleeRange(call),
    message: 'Stripe create call without an idempotency key: a retry after a lost reply can charge twice. Pass RequestOptions with setIdempotencyKey(...) derived from the order.',
    fixes: options === undefined ? keyFix(facts, call) : [],
  };
}

function keyFix(facts: FileFacts, call: CallFact): Fix[] {
  let method = call.node.parent;
  while (method !== null && method.type !== 'method_declaration' && method.type !== 'constructor_declaration') method = method.parent;
  const params = method?.childForFieldName('parameters')?.namedChildren ?? [];
  const ids = params.flatMap((p) => {
    const name = p?.type === 'formal_parameter' ? p.childForFieldName('name')?.text : undefined;
    return name !== undefined && /^[a-z][A-Za-z0-9]*Id$/.test(name) ? [name] : [];
  });
  const id = ids.length === 1 ? ids[0] : undefined;
  if (id === undefined || call.args === undefined) return [];
  const model = /\.(\w+)\.create$/.exec(call.api)?.[1] ?? 'payment';
  const prefix = model.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const options = javaClass(facts, 'com.stripe.net.RequestOptions');
  return [{
    title: `Add an idempotency key derived from ${id}`,
    edits: [...appendArgument(facts, call.args, `${options.name}.builder().setIdempotencyKey("${prefix}-" + ${id}).build()`), ...options.edits],
    safe: false,
  }];
}

/** Options the file builds in place with no `setIdempotencyKey`, or the default options. */
function lacksKey(facts: FileFacts, api: string | undefined, start: number): boolean {
  if (api === 'com.stripe.net.RequestOptions.getDefault') return true;
  if (api !== 'com.stripe.net.RequestOptions.RequestOptionsBuilder.build') return false;
  const build = facts.calls.find((c) => c.start === start && c.api === api && c.node.parent?.type === 'argument_list');
  const origin = build?.receiver;
  if (origin === undefined || origin.api !== 'com.stripe.net.RequestOptions.builder' || !isBuiltHere(facts, origin)) return false;
  return !instanceMethods(facts, origin).has('setIdempotencyKey');
}
