import { defineRule, forJavaScript, type Rule, LOCAL, type FileWideReads } from './rule.js';
import { checkGo } from './consumer-auto-ack/go.js';
import { checkJava } from './consumer-auto-ack/java.js';
import { checkJavaScript } from './consumer-auto-ack/javascript.js';
import { checkPython } from './consumer-auto-ack/python.js';

/**
 * consumer-auto-ack — consumer that acknowledges before processing: a crash mid-message loses it for good.
 *
 * Flags: pika `basic_consume(auto_ack=True)`, amqplib `consume(..., { noAck: true })`, Spring AMQP `AcknowledgeMode.NONE`,
 * Kafka auto-commit with side effects (confluent-kafka, kafka-go `ReadMessage` in a consumer group, sarama `MarkMessage`
 * before processing, a Java `KafkaConsumer` handing records to other threads or closed after a failed batch).
 * Why it matters: the broker forgets a message as soon as it is delivered; if the worker dies while processing it, the
 * work is lost and nothing redelivers it (chapter 3, R3.2).
 *
 * Each language's check lives in `consumer-auto-ack/<language>.ts` and is registered below.
 * Fix (unsafe): manual acknowledgement after the handler (amqplib `{ noAck: false }` and
 * `channel.ack(msg)`; pika `auto_ack=False` and `ch.basic_ack(...)`; kafka-go `FetchMessage` and
 * `CommitMessages`) where the handler and the
 * placement are unambiguous; what a failure does next (nack, dead-letter) is the author's choice.
 * Spring AMQP: `NONE` becomes `AUTO` (the container acks after the listener returns).
 */
export const consumerAutoAck: Rule = defineRule(
  {
    id: 'consumer-auto-ack',
    ruleRef: 'R3.2',
    chapter: 3,
    description: 'Consumer that acknowledges before processing: a crash mid-message loses it for good.',
    defaultSeverity: 'warning',
    fix: 'unsafe',
  },
  {
    python: checkPython,
    java: checkJava,
    ...forJavaScript(checkJavaScript),
    go: checkGo,
  },
  {
    // A consumer of a reply queue is not reported: the queue's declaration and the names its
    // result is assigned to may sit in any function; the Python fix counts the callback's
    // references in the whole file.
    python: { readers: ['pika.'] },
    java: LOCAL,
    ...forJavaScript<FileWideReads>({ readers: ['amqplib.'] }),
    go: { moduleAssignments: true },
  },
);
