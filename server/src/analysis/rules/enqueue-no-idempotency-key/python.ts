import { unquote } from '../../facts/common.js';
import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * enqueue-no-idempotency-key in Python: boto3 sends to an SQS FIFO queue (its URL or name, spelled
 * as a literal or a module constant, ends in `.fifo`) without `MessageDeduplicationId`. Without
 * one the send fails, or the queue's content-based deduplication hashes only the body, which
 * merges different operations with the same body and misses a retry whose body carries a
 * timestamp (R4.2).
 *
 * Celery, RQ, dramatiq and huey have no enqueue-time deduplication key to ask for, so their
 * enqueues are not flagged (chapter 4 routes them to guards in the task, R4.4).
 */
export function checkPython(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === 'boto3.sqs.Client.send_message' || call.api === 'boto3.sqs.Client.send_message_batch') {
      return fifo(facts, call.args?.keywords.get('QueueUrl')?.value) ? checkSend(call) : undefined;
    }
    if (call.api === 'boto3.sqs.Queue.send_message' || call.api === 'boto3.sqs.Queue.send_messages') {
      const origin = call.receiver;
      const name = origin?.args?.keywords.get('QueueName')?.value ?? origin?.args?.positional[0];
      return fifo(facts, name) ? checkSend(call) : undefined;
    }
    return undefined;
  });
}

function checkSend(call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const batch = call.api.endsWith('_batch') || call.api.endsWith('send_messages');
  if (!batch) {
    if (args.keywords.has('MessageDeduplicationId')) return undefined;
  } else {
    const entries = args.keywords.get('Entries')?.value;
    if (entries?.node.type !== 'list') return undefined;
    const items = entries.node.namedChildren.filter((n) => n !== null && n.type !== 'comment');
    // Every entry must be a dict literal to know; one without the key is enough to report.
    if (!items.every((n) => n?.type === 'dictionary')) return undefined;
    const lacking = items.some((n) => !(n?.namedChildren.some((pair) => pair?.type === 'pair' && unquote(pair.childForFieldName('key')?.text ?? '') === 'MessageDeduplicationId') ?? false));
    if (!lacking || items.some((n) => n?.namedChildren.some((c) => c?.type === 'dictionary_splat') === true)) return undefined;
  }
  return {
    range: calleeRange(call),
    message: 'Send to an SQS FIFO queue without `MessageDeduplicationId`: a retried send is deduplicated only by a hash of the body, if at all; derive the id from the business operation.',
    fixes: [],
  };
}

/** A queue URL or name that ends in `.fifo`, as a literal or a module constant. */
function fifo(facts: FileFacts, value: ValueFact | undefined): boolean {
  const literal = value?.kind === 'identifier' ? facts.constants.get(value.text) : value;
  return literal?.kind === 'string' && unquote(literal.text).endsWith('.fifo');
}
