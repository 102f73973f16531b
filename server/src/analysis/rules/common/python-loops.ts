import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../../facts/types.js';
import { constantNumber, drawsRandom } from './python.js';
import { atStartup, onlyProbes, waitsUntilReady } from './wait-loops.js';

/**
 * Hand-written retry loops in Python: a `for` or `while` loop whose body tries an operation, leaves
 * the loop when it succeeds (the try block, or its `else`, ends with `return` or `break`) and
 * otherwise sleeps and goes round again. Requiring the exit on success is what separates a retry
 * loop from a worker loop that polls forever and logs its errors; a loop that sleeps only after
 * checking a result (`if job.done: return`) is polling, not retrying, and is left alone. A loop
 * that only waits for a service to answer, or keeps a subscriber connected, is meant to run until
 * it succeeds and is never `unbounded` (`wait-loops.ts`).
 */
export interface RetryLoop {
  readonly loop: Node;
  /** From the loop's start to the end of its head (`while True`, `for attempt in range(5)`). */
  readonly head: { readonly start: number; readonly end: number };
  /** `while True` with no way out on failure (no `raise`, `return` or `break` outside the try block). */
  readonly unbounded: boolean;
  /** The variable of `for attempt in range(...)`, when the loop counts attempts with one. */
  readonly counter: string | undefined;
  /** A start-up wait whose attempt only checks that a dependency answers (`wait-loops.ts`): it repeats no side effect. */
  readonly readiness: boolean;
  readonly delays: readonly Delay[];
}

export interface Delay {
  /** The sleep call, and the expression it waits for (in seconds). */
  readonly call: Node;
  readonly amount: Node;
  readonly shape: 'constant' | 'exponential' | 'other';
}

/** Sleeps that block the loop (threads, asyncio, gevent, trio, anyio). */
const SLEEPS = new Set(['time.sleep', 'asyncio.sleep', 'gevent.sleep', 'trio.sleep', 'anyio.sleep', 'eventlet.sleep']);
/** Calls that only shape a number: `min(2 ** n, 30)` is still an exponential wait. */
const NUMERIC = new Set(['min', 'max', 'int', 'float', 'round', 'pow']);
const cache = new WeakMap<FileFacts, readonly RetryLoop[]>();

/** The retry loops of a file, found from its sleep calls once per analysis. */
export function retryLoops(facts: FileFacts): readonly RetryLoop[] {
  let loops = cache.get(facts);
  if (loops === undefined) {
    const byLoop = new Map<number, { loop: Node; tryNode: Node; delays: Delay[] }>();
    for (const call of facts.calls) {
      if (!SLEEPS.has(call.api) || call.node.type !== 'call') continue;
      const found = retryLoopOf(call.node);
      const amount = call.args?.positional[0]?.node ?? call.args?.keywords.get('seconds')?.value.node ?? call.args?.keywords.get('delay')?.value.node;
      if (found === undefined || amount === undefined) continue;
      const entry = byLoop.get(found.loop.id) ?? { loop: found.loop, tryNode: found.tryNode, delays: [] };
      entry.delays.push({ call: call.node, amount, shape: waitShape(facts, found.loop, amount) });
      byLoop.set(found.loop.id, entry);
    }
    loops = [...byLoop.values()].map(({ loop, tryNode, delays }) => ({
      loop,
      // The head ends before its colon: `while True`, `for attempt in range(5)`.
      head: { start: loop.startIndex, end: loop.children.find((c) => c?.type === ':')?.startIndex ?? loop.endIndex },
      unbounded: isForever(loop) && !exitsOnFailure(loop, tryNode) && !waitsUntilReady(successBlocks(tryNode)),
      counter: counterOf(loop),
      readiness: onlyProbes(successBlocks(tryNode)) && atStartup(loop),
      delays,
    }));
    cache.set(facts, loops);
  }
  return loops;
}

/** The retry loop a sleep waits in, and the try statement whose failure it waits after. */
function retryLoopOf(sleep: Node): { loop: Node; tryNode: Node } | undefined {
  let inHandler: Node | undefined;
  let child = sleep;
  for (let n = sleep.parent; n !== null; child = n, n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return undefined;
    if (n.type === 'except_clause' || n.type === 'except_group_clause') inHandler ??= n;
    if (n.type !== 'for_statement' && n.type !== 'while_statement') continue;
    const body = n.childForFieldName('body');
    if (body === null || child.id !== body.id) return undefined;
    const statements = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment');
    if (inHandler !== undefined) {
      const tryNode = inHandler.parent;
      return tryNode !== null && statements.some((s) => s.id === tryNode.id) && exitsOnSuccess(tryNode) ? { loop: n, tryNode } : undefined;
    }
    // A sleep after the try statement, in the loop's own body.
    const at = statements.findIndex((s) => s.startIndex <= sleep.startIndex && sleep.endIndex <= s.endIndex);
    const tryNode = statements.slice(0, Math.max(0, at)).reverse().find((s) => s.type === 'try_statement' && exitsOnSuccess(s));
    return tryNode === undefined ? undefined : { loop: n, tryNode };
  }
  return undefined;
}

/** The try block and its `else` clause: what runs when the attempt succeeds. */
function successBlocks(tryNode: Node): (Node | null)[] {
  return [tryNode.childForFieldName('body'), tryNode.namedChildren.find((c) => c?.type === 'else_clause')?.childForFieldName('body') ?? null];
}

/** The try block, or its `else` clause, ends by leaving the loop. */
function exitsOnSuccess(tryNode: Node): boolean {
  const elseBody = tryNode.namedChildren.find((c) => c?.type === 'else_clause')?.childForFieldName('body') ?? null;
  return [tryNode.childForFieldName('body'), elseBody].some((block) => {
    const last = block?.namedChildren.filter((c) => c !== null && c.type !== 'comment').at(-1);
    return last?.type === 'return_statement' || last?.type === 'break_statement';
  });
}

/**
 * A `raise`, `return` or `break` (or `sys.exit`) that leaves the loop on failure: outside the try
 * block and its `else` clause, which are the way out on success.
 */
function exitsOnFailure(loop: Node, tryNode: Node): boolean {
  const success = new Set([tryNode.childForFieldName('body')?.id, tryNode.namedChildren.find((c) => c?.type === 'else_clause')?.id]);
  const visit = (n: Node): boolean => {
    if (success.has(n.id)) return hasRaise(n);
    if (n.type === 'raise_statement' || n.type === 'return_statement' || n.type === 'break_statement') return true;
    if (n.type === 'call' && /^(?:sys\.)?exit$|^os\._exit$/.test(n.childForFieldName('function')?.text ?? '')) return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    return n.namedChildren.some((c) => c !== null && visit(c));
  };
  const body = loop.childForFieldName('body');
  return body !== null && visit(body);
}

/** A `raise` in the try block may escape the handlers: it counts as a way out, to stay on the safe side. */
function hasRaise(n: Node): boolean {
  if (n.type === 'raise_statement') return true;
  if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
  return n.namedChildren.some((c) => c !== null && hasRaise(c));
}

function isForever(loop: Node): boolean {
  if (loop.type !== 'while_statement') return false;
  const condition = loop.childForFieldName('condition');
  return condition?.type === 'true' || (condition?.type === 'integer' && Number(condition.text) !== 0);
}

/** `for attempt in range(...)`: the variable counts attempts from zero. */
function counterOf(loop: Node): string | undefined {
  if (loop.type !== 'for_statement') return undefined;
  const left = loop.childForFieldName('left');
  const right = loop.childForFieldName('right');
  if (left?.type !== 'identifier' || left.text === '_' || right?.type !== 'call') return undefined;
  if (right.childForFieldName('function')?.text !== 'range') return undefined;
  // `range(1, n)` starts at one; only `range(n)` or `range(0, n)` counts from zero.
  const args = right.childForFieldName('arguments')?.namedChildren.filter((a) => a !== null && a.type !== 'comment') ?? [];
  return args.length === 1 || (args.length === 2 && args[0]?.text === '0') ? left.text : undefined;
}

/**
 * How a wait grows across the retries that run `scope` (a loop, or a task's function): a constant;
 * exponential (`2 ** attempt`, `1 << n`, or a variable the scope multiplies) with no random part
 * anywhere in the scope; or anything else, which the rules leave alone.
 */
export function waitShape(facts: FileFacts, scope: Node, amount: Node): Delay['shape'] {
  if (constantNumber(facts, amount) !== undefined) return 'constant';
  if (drawsRandom(facts, scope.startIndex, scope.endIndex)) return 'other';
  let exponential = false;
  let opaque = false;
  const visit = (n: Node): void => {
    if (n.type === 'binary_operator') {
      const op = n.childForFieldName('operator')?.text;
      if (op === '**' || op === '<<') exponential = true;
    } else if (n.type === 'call') {
      const fn = n.childForFieldName('function')?.text ?? '';
      if (fn === 'pow' || fn === 'math.pow') exponential = true;
      else if (!NUMERIC.has(fn)) opaque = true;
    } else if (n.type === 'identifier' && multipliedIn(scope, n.text)) exponential = true;
    for (const c of n.namedChildren) if (c !== null && !(n.type === 'call' && c.id === n.childForFieldName('function')?.id)) visit(c);
  };
  visit(amount);
  return exponential && !opaque ? 'exponential' : 'other';
}

/** `delay *= 2` or `delay = delay * 2` (or `min(delay * 2, cap)`) somewhere in the loop. */
function multipliedIn(loop: Node, name: string): boolean {
  const visit = (n: Node): boolean => {
    if (n.type === 'augmented_assignment' && n.childForFieldName('left')?.text === name) {
      return n.childForFieldName('operator')?.text === '*=' || n.childForFieldName('operator')?.text === '<<=';
    }
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === name) {
      const right = n.childForFieldName('right')?.text.replace(/\s/g, '') ?? '';
      return new RegExp(`(?:^|\\W)${name}\\*|\\*${name}(?:\\W|$)|(?:^|\\W)${name}<<`).test(right);
    }
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
    return n.namedChildren.some((c) => c !== null && visit(c));
  };
  return visit(loop);
}
