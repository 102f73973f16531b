import { checkGo } from './dual-write/go.js';
import { checkJava } from './dual-write/java.js';
import { checkJavaScript } from './dual-write/javascript.js';
import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkPython } from './dual-write/python.js';
import { checkRuby } from './dual-write/ruby.js';

/**
 * dual-write — database write and a publish or enqueue in one unit of work with no outbox or on-commit hook.
 *
 * Flags: a database write followed by an enqueue, publish or HTTP side effect inside one transaction or function,
 * outside `transaction.on_commit`, `delay_on_commit`, `after_commit`, `@TransactionalEventListener` or an outbox.
 * Why it matters: the message can leave before the transaction commits (the worker sees no row) or for a transaction
 * that rolls back; the two systems disagree with no way back (chapter 11, R11.1).
 *
 * Each language's check lives in `dual-write/<language>.ts` and is registered below.
 * Fix (Ruby): the on-commit form of the Rails callback (`after_create` → `after_create_commit`), safe only where the
 * callback does nothing but enqueue; hence `fix: 'safe'` for the rule.
 * Fix (unsafe, Python): wrap the send in Django's `transaction.on_commit(lambda: ...)` inside `transaction.atomic()`.
 */
export const dualWrite: Rule = defineRule(
  {
    id: 'dual-write',
    ruleRef: 'R11.1',
    chapter: 11,
    description: 'Database write and a publish or enqueue in one unit of work with no outbox or on-commit hook.',
    defaultSeverity: 'info',
    fix: 'safe',
  },
  {
    python: checkPython,
    ruby: checkRuby,
    java: checkJava,
    ...forJavaScript(checkJavaScript),
    go: checkGo,
  },
  { python: LOCAL, ruby: LOCAL, java: LOCAL, ...forJavaScript(LOCAL), go: { moduleAssignments: true } },
);
