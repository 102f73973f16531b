import type { Node } from 'web-tree-sitter';
import { sendsNotification } from '../../signals.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { goCallsIn, goPackage, isGoFunction } from '../common/go.js';
import { GUARD_WORDS } from '../common/guards.js';

/**
 * notify-in-retried-task in Go: a notification send (`net/smtp.SendMail`) made in an asynq
 * handler — a function, method or function literal that takes a `*asynq.Task` and returns an
 * `error` — with no idempotency guard before it. asynq retries a task whose handler returns an
 * error, up to 25 times by default, so a failure after the send sends it again.
 *
 * A guard, as in Python: an `if` around the send, or before it with a body that returns, whose
 * condition or initializer reads a sent-marker (a name about it: sent, notified, delivered,
 * already, claim, idempotency, dedup, marker, processed, seen, created; or a claim such as Redis
 * `SetNX`, `Exists`, `SIsMember`). Not reported: handlers that mention `asynq.SkipRetry` (the
 * author decides which failures retry) and files that enqueue with `asynq.MaxRetry(0)`; an
 * option given where the task is enqueued elsewhere is not visible, hence the rule's info
 * severity. No fix: the guard needs a record keyed by the notification's identity (chapter 12).
 */
const ASYNQ = 'github.com/hibiken/asynq';
const GUARD_METHODS = new Set(['SetNX', 'SetNx', 'HSetNX', 'Exists', 'SIsMember', 'FirstOrCreate']);

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const pkg = goPackage(facts, ASYNQ);
  if (pkg === undefined || facts.calls.some((c) => c.api === `${ASYNQ}.MaxRetry` && c.args?.positional[0]?.text === '0')) return [];
  const findings: RawFinding[] = [];
  for (const fn of facts.root.descendantsOfType(['function_declaration', 'method_declaration', 'func_literal'])) {
    if (fn === null || !isHandler(fn, pkg) || mentionsSkipRetry(fn, pkg)) continue;
    for (const send of goCallsIn(facts, fn)) {
      if (!sendsNotification(facts.language, send) || goGuarded(fn, send.node)) continue;
      findings.push({
        range: calleeRange(send),
        message: `\`${send.node.childForFieldName('function')?.text ?? send.api}\` sends from an asynq handler, which asynq retries when it returns an error (up to 25 times by default), with no idempotency guard before it: a retry after the send notifies again.`,
        fixes: [],
      });
    }
  }
  return findings;
}

/** `func(ctx context.Context, t *asynq.Task) error`, as a function, a method or a literal. */
function isHandler(fn: Node, pkg: string): boolean {
  if (fn.childForFieldName('result')?.text !== 'error') return false;
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  return params.some((p) => p?.type === 'parameter_declaration' && p.childForFieldName('type')?.text.replace(/\s/g, '') === `*${pkg}.Task`);
}

function mentionsSkipRetry(fn: Node, pkg: string): boolean {
  return fn.descendantsOfType('selector_expression').some((s) => s?.text === `${pkg}.SkipRetry`);
}

/** An `if` around the send, or one before it that returns, reads a sent-marker (the task map reads it too). */
export function goGuarded(fn: Node, send: Node): boolean {
  for (let n = send.parent; n !== null && n.id !== fn.id; n = n.parent) if (n.type === 'if_statement' && isGuard(n)) return true;
  const body = fn.childForFieldName('body');
  return body !== null && body.descendantsOfType('if_statement').some((stmt) => stmt !== null && stmt.endIndex <= send.startIndex
    && isGuard(stmt) && returns(stmt.childForFieldName('consequence')));
}

function isGuard(statement: Node): boolean {
  const visit = (n: Node): boolean => {
    if ((n.type === 'identifier' || n.type === 'field_identifier') && (GUARD_WORDS.test(n.text) || GUARD_METHODS.has(n.text))) return true;
    return n.namedChildren.some((c) => c !== null && visit(c));
  };
  return [statement.childForFieldName('initializer'), statement.childForFieldName('condition')].some((n) => n !== null && visit(n));
}

function returns(block: Node | null): boolean {
  if (block === null) return false;
  if (block.type === 'return_statement') return true;
  if (isGoFunction(block)) return false;
  return block.namedChildren.some((c) => c !== null && returns(c));
}
