import type { Node } from 'web-tree-sitter';

/**
 * Loops that are meant to go on until they succeed, however long that takes, and so are not the
 * unbounded retries retry-unbounded reports:
 *
 * - **Waiting for a dependency to come up**: the block that leaves the loop on success does
 *   nothing but check that a service answers (`connect`, `ping`, `create_connection`,
 *   SQLAlchemy's `raw_connection`, `authenticate`, Prisma's `$connect`, `pg_isready` run as a
 *   command, a `SELECT 1` query), plus logging. An
 *   entrypoint that waits for its database has nothing better to do than wait, and a bound would
 *   only turn a slow start into a crash loop.
 * - **A subscriber that reconnects**: the block subscribes or listens (`subscribe`, `psubscribe`,
 *   `listen`, `start_consuming`, `run_forever`). A pub/sub listener is supposed to live as long as
 *   the process; reconnecting forever is its job.
 *
 * Anything else in the block (an HTTP call, a publish, a charge, a query that does work) makes it
 * a retry of work, which stays reported. Names are read off the call nodes of the block (the
 * method or function name), never from comments or strings; calls inside nested functions do not
 * count, since they do not run there.
 */
const PROBES = new Set([
  'connect', '$connect', 'ping', 'create_connection', 'raw_connection', 'open_connection', 'ensure_connection', 'authenticate',
  'is_ready', 'isReady', 'wait_until_ready', 'check_connection', 'checkConnection', 'Ping', 'PingContext', 'Dial', 'DialTimeout',
]);
const LISTENERS = new Set(['subscribe', 'psubscribe', 'listen', 'start_consuming', 'run_forever', 'Subscribe', 'PSubscribe']);
/** Calls that change nothing a retry could repeat: logging, waiting, and closing the probe's connection. */
const NEUTRAL = new Set(['close', 'Close', 'disconnect', 'quit', 'end', 'sleep', 'Sleep', 'After', 'Is', 'New', 'Errorf', 'print', 'log', 'debug', 'info', 'warn', 'warning', 'error', 'exception', 'Println', 'Printf', 'Print', 'Infof', 'Debugf', 'Warnf', 'Errorf']);
/** Commands that only check a service: `subprocess.run(["pg_isready", ...])`. */
const PROBE_COMMANDS = /^(pg_isready|mysqladmin|redis-cli|nc)$/;

const CALL_TYPES = new Set(['call', 'call_expression', 'method_invocation']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda', 'arrow_function', 'function_expression', 'function', 'func_literal', 'method_definition']);

/** True when the blocks hold at least one probe or listener call, and nothing else but logging and closing. */
export function waitsUntilReady(blocks: readonly (Node | null | undefined)[]): boolean {
  return readinessOf(blocks) !== undefined;
}

/**
 * True when the blocks only probe a dependency (no listener): with `atStartup`, a readiness wait,
 * which repeats no side effect, so retry-no-backoff leaves its fixed sleep alone. A subscriber that reconnects is
 * not one: many clients reconnecting to a restarted broker at one pace is what backoff prevents.
 */
export function onlyProbes(blocks: readonly (Node | null | undefined)[]): boolean {
  return readinessOf(blocks) === 'probe';
}

function readinessOf(blocks: readonly (Node | null | undefined)[]): 'probe' | 'listener' | undefined {
  const names: { name: string; call: Node }[] = [];
  // An explicit stack: a block can be nested deeper than the call stack allows.
  const stack = blocks.filter((b): b is Node => b != null);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (FUNCTION_TYPES.has(node.type)) continue;
    if (CALL_TYPES.has(node.type)) {
      const name = calleeName(node);
      if (name !== undefined) names.push({ name, call: node });
    }
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  if (names.some(({ name }) => LISTENERS.has(name))) return 'listener';
  let probes = 0;
  for (const { name, call } of names) {
    if (PROBES.has(name) || runsProbeCommand(call) || runsProbeQuery(name, call)) probes++;
    else if (!NEUTRAL.has(name) && !isArgumentOfProbe(call, names)) return undefined;
  }
  return probes > 0 ? 'probe' : undefined;
}

const DEFINITIONS = new Set(['function_definition', 'function_declaration', 'method_declaration', 'method_definition', 'method', 'function_expression', 'arrow_function', 'func_literal', 'lambda', 'function']);
/** Names of functions whose job is to wait for a dependency: `wait_for_db`, `WaitForDatabase`, `ensureReady`, `on_startup`. */
const WAITER_NAMES = /wait|ready|readiness|startup|start_up|boot/i;

/**
 * Where a readiness wait runs at start-up: in a script's top level, or in a function named for
 * waiting (`wait_for_db`, `WaitForDatabase`). A probe retried elsewhere (a client's `connect` in a
 * request path) stays a retry that backoff is for.
 */
export function atStartup(loop: Node): boolean {
  for (let n = loop.parent; n !== null; n = n.parent) {
    if (!DEFINITIONS.has(n.type)) continue;
    const named = n.childForFieldName('name') ?? (n.parent?.type === 'variable_declarator' ? n.parent.childForFieldName('name') : null);
    return named != null && WAITER_NAMES.test(named.text);
  }
  return true;
}

/** `db.engine.execute("SELECT 1;")`: a query that reads nothing, only whether the database answers. */
const QUERIES = new Set(['execute', 'exec', 'query', 'Exec', 'Query', 'ExecContext', 'QueryContext', '$queryRaw', '$executeRaw']);
function runsProbeQuery(name: string, call: Node): boolean {
  if (!QUERIES.has(name)) return false;
  const args = call.childForFieldName('arguments');
  // The first string argument: Go passes a context before it (`db.ExecContext(ctx, "SELECT 1")`).
  const first = args?.namedChildren.find((c) => c !== null && /string/.test(c.type)) ?? null;
  if (first == null) return false;
  return /^select\s+1\s*;?$/i.test(first.text.replace(/^[rbuf]*(['"`])|['"`]$/gi, '').trim());
}

/** The called name: `connect` of `db.connect()`, `psycopg2.connect(...)` or `connect(...)`. */
function calleeName(call: Node): string | undefined {
  if (call.type === 'method_invocation') return call.childForFieldName('name')?.text;
  const callee = call.childForFieldName('function');
  if (callee == null) return undefined;
  const name = callee.childForFieldName('attribute') ?? callee.childForFieldName('property') ?? callee.childForFieldName('field') ?? callee;
  return /^[\w$]+$/.test(name.text) ? name.text : undefined;
}

/** `subprocess.run(["pg_isready", "-h", host])` or `execSync('pg_isready -h db')`: the command's first word. */
function runsProbeCommand(call: Node): boolean {
  const args = call.childForFieldName('arguments');
  let first = args?.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  if (first?.type === 'list' || first?.type === 'array') first = first.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  if (first == null || !/string/.test(first.type)) return false;
  const word = first.text.replace(/^[rbuf]*['"`]/i, '').split(/[\s'"`]/)[0] ?? '';
  return PROBE_COMMANDS.test(word);
}

/**
 * A call written inside the arguments of a probe or a wait (`connect(dsn())`, `Sleep(wait(1))`)
 * only computes its input; inside a log call's arguments it could be work (`print(fetch())`).
 */
const WAITS = new Set(['sleep', 'Sleep', 'After']);

function isArgumentOfProbe(call: Node, names: readonly { name: string; call: Node }[]): boolean {
  return names.some(({ name, call: outer }) => outer.id !== call.id && (PROBES.has(name) || WAITS.has(name))
    && call.startIndex >= outer.startIndex && call.endIndex <= outer.endIndex);
}
