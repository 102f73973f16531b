import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';
import { appendArgument, appendProperty } from '../../fixes/edits.js';
import { lookupTable } from '../../lookup.js';
import type { Fix } from '../../types.js';
import { enclosingFunction } from '../common/javascript.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { paysOutReadBalance } from './balance-payout.js';
import { isFullRefund, isOneTimeToken } from './safe-by-api.js';

/**
 * payment-no-idempotency-key in JavaScript: stripe-node create calls that move money (an invoice
 * or an invoice item made twice is billed twice), with no `idempotencyKey` in their request
 * options. stripe-node takes the request options as the last argument, after the params (`create(params, { idempotencyKey })`). `paymentIntents.capture`,
 * `confirm` and `cancel` are not listed: Stripe applies them once by the intent's state. A charge
 * whose `source` is a single-use token cannot be made twice and is not reported, nor is
 * `checkout.sessions.create`, which moves no money (`safe-by-api.ts`), nor a payout of a balance
 * the function has just read (`balance-payout.ts`).
 */
const CREATES = new Set([
  'paymentIntents.create', 'charges.create', 'refunds.create', 'transfers.create', 'payouts.create', 'subscriptions.create',
  'invoices.create', 'invoiceItems.create',
].map((m) => `stripe.Stripe.${m}`));

export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => (CREATES.has(call.api) ? checkCreate(facts, call) : undefined));
}

function checkCreate(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const [params, options] = args.positional;
  // A lone argument is the params (stripe-node would read a lone options hash as options and drop the params).
  if (params === undefined || params.object?.props.has('idempotencyKey') === true) return undefined;
  const source = params.object?.props.get('source');
  if (call.api === 'stripe.Stripe.charges.create' && source !== undefined && isOneTimeToken(source.value)) return undefined;
  if (call.api === 'stripe.Stripe.refunds.create' && params.object !== undefined && !params.object.hasSpread && isFullRefund(params.object.props)) return undefined;
  if (paysOutReadBalance(facts, call)) return undefined;
  if (options !== undefined) {
    const object = options.object;
    if (object === undefined || object.hasSpread || object.props.has('idempotencyKey')) return undefined;
  }
  const resource = call.api.slice('stripe.Stripe.'.length).replace(/\.create$/, '');
  return {
    range: calleeRange(call),
    message: `\`${resource}.create\` has no \`idempotencyKey\`: a retried job or request creates a second ${describe(resource)} (the SDK's own key covers only its network retries).`,
    fixes: keyFix(facts, call, resource, options),
  };
}

function describe(resource: string): string {
  const names: Readonly<Record<string, string>> = lookupTable({
    paymentIntents: 'payment', charges: 'charge', refunds: 'refund', transfers: 'transfer', payouts: 'payout',
    subscriptions: 'subscription', invoices: 'invoice', invoiceItems: 'invoice item',
  });
  return names[resource] ?? 'object';
}

/**
 * An idempotency key from the one `...Id` parameter of the enclosing function (`orderId` gives
 * `` `payment-${orderId}` ``). Unsafe: the key must name one business operation, and only the
 * author knows whether that id does (a second refund of the same order needs its own key).
 */
function keyFix(facts: FileFacts, call: CallFact, resource: string, options: ValueFact | undefined): Fix[] {
  const args = call.args;
  if (args === undefined) return [];
  const id = idParameter(call);
  if (id === undefined) return [];
  const property = `idempotencyKey: \`${describe(resource).replace(/ /g, '-')}-\${${id}}\``;
  const edits = options?.object !== undefined ? appendProperty(facts, options.object, property)
    : options === undefined ? appendArgument(facts, args, `{ ${property} }`) : undefined;
  return edits === undefined ? [] : [{ title: `Add an idempotencyKey derived from ${id}`, edits, safe: false }];
}

function idParameter(call: CallFact): string | undefined {
  const fn = enclosingFunction(call.node);
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (params === null) return undefined;
  const names = params.type === 'identifier' ? [params.text] : params.namedChildren.flatMap((p) => {
    const name = p?.type === 'identifier' ? p : (p?.childForFieldName('pattern') ?? p?.childForFieldName('left'));
    return name?.type === 'identifier' ? [name.text] : [];
  });
  const ids = names.filter((n) => /^[a-z][A-Za-z0-9]*Id$/.test(n));
  return ids.length === 1 ? ids[0] : undefined;
}
