import { PROJECT_SENDER } from '../../project/types.js';
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../../facts/types.js';
import { sendsNotification } from '../../signals.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { guarded, type GuardSyntax } from '../common/guards.js';
import { autoretryFor, callsIn, celeryTasks, constantNumber, exceptionClasses, moduleFunction } from '../common/python.js';
import { refusalsOnly } from '../common/refusals.js';

/**
 * notify-in-retried-task in Python: an email, SMS or push send (smtplib, Django mail, SendGrid,
 * Twilio, SES, SNS, FCM) or a webhook delivery (an HTTP POST to a webhook URL, `facts/webhook.ts`) made directly in the body of a function that is retried — a Celery task
 * with `autoretry_for` or a `self.retry()` call, a dramatiq actor (it retries 20 times unless
 * `max_retries=0`), a huey task with `retries`, or a tenacity `@retry` / backoff decorator — with
 * no idempotency guard before it.
 *
 * A guard is an `if` that reads a sent-marker before the send, in the same function: its
 * condition claims or looks up a record (a call with `nx=True`, `setnx`, `cache.add`,
 * `get_or_create`, `.exists()`, or a name about it: sent, notified, delivered, already, claim,
 * idempotency, dedup, marker, processed, seen, created) and its body returns or raises; or the send
 * sits inside such an `if`. Anything else (a guard in a helper the task calls) is not visible here.
 *
 * A send moved into a function of the same file that the retried function calls by name
 * (`send_email(...)` → `def send_email`) is the retried function's too, one level deep: it is
 * reported on that call, where the retry wraps it, unless the call or the send is guarded.
 *
 * Left alone: a Celery task retried only by `autoretry_for`, every class of which the sending
 * library itself defines (`autoretry_for=(SendGridException,)` around a SendGrid send), none of
 * them named for a timeout or a lost connection. Such a retry follows only a send the library
 * reports as refused, which sent nothing; a timeout, the failure that leaves the send in doubt,
 * is another class and is not retried.
 */
export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const { fn, why, onlyFor } of retriedFunctions(facts)) {
    for (const send of callsIn(facts, fn)) {
      if (!sendsNotification(facts.language, send) || guarded(PYTHON_GUARDS, fn, send.node)) continue;
      // A call of this file's own sending function is read through that function below.
      const callee = send.node.childForFieldName('function');
      if (send.api.startsWith(PROJECT_SENDER) && callee?.type === 'identifier' && moduleFunction(facts, callee.text) !== undefined) continue;
      if (onlyFor !== undefined && refusalsOnly(onlyFor, send.api)) continue;
      findings.push({
        range: calleeRange(send),
        message: `\`${send.node.childForFieldName('function')?.text ?? send.api}\` sends from a function that is retried (${why}) with no idempotency guard before it: a retry after the send notifies again.`,
        fixes: [],
      });
    }
    for (const { call, helper, send, api } of helperSends(facts, fn)) {
      if (guarded(PYTHON_GUARDS, fn, call) || guarded(PYTHON_GUARDS, helper, send)) continue;
      if (onlyFor !== undefined && refusalsOnly(onlyFor, api)) continue;
      const callee = call.childForFieldName('function') ?? call;
      findings.push({
        range: { start: callee.startIndex, end: callee.endIndex },
        message: `\`${callee.text}\` sends (\`${send.childForFieldName('function')?.text ?? 'a send'}\` in this file's \`${callee.text}\`) from a function that is retried (${why}) with no idempotency guard before it: a retry after the send notifies again.`,
        fixes: [],
      });
    }
  }
  return findings;
}

/** Calls in `fn` of this file's module-level functions (one level deep) that make a notification send, with the send. */
function helperSends(facts: FileFacts, fn: Node): { call: Node; helper: Node; send: Node; api: string | undefined }[] {
  const found: { call: Node; helper: Node; send: Node; api: string | undefined }[] = [];
  for (const call of fn.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (call === null || callee?.type !== 'identifier') continue;
    const helper = moduleFunction(facts, callee.text);
    if (helper === undefined || helper.id === fn.id) continue;
    const send = callsIn(facts, helper).find((c) => sendsNotification(facts.language, c));
    if (send !== undefined) found.push({ call, helper, send: send.node, api: send.api });
  }
  return found;
}

const RETRY_DECORATORS = new Set(['tenacity.retry', 'backoff.on_exception', 'backoff.on_predicate']);

/** The functions of this file that run again after a failure, with the reason. */
function retriedFunctions(facts: FileFacts): { fn: Node; why: string; onlyFor?: readonly string[] }[] {
  const found: { fn: Node; why: string; onlyFor?: readonly string[] }[] = [];
  const seen = new Set<number>();
  const add = (fn: Node, why: string, onlyFor?: readonly string[]): void => {
    if (!seen.has(fn.id)) found.push(onlyFor === undefined ? { fn, why } : { fn, why, onlyFor });
    seen.add(fn.id);
  };
  for (const task of celeryTasks(facts)) {
    const autoretry = autoretryFor(task.options);
    const retryCalled = callsIn(facts, task.fn).some((c) => c.api === 'celery.Task.retry');
    if (autoretry !== undefined) add(task.fn, '`autoretry_for`', retryCalled ? undefined : exceptionClasses(facts, autoretry.value.node));
    else if (retryCalled) add(task.fn, '`retry()`');
  }
  for (const call of facts.calls) {
    const fn = call.decorator?.functionNode;
    if (fn === undefined) continue;
    if (RETRY_DECORATORS.has(call.api) || call.api === 'tenacity.retry.__call__') add(fn, `\`@${call.node.type === 'call' ? (call.node.childForFieldName('function')?.text ?? '') : call.node.text}\``);
    else if (call.api === 'dramatiq.actor') {
      const max = call.args?.keywords.get('max_retries')?.value;
      if (max === undefined || max.kind === 'none' || (constantNumber(facts, max.node) ?? 1) > 0) add(fn, 'dramatiq retries failed messages');
    } else if (/^huey\./.test(call.api) && /\.(?:task|periodic_task|db_task|db_periodic_task)$/.test(call.api)) {
      const retries = call.args?.keywords.get('retries')?.value;
      if (retries !== undefined && (constantNumber(facts, retries.node) ?? 1) > 0) add(fn, '`retries`');
    }
  }
  return found;
}

const GUARD_METHODS = new Set(['setnx', 'add', 'get_or_create', 'exists', 'sismember']);

/** Python's guards: a `nx=True` keyword, or a call of a claiming or look-up method. */
export const PYTHON_GUARDS: GuardSyntax = {
  isMarkerCheck: (n) => {
    if (n.type === 'keyword_argument') return n.childForFieldName('name')?.text === 'nx' && n.childForFieldName('value')?.type === 'true';
    if (n.type !== 'call') return false;
    const fnNode = n.childForFieldName('function');
    const method = fnNode?.type === 'attribute' ? fnNode.childForFieldName('attribute')?.text : fnNode?.text;
    return method !== undefined && GUARD_METHODS.has(method);
  },
  leaving: new Set(['return_statement', 'raise_statement']),
  nested: new Set(['function_definition', 'lambda']),
};
