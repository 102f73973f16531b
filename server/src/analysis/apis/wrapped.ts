import type { SignalKind } from '../types.js';

/**
 * The kinds of call that make a project function or method a wrapper its callers see, in every
 * language that follows wrappers across files (project/java-senders.ts, project/go-wrappers.ts): a
 * caller of the wrapper makes that call, for the rules that judge the caller's context (a send
 * inside its transaction, its retried task).
 */
export const WRAPPED_KINDS: ReadonlySet<SignalKind> = new Set(['http-call', 'notify', 'enqueue', 'payment', 'schedule', 'lock']);
