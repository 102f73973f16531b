import type { CallFact, FileFacts } from '../../facts/types.js';
import { mapEntries, settingText } from '../common/java.js';
import { springSetting, type SpringEntry } from '../../project/spring-config.js';
import type { JavaBean } from '../../project/types.js';
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
  const found = eachCall(context, check);
  const facts = context.facts;
  if (facts === undefined) return found;
  // A ProducerFactory bean of the project replaces the one Spring Boot builds from its keys.
  const factories = (facts.beans ?? []).filter((b) => PRODUCER_FACTORY.test(b.type));
  const template = factories.length === 0 ? springProducer(facts) : factories.length === 1 ? beanProducer(facts, factories[0] as JavaBean) : undefined;
  return template === undefined ? found : [...found, template];
}

const PRODUCER_FACTORY = /^org\.springframework\.kafka\.core\.(?:Default\w*)?ProducerFactory$/;
const KAFKA_TEMPLATE_SEND = /^org\.springframework\.kafka\.core\.KafkaTemplate\.send(?:Default)?$/;
/** Spring Boot's producer keys, and the Kafka settings they stand for. */
const BOOT_PRODUCER_KEYS: readonly (readonly [string, string])[] = [
  ['spring.kafka.producer.acks', 'acks'],
  ['spring.kafka.producer.retries', 'retries'],
  ['spring.kafka.producer.properties.enable.idempotence', 'enable.idempotence'],
  ['spring.kafka.producer.properties.max.in.flight.requests.per.connection', 'max.in.flight.requests.per.connection'],
];

/**
 * A `KafkaTemplate` send in a project whose application configuration (project model) turns the
 * producer's idempotence off through Spring Boot's `spring.kafka.producer.*` keys: reported once
 * per file, at the first send, with the key as related information. A key a profile may change
 * makes the answer unknown. A project that declares its own `ProducerFactory` bean replaces
 * Boot's, and is read instead (`beanProducer`).
 */
function springProducer(facts: FileFacts): RawFinding | undefined {
  if (facts.spring === undefined) return undefined;
  const send = facts.calls.find((c) => KAFKA_TEMPLATE_SEND.test(c.api));
  if (send === undefined) return undefined;
  const settings = new Map<string, string>();
  const origins = new Map<string, SpringEntry>();
  for (const [key, setting] of BOOT_PRODUCER_KEYS) {
    const found = springSetting(facts.spring, key);
    if (found === 'unknown') return undefined;
    if (found === undefined) continue;
    settings.set(setting, String(found.value));
    origins.set(setting, found.entry);
  }
  const idempotence = settings.get('enable.idempotence');
  if (idempotence === 'true') return undefined;
  const reason = idempotence === 'false' ? '`enable.idempotence` is set to false' : conflict(settings);
  const cause = reason === undefined ? undefined : ['enable.idempotence', 'acks', 'retries'].find((s) => reason.includes(`\`${s}`)) ?? 'max.in.flight.requests.per.connection';
  const entry = cause === undefined ? undefined : origins.get(cause);
  if (reason === undefined || entry === undefined) return undefined;
  return {
    range: calleeRange(send),
    message: `KafkaTemplate's producer is not idempotent: in the application configuration, ${reason}, so a retried send can write the record twice.`,
    fixes: [],
    related: [{ origin: entry.origin, message: `\`${entry.key}: ${String(entry.value)}\` configures the producer of every KafkaTemplate that Spring Boot builds` }],
  };
}

/**
 * A `KafkaTemplate` send in a project whose one `ProducerFactory` bean (project model) is built from
 * a configuration map that turns idempotence off: every KafkaTemplate of the application, Boot's or
 * the project's, sends through that factory. Reported once per file, at the first send, with the
 * bean method as related information; a map the summary cannot read in full is unknown.
 */
function beanProducer(facts: FileFacts, factory: JavaBean): RawFinding | undefined {
  const send = facts.calls.find((c) => KAFKA_TEMPLATE_SEND.test(c.api));
  const settings = factory.settings;
  if (send === undefined || settings === undefined || settings === 'unknown') return undefined;
  const map = new Map(Object.entries(settings));
  // A setting read from a variable may be anything: the answer is unknown. Other keys (the servers) do not matter.
  if (BOOT_PRODUCER_KEYS.some(([, key]) => map.get(key) === '?') || map.get('enable.idempotence') === 'true') return undefined;
  const reason = map.get('enable.idempotence') === 'false' ? '`enable.idempotence` is set to false' : conflict(map);
  if (reason === undefined) return undefined;
  return {
    range: calleeRange(send),
    message: `KafkaTemplate's producer is not idempotent: in the \`${factory.name}\` ProducerFactory bean, ${reason}, so a retried send can write the record twice.`,
    fixes: [],
    related: [{ origin: factory.origin, message: `${factory.description.replace(/^the/, 'The')} builds the producer of every KafkaTemplate` }],
  };
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
