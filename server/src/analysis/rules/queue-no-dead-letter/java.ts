import type { CallFact, FileFacts } from '../../facts/types.js';
import { instanceMethods, isBuiltHere, javaString, mapEntries } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { DEAD_LETTER_NAME } from './python.js';

/**
 * queue-no-dead-letter in Java: Spring AMQP queues declared with no dead-letter exchange.
 *
 * - `new Queue(name[, durable, exclusive, autoDelete[, arguments]])` whose arguments (a map the
 *   file builds, or `Map.of(...)`) have no `x-dead-letter-exchange`, and no `addArgument` after.
 * - `QueueBuilder.durable(name)` / `nonDurable(name)` ... `build()` without `deadLetterExchange`
 *   or a `withArgument("x-dead-letter-exchange", ...)`.
 *
 * Left alone, as the Python and JavaScript checks do: queues whose name says they are the
 * dead-letter queue, exclusive and auto-delete queues, server-named queues (`AnonymousQueue`,
 * `QueueBuilder.durable()`), names the file cannot read, and arguments it cannot see. A RabbitMQ
 * policy can set a dead-letter exchange from outside the code: information only, and no fix,
 * since the exchange's name and its queue are the author's to choose.
 */
const QUEUE = 'org.springframework.amqp.core.Queue';
const BUILDERS = new Set(['org.springframework.amqp.core.QueueBuilder.durable', 'org.springframework.amqp.core.QueueBuilder.nonDurable']);
const DLX = 'x-dead-letter-exchange';

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === QUEUE && call.isNew) return queueConstructor(facts, call);
    if (BUILDERS.has(call.api)) return queueBuilder(facts, call);
    return undefined;
  });
}

function queueConstructor(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const [nameArg, , exclusive, autoDelete, args] = call.args?.positional ?? [];
  if (exclusive?.kind === 'true' || autoDelete?.kind === 'true') return undefined;
  if (exclusive !== undefined && exclusive.kind !== 'false') return undefined;
  if (autoDelete !== undefined && autoDelete.kind !== 'false') return undefined;
  if (instanceMethods(facts, call).has('addArgument')) return undefined;
  if (args !== undefined && args.kind !== 'none') {
    const entries = mapEntries(facts, args);
    if (entries === undefined || entries.has(DLX)) return undefined;
  }
  return report(call, javaString(facts, nameArg));
}

function queueBuilder(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (!isBuiltHere(facts, call)) return undefined;
  const methods = instanceMethods(facts, call);
  if (['deadLetterExchange', 'exclusive', 'autoDelete', 'withArguments'].some((m) => methods.has(m))) return undefined;
  for (const chained of facts.calls) {
    if (chained.receiver !== call || !chained.api.endsWith('.withArgument')) continue;
    const key = javaString(facts, chained.args?.positional[0]);
    if (key === undefined || key === DLX) return undefined;
  }
  return report(call, javaString(facts, call.args?.positional[0]));
}

function report(call: CallFact, name: string | undefined): RawFinding | undefined {
  if (name === undefined || name === '' || DEAD_LETTER_NAME.test(name)) return undefined;
  return {
    range: calleeRange(call),
    message: `Queue \`${name}\` is declared with no \`${DLX}\`: a message that keeps failing is requeued forever or dropped with no trace (unless a broker policy sets one).`,
    fixes: [],
  };
}
