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
  // Cheap tests first: a node's parent is found by a walk from the root, so it is read last.
  const around = deadlinesOf(facts).filter((d) => call.start >= d.start && call.end <= d.end && (d.only === undefined || d.only === call.node.id));
  if (around.length > 0) {
    const fn = enclosingFunction(call.node)?.id;
    const inFunction = around.filter((d) => d.fn === fn);
    if (inFunction.some((d) => !d.awaitedOnly) || (inFunction.length > 0 && call.node.parent?.type === 'await')) return true;
  }
  return alarmBefore(facts, call);
}

/**
 * A region of the file a deadline covers: a `with` block's body, or the awaitable handed to
 * `wait_for`. `fn` is the function the region runs in: a deadline outside a function body does
 * not bound the body, which runs later.
 */
interface Deadline {
  readonly start: number;
  readonly end: number;
  readonly fn: number | undefined;
  readonly awaitedOnly: boolean;
  /** For `wait_for`, the one call it bounds. */
  readonly only: number | undefined;
}

const deadlinesCache = new WeakMap<FileFacts, readonly Deadline[]>();

/** Found once per file from the deadline calls themselves, so that a file of many calls costs one pass. */
function deadlinesOf(facts: FileFacts): readonly Deadline[] {
  let found = deadlinesCache.get(facts);
  if (found !== undefined) return found;
  found = facts.calls.flatMap((c): Deadline[] => {
    const green = GREEN_TIMEOUTS.has(c.api);
    if ((green || TASK_TIMEOUTS.has(c.api)) && !noDeadline(c)) {
      const statement = withStatementOf(c.node);
      const body = statement?.childForFieldName('body');
      if (statement === undefined || body == null) return [];
      return [{ start: body.startIndex, end: body.endIndex, fn: enclosingFunction(statement)?.id, awaitedOnly: !green, only: undefined }];
    }
    const awaitable = c.args?.positional[0]?.node;
    if (c.api === 'asyncio.wait_for' && awaitable !== undefined && !noDeadline(c, 1)) {
      return [{ start: awaitable.startIndex, end: awaitable.endIndex, fn: enclosingFunction(c.node)?.id, awaitedOnly: false, only: awaitable.id }];
    }
    return [];
  });
  deadlinesCache.set(facts, found);
  return found;
}

/** The `with` statement whose item is this call: `with x(...):` or `with x(...) as y:`. */
function withStatementOf(call: Node): Node | undefined {
  let n: Node | null = call.parent;
  if (n?.type === 'as_pattern') n = n.parent;
  if (n?.type !== 'with_item') return undefined;
  n = n.parent;
  if (n?.type === 'with_clause') n = n.parent;
  return n?.type === 'with_statement' ? n : undefined;
}

/** `Timeout(None)` or `wait_for(x, None)` sets no deadline; the seconds are the first (or `index`) argument. */
function noDeadline(call: CallFact, index = 0): boolean {
  const args = call.args;
  const seconds = args?.positional[index] ?? args?.keywords.get(index === 0 ? 'seconds' : 'timeout')?.value ?? args?.keywords.get('delay')?.value;
  return seconds === undefined || seconds.kind === 'none';
}

const alarmHandlers = new WeakMap<FileFacts, boolean>();

/** An alarm armed earlier in the same function, and a SIGALRM handler somewhere in the file. */
function alarmBefore(facts: FileFacts, call: CallFact): boolean {
  let handler = alarmHandlers.get(facts);
  if (handler === undefined) {
    handler = facts.calls.some((c) => c.api === 'signal.signal' && /\bSIGALRM$/.test(c.args?.positional[0]?.text ?? ''));
    alarmHandlers.set(facts, handler);
  }
  if (!handler) return false;
  return callsIn(facts, enclosingFunction(call.node)).some((c) => ALARMS.has(c.api) && c.start < call.start && !/^0+(\.0*)?$/.test(c.args?.positional.at(-1)?.text ?? '0'));
}
