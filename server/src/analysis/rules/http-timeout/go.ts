import type { CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { goImport, written } from '../common/go.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { onlyBoundedRequests, requestWithoutContext } from './go-deadlines.js';

/**
 * http-timeout in Go: net/http's package functions and `http.Client` literals.
 *
 * - `http.Get`, `http.Post`, `http.Head`, `http.PostForm` and the same methods of
 *   `http.DefaultClient` use the default client, whose `Timeout` is 0: no timeout (unless the file
 *   sets `http.DefaultClient.Timeout`). No fix: replacing a package function with a client is a
 *   change of structure, and the message says what to use.
 * - `http.Client{...}` / `&http.Client{...}` without `Timeout` (or with `Timeout: 0`), unless the
 *   file sets `Timeout` on that client afterwards or hands it to code it cannot see. Fix (safe):
 *   `Timeout: n * time.Second`, importing `time` when needed.
 *
 * - A request method called on a client built in another file of the project (a package-level
 *   `var partnerClient = &http.Client{}` of the same package, or a value exported by a project
 *   package; `Get`, `Post`, `Head`, `PostForm`, not `Do`) whose literal sets no `Timeout` and no `init()` of its package sets one. Reported at
 *   the call, with the client's construction as related information; the fix belongs where the
 *   client is built, which that file's own finding offers. A client built from options the project
 *   model cannot read is unknown and not reported.
 *
 * - `http.DefaultClient.Do(req)` where `req` was made by `http.NewRequest` in the same function
 *   and never given a context: neither the client nor the request has a deadline.
 *
 * Not reported: any other `http.DefaultClient.Do(req)`, whose request may carry a context deadline,
 * and a client that only sends requests whose context has a deadline (`go-deadlines.ts`).
 */
const PACKAGE_FUNCTIONS = new Set(['Get', 'Post', 'Head', 'PostForm']);
/** `Do(req)` is left out, as for the default client: its request may carry a context deadline. */
const CLIENT_METHODS = new Set(['Get', 'Post', 'Head', 'PostForm']);

export function checkGo(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact, context: RuleContext): RawFinding | undefined {
  const m = /^net\/http\.(?:DefaultClient\.)?(\w+)$/.exec(call.api);
  const called = m?.[1] ?? '';
  const contextless = call.api === 'net/http.DefaultClient.Do' && requestWithoutContext(facts, call);
  if (m !== null && !call.isNew && (PACKAGE_FUNCTIONS.has(called) || contextless)) {
    if (facts.configuredMembers.has('net/http.DefaultClient.Timeout')) return undefined;
    return {
      range: calleeRange(call),
      message: contextless
        ? `\`${written(facts, call)}\` sends a request made without a context on http.DefaultClient, which has no timeout: a server that stops answering holds this goroutine forever. Use an http.Client with a Timeout, or a request with a context deadline.`
        : `\`${written(facts, call)}\` uses http.DefaultClient, which has no timeout: a server that stops answering holds this goroutine forever. Use an http.Client with a Timeout.`,
      fixes: [],
    };
  }
  const method = /^net\/http\.Client\.(\w+)$/.exec(call.api)?.[1];
  if (method !== undefined && CLIENT_METHODS.has(method)) return throughProjectClient(facts, call);
  if (call.api !== 'net/http.Client' || !call.isNew || call.args === undefined) return undefined;
  const args = call.args;
  const configured = facts.instanceConfig.get(call.start);
  // Unkeyed fields, or a Timeout set (or possibly set) after the literal, are not a missing timeout.
  if (args.positional.length > 0 || configured?.has('Timeout') === true || configured?.has('*') === true) return undefined;
  const timeout = args.keywords.get('Timeout');
  if (timeout !== undefined && !isZero(timeout.value.text)) return undefined;
  if (timeout === undefined && onlyBoundedRequests(facts, call)) return undefined;
  const time = goImport(facts, 'time');
  const value = time === undefined ? undefined : `${context.fixTimeoutSeconds} * ${time.name}.Second`;
  const edits: TextEdit[] | undefined = value === undefined || time === undefined ? undefined
    : timeout === undefined ? [...appendArgument(facts, args, `Timeout: ${value}`), ...time.edits]
      : [{ start: timeout.value.start, end: timeout.value.end, newText: value }, ...time.edits];
  const fixes: Fix[] = edits === undefined ? [] : [{ title: `Set Timeout: ${value ?? ''}`, edits, safe: true }];
  return {
    range: calleeRange(call),
    message: timeout === undefined
      ? '`http.Client` without `Timeout`: a request with no context deadline waits forever for a server that stopped answering.'
      : '`http.Client` with `Timeout: 0`, which means no timeout: a stalled server holds the request forever.',
    fixes,
  };
}

/** A call on a client another project file builds without a Timeout. */
function throughProjectClient(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const use = facts.projectUses?.find((u) => u.call === call);
  if (use?.origin === undefined || use.configured === undefined || use.configured === 'unknown' || use.configured.includes('Timeout')) return undefined;
  return {
    range: calleeRange(call),
    message: `\`${use.local}\` is ${use.description}, built without \`Timeout\`: this request has no deadline and waits forever for a server that stopped answering.`,
    fixes: [],
  };
}

function isZero(text: string): boolean {
  return /^0+$/.test(text.trim());
}
