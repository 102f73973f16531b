import { unquote } from '../../facts/common.js';
import type { ArgumentsFact, CallFact, FileFacts, ValueFact } from '../../facts/types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { consumedWithoutReject, EXPIRY_ARGUMENTS } from './consumers.js';

/**
 * queue-no-dead-letter in Python: pika `queue_declare` without `x-dead-letter-exchange` in its
 * `arguments`, and boto3 SQS `create_queue` without a `RedrivePolicy` attribute. Left alone: queues
 * whose name says they are the dead-letter queue (`orders.dlq`, `orders-dead-letter`), temporary
 * ones (exclusive, auto-delete, server-named), passive declarations, queues named by a variable,
 * options passed through `**kwargs` or a variable, and files that set a `RedrivePolicy` later with
 * `set_queue_attributes`. A RabbitMQ policy can also set a dead-letter exchange, which the code
 * cannot show: hence information, not a warning. Also left alone: a queue with no TTL or length
 * limit whose consumers, shown in the file, never reject a message (`consumers.ts`): nothing
 * would ever reach a dead-letter exchange there.
 */
export const DEAD_LETTER_NAME = /(?:^|[._\-:])(?:dlq|dlx|dead[._\-]?letters?|deadletters?|parking[._\-]?lot|poison|errors?|failed)(?:[._\-:]|$)|dlq$/i;

export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const redrivenLater = facts.calls.some((c) => c.api === 'boto3.sqs.Client.set_queue_attributes' && c.args?.keywords.get('Attributes')?.value.object?.props.has('RedrivePolicy') !== false);
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    let finding: RawFinding | undefined;
    if (call.api === 'pika.Channel.queue_declare') finding = pikaQueue(facts, call);
    else if ((call.api === 'boto3.sqs.Client.create_queue' || call.api === 'boto3.sqs.ServiceResource.create_queue') && !redrivenLater) finding = sqsQueue(facts, call);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/** `queue_declare(queue, passive, durable, exclusive, auto_delete, arguments)`. */
function pikaQueue(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const option = (name: string, index: number): ValueFact | undefined => args.keywords.get(name)?.value ?? args.positional[index];
  if (['passive', 'exclusive', 'auto_delete'].some((name, i) => option(name, [1, 3, 4][i] ?? 0)?.kind === 'true')) return undefined;
  const name = queueName(facts, option('queue', 0));
  if (name === undefined || name === '' || DEAD_LETTER_NAME.test(name)) return undefined;
  const argumentsValue = option('arguments', 5);
  let expires = false;
  if (argumentsValue !== undefined && argumentsValue.kind !== 'none') {
    const object = argumentsValue.object;
    if (object === undefined || object.hasSpread || object.props.has('x-dead-letter-exchange')) return undefined;
    expires = [...object.props.keys()].some((key) => EXPIRY_ARGUMENTS.has(key));
  }
  if (!expires && consumedWithoutReject(facts, name)) return undefined;
  return {
    range: calleeRange(call),
    message: `Queue \`${name}\` is declared with no \`x-dead-letter-exchange\`: a message that keeps failing is requeued forever or dropped with no trace (unless a broker policy sets one).`,
    fixes: [],
  };
}

function sqsQueue(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args: ArgumentsFact | undefined = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const name = queueName(facts, args.keywords.get('QueueName')?.value);
  if (name === undefined || DEAD_LETTER_NAME.test(name.replace(/\.fifo$/, ''))) return undefined;
  const attributes = args.keywords.get('Attributes')?.value;
  if (attributes !== undefined) {
    const object = attributes.object;
    if (object === undefined || object.hasSpread || object.props.has('RedrivePolicy')) return undefined;
  }
  return {
    range: calleeRange(call),
    message: `SQS queue \`${name}\` is created with no \`RedrivePolicy\`: a message that keeps failing comes back until its retention period ends, then disappears.`,
    fixes: [],
  };
}

/** A queue name spelled as a literal or a module constant holding one. */
function queueName(facts: FileFacts, value: ValueFact | undefined): string | undefined {
  if (value === undefined) return undefined;
  const literal = value.kind === 'identifier' ? facts.constants.get(value.text) : value;
  return literal?.kind === 'string' && !/^[rRbBuU]*[fF]/.test(literal.text) ? unquote(literal.text) : undefined;
}
