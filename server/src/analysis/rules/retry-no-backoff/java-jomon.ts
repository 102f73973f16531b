import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { javaNumber } from '../common/java.js';
import { calleeRange, type RawFinding } from '../rule.js';

/**
 * jomon's `Retryer.executeWithRetry(callable, strategy)` retries as its strategy says. The
 * strategies (`RetryForSpecifiedCountStrategy`, `RetryForSpecifiedTimeStrategy`) wait a random
 * time in a range between tries unless `withWaitBetweenEachTry` is given one duration, which makes
 * every wait the same; they never grow the wait. So a strategy written in place with one exact wait
 * and exceptions that force a retry hammers a failing peer at a fixed pace.
 *
 * Not reported: a range (`withWaitBetweenEachTry(from, to)`: random waits), a strategy that retries
 * on results (`withResultsThatForceRetry`: a readiness poll, waiting for something to appear, where
 * a short steady interval is the point), a count of one try or none, and a strategy built elsewhere.
 * No fix: the backoff the library offers is random, not growing, and the choice is the author's.
 */
const JOMON = 'org.echocat.jomon.runtime.concurrent';
const STRATEGIES = new Set([`${JOMON}.RetryForSpecifiedCountStrategy`, `${JOMON}.RetryForSpecifiedTimeStrategy`]);

export function jomonRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${JOMON}.Retryer.executeWithRetry`) return undefined;
  let node: Node | null | undefined = call.args?.positional[1]?.node;
  const methods = new Map<string, number>();
  while (node?.type === 'method_invocation') {
    const name = node.childForFieldName('name')?.text ?? '';
    methods.set(name, node.childForFieldName('arguments')?.namedChildCount ?? 0);
    node = node.childForFieldName('object');
  }
  const creation = node?.type === 'object_creation_expression' ? facts.calls.find((c) => c.node.id === node?.id) : undefined;
  if (creation === undefined || !STRATEGIES.has(creation.api)) return undefined;
  if (methods.get('withWaitBetweenEachTry') !== 1 || !methods.has('withExceptionsThatForceRetry') || methods.has('withResultsThatForceRetry')) return undefined;
  const count = creation.api.endsWith('CountStrategy') ? javaNumber(creation.args?.positional[0]) : undefined;
  if (count !== undefined && count < 1) return undefined;
  return {
    range: calleeRange(call),
    message: '`Retryer.executeWithRetry` waits the same time before every try (`withWaitBetweenEachTry` with one duration): callers that failed together retry together, at the same pace.',
    fixes: [],
  };
}
