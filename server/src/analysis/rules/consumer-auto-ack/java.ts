import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import type { Fix } from '../../types.js';
import { element, mapEntries, settingText } from '../common/java.js';
import { springSetting } from '../../project/spring-config.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * consumer-auto-ack in Java.
 *
 * - Spring AMQP `@RabbitListener(ackMode = "NONE")` and a listener container factory's
 *   `setAcknowledgeMode(AcknowledgeMode.NONE)`: `NONE` is RabbitMQ's `autoAck=true`, so the broker
 *   forgets each message on delivery. Fix (unsafe): `AUTO`, where the container acks after the
 *   listener returns and rejects when it throws; a rejected message is requeued by default, so a
 *   message that always fails comes back until a dead-letter exchange or a retry limit stops it.
 * - A plain `KafkaConsumer` with auto-commit on (`enable.auto.commit` true, or left unset with a
 *   `group.id`: the client's default is true). The Java client commits, inside `poll()` and
 *   `close()`, the offsets of everything the previous `poll()` returned; its javadoc calls that
 *   at-least-once only if every record is handled before the next `poll()` or `close()`. So a loop
 *   that handles records before polling again is not reported; reported are loops that hand
 *   records to another thread (an executor, `CompletableFuture.*Async`) without waiting, and
 *   consumers closed in `finally` (or try-with-resources) around a loop whose handling can throw:
 *   `close()` then commits the rest of the batch, unhandled. No fix: where to commit is a choice.
 *
 * - A `@RabbitListener` with neither `ackMode` nor `containerFactory` when the application
 *   configuration (project model) sets `spring.rabbitmq.listener.simple.acknowledge-mode: none`
 *   (or the mode of the configured `listener.type`). Reported at the annotation, with the key as
 *   related information. No fix: the setting is in another file.
 *
 * Spring Kafka consumer factories with `enable.auto.commit=true` are not reported: the container
 * hands each poll's records to the listener on its own thread and polls again only afterwards,
 * which is the at-least-once case above.
 */
const RABBIT_LISTENER = 'org.springframework.amqp.rabbit.annotation.RabbitListener';
const SET_ACK_MODE = /^org\.springframework\.amqp\.rabbit\.(?:config\.(?:Simple|Direct)RabbitListenerContainerFactory|listener\.(?:Simple|Direct)MessageListenerContainer)\.setAcknowledgeMode$/;
const KAFKA_CONSUMER = 'org.apache.kafka.clients.consumer.KafkaConsumer';
const POLL = /^org\.apache\.kafka\.clients\.consumer\.(?:Kafka)?Consumer\.poll$/;
const CLOSE = /^org\.apache\.kafka\.clients\.consumer\.(?:Kafka)?Consumer\.close$/;
/** Calls that run their argument on another thread, and those that wait for it. */
const HANDOFF = /^java\.util\.concurrent\.(?:(?:Executor|ExecutorService)\.(?:execute|submit)|CompletableFuture\.(?:runAsync|supplyAsync))$/;
const WAITS = /^(?:get|join|invokeAll|awaitTermination|allOf)$/;
const LOOPS = new Set(['while_statement', 'for_statement', 'enhanced_for_statement', 'do_statement']);

export function checkJava(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === RABBIT_LISTENER && call.decorator !== undefined) {
      const mode = element(call.args, 'ackMode');
      return mode === undefined ? configuredAckMode(facts, call) : listenerAckMode(mode);
    }
    if (SET_ACK_MODE.test(call.api)) return factoryAckMode(call.args?.positional[0]);
    if (call.api === KAFKA_CONSUMER && call.isNew) return kafkaAutoCommit(facts, call);
    return undefined;
  });
}

const NONE_MESSAGE = 'the broker forgets each message as soon as it is delivered (RabbitMQ `autoAck`), so a crash while handling it loses the message.';

function listenerAckMode(mode: PropertyFact | undefined): RawFinding | undefined {
  if (mode?.value.kind !== 'string' || !/^"NONE"$/.test(mode.value.text)) return undefined;
  return {
    range: { start: mode.start, end: mode.end },
    message: `\`ackMode = "NONE"\`: ${NONE_MESSAGE}`,
    fixes: [autoFix(mode.value.start + 1, mode.value.end - 1)],
  };
}

/**
 * A listener with no `ackMode` and no `containerFactory` of its own runs in Spring Boot's
 * auto-configured container factory, whose mode is `spring.rabbitmq.listener.<type>.acknowledge-mode`
 * (`type` is `simple` unless set). A mode a profile may change is unknown. A project that declares
 * its own `rabbitListenerContainerFactory` bean replaces Boot's: that stays a known gap.
 */
function configuredAckMode(facts: FileFacts, listener: CallFact): RawFinding | undefined {
  if (facts.spring === undefined || element(listener.args, 'containerFactory') !== undefined) return undefined;
  const type = springSetting(facts.spring, 'spring.rabbitmq.listener.type');
  if (type === 'unknown') return undefined;
  const container = typeof type?.value === 'string' ? type.value : 'simple';
  const mode = springSetting(facts.spring, `spring.rabbitmq.listener.${container}.acknowledge-mode`);
  if (mode === undefined || mode === 'unknown' || mode.value !== 'none') return undefined;
  return {
    range: calleeRange(listener),
    message: `\`@RabbitListener\` runs with \`${mode.entry.key}: ${String(mode.entry.value)}\` from the application configuration: ${NONE_MESSAGE}`,
    fixes: [],
    related: [{ origin: mode.entry.origin, message: `\`${mode.entry.key}\` is set to ${String(mode.entry.value)} here: every listener without its own ackMode or containerFactory acknowledges on delivery` }],
  };
}

function factoryAckMode(mode: ValueFact | undefined): RawFinding | undefined {
  if (mode?.api !== 'org.springframework.amqp.core.AcknowledgeMode.NONE' || !mode.text.endsWith('NONE')) return undefined;
  return {
    range: { start: mode.start, end: mode.end },
    message: `\`AcknowledgeMode.NONE\`: ${NONE_MESSAGE}`,
    fixes: [autoFix(mode.end - 'NONE'.length, mode.end)],
  };
}

function autoFix(start: number, end: number): Fix {
  return { title: 'Acknowledge after the listener returns (AUTO)', edits: [{ start, end, newText: 'AUTO' }], safe: false };
}

function kafkaAutoCommit(facts: FileFacts, consumer: CallFact): RawFinding | undefined {
  const config = mapEntries(facts, consumer.args?.positional[0]);
  if (config === undefined) return undefined;
  const autoCommit = config.get('enable.auto.commit');
  // Without a group.id the client turns the default auto-commit off.
  if (autoCommit === undefined ? !config.has('group.id') : settingText(autoCommit) !== 'true') return undefined;
  const calls = facts.calls.filter((c) => c.receiver === consumer);
  for (const poll of calls.filter((c) => POLL.test(c.api))) {
    const loop = enclosingLoop(poll.node);
    if (loop === undefined) continue;
    const loopEnd = loop.endIndex;
    const after = facts.calls.filter((c) => c.start > poll.end && c.end <= loopEnd);
    if (after.some((c) => HANDOFF.test(c.api)) && !waits(loop, poll)) {
      return {
        range: calleeRange(consumer),
        message: 'Kafka consumer with auto-commit on hands records to another thread: the next `poll()` commits their offsets whether or not they were handled, so a crash loses them. Set `enable.auto.commit` to false and commit once the records are handled.',
        fixes: [],
      };
    }
    if (closedAround(consumer, calls, loop) && handlingCanEscape(loop, poll)) {
      return {
        range: calleeRange(consumer),
        message: 'Kafka consumer with auto-commit on is closed in `finally`: when handling a record throws, `close()` commits the offsets of the whole batch `poll()` returned, so the records after the failing one are never handled. Set `enable.auto.commit` to false and commit once the records are handled.',
        fixes: [],
        severity: 'info',
      };
    }
  }
  return undefined;
}

/** The loop that polls again, within the poll's method (not a for-each over one poll's records). */
function enclosingLoop(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) {
    const iterable = n.type === 'enhanced_for_statement' ? n.childForFieldName('value') : null;
    if (LOOPS.has(n.type) && !(iterable !== null && node.startIndex >= iterable.startIndex && node.endIndex <= iterable.endIndex)) return n;
    if (n.type === 'method_declaration' || n.type === 'lambda_expression' || n.type === 'class_body') return undefined;
  }
  return undefined;
}

/** The loop waits for the work it handed off (`future.get()`, `join()`, `invokeAll`). */
function waits(loop: Node, poll: CallFact): boolean {
  return loop.descendantsOfType('method_invocation').some((m) => m !== null && m.startIndex > poll.end && WAITS.test(m.childForFieldName('name')?.text ?? ''));
}

/** The consumer is a try-with-resources resource, or closed in a `finally`, of a `try` that holds the loop. */
function closedAround(consumer: CallFact, calls: readonly CallFact[], loop: Node): boolean {
  for (let n = loop.parent; n !== null; n = n.parent) {
    if (n.type === 'try_with_resources_statement') {
      const resources = n.childForFieldName('resources');
      if (resources !== null && consumer.start >= resources.startIndex && consumer.end <= resources.endIndex) return true;
    }
    if (n.type === 'try_statement' || n.type === 'try_with_resources_statement') {
      const fin = n.namedChildren.find((c) => c?.type === 'finally_clause');
      if (fin != null && calls.some((c) => CLOSE.test(c.api) && c.start >= fin.startIndex && c.end <= fin.endIndex)) return true;
    }
    if (n.type === 'method_declaration') return false;
  }
  return false;
}

/** Some call after the poll, in the loop, sits outside any `try` with a `catch` inside the loop. */
function handlingCanEscape(loop: Node, poll: CallFact): boolean {
  return loop.descendantsOfType('method_invocation').some((m) => {
    if (m === null || m.startIndex <= poll.end) return false;
    for (let n = m.parent; n !== null && n.id !== loop.id; n = n.parent) {
      if ((n.type === 'try_statement' || n.type === 'try_with_resources_statement') && n.namedChildren.some((c) => c?.type === 'catch_clause')) return false;
    }
    return true;
  });
}
