import type { CallFact, FileFacts } from '../../facts/types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { nestedOptions, objectLookup, optionsAt, propertyOf, stringValue, type OptionLookup } from '../common/javascript.js';
import { consumedWithoutReject, EXPIRY_ARGUMENTS } from './consumers.js';

/**
 * queue-no-dead-letter in JavaScript: amqplib `assertQueue` without `deadLetterExchange` (or
 * `x-dead-letter-exchange` in `arguments`), and SQS `createQueue` / `CreateQueueCommand` without a
 * `RedrivePolicy` attribute. A RabbitMQ policy can add a dead-letter exchange from outside the
 * code, so this stays information.
 *
 * Not flagged: server-named, exclusive and auto-delete queues (replies and other transient
 * queues, not work queues), queues whose name says they are dead-letter queues themselves, and a
 * queue with no TTL or length limit whose consumers, shown in the file, never reject a message
 * (`consumers.ts`).
 */
const SQS_CREATE = new Set(['aws-sdk.SQS.createQueue', '@aws-sdk/client-sqs.SQS.createQueue', '@aws-sdk/client-sqs.CreateQueueCommand']);
const DEAD_LETTER_NAME = /(^|[._:-])(dlq|dlx|dead[._-]?letters?|deadletters?|poison|parking[._-]?lot)($|[._:-])/i;

export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === 'amqplib.Channel.assertQueue') return checkAssertQueue(facts, call);
    if (SQS_CREATE.has(call.api)) return checkCreateQueue(facts, call);
    return undefined;
  });
}

function checkAssertQueue(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const nameArg = call.args?.positional[0];
  // A server-named queue (`''`, null or no name) is a private reply queue.
  if (nameArg === undefined || nameArg.kind === 'none') return undefined;
  const name = stringValue(facts, nameArg);
  if (name === '' || (name !== undefined && DEAD_LETTER_NAME.test(name))) return undefined;
  return checkOptions(facts, call, name);
}

function checkOptions(facts: FileFacts, call: CallFact, name: string | undefined): RawFinding | undefined {
  const options = optionsAt(call, 1);
  if (options.kind === 'unknown') return undefined;
  if (isTrue(options, 'exclusive') || isTrue(options, 'autoDelete')) return undefined;
  if (propertyOf(options, 'deadLetterExchange') !== 'absent') return undefined;
  const args = propertyOf(options, 'arguments');
  if (args === 'unknown' || (args !== 'absent' && propertyOf(objectLookup(args.value), 'x-dead-letter-exchange') !== 'absent')) return undefined;
  // `exclusive` or `autoDelete` hidden in a spread would make this a transient queue: unknown.
  if (options.kind === 'object' && options.object.hasSpread) return undefined;
  const expires = ['messageTtl', 'maxLength', 'deliveryLimit'].some((key) => propertyOf(options, key) !== 'absent')
    || (args !== 'absent' && [...EXPIRY_ARGUMENTS].some((key) => propertyOf(objectLookup(args.value), key) !== 'absent'));
  if (name !== undefined && !expires && consumedWithoutReject(facts, name)) return undefined;
  return {
    range: calleeRange(call),
    message: `Queue ${name === undefined ? '' : `\`${name}\` `}declared without a dead-letter exchange: a message that always fails is requeued forever or dropped with no trace (unless a broker policy sets one).`,
    fixes: [],
  };
}

function isTrue(options: OptionLookup, key: string): boolean {
  const prop = propertyOf(options, key);
  return typeof prop !== 'string' && prop.value.kind === 'true';
}

function checkCreateQueue(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const params = optionsAt(call, 0);
  if (params.kind !== 'object') return undefined;
  const nameProp = propertyOf(params, 'QueueName');
  const name = typeof nameProp === 'string' ? undefined : stringValue(facts, nameProp.value);
  if (name !== undefined && DEAD_LETTER_NAME.test(name.replace(/\.fifo$/, ''))) return undefined;
  const attributes = nestedOptions(params, 'Attributes');
  if (attributes.kind === 'unknown' || propertyOf(attributes, 'RedrivePolicy') !== 'absent') return undefined;
  return {
    range: calleeRange(call),
    message: `SQS queue ${name === undefined ? '' : `\`${name}\` `}created without a \`RedrivePolicy\`: a message that always fails is received again and again until its retention period ends, then lost.`,
    fixes: [],
  };
}
