import type { CallFact, FileFacts, ObjectFact, ValueFact } from '../../facts/types.js';
import { appendArgument, appendProperty } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { addOptionsIndex, jobOptions } from '../common/bull.js';
import { endsWith, objectLookup, propertyOf, stringValue } from '../common/javascript.js';

/**
 * enqueue-no-idempotency-key in JavaScript: BullMQ and Bull `add` without `jobId` (or BullMQ's
 * `deduplication`), and SQS sends to a FIFO queue (a `.fifo` URL the file shows) without
 * `MessageDeduplicationId`. Whether the job has side effects is beyond the file, hence info.
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === 'bullmq.Queue.add' || call.api === 'bull.Queue.add') return checkAdd(facts, call);
    if (SQS_SEND.has(call.api)) return checkSqsSend(facts, call);
    if (SQS_SEND_BATCH.has(call.api)) return checkSqsBatch(facts, call);
    return undefined;
  });
}

const SQS_SEND = new Set(['aws-sdk.SQS.sendMessage', '@aws-sdk/client-sqs.SQS.sendMessage', '@aws-sdk/client-sqs.SendMessageCommand']);
const SQS_SEND_BATCH = new Set(['aws-sdk.SQS.sendMessageBatch', '@aws-sdk/client-sqs.SQS.sendMessageBatch', '@aws-sdk/client-sqs.SendMessageBatchCommand']);
/** Keys that name a business identity: `id`, `orderId`, `order_id`. */
const ID_KEY = /^(id|[a-z][A-Za-z0-9]*Id|[a-z][a-z0-9_]*_id)$/;

function checkAdd(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const job = jobOptions(call);
  if (job === undefined || job.own.kind === 'unknown') return undefined;
  const keys = job.library === 'bullmq' ? ['jobId', 'deduplication', 'repeat'] : ['jobId', 'repeat'];
  // A repeatable job is a schedule: its scheduler, not a job id, keeps it single.
  if (keys.some((key) => propertyOf(job.own, key) !== 'absent')) return undefined;
  const named = job.library === 'bullmq' ? 'BullMQ' : 'Bull';
  const alternative = job.library === 'bullmq' ? ' or `deduplication`' : '';
  return {
    range: calleeRange(call),
    message: `\`${facts.text.slice(call.calleeStart, call.calleeEnd)}\` has no \`jobId\`${alternative}: if the job has side effects, a retried or repeated enqueue runs it twice (${named} ignores an add whose jobId exists).`,
    fixes: jobIdFix(facts, call),
  };
}

/**
 * A `jobId` derived from the one business id the job's data names (`{ orderId, amount }` gives
 * `` `charge-${orderId}` ``). Unsafe: only the author knows whether two jobs for the same order
 * are duplicates or legitimate work, and a wrong key silently drops jobs.
 */
function jobIdFix(facts: FileFacts, call: CallFact): Fix[] {
  const args = call.args;
  const index = addOptionsIndex(call);
  if (args === undefined || index === undefined) return [];
  const data = args.positional[index - 1]?.object;
  const ids = data === undefined ? [] : [...data.props.values()].filter((p) => ID_KEY.test(p.key));
  const id = ids.length === 1 ? ids[0] : undefined;
  if (id === undefined || !isSimpleReference(id.value)) return [];
  const first = args.positional[0];
  const name = index === 2 && first !== undefined ? stringValue(facts, first) : undefined;
  const prefix = name !== undefined && /^[A-Za-z0-9_.-]+$/.test(name) ? name : id.key.replace(/_?[iI]d$/, '') || 'job';
  const property = `jobId: \`${prefix}-\${${id.value.text}}\``;
  const options = args.positional[index];
  let edits;
  if (options?.object !== undefined) edits = appendProperty(facts, options.object, property);
  else if (options === undefined && args.positional.length === index && !args.hasSplat) edits = appendArgument(facts, args, `{ ${property} }`);
  else return [];
  return [{ title: `Add a jobId derived from ${id.key}`, edits, safe: false }];
}

/** An identifier (also `{ orderId }`) or a member chain (`order.id`): safe to repeat inside a template literal. */
function isSimpleReference(value: ValueFact): boolean {
  const shorthand = value.node.type === 'shorthand_property_identifier';
  return shorthand || value.kind === 'identifier' || (value.kind === 'member' && /^[\w$.]+$/.test(value.text));
}

/** `sendMessage({ QueueUrl: '...fifo', ... })`, in SDK v2 or v3 form. */
function checkSqsSend(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const params = call.args?.positional[0];
  const lookup = params === undefined ? undefined : objectLookup(params);
  if (lookup?.kind !== 'object' || !isFifo(facts, lookup.object)) return undefined;
  if (propertyOf(lookup, 'MessageDeduplicationId') !== 'absent') return undefined;
  return sqsFinding(call);
}

function checkSqsBatch(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const params = call.args?.positional[0];
  const lookup = params === undefined ? undefined : objectLookup(params);
  if (lookup?.kind !== 'object' || !isFifo(facts, lookup.object)) return undefined;
  const entries = propertyOf(lookup, 'Entries');
  if (typeof entries === 'string' || entries.value.node.type !== 'array') return undefined;
  const missing = entries.value.node.namedChildren.some((entry) => {
    if (entry?.type !== 'object') return false;
    return !entry.namedChildren.some((p) => p !== null && (p.type === 'spread_element' || p.childForFieldName('key')?.text === 'MessageDeduplicationId'));
  });
  return missing ? sqsFinding(call) : undefined;
}

function isFifo(facts: FileFacts, params: ObjectFact): boolean {
  const url = params.props.get('QueueUrl');
  return url !== undefined && endsWith(facts, url.value, '.fifo');
}

function sqsFinding(call: CallFact): RawFinding {
  return {
    range: calleeRange(call),
    message: 'SQS FIFO send without `MessageDeduplicationId`: only content-based deduplication (a hash of the body) can catch a retried send, and a body with a timestamp or a fresh id defeats it.',
    fixes: [],
  };
}
