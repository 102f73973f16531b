import type { PropertyFact, ValueFact } from '../../facts/types.js';

/**
 * Payment calls that Stripe's own semantics already make safe to repeat, so an idempotency key
 * adds nothing. Checked against Stripe's API reference and its SDKs' documentation:
 *
 * - `capture`: Stripe captures a PaymentIntent (or an uncaptured Charge) only while its status is
 *   `requires_capture`; a retry after a capture that succeeded finds it `succeeded` and fails with
 *   a state error, it never captures twice.
 * - `confirm`: a PaymentIntent that already succeeded cannot be confirmed again (Stripe answers
 *   "cannot confirm this PaymentIntent because it has already succeeded"); one that failed moves
 *   back to `requires_payment_method`, so a retry is a new attempt at the same single payment.
 * - `cancel`: cancelling moves no money, and a cancelled intent stays cancelled.
 * - Reads (`retrieve`, `list`, `search`) are not payment calls at all and never reach the rule.
 *
 * - Checkout Sessions (`checkout.sessions.create`, `checkout.Session.create`): a session is a
 *   hosted payment page, and no money moves when it is created. The customer pays on the page of
 *   the one session they were sent to; a duplicate made by a retried request is never shown to
 *   them and expires unpaid (24 hours by default). Stripe accepts an idempotency key on every
 *   POST, sessions included, but what a key protects here is an orphan page, not a charge.
 *
 * - A full refund (`Refund.create` naming the `charge` or `payment_intent` and no `amount`):
 *   Stripe refunds a charge only up to what is left of it, and answers a refund of a charge
 *   already refunded in full with an error, so a repeat cannot pay the money back twice.
 *
 * Still reported: every `create` that moves money, because a second request makes a second
 * object, a partial refund (a repeat refunds the amount again while any is left), and
 * `Invoice.pay`, which the reference does not document as safe to repeat.
 */
export const ONCE_BY_STATE: ReadonlySet<string> = new Set(['capture', 'confirm', 'cancel']);

/**
 * A refund's params (known in full: a literal hash or keywords, no spread) that name what to
 * refund and no amount: the whole of it, which Stripe refuses to refund a second time.
 */
export function isFullRefund(params: ReadonlyMap<string, PropertyFact> | undefined): boolean {
  if (params === undefined || params.has('amount')) return false;
  return params.has('charge') || params.has('payment_intent') || params.has('paymentIntent');
}

/** A Checkout Session's creation, in any SDK's canonical name: it creates a page, not a payment. */
export function isCheckoutSession(api: string): boolean {
  return /(^|\.)checkout\.(sessions|Session)\.create(_async)?$/.test(api);
}

/** The method of a canonical Stripe name, without the async twin's suffix: `capture` for `...capture_async`. */
export const stripeMethod = (api: string): string => api.slice(api.lastIndexOf('.') + 1).replace(/_async$/, '');

/**
 * A Charge's `source` that is a single-use token, which Stripe consumes on the first charge, so a
 * retried `Charge.create` with the same token fails instead of charging twice ("You can't store or
 * use tokens more than once"). The shapes, all read off the argument's syntax node:
 *
 * - a string literal `"tok_..."` (card token) or `"btok_..."` (bank account token);
 * - a name, attribute, member or subscript whose last name says token: `token`, `stripe_token`,
 *   `request.POST["stripeToken"]`, `params[:stripeToken]`, `form.token.data` is not one (its last
 *   name is `data`), but `token.id` and `token["id"]` are (the token object's id);
 * - a `stripe.Token.create(...)` call written in place.
 *
 * A card id (`card_...`), a source id (`src_...`) or a customer's saved card is reusable: a charge
 * on it is still reported.
 */
export function isOneTimeToken(value: ValueFact): boolean {
  if (value.kind === 'string') return /^['"`]?b?tok_/.test(value.text.replace(/^[rbuf]+(?=['"])/i, ''));
  if (value.kind === 'call') return value.api !== undefined && /(^|\.)Token\.create$|(^|\.)tokens\.create$/.test(value.api);
  // Only plain names and accessors: a computed expression is not known to hold a token.
  if (!/^[\w.[\]:'"]+$/.test(value.text)) return false;
  const names = value.text.split(/[^A-Za-z0-9_]+/).filter((n) => n !== '');
  if (names.at(-1) === 'id') names.pop();
  const last = names.at(-1);
  return last !== undefined && (/token/i.test(last) || last === 'tok');
}
