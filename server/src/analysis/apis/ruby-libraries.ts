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

export function rubyLibrarySignalKind(call: CallFact, kind: SignalKind | undefined): SignalKind | undefined {
  if (call.api.startsWith(RUBY_PROJECT_LOCK)) return 'lock';
  if (FARADAY_STACK.has(call.api) && FARADAY_RETRY.has(call.args?.positional[0]?.text.replace(/^::/, '') ?? '')) return 'retry';
  return kind;
}
