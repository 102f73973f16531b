import type { CallFact, FileFacts, ObjectFact, ValueFact } from '../facts/types.js';
import { appendArgument, appendProperty, replaceRange, timeoutConstant } from '../fixes/edits.js';
import { javascriptSignalKind } from '../apis/javascript.js';
import { lookupTable } from '../lookup.js';
import { PROJECT_FACTORY, PROJECT_SENDER } from '../project/types.js';
import { runtimeOfFile } from '../runtime.js';
import type { Fix } from '../types.js';
import { checkGo } from './http-timeout/go.js';
import { checkJava } from './http-timeout/java.js';
import { racedWithTimer } from './http-timeout/javascript-race.js';
import { nodeFetchTimeout } from './http-timeout/javascript-node-fetch.js';
import { boundedByDeadline } from './http-timeout/python-deadlines.js';
import { checkPythonPools } from './http-timeout/python.js';
import { checkRuby } from './http-timeout/ruby.js';
import { calleeRange, defineRule, eachCall, forJavaScript, type RawFinding, type Rule, type RuleContext, LOCAL } from './rule.js';

/**
 * http-timeout — an outbound HTTP call that can wait forever.
 *
 * Why it matters: a peer that stops answering holds the caller's thread or task slot until
 * something else gives up; with no timeout, nothing does (chapter 6, R6.1).
 * Fix (safe): add the library's own timeout, as a named constant when the file has one.
 * A call bounded from the outside (an eventlet or gevent `Timeout` block, an asyncio timeout around
 * an awaited call, a SIGALRM alarm; `python-deadlines.ts`), or raced against a timer in
 * JavaScript (`javascript-race.ts`), has its deadline and is not reported. Neither is a call in
 * browser code (`runtime.ts`): it holds the user's tab, which the user can leave or reload, not a
 * server's worker that other requests queue behind; nor an axios call configured to send the
 * browser's cookies (`withCredentials: true`), which only a browser tab does.
 */
// `Session.send` sends a prepared request and takes the same `timeout` keyword as the verbs.
const REQUESTS_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send']);
/** Where axios takes its config object, per method. */
const AXIOS_CONFIG_INDEX: Readonly<Record<string, number>> = lookupTable({
  get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2, request: 0,
});
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

export const httpTimeout: Rule = defineRule(
  {
    id: 'http-timeout',
    ruleRef: 'R6.1',
    chapter: 6,
    description: 'Outbound HTTP call with no timeout: it can wait forever for a peer that stopped answering.',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  {
    python: (context) => [...eachCall(context, (facts, call) => {
      // The deadline is looked for only around a call that would be reported.
      const found = checkPython(facts, call, context);
      return found === undefined || boundedByDeadline(facts, call) ? undefined : found;
    }), ...checkPythonPools(context)],
    ...forJavaScript((context) => eachCall(context, (facts, call) => {
      // The race is looked for only around a call that would be reported: reading parents walks the tree.
      const found = checkJavaScript(facts, call, context);
      if (found === undefined || racedWithTimer(facts, call)) return undefined;
      // In a browser tab the user can leave the page; no server worker waits on the request.
      return runtimeOfFile(facts, context.place).runtime === 'browser' ? undefined : found;
    })),
    java: checkJava,
    go: checkGo,
    ruby: checkRuby,
  },
  {
    python: LOCAL,
    ...forJavaScript(LOCAL),
    java: LOCAL,
    // A client kept in a struct field is judged by every call made on that field in the file: a
    // `Do` whose request's deadline changes changes the finding of the client's construction.
    go: { moduleAssignments: true, readers: ['net/http.Client', 'net/http.Client.Do'] },
    ruby: LOCAL,
  },
);

function checkPython(facts: FileFacts, call: CallFact, context: RuleContext): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const [module, ...rest] = call.api.split('.');
  const method = rest[rest.length - 1] ?? '';
  const seconds = timeoutConstant(facts, call.start) ?? String(context.fixTimeoutSeconds);
  const timeout = args.keywords.get('timeout');
  const name = call.api;
  if ((call.api === `requests.${method}` || call.api === `requests.Session.${method}`) && REQUESTS_METHODS.has(method)) {
    if (timeout === undefined) {
      if (args.hasSplat) return undefined;
      return finding(call, `\`${name}\` has no timeout: if the server stops answering, this call waits forever.`, [
        { title: `Add timeout=${seconds}`, edits: appendArgument(facts, args, `timeout=${seconds}`), safe: true },
      ]);
    }
    return noneTimeout(call, timeout.value, seconds);
  }
  if (call.api === 'urllib.request.urlopen') {
    if (timeout !== undefined) return noneTimeout(call, timeout.value, seconds);
    if (args.hasSplat || args.positional.length >= 3 || facts.configuredMembers.has('socket.setdefaulttimeout')) return undefined;
    return finding(call, '`urlopen` has no timeout: it uses the socket default, which waits forever.', [
      { title: `Add timeout=${seconds}`, edits: appendArgument(facts, args, `timeout=${seconds}`), safe: true },
    ]);
  }
  // httpx has a five-second default: only an explicit `timeout=None` removes it.
  if (module === 'httpx' && timeout !== undefined) return noneTimeout(call, timeout.value, seconds);
  return undefined;
}

/**
 * `timeout=None` removes the timeout; so does a None inside a `(connect, read)` tuple for the part
 * it stands for (a read timeout of None waits forever for a server that accepted the connection).
 */
function noneTimeout(call: CallFact, value: ValueFact, seconds: string): RawFinding | undefined {
  if (value.kind === 'none') {
    return finding(call, `\`${call.api}\` is given timeout=None: it waits forever for a server that stopped answering.`, [
      { title: `Set timeout=${seconds}`, edits: [replaceRange(value.start, value.end, seconds)], safe: true },
    ]);
  }
  if (value.node.type !== 'tuple') return undefined;
  const nones = value.node.namedChildren.filter((c) => c?.type === 'none');
  if (nones.length === 0) return undefined;
  return finding(call, `\`${call.api}\` is given a timeout tuple with None in it: that phase waits forever.`, [
    { title: `Replace None with ${seconds}`, edits: nones.flatMap((n) => (n === null ? [] : [replaceRange(n.startIndex, n.endIndex, seconds)])), safe: true },
  ]);
}

function checkJavaScript(facts: FileFacts, call: CallFact, context: RuleContext): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const ms = timeoutConstant(facts, call.start) ?? `${context.fixTimeoutSeconds}_000`;
  const api = call.api;
  if (api.startsWith(PROJECT_FACTORY) || api.startsWith(PROJECT_SENDER)) return throughWrapper(facts, call, ms);
  if (api === 'fetch' || api === 'undici.fetch') {
    const nodeFetch = nodeFetchTimeout(facts, call);
    if (nodeFetch === 'given') return undefined;
    if (nodeFetch !== 'none') {
      return finding(call, `\`fetch\` (node-fetch) takes its \`timeout\` from the optional parameter \`${nodeFetch.parameter}\`, which has no default: a caller that leaves it out gets node-fetch's 0, no timeout at all.`, []);
    }
    return missingOption(facts, call, 1, 'signal', `signal: AbortSignal.timeout(${ms})`,
      '`fetch` has no abort signal: with no timeout it can wait minutes for a stalled server.');
  }
  if (api === 'axios' || api.startsWith('axios.')) {
    if (facts.configuredMembers.has('axios.defaults.timeout')) return undefined;
    // Calls on an instance inherit its config: the finding belongs on `axios.create` instead.
    if (api.startsWith('axios.Instance.')) return undefined;
    // `api.defaults.timeout = ...` after `const api = axios.create()` configures that instance.
    if (api === 'axios.create' && facts.instanceConfig.get(call.start)?.has('defaults.timeout') === true) return undefined;
    const method = api.slice('axios.'.length);
    let index = api === 'axios.create' ? 0 : AXIOS_CONFIG_INDEX[method];
    if (api === 'axios') {
      // `axios(config)` or `axios(url, config)`: a lone argument that is neither a literal URL nor
      // an object literal may be either, so its timeout is unknown.
      const first = args.positional[0];
      if (first?.kind === 'object') index = 0;
      else if (first?.kind === 'string' || args.positional.length > 1) index = 1;
      else return undefined;
    }
    if (index === undefined) return undefined;
    if (sendsBrowserCookies(args.positional[index]?.object)) return undefined;
    return missingOption(facts, call, index, 'timeout', `timeout: ${ms}`,
      `\`${api}\` has no timeout: axios waits forever by default (timeout 0).`);
  }
  if (api === 'got' || api === 'got.extend' || (api.startsWith('got.') && GOT_METHODS.has(api.slice(4)))) {
    const index = api === 'got.extend' || args.positional[0]?.kind === 'object' ? 0 : 1;
    return missingOption(facts, call, index, 'timeout', `timeout: { request: ${ms} }`,
      `\`${api}\` has no timeout: got waits forever by default.`);
  }
  return undefined;
}

/**
 * A call of a project function that makes an HTTP call and bounds it only with the option its
 * caller passes (`javascript-timeout-option.ts`): without that option, or an abort signal the
 * wrapper hands on, the request has no timeout. A wrapper whose body is not read that way is left alone.
 */
function throughWrapper(facts: FileFacts, call: CallFact, ms: string): RawFinding | undefined {
  const option = facts.projectUses?.find((u) => u.call === call)?.timeoutOption;
  if (option === undefined || javascriptSignalKind(call) !== 'http-call') return undefined;
  const given = call.args?.positional[option.index]?.object?.props;
  if (given?.has('signal') === true) return undefined;
  const name = call.node.type === 'call_expression' ? (call.node.childForFieldName('function')?.text ?? 'this call') : 'this call';
  if (option.key === 'signal') {
    // The wrapper hands these options to `fetch`: a `timeout` there is node-fetch 2's own bound.
    if (given?.has('timeout') === true) return undefined;
    return missingOption(facts, call, option.index, 'signal', `signal: AbortSignal.timeout(${ms})`,
      `\`${name}\` passes its options to \`fetch\`, and they have no abort signal: with no timeout the request can wait minutes for a stalled server.`);
  }
  return missingOption(facts, call, option.index, option.key, `${option.key}: ${ms}`,
    `\`${name}\` has no ${option.key}: the project function it calls bounds the request only when given one.`);
}

/**
 * `withCredentials: true` asks the browser's XMLHttpRequest to send the user's cookies across
 * origins; axios's Node adapter ignores it, so a config that sets it is written for a browser tab
 * (a front end's API service, whatever folder it sits in), which the user can leave or reload.
 */
function sendsBrowserCookies(object: ObjectFact | undefined): boolean {
  return object?.props.get('withCredentials')?.value.kind === 'true';
}

/** Flags a call whose options object (at `index`) lacks `key`; unknown options are not flagged. */
function missingOption(facts: FileFacts, call: CallFact, index: number, key: string, property: string, message: string): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const options = args.positional[index];
  if (options === undefined) {
    if (args.hasSplat) return undefined;
    const padding = Array.from({ length: index - args.positional.length }, () => 'undefined');
    return finding(call, message, [
      { title: `Add ${key}`, edits: appendArgument(facts, args, [...padding, `{ ${property} }`].join(', ')), safe: true },
    ]);
  }
  const object: ObjectFact | undefined = options.object;
  if (object === undefined) return undefined;
  const present = object.props.get(key);
  if (present !== undefined) {
    if (key === 'timeout' && present.value.kind === 'number' && Number(present.value.text.replace(/_/g, '')) === 0) {
      return finding(call, message, [{ title: 'Set a timeout', edits: [replaceRange(present.start, present.end, property)], safe: true }]);
    }
    return undefined;
  }
  if (object.hasSpread) return undefined;
  return finding(call, message, [{ title: `Add ${key}`, edits: appendProperty(facts, object, property), safe: true }]);
}

function finding(call: CallFact, message: string, fixes: Fix[]): RawFinding {
  return { range: calleeRange(call), message, fixes };
}
