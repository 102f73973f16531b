import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../facts/types.js';
import { PROJECT_SENDER } from '../project/types.js';
import { isWebhookRequest } from '../facts/webhook.js';
import { rubyWrapperParts } from '../apis/ruby-libraries.js';
import { signalKindOf } from '../signals.js';
import type { EffectFact } from './facts.js';

/** What every language's map reader shares: lines, effects of a span of code, helper calls. */

/** The 1-based line of an offset. */
export function lineAt(facts: FileFacts, offset: number): number {
  return facts.lines.lineOf(offset) + 1;
}

/** The signal kinds that are side effects of a task body, as the map names them. */
const EFFECT_KINDS = new Set(['http-call', 'notify', 'payment', 'enqueue']);

/**
 * The side effects among `calls`: HTTP calls, sends, payments and enqueues by their signal kind,
 * and database writes by the language's own test. Reads (`requests.get`) are left out: a retried
 * read repeats nothing.
 */
export function effectsOf(facts: FileFacts, calls: readonly CallFact[], isDbWrite: (call: CallFact) => boolean): EffectFact[] {
  const effects: EffectFact[] = [];
  for (const call of calls) {
    const kind = signalKindOf(facts.language, call);
    if (kind !== undefined && EFFECT_KINDS.has(kind)) {
      // A Ruby project method that makes a library call (project/ruby-wrappers.ts) is read as that call.
      const wrapper = rubyWrapperParts(call.api);
      if (kind === 'http-call' && (/\.(?:get|head|options)$|^net\/http\.(?:Get|Head)$/i.test(wrapper?.library ?? call.api) || isFetchRead(call))) continue;
      // A send through a project function is named by the library call it makes.
      const api = wrapper !== undefined ? `${wrapper.method} (${wrapper.library})` : call.api.startsWith(PROJECT_SENDER) ? call.api.slice(PROJECT_SENDER.length).replace(/#\w+$/, '') : call.api;
      // A webhook delivery is a notification: a retry delivers it again.
      effects.push({ kind: kind === 'http-call' && isWebhookRequest(call.node, call.api) ? 'notify' : kind, api, line: lineAt(facts, call.calleeStart), ...(isWrapperCall(call) ? { wrapper: true as const } : {}) });
    } else if (isDbWrite(call)) {
      effects.push({ kind: 'db-write', api: call.api, line: lineAt(facts, call.calleeStart) });
    }
  }
  return effects;
}

/** Whether any of `calls` takes a lock (a Redis lock, Redlock, `with_lock`, `SetNX`): two runs of the body do not overlap. */
export function takesLock(facts: FileFacts, calls: readonly CallFact[]): boolean {
  return calls.some((c) => signalKindOf(facts.language, c) === 'lock');
}

/** The call of the first side effect among `calls`, for the guard checks that look before it. */
export function firstEffectCall(facts: FileFacts, calls: readonly CallFact[], effects: readonly EffectFact[]): CallFact | undefined {
  const first = effects[0];
  return first === undefined ? undefined : calls.find((c) => lineAt(facts, c.calleeStart) === first.line);
}

/** The calls of the facts inside a node's span, in order. */
export function factsWithin(facts: FileFacts, node: Node): CallFact[] {
  const start = node.startIndex;
  const end = node.endIndex;
  return facts.calls.filter((c) => c.start >= start && c.end <= end && c.decorator === undefined);
}

/**
 * The names of plain calls inside `node` that the facts do not know as a library API: calls of
 * the project's own functions (`notify_user(...)`, `helpers.charge(...)`), as written. The join
 * resolves them; a name it cannot resolve (a library's) is dropped there.
 */
export function helperCalls(facts: FileFacts, node: Node, callType: string, calleeOf: (call: Node) => string | undefined): string[] {
  // A call the facts know as a library API is not a helper; one they only resolved to a name is.
  // A call of a project wrapper is followed too: the effects inside it say which helper they come through.
  const known = new Set(facts.calls.filter((c) => signalKindOf(facts.language, c) !== undefined && !isWrapperCall(c)).map((c) => c.start));
  const names = new Set<string>();
  for (const call of node.descendantsOfType(callType)) {
    if (call === null || known.has(call.startIndex)) continue;
    const name = calleeOf(call);
    if (name !== undefined && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/.test(name)) names.add(name);
  }
  return [...names];
}

/** A string literal's content, quotes and prefixes removed; undefined for anything else. */
export function stringContent(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'string' || node.type === 'string_literal' || node.type === 'interpreted_string_literal' || node.type === 'raw_string_literal' || node.type === 'template_string') {
    if (node.namedChildren.some((c) => c !== null && (c.type === 'interpolation' || c.type === 'template_substitution'))) return undefined;
    const text = node.text.replace(/^[rRbBuUfF]*/, '');
    const quote = /^("""|'''|"|'|`)/.exec(text)?.[1];
    return quote === undefined ? undefined : text.slice(quote.length, text.length - quote.length);
  }
  if (node.type === 'simple_symbol') return node.text.slice(1);
  return undefined;
}

/** `fetch(url)` and `fetch(url, { method: 'GET' })` read; a method the file does not spell may write. */
function isFetchRead(call: CallFact): boolean {
  if (call.api !== 'fetch' && call.api !== 'undici.fetch') return false;
  const options = call.args?.positional[1];
  if (options === undefined) return call.args?.hasSplat !== true;
  const method = options.object?.props.get('method');
  if (options.object === undefined || options.object.hasSpread) return false;
  return method === undefined || /^['"`](?:GET|HEAD)['"`]$/i.test(method.value.text);
}

/** Whether a call is of a project function or method that wraps a library call (a signal through the project). */
function isWrapperCall(call: CallFact): boolean {
  return call.api.startsWith(PROJECT_SENDER) || rubyWrapperParts(call.api) !== undefined;
}
