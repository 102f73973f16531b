import type { Node } from 'web-tree-sitter';

/**
 * Whether a web handler receives requests that its caller retries with the same content: a
 * webhook receiver, or an endpoint that reads a client-supplied event, delivery or request id.
 * A user's form post is not one: a resubmitted form creates a second row before it enqueues, so
 * a key on the enqueue would dedupe nothing, and webhook-enqueue-no-key stays silent there.
 *
 * Signs, all read from the syntax tree (a name in a comment or docstring is no signal):
 * - the handler, its class or its route path is named for webhooks, hooks or callbacks, and not
 *   for managing them (`WebhookEndpointsController`, a "send test webhook" button, is an admin's
 *   form). "Events" alone is left out: it names calendar and audit pages as often as receivers;
 *   a Stripe event receiver is still found by its signature check;
 * - the handler verifies a signature (`stripe.Webhook.construct_event`, `hmac.compare_digest`,
 *   `OpenSSL::HMAC`, `ActiveSupport::SecurityUtils.secure_compare`, `Mac.getInstance("HmacSHA256")`)
 *   or reads a signature header (`Stripe-Signature`, `X-Hub-Signature-256`);
 * - the handler reads a client-supplied id (`Idempotency-Key`, `event_id`, `X-GitHub-Delivery`).
 */
export interface WebhookScope {
  /** The handler's function or method, searched whole (its decorators or annotations included). */
  readonly handler: Node;
  /** The names of the handler and of the classes around it. */
  readonly names: readonly string[];
  /** Route paths written on the handler or its class (`@app.route("/webhooks/stripe")`). */
  readonly paths: readonly string[];
}

const RECEIVER_WORDS = new Set(['webhook', 'webhooks', 'hook', 'hooks', 'callback', 'callbacks', 'ipn']);
/** Words that make a webhook name an admin's page about webhooks rather than their receiver. */
const MANAGEMENT_WORDS = new Set(['endpoint', 'endpoints', 'subscription', 'subscriptions', 'setting', 'settings', 'config', 'configs', 'configuration', 'test', 'tests']);
const SIGNATURE_NAMES = new Set(['constructevent', 'verifysignature', 'verifywebhook', 'verifyheader', 'verifyhmac', 'validatesignature', 'validatewebhook', 'comparedigest', 'securecompare', 'hmac', 'hmacutils', 'signatureverificationerror', 'signatureverificationexception']);
const CLIENT_ID_STRINGS = /signature|^x-hub-|^hmac|idempotency[-_ ]?key|^(?:x-[\w-]*-)?(?:event|delivery|request|webhook)[-_]?id$|^x-[\w-]*-delivery$/i;

const IDENTIFIERS = new Set(['identifier', 'constant', 'field_identifier', 'property_identifier', 'type_identifier']);
const STRING_PARTS = new Set(['string_content', 'string_fragment']);

/** The words of a name or path: `StripeWebhookView` and `/webhooks/stripe` alike. */
export function words(text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

function namedForReceiver(text: string): boolean {
  const ws = words(text);
  return ws.some((w) => RECEIVER_WORDS.has(w)) && !ws.some((w) => MANAGEMENT_WORDS.has(w));
}

export function webhookReceiver({ handler, names, paths }: WebhookScope): boolean {
  if (names.some(namedForReceiver) || paths.some(namedForReceiver)) return true;
  const stack: Node[] = [handler];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (IDENTIFIERS.has(node.type) && SIGNATURE_NAMES.has(node.text.replace(/_/g, '').toLowerCase())) return true;
    if (STRING_PARTS.has(node.type) && CLIENT_ID_STRINGS.test(node.text)) return true;
    // Ruby reads a client's id as `params[:event_id]`.
    if (node.type === 'simple_symbol' && CLIENT_ID_STRINGS.test(node.text.slice(1))) return true;
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return false;
}
