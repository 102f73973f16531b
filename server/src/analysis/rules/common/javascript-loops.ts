import type { Node } from 'web-tree-sitter';
import { compiledQuery } from '../../facts/common.js';
import type { FileFacts, ValueFact } from '../../facts/types.js';
import { isFunction, numberValue } from './javascript.js';
import { atStartup, onlyProbes, waitsUntilReady } from './wait-loops.js';

/**
 * Hand-written retry loops in JavaScript: a loop whose body tries an operation, leaves the loop
 * when it succeeds (the try block ends with `return` or `break`) and otherwise waits and goes
 * round again. Requiring the unconditional exit at the end of the try block is what separates a
 * retry loop from a worker loop that polls forever and logs its errors. A loop that only waits
 * for a service to answer, or keeps a subscriber connected, is meant to run until it succeeds and
 * is never `unbounded` (`wait-loops.ts`).
 */
export interface RetryLoop {
  readonly loop: Node;
  /** From the loop's start to the end of its head (`while (true)`, `for (;;)`, `do`). */
  readonly head: { readonly start: number; readonly end: number };
  /** `while (true)` or `for (;;)` with no other way out than success. */
  readonly unbounded: boolean;
  /** The counter of `for (let attempt = 0; attempt < n; attempt++)`, when the loop has one. */
  readonly counter: string | undefined;
  /** A start-up wait whose attempt only checks that a dependency answers (`wait-loops.ts`): it repeats no side effect. */
  readonly readiness: boolean;
  readonly delays: readonly Delay[];
}

export interface Delay {
  readonly call: Node;
  /** The expression giving the delay in milliseconds. */
  readonly amount: Node;
  /** The amount is a number or a module constant: every attempt waits the same. */
  readonly constant: boolean;
}

const LOOP_QUERY = '[(for_statement) (while_statement) (do_statement)] @loop';
/** Helper names that conventionally wrap `setTimeout` in a promise (`await sleep(1000)`). */
const SLEEP_NAMES = /^(sleep|delay|wait|pause|snooze)$/i;
const cache = new WeakMap<FileFacts, readonly RetryLoop[]>();

/** The retry loops of a file, found once per analysis and shared by the rules that read them. */
export function retryLoops(facts: FileFacts): readonly RetryLoop[] {
  let loops = cache.get(facts);
  if (loops === undefined) {
    loops = findLoops(facts);
    cache.set(facts, loops);
  }
  return loops;
}

function findLoops(facts: FileFacts): RetryLoop[] {
  const loops: RetryLoop[] = [];
  const query = compiledQuery(facts.root.tree.language, LOOP_QUERY);
  for (const match of query.matches(facts.root)) {
    const loop = match.captures[0]?.node;
    const body = loop?.childForFieldName('body');
    if (loop === undefined || body == null || body.type !== 'statement_block') continue;
    const statements = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const index = statements.findIndex((s) => s.type === 'try_statement' && endsWithExit(s));
    const attempt = statements[index];
    const handler = attempt?.childForFieldName('handler');
    if (attempt === undefined || handler == null) {
      const retry = statusRetry(facts, loop, body, statements);
      if (retry !== undefined) loops.push(retry);
      continue;
    }
    const waitingPart = [handler, ...statements.slice(index + 1)];
    const delays = waitingPart.flatMap((n) => delaysIn(facts, n));
    const exits = statements.some((s) => s.id !== attempt.id && hasExit(s)) || hasExit(handler) || attempt.childForFieldName('finalizer') !== null;
    const unbounded = isForever(loop) && !exits && !waitsUntilReady([attempt.childForFieldName('body')]);
    loops.push({ loop, head: headOf(loop, body), unbounded, counter: counterOf(loop), readiness: onlyProbes([attempt.childForFieldName('body')]) && atStartup(loop), delays });
  }
  return loops;
}

/**
 * The other common shape: a request made in the loop, then an `if` on its answer's HTTP status
 * that waits and goes round again (`if (res.status === 429) { await sleep(ms); continue; }`).
 * Only a status that asks for a retry counts (429,
 * a 5xx, or a comparison against 500): an `if` that waits and continues on anything else is
 * a polling loop's idle wait, not a retry.
 */
function statusRetry(facts: FileFacts, loop: Node, body: Node, statements: readonly Node[]): RetryLoop | undefined {
  const retry = statements.find((s) => {
    if (s.type !== 'if_statement') return false;
    const condition = s.childForFieldName('condition');
    const consequence = s.childForFieldName('consequence');
    const last = consequence?.type === 'statement_block' ? consequence.namedChildren.filter((c) => c !== null && c.type !== 'comment').at(-1) : consequence;
    return condition != null && consequence != null && last?.type === 'continue_statement' && asksForRetry(condition) && delaysIn(facts, consequence).length > 0;
  });
  const consequence = retry?.childForFieldName('consequence');
  if (retry === undefined || consequence == null) return undefined;
  // The exits past the `if` are the success (or a failure retried no more); only a way out of the
  // waiting branch itself gives up on the failure it retries.
  return { loop, head: headOf(loop, body), unbounded: isForever(loop) && !hasExit(consequence), counter: counterOf(loop), readiness: false, delays: delaysIn(facts, consequence) };
}

/** A condition that reads an HTTP status (`.status`, `.statusCode`) against 429, a 5xx, or 500 and up. */
function asksForRetry(condition: Node): boolean {
  return condition.descendantsOfType('binary_expression').some((b) => {
    const left = b?.childForFieldName('left');
    const right = b?.childForFieldName('right');
    const operator = b?.childForFieldName('operator')?.type ?? '';
    const status = [left, right].find((n) => n?.type === 'member_expression' && /^(?:status|statusCode)$/.test(n.childForFieldName('property')?.text ?? ''));
    const number = [left, right].find((n) => n?.type === 'number');
    if (status == null || number == null) return false;
    const value = Number(number.text);
    return (/^[=!]==?$/.test(operator) && operator.startsWith('=') && (value === 429 || (value >= 500 && value < 600))) || (/^>=?$/.test(operator) && value >= 499 && value < 600 && left?.id === status.id);
  });
}

/** The try block's last statement leaves the loop: success ends the retrying. */
function endsWithExit(tryStatement: Node): boolean {
  const block = tryStatement.childForFieldName('body');
  const last = block?.namedChildren.filter((c) => c !== null && c.type !== 'comment').at(-1);
  return last?.type === 'return_statement' || last?.type === 'break_statement';
}

/** A `throw`, `return` or `break` that can leave the loop, outside nested functions and loops. */
function hasExit(node: Node): boolean {
  if (node.type === 'throw_statement' || node.type === 'return_statement' || node.type === 'break_statement') return true;
  if (isFunction(node)) return false;
  const nestedLoop = node.type === 'for_statement' || node.type === 'for_in_statement' || node.type === 'while_statement' || node.type === 'do_statement' || node.type === 'switch_statement';
  for (const child of node.namedChildren) {
    if (child === null) continue;
    // `break` inside a nested loop or switch leaves only that; `throw` and `return` still leave ours.
    if (nestedLoop && child.type === 'break_statement') continue;
    if (hasExit(child)) return true;
  }
  return false;
}

function isForever(loop: Node): boolean {
  if (loop.type === 'for_statement') return loop.childForFieldName('condition')?.text.replace(/[;\s]/g, '') === '' || loop.childForFieldName('condition') === null;
  const condition = loop.childForFieldName('condition');
  return condition !== null && condition.text.replace(/[()\s]/g, '') === 'true';
}

function headOf(loop: Node, body: Node): { start: number; end: number } {
  if (loop.type === 'do_statement') return { start: loop.startIndex, end: loop.startIndex + 2 };
  return { start: loop.startIndex, end: body.previousSibling?.endIndex ?? body.startIndex };
}

/** `for (let attempt = 0; attempt < n; attempt++)`: the one counter that counts attempts. */
function counterOf(loop: Node): string | undefined {
  if (loop.type !== 'for_statement') return undefined;
  const init = loop.childForFieldName('initializer');
  const declarators = init?.namedChildren.filter((c) => c?.type === 'variable_declarator') ?? [];
  const name = declarators.length === 1 ? declarators[0]?.childForFieldName('name') : undefined;
  if (name == null || name.type !== 'identifier') return undefined;
  const increment = loop.childForFieldName('increment')?.text.replace(/\s/g, '');
  const condition = loop.childForFieldName('condition')?.text.replace(/[\s;]/g, '') ?? '';
  const counts = increment === `${name.text}++` || increment === `++${name.text}` || increment === `${name.text}+=1`;
  return counts && condition.startsWith(`${name.text}<`) ? name.text : undefined;
}

/** Waits in `node`: `setTimeout(resolve, ms)`, `timers/promises` `setTimeout(ms)`, `await sleep(ms)`. */
function delaysIn(facts: FileFacts, node: Node): Delay[] {
  const found: Delay[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'call_expression') {
      const amount = delayAmount(facts, n);
      if (amount !== undefined) found.push({ call: n, amount, constant: numberValue(facts, valueOf(amount)) !== undefined });
    }
    for (const child of n.namedChildren) if (child !== null) visit(child);
  };
  visit(node);
  return found;
}

function delayAmount(facts: FileFacts, call: Node): Node | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  if (fn === null) return undefined;
  const api = facts.calls.find((c) => c.node.id === call.id)?.api;
  if (api === 'timers/promises.setTimeout') return args[0];
  const name = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn.text;
  if (api === undefined && name === 'setTimeout' && args.length >= 2) return args[1];
  if (api === undefined && name !== undefined && SLEEP_NAMES.test(name) && call.parent?.type === 'await_expression' && args.length === 1) return args[0];
  return undefined;
}

/** A bare node as a value, for `numberValue`. */
function valueOf(node: Node): ValueFact {
  const kind = node.type === 'number' ? 'number' : node.type === 'identifier' ? 'identifier' : 'other';
  return { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
}
