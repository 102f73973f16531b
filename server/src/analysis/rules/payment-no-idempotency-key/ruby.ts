import type { ArgumentsFact, CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { appendArgument, appendProperty, replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { isFullRefund, isOneTimeToken } from './safe-by-api.js';

/**
 * payment-no-idempotency-key in Ruby: stripe-ruby `create(params = {}, opts = {})` on payment
 * intents, charges, refunds, transfers, payouts and subscriptions (`Stripe::PaymentIntent.create` or a
 * `StripeClient`'s `client.v1.payment_intents.create`) without `idempotency_key` in the request
 * options, the second hash. A key written in the params hash is not one: stripe-ruby warns and
 * sends it as a parameter. Options held in a variable or a splat are unknown and not reported.
 *
 * Fix (unsafe) only where a key can be derived from the code in view: a `metadata` entry naming
 * the business object (`order_id: order.id`) gives `"payment_intent-#{order.id}"`, else the one
 * `..._id` parameter of the method around the call. Whether that
 * identity is the right one (a second, intended charge for the same order needs a new key) is
 * the developer's call.
 *
 * A `Stripe::Charge.create` whose `source` is a single-use token (`"tok_..."`, `params[:stripeToken]`)
 * cannot charge twice and is not reported, nor is a full refund, which Stripe refuses to repeat (`safe-by-api.ts`).
 */
/** A `Subscription.create` bills the customer from its first invoice on: a repeat leaves two subscriptions billing. */
const MONEY = new Set(['PaymentIntent', 'Charge', 'Refund', 'Transfer', 'Payout', 'Subscription']);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const resource = /^Stripe::(\w+)\.create$/.exec(call.api)?.[1];
    if (resource === undefined || !MONEY.has(resource) || call.args === undefined || call.args.hasSplat) continue;
    const source = call.args.positional[0]?.object?.props.get('source') ?? (call.args.positional.length === 0 ? call.args.keywords.get('source') : undefined);
    if (resource === 'Charge' && source !== undefined && isOneTimeToken(source.value)) continue;
    if (resource === 'Refund' && isFullRefund(knownParams(call.args))) continue;
    const finding = check(facts, call, call.args, resource);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function check(facts: FileFacts, call: CallFact, args: ArgumentsFact, resource: string): RawFinding | undefined {
  const [params, opts] = args.positional;
  const callee = facts.text.slice(call.calleeStart, call.calleeEnd);
  const name = `\`${callee.length <= 50 && !callee.includes('\n') ? callee : `Stripe::${resource}.create`}\``;
  if (params === undefined) {
    // `create(amount: 100, currency: "eur")`: the bare pairs are the params; there are no options.
    if (args.keywords.has('idempotency_key')) {
      return { range: calleeRange(call), message: `${name} has \`idempotency_key\` in its params: stripe-ruby sends it as a parameter, not as the Idempotency-Key header. Pass it in the options hash, the second argument.`, fixes: [] };
    }
    return missing(call, name, derivedFix(facts, call, args, args.keywords, resource, 'wrap'));
  }
  if (opts !== undefined) {
    const object = opts.object;
    if (opts.kind === 'string') return missing(call, name, derivedFix(facts, call, args, params.object?.props, resource, 'none'));
    if (object === undefined || object.hasSpread || object.props.has('idempotency_key')) return undefined;
    const key = keyFor(call, params.object?.props, resource);
    return missing(call, name, key === undefined ? [] : [fix(appendProperty(facts, object, `idempotency_key: ${key}`))]);
  }
  if (args.keywords.size > 0) {
    // `create({ ... }, idempotency_key: key)`: the bare pairs after the params hash are the options.
    if (args.keywords.has('idempotency_key')) return undefined;
    return missing(call, name, derivedFix(facts, call, args, params.object?.props, resource, 'append'));
  }
  if (params.kind !== 'object' && params.kind !== 'identifier' && params.kind !== 'call') return undefined;
  return missing(call, name, derivedFix(facts, call, args, params.object?.props, resource, 'append'));
}

/** The params hash when every key of it is in view: the first argument's literal hash, or the bare pairs of a call with no positional argument. */
function knownParams(args: ArgumentsFact): ReadonlyMap<string, PropertyFact> | undefined {
  const first = args.positional[0];
  if (first === undefined) return args.keywords;
  return first.object === undefined || first.object.hasSpread ? undefined : first.object.props;
}

function missing(call: CallFact, name: string, fixes: Fix[]): RawFinding {
  return {
    range: calleeRange(call),
    message: call.api === 'Stripe::Subscription.create'
      ? `${name} has no \`idempotency_key\`: a retried job makes a new request with a new generated key, and the customer is left with two subscriptions billing.`
      : `${name} has no \`idempotency_key\`: a retried job makes a new request with a new generated key, and Stripe moves the money twice.`,
    fixes,
  };
}

/**
 * `"payment_intent-#{order.id}"` from `metadata: { order_id: order.id }`, or from the one `..._id`
 * parameter of the method around the call (`def charge(order_id, amount)`).
 */
function keyFor(call: CallFact, params: ReadonlyMap<string, PropertyFact> | undefined, resource: string): string | undefined {
  const metadata = params?.get('metadata')?.value.object;
  const entry = metadata === undefined ? undefined
    : [...metadata.props.values()].find((p) => /_id$/.test(p.key) && /^[\w.@:]+$/.test(p.value.text) && p.value.kind !== 'string');
  let id = entry?.value.text;
  if (id === undefined) {
    let method = call.node.parent;
    while (method !== null && method.type !== 'method' && method.type !== 'singleton_method') method = method.parent;
    const ids = (method?.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p?.type === 'identifier' && /_id$/.test(p.text));
    id = ids.length === 1 ? ids[0]?.text : undefined;
  }
  if (id === undefined) return undefined;
  const operation = resource.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return `"${operation}-#{${id}}"`;
}

/**
 * The edits that add the key: after the params as bare pairs (`append`), around bare params
 * first (`wrap`: `create({ amount: 1 }, idempotency_key: key)`), or none when the options are an
 * API key string.
 */
function derivedFix(facts: FileFacts, call: CallFact, args: ArgumentsFact, params: ReadonlyMap<string, PropertyFact> | undefined, resource: string, how: 'append' | 'wrap' | 'none'): Fix[] {
  const key = keyFor(call, params, resource);
  if (key === undefined || how === 'none') return [];
  if (how === 'append') return [fix(appendArgument(facts, args, `idempotency_key: ${key}`))];
  const pairs = [...args.keywords.values()];
  const first = pairs[0];
  const last = pairs[pairs.length - 1];
  if (first === undefined || last === undefined || args.trailingCommentEnd !== undefined) return [];
  const indent = args.itemIndent;
  if (indent === undefined) {
    return [fix([{ start: first.start, end: first.start, newText: '{ ' }, { start: last.end, end: last.end, newText: ` }, idempotency_key: ${key}` }])];
  }
  // One pair per line: the params move into a braced hash, one level deeper, and the key follows on its own line.
  const eol = facts.lines.eol;
  const unit = indent.slice(facts.lines.indentAt(call.start).length) || '  ';
  const body = facts.text.slice(first.start, last.end).split(`${eol}${indent}`).join(`${eol}${indent}${unit}`);
  const hash = `{${eol}${indent}${unit}${body},${eol}${indent}}`;
  const edits: TextEdit[] = args.trailingCommaEnd === undefined
    ? [replaceRange(first.start, last.end, `${hash},${eol}${indent}idempotency_key: ${key}`)]
    : [replaceRange(first.start, last.end, hash), { start: args.trailingCommaEnd, end: args.trailingCommaEnd, newText: `${eol}${indent}idempotency_key: ${key},` }];
  return [fix(edits)];
}

function fix(edits: TextEdit[]): Fix {
  return { title: 'Add an idempotency_key derived from the business id', edits, safe: false };
}
