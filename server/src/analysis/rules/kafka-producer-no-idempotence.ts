import { checkGo } from './kafka-producer-no-idempotence/go.js';
import { checkJava } from './kafka-producer-no-idempotence/java.js';
import { checkPython } from './kafka-producer-no-idempotence/python.js';
import { checkJavaScript } from './kafka-producer-no-idempotence/javascript.js';
import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';

/**
 * kafka-producer-no-idempotence — kafka producer without idempotence where the client offers it: a retried send can write the record twice.
 *
 * Flags: confluent-kafka and kafkajs producers without `enable.idempotence` / `idempotent: true`, kafka-python 2.x.
 * Why it matters: a producer that retries after a lost acknowledgement writes the record again; idempotence lets the
 * broker drop the duplicate (chapter 3, R3.3).
 *
 * Each language's check lives in `kafka-producer-no-idempotence/<language>.ts` and is registered below.
 * Fix (unsafe, JavaScript): kafkajs `idempotent: true` with `maxInFlightRequests: 1` when nothing in view
 * conflicts; the option is experimental in kafkajs and raises the producer's retry default.
 * Fix (safe, Python): confluent-kafka `"enable.idempotence": True` where no other setting conflicts with it.
 */
export const kafkaProducerNoIdempotence: Rule = defineRule(
  {
    id: 'kafka-producer-no-idempotence',
    ruleRef: 'R3.3',
    chapter: 3,
    description: 'Kafka producer without idempotence where the client offers it: a retried send can write the record twice.',
    defaultSeverity: 'info',
    fix: 'safe',
  },
  {
    python: checkPython,
    java: checkJava,
    go: checkGo,
    ...forJavaScript(checkJavaScript),
  },
  { python: LOCAL, java: LOCAL, go: LOCAL, ...forJavaScript(LOCAL) },
);
