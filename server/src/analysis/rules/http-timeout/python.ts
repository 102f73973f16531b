import type { CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument, replaceRange, timeoutConstant } from '../../fixes/edits.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * http-timeout in Python, beyond requests, urllib and httpx: urllib3 pools and `http.client`
 * connections, which default to the socket's global timeout (none unless
 * `socket.setdefaulttimeout()` was called), and `timeout=None` given to them or to the top-level
 * `urllib3.request` (whose own default is 3 s, urllib3 2.x `__init__.py`).
 *
 * A pool whose requests in this file pass their own `timeout` is left alone, and so is anything
 * given `**kwargs`. Fix (safe): `timeout=<seconds>`, as a named constant when the file has one.
 */
const POOLS = new Set(['urllib3.PoolManager', 'urllib3.HTTPConnectionPool', 'urllib3.HTTPSConnectionPool']);
const CONNECTIONS = new Set(['http.client.HTTPConnection', 'http.client.HTTPSConnection']);

export function checkPythonPools(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    const args = call.args;
    if (args === undefined || !(POOLS.has(call.api) || CONNECTIONS.has(call.api) || call.api === 'urllib3.request')) return undefined;
    const timeout = args.keywords.get('timeout');
    if (timeout !== undefined) {
      if (timeout.value.kind !== 'none') return undefined;
      const seconds = timeoutConstant(facts, call.start) ?? String(context.fixTimeoutSeconds);
      return {
        range: calleeRange(call),
        message: `\`${call.api}\` is given timeout=None: it waits forever for a server that stopped answering.`,
        fixes: [{ title: `Set timeout=${seconds}`, edits: [replaceRange(timeout.value.start, timeout.value.end, seconds)], safe: true }],
      };
    }
    if (args.hasSplat || facts.configuredMembers.has('socket.setdefaulttimeout')) return undefined;
    if (POOLS.has(call.api)) {
      // A request on this pool with its own timeout shows the author handles timeouts per request.
      if (facts.calls.some((c) => c.receiver === call && c.args?.keywords.has('timeout') === true)) return undefined;
      return finding(facts, call, context, `\`${call.api}\` has no timeout: its requests wait forever for a server that stopped answering.`);
    }
    // `HTTPConnection(host, port, timeout)`: a third positional argument is the timeout.
    if (CONNECTIONS.has(call.api) && args.positional.length < 3) {
      return finding(facts, call, context, `\`${call.api}\` has no timeout: it uses the socket default, which waits forever.`);
    }
    return undefined;
  });
}

function finding(facts: FileFacts, call: CallFact, context: RuleContext, message: string): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const seconds = timeoutConstant(facts, call.start) ?? String(context.fixTimeoutSeconds);
  return {
    range: calleeRange(call),
    message,
    fixes: [{ title: `Add timeout=${seconds}`, edits: appendArgument(facts, args, `timeout=${seconds}`), safe: true }],
  };
}
