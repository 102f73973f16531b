import type { CallFact, FileFacts, ObjectFact, PropertyFact } from '../../facts/types.js';
import { appendProperty, replaceRange } from '../../fixes/edits.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { constantNumber } from '../common/python.js';

/**
 * kafka-producer-no-idempotence in Python.
 *
 * confluent-kafka (librdkafka): `enable.idempotence` defaults to false, so a `Producer` config
 * that does not turn it on (or a `transactional.id`, which implies it) writes a retried record
 * twice. Safe fix: `"enable.idempotence": True`, unless the config sets `acks`, `retries` or
 * in-flight requests to values idempotence rejects (then the fix would fail at startup).
 *
 * kafka-python: 3.0 turned idempotence on by default, 2.x left it off, and the file does not say
 * which is installed. Flagged only where both agree: `enable_idempotence=False`, or an explicit
 * `acks` of 0 or 1, `retries=0` or more than five in-flight requests without
 * `enable_idempotence=True` (3.x then silently turns idempotence off).
 */
const CONFLUENT_PRODUCERS = new Set(['confluent_kafka.Producer', 'confluent_kafka.SerializingProducer', 'confluent_kafka.avro.AvroProducer']);

export function checkPython(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (CONFLUENT_PRODUCERS.has(call.api)) return checkConfluent(facts, call);
    if (call.api === 'kafka.KafkaProducer') return checkKafkaPython(facts, call);
    return undefined;
  });
}

function checkConfluent(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const config = configOf(facts, call);
  if (config === undefined || config.hasSpread) return undefined;
  if (config.props.has('transactional.id')) return undefined;
  const idempotence = config.props.get('enable.idempotence');
  const conflict = confluentConflict(facts, config);
  if (idempotence !== undefined) {
    if (!isFalse(idempotence)) return undefined;
    return {
      range: { start: idempotence.start, end: idempotence.end },
      message: '`enable.idempotence` is off: a producer retry after a lost acknowledgement writes the record twice.',
      fixes: conflict === undefined ? [{ title: 'Set enable.idempotence to True', edits: [replaceRange(idempotence.value.start, idempotence.value.end, 'True')], safe: true }] : [],
    };
  }
  const q = facts.quote;
  return {
    range: calleeRange(call),
    message: `confluent-kafka \`${call.api.slice(call.api.lastIndexOf('.') + 1)}\` without \`enable.idempotence\` (librdkafka's default is false): a retried send can write the record twice.${conflict === undefined ? '' : ` Its \`${conflict}\` setting must change too, since idempotence needs acks=all.`}`,
    fixes: conflict === undefined ? [{ title: 'Add "enable.idempotence": True', edits: appendProperty(facts, config, `${q}enable.idempotence${q}: True`), safe: true }] : [],
  };
}

/** The config dict a confluent-kafka client gets: a literal, or a module constant holding one. */
function configOf(facts: FileFacts, call: CallFact): ObjectFact | undefined {
  const first = call.args?.positional[0] ?? call.args?.keywords.get('conf')?.value;
  if (first === undefined) return undefined;
  if (first.object !== undefined) return first.object;
  return first.kind === 'identifier' ? facts.constants.get(first.text)?.object : undefined;
}

/** A setting idempotence rejects: acks other than all, no retries, more than five requests in flight. */
function confluentConflict(facts: FileFacts, config: ObjectFact): string | undefined {
  for (const key of ['acks', 'request.required.acks']) {
    const value = config.props.get(key)?.value;
    if (value !== undefined && /^['"]?[01]['"]?$/.test(value.text)) return key;
  }
  for (const key of ['retries', 'message.send.max.retries']) {
    const value = config.props.get(key)?.value;
    if (value !== undefined && constantNumber(facts, value.node) === 0) return key;
  }
  for (const key of ['max.in.flight.requests.per.connection', 'max.in.flight']) {
    const value = config.props.get(key)?.value;
    const n = value === undefined ? undefined : constantNumber(facts, value.node);
    if (n !== undefined && n > 5) return key;
  }
  return undefined;
}

function checkKafkaPython(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat || args.keywords.has('transactional_id')) return undefined;
  const idempotence = args.keywords.get('enable_idempotence');
  if (idempotence !== undefined) {
    if (idempotence.value.kind !== 'false') return undefined;
    return {
      range: { start: idempotence.start, end: idempotence.end },
      message: '`enable_idempotence=False`: a producer retry after a lost acknowledgement writes the record twice.',
      fixes: kafkaPythonConflict(facts, args.keywords) === undefined
        ? [{ title: 'Set enable_idempotence=True', edits: [replaceRange(idempotence.value.start, idempotence.value.end, 'True')], safe: true }]
        : [],
    };
  }
  const conflict = kafkaPythonConflict(facts, args.keywords);
  if (conflict === undefined) return undefined;
  return {
    range: { start: conflict.start, end: conflict.end },
    message: `\`${conflict.value.node.parent?.text ?? conflict.key}\` leaves the producer without idempotence (kafka-python 3 turns it off silently, 2.x never had it on): a retried send can write the record twice.`,
    fixes: [],
  };
}

function kafkaPythonConflict(facts: FileFacts, keywords: ReadonlyMap<string, PropertyFact>): PropertyFact | undefined {
  const acks = keywords.get('acks');
  if (acks !== undefined && /^['"]?[01]['"]?$/.test(acks.value.text)) return acks;
  const retries = keywords.get('retries');
  if (retries !== undefined && constantNumber(facts, retries.value.node) === 0) return retries;
  const inFlight = keywords.get('max_in_flight_requests_per_connection');
  const n = inFlight === undefined ? undefined : constantNumber(facts, inFlight.value.node);
  return n !== undefined && n > 5 ? inFlight : undefined;
}

function isFalse(prop: PropertyFact): boolean {
  return prop.value.kind === 'false' || /^['"]false['"]$/i.test(prop.value.text);
}
