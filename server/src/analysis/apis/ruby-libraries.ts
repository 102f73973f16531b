import type { CallFact } from '../facts/types.js';
import type { SignalKind } from '../types.js';

/**
 * Ruby calls whose signal depends on their arguments. faraday-retry's middleware is added to a
 * connection's stack by name (`f.request :retry, max: 2`) or by class
 * (`f.use Faraday::Retry::Middleware`): either retries the connection's failed requests.
 */
const FARADAY_STACK = new Set(['Faraday::Connection#request', 'Faraday::Connection#use', 'Faraday::RackBuilder#request', 'Faraday::RackBuilder#use']);
const FARADAY_RETRY = new Set([':retry', 'Faraday::Retry::Middleware', 'Faraday::Request::Retry']);

/** A class method of the application that holds a database row as a lock (project/ruby-mutex.ts): the class and method follow. */
export const RUBY_PROJECT_LOCK = 'project-lock:';

/**
 * A method of the application that makes a library call of a signal's kind (project/ruby-wrappers.ts),
 * called from another file: `project-wrapper:<kind>|<Class.method or Class#method>|<library API>`.
 */
export const RUBY_PROJECT_WRAPPER = 'project-wrapper:';

/** The kind, the wrapper and the library API a wrapper call's canonical name holds. */
export function rubyWrapperParts(api: string): { kind: SignalKind; method: string; library: string } | undefined {
  if (!api.startsWith(RUBY_PROJECT_WRAPPER)) return undefined;
  const [kind, method, library] = api.slice(RUBY_PROJECT_WRAPPER.length).split('|');
  return kind === undefined || method === undefined || library === undefined ? undefined : { kind: kind as SignalKind, method, library };
}

export function rubyLibrarySignalKind(call: CallFact, kind: SignalKind | undefined): SignalKind | undefined {
  if (call.api.startsWith(RUBY_PROJECT_LOCK)) return 'lock';
  const wrapper = rubyWrapperParts(call.api);
  if (wrapper !== undefined) return wrapper.kind;
  if (FARADAY_STACK.has(call.api) && FARADAY_RETRY.has(call.args?.positional[0]?.text.replace(/^::/, '') ?? '')) return 'retry';
  return kind;
}
