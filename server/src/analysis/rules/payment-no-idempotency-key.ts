import { defineRule, forJavaScript, type Rule } from './rule.js';
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
);
