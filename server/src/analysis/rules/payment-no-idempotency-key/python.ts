import type { Node } from 'web-tree-sitter';
import { STRIPE_PAYMENTS } from '../../apis/python.js';
import type { CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { appendArgument, appendProperty } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { callsIn, enclosingFunction } from '../common/python.js';
import { splatsInView } from './python-splat.js';
import { isCheckoutSession, isFullRefund, isOneTimeToken, ONCE_BY_STATE, stripeMethod } from './safe-by-api.js';

/**
 * payment-no-idempotency-key in Python: stripe-python money-moving calls with no
 * `idempotency_key`, in both styles — `stripe.PaymentIntent.create(..., idempotency_key=key)` and
 * `client.v1.payment_intents.create(params, options={"idempotency_key": key})` — and keys minted
 * per attempt (`uuid4()`, a timestamp), which make every retry a new request.
 *
 * Calls that Stripe's semantics make safe to repeat are left alone: `capture`, `confirm` and
 * `cancel` act once by the object's state, `Charge.create` on a single-use token cannot charge
 * twice, and a Checkout Session moves no money when it is created (see `safe-by-api.ts`).
 *
 * The fix (unsafe) derives the key from the enclosing function's one `*_id` parameter
 * (`f"charge_order-{order_id}"`) when that is the obvious business identity: one such parameter,
 * one payment call in the function, not in a loop. Whether a second payment for the same id is a
 * duplicate or a legitimate repeat (a second partial refund) is the author's call (R4.1).
 */
export function checkPython(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (!STRIPE_PAYMENTS.has(call.api) || call.args === undefined || ONCE_BY_STATE.has(stripeMethod(call.api)) || isCheckoutSession(call.api)) return undefined;
    if (/^stripe\.(Charge|StripeClient\.(v1\.)?charges)\.create(_async)?$/.test(call.api) && chargesToken(call)) return undefined;
    if (/^stripe\.(Refund|StripeClient\.(v1\.)?refunds)\.create(_async)?$/.test(call.api) && fullRefund(call)) return undefined;
    return call.api.startsWith('stripe.StripeClient.') ? checkService(facts, call) : checkResource(facts, call);
  });
}

/** `stripe.PaymentIntent.create(amount=..., idempotency_key=...)`: request options are keywords. */
function checkResource(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const key = args.keywords.get('idempotency_key');
  if (key !== undefined) return perAttempt(facts, call, key);
  if (args.hasSplat && !splatsInView(call)) return undefined;
  const derived = derivedKey(facts, call);
  return missing(call, derived === undefined ? [] : [fix(derived, appendArgument(facts, args, `idempotency_key=${derived}`))]);
}

/** `client.v1.payment_intents.create(params, options)`: options are the argument after the params. */
function checkService(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const method = call.api.slice(call.api.lastIndexOf('.') + 1).replace(/_async$/, '');
  // `create(params, options)`; `confirm(intent, params, options)` and the others take the id first.
  const index = method === 'create' ? 1 : 2;
  const options: ValueFact | undefined = args.keywords.get('options')?.value ?? args.positional[index];
  const derived = derivedKey(facts, call);
  if (options === undefined) {
    if (args.hasSplat || args.positional.length > index) return undefined;
    const q = facts.quote;
    return missing(call, derived === undefined ? [] : [fix(derived, appendArgument(facts, args, `options={${q}idempotency_key${q}: ${derived}}`))]);
  }
  const object = options.object;
  if (object === undefined) return undefined;
  const key = object.props.get('idempotency_key');
  if (key !== undefined) return perAttempt(facts, call, key);
  if (object.hasSpread) return undefined;
  const q = facts.quote;
  return missing(call, derived === undefined ? [] : [fix(derived, appendProperty(facts, object, `${q}idempotency_key${q}: ${derived}`))]);
}

/** `source=` a single-use token, as a keyword (`Charge.create`) or in the params dict (`client.charges.create`). */
function chargesToken(call: CallFact): boolean {
  const source = call.args?.keywords.get('source') ?? call.args?.positional[0]?.object?.props.get('source') ?? call.args?.keywords.get('params')?.value.object?.props.get('source');
  return source !== undefined && isOneTimeToken(source.value);
}

/** A full refund: keyword params with no splat (`Refund.create(charge=...)`), or a params dict, naming no amount. */
function fullRefund(call: CallFact): boolean {
  const args = call.args;
  if (args === undefined || args.hasSplat) return false;
  const dict = args.positional[0]?.object ?? args.keywords.get('params')?.value.object;
  if (dict !== undefined) return !dict.hasSpread && isFullRefund(dict.props);
  return args.positional.length === 0 && isFullRefund(args.keywords);
}

function missing(call: CallFact, fixes: Fix[]): RawFinding {
  return {
    range: calleeRange(call),
    message: `\`${display(call)}\` has no idempotency key: a retried task or request creates a second payment (the SDK's own key covers only its network retries).`,
    fixes,
  };
}

/** Values that change on every attempt: a fresh UUID, the clock, a random token. */
const PER_ATTEMPT = new Set(['uuid.uuid1', 'uuid.uuid4', 'time.time', 'time.time_ns', 'datetime.datetime.now', 'datetime.datetime.utcnow', 'secrets.token_hex', 'secrets.token_urlsafe']);

function perAttempt(facts: FileFacts, call: CallFact, key: PropertyFact): RawFinding | undefined {
  const minted = facts.calls.find((c) => c.start >= key.value.start && c.end <= key.value.end && PER_ATTEMPT.has(c.api));
  if (minted === undefined) return undefined;
  return {
    range: { start: key.start, end: key.end },
    message: `\`${display(call)}\` gets an idempotency key made by \`${minted.api}\` on every attempt: a retry carries a new key, so Stripe cannot recognise it.`,
    fixes: [],
  };
}

/**
 * `f"<function>-{<id parameter>}"`, when the enclosing function has exactly one parameter named
 * `id` or `*_id`, this is its only payment call, and the call does not repeat in a loop.
 */
function derivedKey(facts: FileFacts, call: CallFact): string | undefined {
  const fn = enclosingFunction(call.node);
  if (fn?.type !== 'function_definition' || inLoop(call.node, fn)) return undefined;
  if (callsIn(facts, fn).filter((c) => STRIPE_PAYMENTS.has(c.api)).length !== 1) return undefined;
  const ids = (fn.childForFieldName('parameters')?.namedChildren ?? [])
    .map((p) => (p?.type === 'identifier' ? p : (p?.childForFieldName('name') ?? p?.namedChild(0))))
    .filter((n): n is Node => n != null && n.type === 'identifier' && /^(?:\w+_)?id$/.test(n.text));
  const name = fn.childForFieldName('name')?.text;
  if (ids.length !== 1 || name === undefined) return undefined;
  return `f${facts.quote}${name}-{${ids[0]?.text ?? ''}}${facts.quote}`;
}

function inLoop(node: Node, fn: Node): boolean {
  for (let n = node.parent; n !== null && n.id !== fn.id; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement' || n.type === 'list_comprehension' || n.type === 'generator_expression') return true;
  }
  return false;
}

function fix(key: string, edits: TextEdit[]): Fix {
  // Unsafe: the key decides which repeats Stripe treats as duplicates, so the author must confirm it.
  return { title: `Add idempotency key ${key}`, edits, safe: false };
}

function display(call: CallFact): string {
  return call.api.replace('stripe.StripeClient.', 'client.');
}
