import type { CallFact, FileFacts } from '../../facts/types.js';
import { mapEntries, settingText } from '../common/java.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * kafka-producer-no-idempotence in Java. Since Kafka 3.0 the Java producer is idempotent by
 * default (`enable.idempotence=true`, `acks=all`), so a producer is reported only when the file
 * shows its configuration turning idempotence off: `enable.idempotence` set to false, or, without
 * an explicit `enable.idempotence=true`, a conflicting setting that silently disables it (`acks`
 * 0 or 1, `retries` 0, more than 5 requests in flight). The configuration must be a `Properties` or
 * `HashMap` built in the file and not handed elsewhere.
 */
export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== 'org.apache.kafka.clients.producer.KafkaProducer' || !call.isNew) return undefined;
  const entries = mapEntries(facts, call.args?.positional[0]);
  if (entries === undefined) return undefined;
  const settings = new Map([...entries].map(([key, value]) => [key, settingText(value) ?? '']));
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
