import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';
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
 * A name the file does not spell out but takes from a constant of the project
 * (`QueueEnum.QUEUE_ORDER_CANCEL.getName()`, `Queues.ORDERS`) is read by that constant's name.
 *
 * Left alone, as the Python and JavaScript checks do: queues whose name says they are the
 * dead-letter queue, exclusive and auto-delete queues, server-named queues (`AnonymousQueue`,
 * `QueueBuilder.durable()`), names read from anything but a string or a constant, and arguments
 * it cannot see. A RabbitMQ
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
  return report(call, queueName(facts, nameArg));
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
  return report(call, queueName(facts, call.args?.positional[0]));
}

/**
 * The queue's name: its string, else the constant it is read from (an enum constant or a static
 * field of another class, written in capitals), whose name is what the project calls the queue.
 */
function queueName(facts: FileFacts, value: ValueFact | undefined): string | undefined {
  const text = javaString(facts, value);
  if (text !== undefined || value === undefined || (value.kind !== 'member' && value.kind !== 'call')) return text;
  let head: Node | null = value.node;
  // `QueueEnum.QUEUE_ORDER_CANCEL.getName()` → `QueueEnum.QUEUE_ORDER_CANCEL`; `Queues.ORDERS` as it is.
  if (head.type === 'method_invocation') {
    if ((head.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) return undefined;
    head = head.childForFieldName('object');
  }
  if (head?.type !== 'field_access' || head.childForFieldName('object')?.type !== 'identifier') return undefined;
  const constant = head.childForFieldName('field')?.text ?? '';
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(constant) ? constant : undefined;
}

function report(call: CallFact, name: string | undefined): RawFinding | undefined {
  if (name === undefined || name === '' || DEAD_LETTER_NAME.test(name)) return undefined;
  return {
    range: calleeRange(call),
    message: `Queue \`${name}\` is declared with no \`${DLX}\`: a message that keeps failing is requeued forever or dropped with no trace (unless a broker policy sets one).`,
    fixes: [],
  };
}
