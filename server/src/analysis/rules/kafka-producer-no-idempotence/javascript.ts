import type { CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument, appendProperty, replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { nestedOptions, numberValue, optionsAt, propertyOf } from '../common/javascript.js';

/**
 * kafka-producer-no-idempotence in JavaScript: kafkajs `kafka.producer()` without
 * `idempotent: true` (its default is false, kafkajs 2.2.4). Transactional producers
 * (`transactionalId`) are left alone: their transactional sends are idempotent already.
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => (call.api === 'kafkajs.Kafka.producer' ? checkProducer(facts, call) : undefined));
}

const MESSAGE = 'kafkajs producer without `idempotent: true`: a send retried after a lost acknowledgement can write the record twice (kafkajs marks the option experimental).';

function checkProducer(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const options = optionsAt(call, 0);
  if (options.kind === 'unknown' || propertyOf(options, 'transactionalId') !== 'absent') return undefined;
  const idempotent = propertyOf(options, 'idempotent');
  if (idempotent === 'unknown') return undefined;
  if (idempotent !== 'absent' && idempotent.value.kind !== 'false') return undefined;
  const range = idempotent === 'absent' ? calleeRange(call) : { start: idempotent.start, end: idempotent.end };
  return { range, message: MESSAGE, fixes: idempotenceFix(facts, call) };
}

/**
 * `idempotent: true` with `maxInFlightRequests: 1`: kafkajs sequences idempotent batches for one
 * request in flight (its maintainers declined raising it to 5 without the client work Java did).
 * Offered only when nothing in view conflicts: kafkajs throws for an idempotent producer with
 * `retry.retries` 0 or a send with `acks` other than -1. Unsafe all the same: the option is
 * experimental and raises the producer's default retries to Number.MAX_SAFE_INTEGER.
 */
function idempotenceFix(facts: FileFacts, call: CallFact): Fix[] {
  const args = call.args;
  if (args === undefined) return [];
  const options = optionsAt(call, 0);
  const inFlight = propertyOf(options, 'maxInFlightRequests');
  if (inFlight === 'unknown' || (inFlight !== 'absent' && numberValue(facts, inFlight.value) !== 1)) return [];
  const retries = propertyOf(nestedOptions(options, 'retry'), 'retries');
  if (retries !== 'absent' && retries !== 'unknown' && numberValue(facts, retries.value) === 0) return [];
  if (sendsWithoutAllAcks(facts, call)) return [];
  const added = inFlight === 'absent' ? 'idempotent: true, maxInFlightRequests: 1' : 'idempotent: true';
  let edits: TextEdit[];
  if (options.kind === 'missing') {
    if (args.positional.length > 0 || args.hasSplat) return [];
    edits = appendArgument(facts, args, `{ ${added} }`);
  } else if (options.kind === 'object') {
    const idempotent = options.object.props.get('idempotent');
    edits = idempotent === undefined
      ? appendProperty(facts, options.object, added)
      : [replaceRange(idempotent.value.start, idempotent.value.end, 'true'), ...(inFlight === 'absent' ? appendProperty(facts, options.object, 'maxInFlightRequests: 1') : [])];
  } else {
    return [];
  }
  return [{ title: 'Make the producer idempotent (idempotent: true, one request in flight)', edits, safe: false }];
}

/** A `send` or `sendBatch` on this producer with `acks` 0 or 1, which kafkajs rejects once idempotent. */
function sendsWithoutAllAcks(facts: FileFacts, producer: CallFact): boolean {
  return facts.calls.some((c) => {
    if ((c.api !== 'kafkajs.Producer.send' && c.api !== 'kafkajs.Producer.sendBatch') || c.receiver?.start !== producer.start) return false;
    const acks = propertyOf(optionsAt(c, 0), 'acks');
    return acks === 'unknown' || (acks !== 'absent' && numberValue(facts, acks.value) !== -1);
  });
}
