import type { Node } from 'web-tree-sitter';
import { RUBY_APIS } from '../apis/ruby.js';
import { RUBY_PROJECT_LOCK, RUBY_PROJECT_WRAPPER, rubyLibrarySignalKind } from '../apis/ruby-libraries.js';
import { rubyFacts } from '../facts/ruby.js';
import type { SignalKind } from '../types.js';

/**
 * A project's own wrapper of a library call (feedbin's `Customer.create`, a class method that
 * creates a Stripe customer and subscription; a service whose `call` sends through GOV.UK Notify;
 * a base job's `run_with_advisory_lock`): a method of a class or module whose body makes a call
 * that is an HTTP request, a notification, an enqueue, a payment or a lock through a library. A
 * call of it from another file is a signal of that kind there (ruby-names.ts), with the library
 * call as its related place.
 *
 * What is read: class methods (`def self.x`, `def x` in `class << self`) and instance methods, and
 * one method of the class calling another of the same class (`def self.call(*a) = new(*a).call`,
 * a bare `helper` or `self.helper`), to a fixed point. A wrapper calling another file's wrapper is
 * not followed (one file's summary reads only its own tree). Constructors of clients
 * (`Faraday.new`, `include HTTParty`) are no request: a method that only builds one is no wrapper.
 * When a method makes calls of several kinds, one stands for it, in the order of `PRIORITY`.
 *
 * The rules judge as follows. `http-timeout` and `payment-no-idempotency-key` judge the library
 * call inside the wrapper, once, never its callers (the options are written there). `dual-write`
 * judges the caller's context: a wrapper that pays or notifies, called inside a transaction or a
 * model callback that runs in the save's transaction, is reported at the call. `notify-in-retried-task`
 * judges the retried job that calls a wrapper that notifies. A lock wrapper counts as the lock
 * where a job's body calls it (schedule-task-no-lock reads it so).
 */

export type WrappedKind = 'http-call' | 'notify' | 'enqueue' | 'payment' | 'lock';

export interface RubyWrapped {
  readonly kind: WrappedKind;
  /** The library API the wrapper calls (`Stripe::Subscription.create`). */
  readonly api: string;
  /** Where that call is written. */
  readonly at: { readonly line: number; readonly character: number; readonly endLine: number; readonly endCharacter: number };
}

const PRIORITY: readonly WrappedKind[] = ['payment', 'notify', 'enqueue', 'lock', 'http-call'];
/** Calls that build or configure a client rather than make a request. */
const NOT_A_REQUEST = /(?:\.new|\.start_new|^HTTParty|^Net::HTTP\.start)$/;
/**
 * The words a wrapped call needs in its file: a library's constant, or the name of an enqueue,
 * a mailer's delivery or a row lock. A file without any is not read for wrappers (most model
 * and controller files), which keeps the summary's cost where there is something to find; the
 * calls themselves are still recognised on the tree.
 */
const MAY_WRAP = /\b(?:Stripe|Net::HTTP|Faraday|HTTParty|Twilio|Notifications::Client|Redlock|Sidekiq::Client|perform_(?:async|in|at|bulk|later)|deliver(?:_now|_later)?|with_lock|lock|with_advisory_lock)\b/;

/** The library calls of a file that wrappers pass on, by the call node's id; undefined when the file has none. */
export function libraryCalls(root: Node): ReadonlyMap<number, RubyWrapped> | undefined {
  const text = root.text;
  if (!/\bdef\b/.test(text) || !MAY_WRAP.test(text)) return undefined;
  const tree = root.tree;
  const facts = rubyFacts(tree, tree.language, text);
  const found = new Map<number, RubyWrapped>();
  for (const call of facts.calls) {
    // A project lock or wrapper of this file's own is read through its library call, not again.
    if (call.api.startsWith(RUBY_PROJECT_LOCK) || call.api.startsWith(RUBY_PROJECT_WRAPPER)) continue;
    const kind = rubyLibrarySignalKind(call, RUBY_APIS.get(call.api));
    if (kind === undefined || !(PRIORITY as readonly SignalKind[]).includes(kind)) continue;
    if (kind === 'http-call' && NOT_A_REQUEST.test(call.api)) continue;
    const node = call.node;
    found.set(node.id, { kind: kind as WrappedKind, api: call.api, at: { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column } });
  }
  return found.size === 0 ? undefined : found;
}

/**
 * The wrapping methods of a class body, keyed `.name` (class method) or `#name` (instance method),
 * given the file's library calls.
 */
export function wrappingMethods(body: Node | null, calls: ReadonlyMap<number, RubyWrapped> | undefined): Record<string, RubyWrapped> | undefined {
  if (body === null || calls === undefined) return undefined;
  const methods: { key: string; node: Node; singleton: boolean }[] = [];
  for (const member of body.namedChildren) {
    if (member?.type === 'singleton_method') methods.push({ key: `.${member.childForFieldName('name')?.text ?? ''}`, node: member, singleton: true });
    else if (member?.type === 'method') methods.push({ key: `#${member.childForFieldName('name')?.text ?? ''}`, node: member, singleton: false });
    else if (member?.type === 'singleton_class') {
      for (const inner of member.childForFieldName('body')?.namedChildren ?? []) {
        if (inner?.type === 'method') methods.push({ key: `.${inner.childForFieldName('name')?.text ?? ''}`, node: inner, singleton: true });
      }
    }
  }
  const wraps: Record<string, RubyWrapped> = {};
  const own = new Map<string, { readonly node: Node; readonly singleton: boolean; readonly callsOf: readonly Node[] }>();
  for (const method of methods) {
    const inner = method.node.descendantsOfType('call').filter((c): c is Node => c !== null);
    own.set(method.key, { node: method.node, singleton: method.singleton, callsOf: inner });
    let best: RubyWrapped | undefined;
    for (const call of inner) {
      const wrapped = calls.get(call.id);
      if (wrapped !== undefined && (best === undefined || PRIORITY.indexOf(wrapped.kind) < PRIORITY.indexOf(best.kind))) best = wrapped;
    }
    if (best !== undefined) wraps[method.key] = best;
  }
  // One method of the class calling another: a class method's `new(...).x` or bare `x`, an instance method's bare `x` or `self.x`.
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, method] of own) {
      if (wraps[key] !== undefined) continue;
      for (const call of method.callsOf) {
        const name = call.childForFieldName('method')?.text ?? '';
        const receiver = call.childForFieldName('receiver');
        const onNew = receiver?.type === 'call' && receiver.childForFieldName('receiver') === null && receiver.childForFieldName('method')?.text === 'new';
        const target = receiver === null || receiver.type === 'self' ? `${method.singleton ? '.' : '#'}${name}` : onNew && method.singleton ? `#${name}` : undefined;
        const found = target === undefined || target === key ? undefined : wraps[target];
        if (found !== undefined) {
          wraps[key] = found;
          changed = true;
          break;
        }
      }
    }
  }
  return Object.keys(wraps).length === 0 ? undefined : wraps;
}
