import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { callsIn, enclosingFunction } from '../common/python.js';

/**
 * Deadlines that bound a Python call from the outside, so a call with no timeout of its own does
 * not wait forever. Each is recognised by its API, resolved through the file's imports:
 *
 * - `with eventlet.Timeout(5, False):` and `with gevent.Timeout(5):` around the call. Both
 *   interrupt the green thread when the time is up, which stops a blocking socket read as long as
 *   the sockets are green (monkey-patched), the setting these libraries are used in.
 * - `async with asyncio.timeout(5):` (also `timeout_at`, `async_timeout.timeout`, and trio's and
 *   anyio's `fail_after`/`move_on_after`) around an awaited call, and `asyncio.wait_for(call, 5)`.
 *   They cancel a coroutine, so they bound only awaited calls: a blocking `requests.get` inside
 *   them still blocks the event loop and stays reported.
 * - `signal.alarm(n)` (or `signal.setitimer(signal.ITIMER_REAL, ...)`) earlier in the same
 *   function, with a SIGALRM handler installed in the file: the handler's exception interrupts
 *   the blocking read.
 *
 * `socket.setdefaulttimeout(...)` is not one of them for requests: requests passes `timeout=None`
 * down to urllib3, which sets it on the socket and overrides the default (psf/requests issues
 * 2555 and 3222); it does bound `urlopen`, http.client and urllib3 pools, whose checks read it.
 */
const GREEN_TIMEOUTS = new Set(['eventlet.Timeout', 'eventlet.timeout.Timeout', 'gevent.Timeout', 'gevent.timeout.Timeout']);
const TASK_TIMEOUTS = new Set([
  'asyncio.timeout', 'asyncio.timeout_at', 'async_timeout.timeout', 'async_timeout.timeout_at',
  'trio.fail_after', 'trio.move_on_after', 'anyio.fail_after', 'anyio.move_on_after',
]);
const ALARMS = new Set(['signal.alarm', 'signal.setitimer']);

export function boundedByDeadline(facts: FileFacts, call: CallFact): boolean {
  const awaited = call.node.parent?.type === 'await';
  const byNode = callsByNode(facts);
  for (let n: Node | null = call.node.parent; n !== null; n = n.parent) {
    // A deadline outside a function body does not bound the body, which runs later.
    if (n.type === 'function_definition' || n.type === 'lambda') break;
    if (n.type === 'with_statement' && inside(n.childForFieldName('body'), call.node)) {
      for (const item of withItems(n)) {
        const guard = byNode.get(item.id);
        if (guard === undefined || noDeadline(guard)) continue;
        if (GREEN_TIMEOUTS.has(guard.api) || (awaited && TASK_TIMEOUTS.has(guard.api))) return true;
      }
    }
    if (n.type === 'call') {
      const outer = byNode.get(n.id);
      if (outer?.api === 'asyncio.wait_for' && !noDeadline(outer, 1)) return true;
    }
  }
  return alarmBefore(facts, call);
}

const byNodeCache = new WeakMap<FileFacts, ReadonlyMap<number, CallFact>>();

function callsByNode(facts: FileFacts): ReadonlyMap<number, CallFact> {
  let index = byNodeCache.get(facts);
  if (index === undefined) {
    index = new Map(facts.calls.map((c) => [c.node.id, c]));
    byNodeCache.set(facts, index);
  }
  return index;
}

/** The values of a `with` statement's items: `with a(...) as x, b(...):` gives the two calls. */
function withItems(statement: Node): Node[] {
  const clause = statement.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).flatMap((item) => {
    const value = item?.childForFieldName('value');
    const call = value?.type === 'as_pattern' ? value.namedChild(0) : value;
    return call?.type === 'call' ? [call] : [];
  });
}

/** `Timeout(None)` or `wait_for(x, None)` sets no deadline; the seconds are the first (or `index`) argument. */
function noDeadline(call: CallFact, index = 0): boolean {
  const args = call.args;
  const seconds = args?.positional[index] ?? args?.keywords.get(index === 0 ? 'seconds' : 'timeout')?.value ?? args?.keywords.get('delay')?.value;
  return seconds === undefined || seconds.kind === 'none';
}

function inside(outer: Node | null, node: Node): boolean {
  return outer !== null && node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/** An alarm armed earlier in the same function, and a SIGALRM handler somewhere in the file. */
function alarmBefore(facts: FileFacts, call: CallFact): boolean {
  const handler = facts.calls.some((c) => c.api === 'signal.signal' && /\bSIGALRM$/.test(c.args?.positional[0]?.text ?? ''));
  if (!handler) return false;
  return callsIn(facts, enclosingFunction(call.node)).some((c) => ALARMS.has(c.api) && c.start < call.start && !/^0+(\.0*)?$/.test(c.args?.positional.at(-1)?.text ?? '0'));
}
