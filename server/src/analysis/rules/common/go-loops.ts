import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../../facts/types.js';
import { blockStatements, endsWithExit, isConstantDuration, isGoFunction } from './go.js';
import { atStartup, onlyProbes, waitsUntilReady } from './wait-loops.js';

/**
 * Hand-written retry loops in Go: a `for` loop whose body makes a call, tests the error it
 * returned against `nil`, leaves the loop when there is none (`if err == nil { return ... }`, or
 * `if err != nil { ...; continue }` followed by `return` or `break`) and otherwise waits
 * (`time.Sleep`, or a receive from `time.After`) and goes round again. Requiring the exit on
 * success is what separates a retry loop from a worker loop that polls forever and logs its
 * errors; a loop that tests anything but an error from a call in the loop is not read as one.
 */
export interface RetryLoop {
  readonly loop: Node;
  /** The counter of `for attempt := 0; attempt < 5; attempt++` (or `for attempt := range 5`), from zero. */
  readonly counter: string | undefined;
  /** How many times the counted loop runs, when its bound is a literal. */
  readonly bound: number | undefined;
  /** From the loop's start to the end of its head (`for`, `for attempt := 0; attempt < 5; attempt++`). */
  readonly head: { readonly start: number; readonly end: number };
  /** `for { ... }` whose only way out is success: no `return`, `break`, `goto`, `panic` or exit on failure. */
  readonly unbounded: boolean;
  /** A start-up wait whose attempt only checks that a dependency answers (`wait-loops.ts`): it repeats no side effect. */
  readonly readiness: boolean;
  readonly delays: readonly Delay[];
}

export interface Delay {
  /** The wait call, and the expression it waits for. */
  readonly call: Node;
  readonly amount: Node;
  /** Every attempt waits the same: the amount is a constant duration. */
  readonly constant: boolean;
  /** The finder saw the amount grow exponentially (through a function of the file, or as a computed backoff). */
  readonly grows?: true;
}

const WAITS = new Set(['time.Sleep', 'time.After']);
const cache = new WeakMap<FileFacts, readonly RetryLoop[]>();

/** The retry loops of a file, found from its waits once per analysis. */
export function retryLoops(facts: FileFacts): readonly RetryLoop[] {
  let loops = cache.get(facts);
  if (loops === undefined) {
    const byLoop = new Map<number, { loop: Node; successExits: Node[]; delays: Delay[] }>();
    for (const call of facts.calls) {
      if (!WAITS.has(call.api) || call.node.type !== 'call_expression') continue;
      // `time.After(d)` waits only where it is received from.
      if (call.api === 'time.After' && !(call.node.parent?.type === 'unary_expression' && call.node.parent.text.startsWith('<-'))) continue;
      const amount = call.args?.positional[0]?.node;
      const found = retryLoopOf(call.node, amount);
      if (found === undefined || amount === undefined) continue;
      const { loop, successExits } = found;
      const entry = byLoop.get(loop.id) ?? { loop, successExits, delays: [] };
      entry.delays.push({ call: call.node, amount, constant: isConstantDuration(facts, amount, loop) });
      byLoop.set(loop.id, entry);
    }
    // A timer reset for the next attempt (`timer.Reset(backoffDelay(failures))`) in a loop that
    // counts its failures: a worker loop that backs off while its work fails (navidrome's scrobble buffer).
    const backoffLoops = new Set<number>();
    for (const reset of timerResets(facts)) {
      if (byLoop.has(reset.loop.id)) continue;
      byLoop.set(reset.loop.id, { loop: reset.loop, successExits: [], delays: [{ call: reset.call, amount: reset.amount, constant: false, grows: true }] });
      backoffLoops.add(reset.loop.id);
    }
    loops = [...byLoop.values()].map(({ loop, successExits, delays }) => ({
      loop,
      ...counterOf(loop),
      head: { start: loop.startIndex, end: loop.childForFieldName('body')?.previousSibling?.endIndex ?? loop.startIndex + 3 },
      // Go has no try block: the whole body is read, its waits and logging being neutral.
      // A worker loop that backs off runs for the life of its process by design: its bound is the process's.
      unbounded: !backoffLoops.has(loop.id) && isForever(loop) && !exitsOnFailure(loop, successExits) && !waitsUntilReady([loop.childForFieldName('body')]),
      readiness: onlyProbes([loop.childForFieldName('body')]) && atStartup(loop),
      delays,
    }));
    loops = [...loops, ...backoffComputations(facts)];
    cache.set(facts, loops);
  }
  return loops;
}

/**
 * The `for` loop a wait retries in, when the statement around the wait is a failed attempt, and
 * the statements that leave it on success.
 */
function retryLoopOf(wait: Node, amount: Node | undefined): { loop: Node; successExits: Node[] } | undefined {
  let child = wait;
  for (let n = wait.parent; n !== null; child = n, n = n.parent) {
    if (isGoFunction(n)) return undefined;
    if (n.type !== 'for_statement') continue;
    const body = n.childForFieldName('body');
    if (body === null || !contains(body, child)) return undefined;
    const statements = blockStatements(body);
    const at = statements.findIndex((s) => contains(s, wait));
    const waiting = statements[at];
    if (waiting === undefined) return undefined;
    // `if err != nil { time.Sleep(d); continue }` then an exit; or `if err == nil { return }` before the wait.
    const onFailure = waiting.type === 'if_statement' ? successAfterFailure(waiting, wait, statements, at) : undefined;
    if (onFailure !== undefined) return { loop: n, successExits: [onFailure] };
    const onStatus = waiting.type === 'if_statement' ? retryOnStatus(waiting, wait, statements, at) : undefined;
    if (onStatus !== undefined) return { loop: n, successExits: onStatus };
    const successes = statements.slice(0, at).filter((s) => s.type === 'if_statement' && exitsOnSuccess(s, statements));
    const exits = successes.map((s) => blockStatements(s.childForFieldName('consequence')).at(-1)).filter((e): e is Node => e !== undefined);
    if (exits.length > 0) return { loop: n, successExits: exits };
    return amount !== undefined && backsOffByCounter(n, amount, wait) ? { loop: n, successExits: [] } : undefined;
  }
  return undefined;
}

/**
 * A counted loop (`for attempt := 0; ...; attempt++`) whose wait grows exponentially with the
 * count (`base << attempt`, `math.Pow(2, float64(attempt))`, in place or in a local the loop body
 * sets before the wait) retries whatever its body found undone, an error or a result it checks
 * (machinery's DynamoDB batch, retried while keys are left): a wait that doubles per attempt is a
 * backoff, and a backoff is only ever written between retries.
 */
function backsOffByCounter(loop: Node, amount: Node, wait: Node): boolean {
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause');
  const init = clause?.childForFieldName('initializer');
  const names = init?.type === 'short_var_declaration' ? (init.childForFieldName('left')?.namedChildren ?? []) : [];
  const counter = names.length === 1 ? names[0]?.text : undefined;
  const update = clause?.childForFieldName('update')?.text.replace(/\s/g, '');
  if (counter === undefined || (update !== `${counter}++` && update !== `${counter}+=1`)) return false;
  const value = amount.type === 'identifier' ? localValue(loop, amount.text, wait) : amount;
  return value !== undefined && mentionsIdentifier(value, counter) && growsExponentially(value);
}

/**
 * `t.Reset(d)` (a `time.Timer`'s, or any one-argument `Reset`) in a `for` loop, where `d` grows
 * exponentially with a counter the loop increments (`failures++`): in place, in a local set
 * before it, or through a function of the file given the counter whose result does
 * (`backoffDelay(failures)` returning `minRetryDelay << failures`). Growth tied to a failure count
 * is a backoff, and a backoff is only ever written between retries.
 */
function timerResets(facts: FileFacts): { loop: Node; call: Node; amount: Node }[] {
  if (![...facts.imports.values()].some((i) => i.target === 'time')) return [];
  const found: { loop: Node; call: Node; amount: Node }[] = [];
  for (const call of facts.root.descendantsOfType('call_expression')) {
    const fn = call?.childForFieldName('function');
    const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
    if (call == null || fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.text !== 'Reset' || args.length !== 1) continue;
    const amount = args[0] as Node;
    let loop: Node | null = call.parent;
    while (loop !== null && loop.type !== 'for_statement' && !isGoFunction(loop)) loop = loop.parent;
    if (loop?.type !== 'for_statement') continue;
    const counters = loop.descendantsOfType('inc_statement').map((i) => i?.namedChild(0)?.text).filter((t): t is string => t !== undefined);
    const value = amount.type === 'identifier' ? localValue(loop, amount.text, call) ?? amount : amount;
    if (counters.some((c) => growsWith(facts, value, c))) found.push({ loop, call, amount });
  }
  return found;
}

/** Whether `value` grows exponentially with `counter`: in place, or through a function of the file given it. */
function growsWith(facts: FileFacts, value: Node, counter: string): boolean {
  if (!mentionsIdentifier(value, counter)) return false;
  if (growsExponentially(value)) return true;
  if (value.type !== 'call_expression' || value.childForFieldName('function')?.type !== 'identifier') return false;
  const name = value.childForFieldName('function')?.text;
  const fn = facts.root.namedChildren.find((d) => d?.type === 'function_declaration' && d.childForFieldName('name')?.text === name);
  const body = fn?.childForFieldName('body');
  return body != null && growsExponentially(body);
}

/**
 * A delay computed to grow exponentially with an attempt or failure count, outside any loop
 * (`backoff := qs.config.BackoffMs << (attempt - 1)` before a task is rescheduled at
 * `now + backoff`): a retry whose loop is the queue's. Read as a retry policy over its function,
 * the statement its head and the computed value its delay.
 */
const ATTEMPT_NAME = /attempt|retr|fail|tries|tried/i;

function backoffComputations(facts: FileFacts): RetryLoop[] {
  const found: RetryLoop[] = [];
  for (const statement of facts.root.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    const right = statement?.childForFieldName('right')?.namedChildren ?? [];
    const value = right.length === 1 ? right[0] : undefined;
    if (statement == null || value == null || value.type !== 'binary_expression' || value.childForFieldName('operator')?.text !== '<<') continue;
    const shift = value.childForFieldName('right');
    if (shift == null || !shift.descendantsOfType('identifier').concat(shift.type === 'identifier' ? [shift] : []).some((id) => id !== null && ATTEMPT_NAME.test(id.text))) continue;
    let fn: Node | null = statement.parent;
    let inLoop = false;
    while (fn !== null && !isGoFunction(fn)) {
      if (fn.type === 'for_statement') inLoop = true;
      fn = fn.parent;
    }
    const body = fn?.childForFieldName('body');
    // In a loop, the loop finder reads it (its wait, its exits); a helper that returns the delay
    // (`backoffDelay(failures)`) is read where its caller waits.
    const name = statement.childForFieldName('left')?.namedChildren[0]?.text;
    if (inLoop || body == null || body.descendantsOfType('return_statement').some((r) => r?.namedChild(0)?.namedChildren.some((v) => v?.text === name) === true)) continue;
    found.push({ loop: body, counter: undefined, bound: undefined, head: { start: statement.startIndex, end: statement.endIndex }, unbounded: false, readiness: false, delays: [{ call: statement, amount: value, constant: false, grows: true }] });
  }
  return found;
}

/** The value a short declaration or assignment in the loop, before the wait, gives `name` (the last one). */
export function localValue(loop: Node, name: string, wait: Node): Node | undefined {
  let value: Node | undefined;
  for (const statement of loop.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    if (statement === null || statement.startIndex >= wait.startIndex) continue;
    if (statement.type === 'assignment_statement' && statement.childForFieldName('operator')?.text !== '=') continue;
    const left = statement.childForFieldName('left')?.namedChildren ?? [];
    const right = statement.childForFieldName('right')?.namedChildren ?? [];
    if (left.length === 1 && left[0]?.text === name && right.length === 1) value = right[0] ?? undefined;
  }
  return value;
}

function mentionsIdentifier(node: Node, name: string): boolean {
  return node.descendantsOfType('identifier').some((id) => id?.text === name) || (node.type === 'identifier' && node.text === name);
}

/** `x << n` or `math.Pow(2, n)` anywhere in the expression. */
function growsExponentially(node: Node): boolean {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '<<') return true;
  if (node.type === 'call_expression' && /(^|\.)Pow$/.test(node.childForFieldName('function')?.text ?? '') && node.childForFieldName('arguments')?.namedChild(0)?.text === '2') return true;
  return node.namedChildren.some((c) => c !== null && growsExponentially(c));
}

function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * `if err != nil { ... wait ... }` whose success path leaves the loop: an `else` that returns or
 * breaks, or a loop body that ends with `return` or `break` after the `if`. The statement that
 * leaves on success, when it is so.
 */
function successAfterFailure(statement: Node, wait: Node, statements: readonly Node[], at: number): Node | undefined {
  const test = errorTest(statement, statements);
  const consequence = statement.childForFieldName('consequence');
  if (test !== '!=' || consequence === null || !contains(consequence, wait)) return undefined;
  const alternative = statement.childForFieldName('alternative');
  if (alternative !== null) return alternative.type === 'block' && endsWithExit(alternative) ? blockStatements(alternative).at(-1) : undefined;
  const last = statements.slice(at + 1).at(-1);
  return last?.type === 'return_statement' || last?.type === 'break_statement' ? last : undefined;
}

/**
 * `if resp.StatusCode == http.StatusTooManyRequests { ...wait...; continue }` (429 or 503, or
 * `>= 500`) on a response a call in the loop just returned, with the loop body ending in `break`
 * or `return`: the loop retries that status. Its exits are the success exit and those of the
 * earlier `if err != nil { return ... }` tests, which give up on another failure, not on the
 * retried one; so a `for { }` that has no other way out retries the status forever.
 */
function retryOnStatus(statement: Node, wait: Node, statements: readonly Node[], at: number): Node[] | undefined {
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (condition?.type !== 'binary_expression' || consequence === null || !contains(consequence, wait) || statement.childForFieldName('alternative') !== null) return undefined;
  const operator = condition.childForFieldName('operator')?.text;
  const left = condition.childForFieldName('left');
  const right = condition.childForFieldName('right')?.text ?? '';
  const retried = operator === '==' ? RETRIED_STATUSES.has(right) : operator === '>=' && SERVER_ERRORS.has(right);
  const response = left?.type === 'selector_expression' && left.childForFieldName('field')?.text === 'StatusCode' ? left.childForFieldName('operand') : null;
  if (!retried || response?.type !== 'identifier' || !statements.slice(0, at).some((s) => setsFromCall(s, response.text))) return undefined;
  if (blockStatements(consequence).at(-1)?.type !== 'continue_statement') return undefined;
  const last = statements.slice(at + 1).at(-1);
  if (last?.type !== 'return_statement' && last?.type !== 'break_statement') return undefined;
  const otherFailures = statements.slice(0, at).filter((s) => s.type === 'if_statement' && errorTest(s, statements) === '!=')
    .map((s) => blockStatements(s.childForFieldName('consequence')).at(-1)).filter((e): e is Node => e !== undefined);
  return [last, ...otherFailures];
}

const RETRIED_STATUSES = new Set(['429', '503', 'http.StatusTooManyRequests', 'http.StatusServiceUnavailable']);
const SERVER_ERRORS = new Set(['500', 'http.StatusInternalServerError']);

function isForever(loop: Node): boolean {
  return !loop.namedChildren.some((c) => c?.type === 'for_clause' || c?.type === 'range_clause' || (c !== null && c.id !== loop.childForFieldName('body')?.id && c.type !== 'comment'));
}

/**
 * A way out of the loop other than the success exits: `return`, `break` (not one that only leaves
 * a nested `for`, `switch` or `select`), `goto`, or a call that ends the program or the goroutine
 * (`panic`, `os.Exit`, `log.Fatal...`, `runtime.Goexit`).
 */
function exitsOnFailure(loop: Node, successExits: readonly Node[]): boolean {
  const success = new Set(successExits.map((e) => e.id));
  const visit = (n: Node, nested: boolean): boolean => {
    if (success.has(n.id) || isGoFunction(n)) return false;
    if (n.type === 'return_statement' || n.type === 'goto_statement') return true;
    if (n.type === 'break_statement') return !nested || n.namedChildren.some((c) => c?.type === 'label_name');
    if (n.type === 'call_expression' && /^(panic|os\.Exit|log\.(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)|runtime\.Goexit)$/.test(n.childForFieldName('function')?.text ?? '')) return true;
    const inner = nested || /^(for_statement|expression_switch_statement|type_switch_statement|select_statement)$/.test(n.type);
    return n.namedChildren.some((c) => c !== null && visit(c, inner));
  };
  const body = loop.childForFieldName('body');
  return body !== null && visit(body, false);
}

/** `if err == nil { ...; return }`: success leaves the loop. */
function exitsOnSuccess(statement: Node, statements: readonly Node[]): boolean {
  return errorTest(statement, statements) === '==' && endsWithExit(statement.childForFieldName('consequence'));
}

/**
 * `==` or `!=` when the `if` compares with `nil` a name that a call just set: in the `if`'s own
 * initializer (`if err := f(); err != nil`) or in an earlier statement of the loop body.
 */
function errorTest(statement: Node, statements: readonly Node[]): '==' | '!=' | undefined {
  const condition = statement.childForFieldName('condition');
  if (condition?.type !== 'binary_expression') return undefined;
  const operator = condition.childForFieldName('operator')?.text;
  const left = condition.childForFieldName('left');
  const right = condition.childForFieldName('right');
  const name = left?.type === 'nil' ? right : right?.type === 'nil' ? left : undefined;
  if ((operator !== '==' && operator !== '!=') || name == null || name.type !== 'identifier') return undefined;
  const initializer = statement.childForFieldName('initializer');
  const setters = [initializer, ...statements.filter((s) => s.endIndex <= statement.startIndex)];
  return setters.some((s) => s != null && setsFromCall(s, name.text)) ? operator : undefined;
}

/** `x, err := f()` or `err = f()`: the statement gives `name` a value returned by a call. */
function setsFromCall(statement: Node, name: string): boolean {
  if (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement') return false;
  const names = statement.childForFieldName('left')?.namedChildren ?? [];
  const values = statement.childForFieldName('right')?.namedChildren ?? [];
  return names.some((n) => n?.text === name) && values.length === 1 && values[0]?.type === 'call_expression';
}

/** `for attempt := 0; attempt < N; attempt++` or `for attempt := range N`: a counter from zero. */
function counterOf(loop: Node): { counter: string | undefined; bound: number | undefined } {
  const none = { counter: undefined, bound: undefined };
  const clause = loop.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause');
  if (clause == null) return none;
  if (clause.type === 'range_clause') {
    const left = clause.childForFieldName('left')?.namedChildren ?? [];
    const right = clause.childForFieldName('right');
    const name = left.length === 1 ? left[0] : undefined;
    return name?.type === 'identifier' && name.text !== '_' && right?.type === 'int_literal' ? { counter: name.text, bound: Number(right.text) } : none;
  }
  const init = clause.childForFieldName('initializer');
  const names = init?.type === 'short_var_declaration' ? (init.childForFieldName('left')?.namedChildren ?? []) : [];
  const start = init?.childForFieldName('right')?.namedChildren ?? [];
  const name = names.length === 1 ? names[0]?.text : undefined;
  if (name === undefined || start.length !== 1 || start[0]?.text !== '0') return none;
  const update = clause.childForFieldName('update')?.text.replace(/\s/g, '');
  const condition = clause.childForFieldName('condition');
  if (update !== `${name}++` && update !== `${name}+=1`) return none;
  if (condition?.type !== 'binary_expression' || condition.childForFieldName('left')?.text !== name) return none;
  const operator = condition.childForFieldName('operator')?.text;
  const limit = condition.childForFieldName('right');
  if (operator !== '<' && operator !== '<=') return { counter: name, bound: undefined };
  const bound = limit?.type === 'int_literal' ? Number(limit.text) + (operator === '<=' ? 1 : 0) : undefined;
  return { counter: name, bound };
}
