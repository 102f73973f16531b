import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkJava } from './payment-no-idempotency-key/java.js';
import { checkJavaScript } from './payment-no-idempotency-key/javascript.js';
import { checkPython } from './payment-no-idempotency-key/python.js';
import { checkRuby } from './payment-no-idempotency-key/ruby.js';

/**
 * payment-no-idempotency-key — payment request without an idempotency key: a retry after a lost reply can charge twice.
 *
 * Flags: Stripe create calls without `idempotency_key` (Python) or `{ idempotencyKey }` (Node).
 * Why it matters: the SDK reuses its own key only within one request; a retried task or job makes a new request with a
 * new key, and the provider charges again (chapter 4, R4.3).
 *
 * Not reported, because Stripe's own semantics make a repeat harmless (`payment-no-idempotency-key/safe-by-api.ts`
 * holds the reasons): `capture` (only a `requires_capture` intent or an uncaptured charge can be captured, once),
 * `confirm` (a succeeded intent cannot be confirmed again), `cancel` (moves no money), reads such as `retrieve`
 * (never payment calls), and a `Charge.create` whose `source` is a single-use token (`tok_...`, a name or accessor
 * ending in `token`, `Token.create(...)` in place), which the first charge consumes. `Invoice.pay` stays reported: the
 * reference does not promise that a second attempt is refused. Java's `ChargeCreateParams` builder is not read for a
 * token source yet.
 *
 * Each language's check lives in `payment-no-idempotency-key/<language>.ts` and is registered below.
 * Fix (unsafe): a key derived from the one business id in view (a `...Id` parameter); whether that id
 * names exactly one payment operation is the author's call.
 */
export const paymentNoIdempotencyKey: Rule = defineRule(
  {
    id: 'payment-no-idempotency-key',
    ruleRef: 'R4.3',
    chapter: 4,
    description: 'Payment request without an idempotency key: a retry after a lost reply can charge twice.',
    defaultSeverity: 'warning',
    fix: 'unsafe',
  },
  {
    python: checkPython,
    ...forJavaScript(checkJavaScript),
    java: checkJava,
    ruby: checkRuby,
  },
  { python: LOCAL, ...forJavaScript(LOCAL), java: LOCAL, ruby: LOCAL },
);
