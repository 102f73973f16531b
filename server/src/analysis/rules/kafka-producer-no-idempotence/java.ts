import { unquote } from '../../facts/common.js';
import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';
import { creatingCall, instanceMethods } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * kafka-producer-no-idempotence in Java. Since Kafka 3.0 the Java producer is idempotent by
 * default (`enable.idempotence=true`, `acks=all`), so a producer is reported only when the file
 * shows its configuration turning idempotence off: `enable.idempotence` set to false, or, without
 * an explicit `enable.idempotence=true`, a conflicting setting that silently disables it (`acks`
 * 0 or 1, `retries` 0, more than 5 requests in flight). The configuration must be a `Properties` or
 * `HashMap` built in the file and not handed elsewhere.
 */
const KEYS: Readonly<Record<string, string>> = {
  ENABLE_IDEMPOTENCE_CONFIG: 'enable.idempotence',
  ACKS_CONFIG: 'acks',
  RETRIES_CONFIG: 'retries',
  MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION: 'max.in.flight.requests.per.connection',
};
const CONFIG_TYPES = new Set(['java.util.Properties', 'java.util.HashMap']);

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== 'org.apache.kafka.clients.producer.KafkaProducer' || !call.isNew) return undefined;
  const origin = call.args?.positional[0]?.origin;
  const config = creatingCall(facts, origin);
  if (config === undefined || !config.isNew || !CONFIG_TYPES.has(config.api) || instanceMethods(facts, config).has('*')) return undefined;
  const settings = new Map<string, string>();
  for (const put of facts.calls) {
    if (put.receiver !== config || !/\.(put|setProperty)$/.test(put.api)) continue;
    const [key, value] = put.args?.positional ?? [];
    const name = key === undefined ? undefined : keyName(key);
    if (name === undefined || value === undefined) return undefined;
    settings.set(name, unquote(value.text).trim());
  }
  const idempotence = settings.get('enable.idempotence');
  if (idempotence === 'true') return undefined;
  const reason = idempotence === 'false' ? '`enable.idempotence` is set to false'
    : conflict(settings);
  if (reason === undefined) return undefined;
  return {
    range: calleeRange(call),
    message: `Kafka producer without idempotence: ${reason}, so a retried send can write the record twice.`,
    fixes: [],
  };
}

/** A setting that makes the producer drop its default idempotence. */
function conflict(settings: ReadonlyMap<string, string>): string | undefined {
  const acks = settings.get('acks');
  if (acks === '0' || acks === '1') return `\`acks=${acks}\` turns the default idempotence off`;
  if (settings.get('retries') === '0') return '`retries=0` turns the default idempotence off';
  const inFlight = Number(settings.get('max.in.flight.requests.per.connection'));
  if (Number.isFinite(inFlight) && inFlight > 5) return 'more than 5 requests in flight turn the default idempotence off';
  return undefined;
}

function keyName(key: ValueFact): string | undefined {
  if (key.kind === 'string') return unquote(key.text);
  const constant = /ProducerConfig\.(\w+)$/.exec(key.api ?? '')?.[1];
  return constant === undefined ? undefined : (KEYS[constant] ?? constant);
}
