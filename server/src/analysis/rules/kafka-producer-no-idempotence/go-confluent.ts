import { unquote } from '../../facts/common.js';
import { CONFLUENT_KAFKA } from '../../apis/go-libraries.js';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { calleeRange, type RawFinding } from '../rule.js';

/**
 * confluent-kafka-go's `kafka.NewProducer(&kafka.ConfigMap{...})`: librdkafka leaves
 * `enable.idempotence` false, so a producer whose config map (a literal of the file, given in
 * place or through a variable) neither turns it on nor sets a `transactional.id` (which implies
 * it) can write a retried record twice. A map changed after it is built (`SetKey`, or handed to a
 * function the file does not resolve) is unknown and left alone. No fix: librdkafka rejects
 * idempotence beside an explicit `acks` other than all, which the map may hold.
 */
export function confluentProducer(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${CONFLUENT_KAFKA}.NewProducer`) return undefined;
  const config = configMap(facts, call);
  if (config?.args === undefined || config.args.positional.length > 0 || config.args.hasSplat) return undefined;
  if (facts.instanceConfig.get(config.start)?.has('*') === true) return undefined;
  if (facts.calls.some((c) => c.receiver?.start === config.start && /\.ConfigMap\.(?:SetKey|Set)$/.test(c.api))) return undefined;
  const keys = new Map<string, PropertyFact>();
  for (const [key, prop] of config.args.keywords) keys.set(unquote(key), prop);
  if (keys.has('transactional.id')) return undefined;
  const idempotence = keys.get('enable.idempotence');
  if (idempotence !== undefined) {
    if (!/^(?:false|"false")$/.test(idempotence.value.text)) return undefined;
    return {
      range: { start: idempotence.start, end: idempotence.end },
      message: '`enable.idempotence` is off: a producer retry after a lost acknowledgement writes the record twice.',
      fixes: [],
    };
  }
  return {
    range: calleeRange(call),
    message: 'confluent-kafka-go producer without `enable.idempotence` in its `ConfigMap` (librdkafka\'s default is false): a retried send can write the record twice.',
    fixes: [],
  };
}

/** The `kafka.ConfigMap` literal the producer gets: `&kafka.ConfigMap{...}` in place, or a variable holding one. */
function configMap(facts: FileFacts, call: CallFact): CallFact | undefined {
  const arg = call.args?.positional[0];
  if (arg === undefined) return undefined;
  const literal = arg.node.type === 'unary_expression' ? arg.node.childForFieldName('operand') : undefined;
  const start = literal?.type === 'composite_literal' ? literal.startIndex : arg.origin;
  if (start === undefined) return undefined;
  return facts.calls.find((c) => c.isNew && c.start === start && c.api === `${CONFLUENT_KAFKA}.ConfigMap`);
}
