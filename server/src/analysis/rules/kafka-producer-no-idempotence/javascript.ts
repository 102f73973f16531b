import type { CallFact, FileFacts, ObjectFact } from '../../facts/types.js';
import { appendArgument, appendProperty, replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { nestedOptions, numberValue, optionsAt, propertyOf } from '../common/javascript.js';

/**
 * kafka-producer-no-idempotence in JavaScript: kafkajs `kafka.producer()` without
 * `idempotent: true` (its default is false, kafkajs 2.2.4), and node-rdkafka's
 * `new Kafka.Producer(conf)` without `enable.idempotence` (librdkafka's default is false).
 * Transactional producers (`transactionalId`, `transactional.id`) are left alone: their
 * transactional sends are idempotent already.
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === 'kafkajs.Kafka.producer') return checkProducer(facts, call);
    return RDKAFKA_PRODUCERS.has(call.api) ? checkRdkafka(facts, call) : undefined;
  });
}

const RDKAFKA_PRODUCERS = new Set(['node-rdkafka.Producer', 'node-rdkafka.HighLevelProducer']);

/**
 * node-rdkafka hands its config to librdkafka as is: `enable.idempotence` stays false unless the
 * literal turns it on. The fix adds it (safe, as in Python) unless the literal sets acks, retries
 * or requests in flight to a value idempotence rejects at startup.
 */
function checkRdkafka(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const options = optionsAt(call, 0);
  if (options.kind !== 'object' || propertyOf(options, 'transactional.id') !== 'absent') return undefined;
  const idempotence = propertyOf(options, 'enable.idempotence');
  if (idempotence === 'unknown') return undefined;
  const conflict = rdkafkaConflict(facts, options.object);
  if (idempotence !== 'absent') {
    if (idempotence.value.kind !== 'false' && !/^['"]false['"]$/.test(idempotence.value.text)) return undefined;
    return {
      range: { start: idempotence.start, end: idempotence.end },
      message: '`enable.idempotence` is off: a producer retry after a lost acknowledgement writes the record twice.',
      fixes: conflict === undefined ? [{ title: 'Set enable.idempotence to true', edits: [replaceRange(idempotence.value.start, idempotence.value.end, 'true')], safe: true }] : [],
    };
  }
  const q = facts.quote;
  return {
    range: calleeRange(call),
    message: `node-rdkafka producer without \`enable.idempotence\` (librdkafka's default is false): a retried send can write the record twice.${conflict === undefined ? '' : ` Its \`${conflict}\` setting must change too, since idempotence needs acks=all.`}`,
    fixes: conflict === undefined ? [{ title: 'Add \'enable.idempotence\': true', edits: appendProperty(facts, options.object, `${q}enable.idempotence${q}: true`), safe: true }] : [],
  };
}

/** A librdkafka setting idempotence rejects: acks other than all, no retries, more than five requests in flight. */
function rdkafkaConflict(facts: FileFacts, config: ObjectFact): string | undefined {
  const number = (key: string): number | undefined => {
    const value = config.props.get(key)?.value;
    if (value === undefined) return undefined;
    return value.kind === 'string' ? Number(value.text.slice(1, -1)) : numberValue(facts, value);
  };
  for (const key of ['acks', 'request.required.acks']) if (number(key) === 0 || number(key) === 1) return key;
  for (const key of ['retries', 'message.send.max.retries']) if (number(key) === 0) return key;
  for (const key of ['max.in.flight.requests.per.connection', 'max.in.flight']) if ((number(key) ?? 0) > 5) return key;
  return undefined;
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
