import type { CallFact, FileFacts } from '../../facts/types.js';
import type { Fix } from '../../types.js';
import { instanceMethods, isBuiltHere, javaClass } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { castToHttpConnection, URL_OPEN_CONNECTION } from '../../apis/java.js';
import type { Node } from 'web-tree-sitter';

/**
 * http-timeout in Java: java.net.http clients and requests, RestTemplate, WebClient.
 *
 * - `HttpClient.newHttpClient()`, or `HttpClient.newBuilder()...build()` without
 *   `connectTimeout`: the JDK client sets no connect timeout. Fix (safe): add
 *   `.connectTimeout(Duration.ofSeconds(n))`.
 * - `HttpRequest.newBuilder(...)...build()` without `.timeout(...)`: the response is awaited
 *   forever. Fix (safe): add `.timeout(Duration.ofSeconds(n))`.
 * - `new RestTemplate()`: the default `SimpleClientHttpRequestFactory` applies no connect or read
 *   timeout (unless a request factory is set on it here). No fix: the factory to use is a choice.
 * - `new RestTemplateBuilder()...build()` without any timeout or request-factory setting.
 * - `WebClient.create(...)`, or `WebClient.builder()...build()` without a `clientConnector` (or such
 *   a builder returned by a `@Bean` method, whose injections build the clients): Reactor Netty sets
 *   no response timeout. A Reactor `.timeout(...)` anywhere in the file may
 *   bound the calls, so then nothing is reported.
 *
 * - `(HttpURLConnection) url.openConnection()` held in a local that is never given
 *   `setReadTimeout`: the JDK's read timeout defaults to 0, an infinite wait for a server that
 *   accepted the connection and sends nothing. A connection handed to code the file cannot see,
 *   returned, or stored anywhere but a local may get its timeouts there and is not reported.
 *   No fix: the timeouts go where the connection is configured, which may be several lines.
 *
 * Builders injected as parameters (Spring Boot's `RestTemplateBuilder`, `WebClient.Builder`) are
 * configured elsewhere and never reported; neither is a builder handed to code the file cannot see.
 *
 * - A request through a `RestTemplate` or `WebClient` injected from one of the project's `@Bean`
 *   methods (project model) whose object is built there without a timeout: reported at the call,
 *   with the bean method as related information. A bean built from an injected builder, or handed
 *   to code the summary cannot read, is unknown and not reported; the construction's own finding
 *   is where the fix goes.
 */
const REST_TEMPLATE_BUILDERS = new Set(['org.springframework.boot.web.client.RestTemplateBuilder', 'org.springframework.boot.restclient.RestTemplateBuilder']);
const REST_TEMPLATE_BUILDER_TIMEOUTS = [
  'setConnectTimeout', 'setReadTimeout', 'connectTimeout', 'readTimeout', 'requestFactory', 'requestFactorySettings',
  'customizers', 'additionalCustomizers', 'requestFactoryBuilder',
];
const WEB_CLIENT = 'org.springframework.web.reactive.function.client.WebClient';

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact, context: RuleContext): RawFinding | undefined {
  const seconds = context.fixTimeoutSeconds;
  const request = REQUEST.exec(call.api);
  if (request !== null) return throughBean(facts, call, request[1] === 'web.client.RestTemplate' ? 'RestTemplate' : 'WebClient');
  switch (call.api) {
    case 'java.net.http.HttpClient.newHttpClient': {
      const duration = javaClass(facts, 'java.time.Duration');
      const qualifier = call.node.childForFieldName('object')?.text ?? 'HttpClient';
      return finding(call, '`HttpClient.newHttpClient()` has no connect timeout, and requests without their own `timeout` wait forever.', [{
        title: `Build it with connectTimeout(${seconds} s)`,
        edits: [{ start: call.start, end: call.end, newText: `${qualifier}.newBuilder().connectTimeout(${duration.name}.ofSeconds(${seconds})).build()` }, ...duration.edits],
        safe: true,
      }]);
    }
    case 'java.net.http.HttpClient.newBuilder': {
      if (!isBuiltHere(facts, call) || instanceMethods(facts, call).has('connectTimeout')) return undefined;
      return finding(call, 'HttpClient built without `connectTimeout`: connecting to a peer that does not answer waits as long as the OS allows.',
        [chainFix(facts, call, 'connectTimeout', seconds)]);
    }
    case 'java.net.http.HttpRequest.newBuilder': {
      // `newBuilder(request, filter)` copies another request's settings, its timeout included.
      if ((call.args?.positional.length ?? 0) > 1 || !isBuiltHere(facts, call) || instanceMethods(facts, call).has('timeout')) return undefined;
      return finding(call, 'HttpRequest built without `timeout`: the client waits forever for a response that never comes.',
        [chainFix(facts, call, 'timeout', seconds)]);
    }
    case 'org.springframework.web.client.RestTemplate': {
      const methods = instanceMethods(facts, call);
      if (!call.isNew || (call.args?.positional.length ?? 1) > 0 || methods.has('setRequestFactory') || methods.has('*')) return undefined;
      return finding(call, '`new RestTemplate()` uses `SimpleClientHttpRequestFactory` with no connect or read timeout: a stalled peer holds the thread forever.', []);
    }
    case `${WEB_CLIENT}.create`:
    case `${WEB_CLIENT}.builder`: {
      if (facts.configuredMembers.has('?.timeout')) return undefined;
      if (call.api.endsWith('.builder') && !builderInView(facts, call)) return undefined;
      return finding(call, 'WebClient with the default connector: Reactor Netty sets no response timeout, so a peer that accepts the connection and never answers holds the request forever.', []);
    }
    case URL_OPEN_CONNECTION: {
      const methods = instanceMethods(facts, call);
      if (!castToHttpConnection(call) || methods.has('*') || methods.has('setReadTimeout') || connectionEscapes(call)) return undefined;
      const connect = methods.has('setConnectTimeout') ? '' : ' (nor `setConnectTimeout`)';
      return finding(call, `HttpURLConnection without \`setReadTimeout\`${connect}: the JDK's default of 0 means no timeout, so a server that accepts the request and stops answering holds this thread forever.`, []);
    }
    default:
      if (!call.isNew || !REST_TEMPLATE_BUILDERS.has(call.api) || !isBuiltHere(facts, call)) return undefined;
      if (REST_TEMPLATE_BUILDER_TIMEOUTS.some((m) => instanceMethods(facts, call).has(m))) return undefined;
      return finding(call, 'RestTemplate built without connect or read timeouts: the default request factory waits forever.', []);
  }
}

const REQUEST = /^org\.springframework\.(web\.client\.RestTemplate|web\.reactive\.function\.client\.WebClient)\.(?:getForObject|getForEntity|postForObject|postForEntity|postForLocation|put|patchForObject|delete|exchange|execute|headForHeaders|optionsForAllow|get|post|patch|head|options|method)$/;
/** What sets a timeout on a bean's object, per type: builder settings, a request factory or connector, a constructor given one. */
const BEAN_TIMEOUTS: Readonly<Record<'RestTemplate' | 'WebClient', readonly string[]>> = {
  RestTemplate: [...REST_TEMPLATE_BUILDER_TIMEOUTS, 'setRequestFactory', '<init>'],
  WebClient: ['clientConnector', 'exchangeFunction'],
};

function throughBean(facts: FileFacts, call: CallFact, kind: 'RestTemplate' | 'WebClient'): RawFinding | undefined {
  const use = facts.projectUses?.find((u) => u.call === call);
  const configured = use?.configured;
  if (use === undefined || configured === undefined || configured === 'unknown' || configured.includes('<injected>')) return undefined;
  if (configured.some((m) => BEAN_TIMEOUTS[kind].includes(m)) || (kind === 'WebClient' && facts.configuredMembers.has('?.timeout'))) return undefined;
  return {
    range: calleeRange(call),
    message: `\`${use.local}\` is ${use.description}, built without a timeout: this request waits forever for a server that stopped answering.`,
    fixes: [],
  };
}

/**
 * Adds `.method(Duration.ofSeconds(n))` right after the call that starts the builder chain, on a
 * line of its own when the chain puts each call on its own line.
 */
function chainFix(facts: FileFacts, call: CallFact, method: string, seconds: number): Fix {
  const duration = javaClass(facts, 'java.time.Duration');
  const link = `.${method}(${duration.name}.ofSeconds(${seconds}))`;
  const next = call.node.parent;
  const dot = next?.type === 'method_invocation' && next.childForFieldName('object')?.id === call.node.id
    ? next.children.find((c) => c?.type === '.') : undefined;
  const lines = facts.lines;
  const ownLine = dot != null && lines.lineOf(dot.startIndex) !== lines.lineOf(call.end);
  const newText = ownLine ? `${lines.eol}${lines.indentAt(dot.startIndex)}${link}` : link;
  return { title: `Add ${link.slice(1)}`, edits: [{ start: call.end, end: call.end, newText }, ...duration.edits], safe: true };
}

/**
 * Whether a `WebClient.builder()` chain holds all its settings in view and no `clientConnector`:
 * built here, or returned as it is by a `@Bean` method (the shared, often `@LoadBalanced`, builder
 * every client of the application is built from; Spring injects a fresh clone of it, so whoever
 * builds from it starts with this builder's connector, Reactor Netty's default with no response
 * timeout). A bean builder that also escapes to code the file cannot see may be configured there.
 */
function builderInView(facts: FileFacts, call: CallFact): boolean {
  const methods = instanceMethods(facts, call);
  if (methods.has('clientConnector') || methods.has('*')) return false;
  return methods.has('build') || returnedByBean(call.node);
}

/** Whether the chain that starts at `node` is the value a `@Bean` method returns. */
function returnedByBean(node: Node): boolean {
  let chain = node;
  while (chain.parent?.type === 'method_invocation' && chain.parent.childForFieldName('object')?.id === chain.id) chain = chain.parent;
  const statement = chain.parent;
  if (statement?.type !== 'return_statement') return false;
  let method: Node | null = statement.parent;
  while (method !== null && method.type !== 'method_declaration' && method.type !== 'lambda_expression' && method.type !== 'class_body') method = method.parent;
  if (method?.type !== 'method_declaration') return false;
  const modifiers = method.namedChildren.find((c) => c?.type === 'modifiers');
  return modifiers?.namedChildren.some((a) => (a?.type === 'marker_annotation' || a?.type === 'annotation') && /(?:^|\.)Bean$/.test(a.childForFieldName('name')?.text ?? '')) === true;
}

/**
 * Whether the connection opened by `call` leaves the local it is declared in: anything but
 * `T conn = (HttpURLConnection) url.openConnection();`, or that local returned from its method.
 */
function connectionEscapes(call: CallFact): boolean {
  let cast: Node | null = call.node.parent;
  while (cast?.type === 'parenthesized_expression') cast = cast.parent;
  let holder = cast?.parent ?? null;
  while (holder?.type === 'parenthesized_expression') holder = holder.parent;
  if (holder?.type !== 'variable_declarator') return true;
  const name = holder.childForFieldName('name')?.text;
  let method: Node | null = holder;
  while (method !== null && method.type !== 'method_declaration' && method.type !== 'constructor_declaration' && method.type !== 'lambda_expression') method = method.parent;
  if (method === null || name === undefined) return true;
  return method.descendantsOfType('return_statement').some((r) => r?.namedChild(0)?.type === 'identifier' && r.namedChild(0)?.text === name);
}

function finding(call: CallFact, message: string, fixes: Fix[]): RawFinding {
  return { range: calleeRange(call), message, fixes };
}
