import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../facts/types.js';
import { annotationsOn, callsInMethod, element, enclosingClass, javaString } from '../rules/common/java.js';
import { guarded } from '../rules/common/guards.js';
import { JAVA_GUARDS } from '../rules/notify-in-retried-task/java.js';
import { effectsOf, lineAt, takesLock } from './common.js';
import { retry, setting, type FunctionFact, type EffectFact, type EnqueueFact, type MapFileFacts, type ScheduleFact, type TaskFact } from './facts.js';
import { webhookReceiver } from './webhook.js';

/**
 * The task map's facts of a Java file: Spring `@KafkaListener`, `@RabbitListener` and Spring
 * Cloud AWS `@SqsListener` methods (a task is its topic or queue, which the templates' sends
 * name), `@Scheduled` methods, and the sends with their transaction context.
 *
 * Spring Kafka's default error handler delivers a failing record 10 times with no delay
 * (framework-facts.md §4); a Rabbit listener's redelivery depends on its container factory, which
 * the map leaves unknown.
 */
const KAFKA_LISTENER = 'org.springframework.kafka.annotation.KafkaListener';
const RABBIT_LISTENER = 'org.springframework.amqp.rabbit.annotation.RabbitListener';
const SQS_LISTENERS = new Set(['io.awspring.cloud.sqs.annotation.SqsListener', 'io.awspring.cloud.messaging.listener.annotation.SqsListener']);
const SCHEDULED = 'org.springframework.scheduling.annotation.Scheduled';
const TRANSACTIONAL = /^(?:org\.springframework\.transaction\.annotation|jakarta\.transaction|javax\.transaction)\.Transactional$/;
const AFTER_COMMIT = 'org.springframework.transaction.event.TransactionalEventListener';

export function javaMapFacts(facts: FileFacts): MapFileFacts {
  const tasks: TaskFact[] = [];
  const schedules: ScheduleFact[] = [];
  const enqueues: EnqueueFact[] = [];
  for (const call of facts.calls) {
    const method = call.decorator?.functionNode;
    const line = lineAt(facts, call.start);
    if (method !== undefined && (call.api === KAFKA_LISTENER || call.api === RABBIT_LISTENER || SQS_LISTENERS.has(call.api))) {
      const kafka = call.api === KAFKA_LISTENER;
      const sqs = SQS_LISTENERS.has(call.api);
      const channels = sqs ? [...new Set([...listenerChannels(facts, call, 'value'), ...listenerChannels(facts, call, 'queueNames')])] : listenerChannels(facts, call, kafka ? 'topics' : 'queues');
      const name = channels[0] ?? `${enclosingClass(method)?.childForFieldName('name')?.text ?? ''}.${method.childForFieldName('name')?.text ?? ''}`;
      const body = callsInMethod(facts, method);
      const effects = [...effectsOf(facts, body, () => false), ...repositoryWrites(facts, method)].sort((a, b) => a.line - b.line);
      const first = body.find((c) => effects.some((e) => e.line === lineAt(facts, c.calleeStart)));
      tasks.push({
        name,
        framework: kafka ? 'spring-kafka' : sqs ? 'spring-sqs' : 'spring-rabbit',
        line,
        endLine: lineAt(facts, method.endIndex),
        names: channels.map((channel) => ({ kind: 'channel', family: kafka ? 'kafka' : sqs ? 'sqs' : 'rabbit', channel })),
        queue: setting(name, 'task option', line),
        ...(kafka ? { retry: setting(retry(10, 'none', null), 'framework default', line) } : {}),
        guarded: first !== undefined && guarded(JAVA_GUARDS, method, first.node),
        locked: takesLock(facts, body),
        effects,
        calls: methodCalls(method),
      });
    } else if (method !== undefined && call.api === SCHEDULED) {
      const spec = ['cron', 'fixedRate', 'fixedDelay'].map((k) => element(call.args, k)).find((p) => p !== undefined);
      const className = enclosingClass(method)?.childForFieldName('name')?.text;
      schedules.push({
        name: `${className === undefined ? '' : `${className}.`}${method.childForFieldName('name')?.text ?? ''}`,
        framework: 'spring-scheduled',
        line,
        endLine: lineAt(facts, method.endIndex),
        schedule: spec === undefined ? null : spec.key === 'cron' ? (javaString(facts, spec.value) ?? spec.value.text) : `${spec.key} ${spec.value.text} ms`,
        task: null,
      });
    } else {
      const enqueue = enqueueOf(facts, call);
      if (enqueue !== undefined) enqueues.push(enqueue);
    }
  }
  return { tasks, bases: [], queues: [], enqueues, functions: methods(facts), schedules, imports: {} };
}

/**
 * The file's methods as the join names them, `Class.method`, with their side effects and the
 * project methods they call: a listener that hands its work to `this.charge(...)` or to an
 * injected `paymentClient.charge(...)` reaches the effects of that method, in this file or the
 * one that declares the field's class.
 */
function methods(facts: FileFacts): FunctionFact[] {
  return facts.root.descendantsOfType('method_declaration').flatMap((method) => {
    const name = method?.childForFieldName('name')?.text;
    const cls = method === null ? undefined : enclosingClass(method)?.childForFieldName('name')?.text;
    if (method === null || name === undefined || cls === undefined) return [];
    const body = callsInMethod(facts, method);
    const effects = [...effectsOf(facts, body, () => false), ...repositoryWrites(facts, method)].sort((a, b) => a.line - b.line);
    const first = body.find((c) => effects.some((e) => e.line === lineAt(facts, c.calleeStart)));
    return [{
      name: `${cls}.${name}`,
      line: lineAt(facts, method.startIndex),
      endLine: lineAt(facts, method.endIndex),
      effects,
      guarded: first !== undefined && guarded(JAVA_GUARDS, method, first.node),
      locked: takesLock(facts, body),
      calls: methodCalls(method),
    }];
  });
}

/**
 * The project methods a method calls, as `Class.method`: `helper()` and `this.helper()` in its own
 * class, `field.helper()` in the class the field is declared with. The join keeps those it finds.
 */
function methodCalls(method: Node): string[] {
  const cls = enclosingClass(method);
  const own = cls?.childForFieldName('name')?.text;
  if (cls === undefined || own === undefined) return [];
  const fields = new Map<string, string>();
  for (const field of cls.childForFieldName('body')?.namedChildren ?? []) {
    if (field?.type !== 'field_declaration') continue;
    const type = field.childForFieldName('type');
    const simple = type?.type === 'generic_type' ? type.namedChild(0)?.text : type?.text;
    for (const declarator of field.namedChildren) {
      const variable = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name')?.text : undefined;
      if (variable !== undefined && simple !== undefined) fields.set(variable, simple);
    }
  }
  const names = new Set<string>();
  for (const call of method.descendantsOfType('method_invocation')) {
    const name = call?.childForFieldName('name')?.text;
    if (call === null || name === undefined) continue;
    const object = call.childForFieldName('object');
    const receiver = object === null ? undefined : object.type === 'this' ? 'this' : object.type === 'field_access' && object.childForFieldName('object')?.type === 'this' ? object.childForFieldName('field')?.text : object.type === 'identifier' ? object.text : undefined;
    if (object === null || receiver === 'this') names.add(`${own}.${name}`);
    else if (receiver !== undefined && fields.has(receiver)) names.add(`${fields.get(receiver) ?? ''}.${name}`);
  }
  return [...names];
}

/** `topics = "orders"`, `topics = {"a", "b"}`, or the annotation's single value. */
function listenerChannels(facts: FileFacts, annotation: CallFact, key: string): string[] {
  const value = element(annotation.args, key)?.value ?? (annotation.args?.positional.length === 1 ? annotation.args.positional[0] : undefined);
  if (value === undefined) return [];
  const one = javaString(facts, value);
  if (one !== undefined) return [one];
  return value.node.namedChildren.flatMap((c) => (c?.type === 'string_literal' ? [c.text.slice(1, -1)] : []));
}

function enqueueOf(facts: FileFacts, call: CallFact): EnqueueFact | undefined {
  const args = call.args?.positional ?? [];
  let target: EnqueueFact['target'] | undefined;
  if (call.api === 'org.springframework.kafka.core.KafkaTemplate.send') {
    const topic = javaString(facts, args[0]);
    if (topic !== undefined) target = { kind: 'channel', family: 'kafka', channel: topic };
  } else if (call.api === 'org.springframework.amqp.rabbit.core.RabbitTemplate.convertAndSend' && args.length === 2) {
    // Two arguments send to the default exchange, whose routing key is the queue's name.
    const queue = javaString(facts, args[0]);
    if (queue !== undefined) target = { kind: 'channel', family: 'rabbit', channel: queue };
  }
  if (target === undefined) return undefined;
  const method = methodOf(call.node);
  const annotations = method === undefined ? [] : annotationsOn(facts, method);
  const cls = method === undefined ? undefined : enclosingClass(method);
  const classAnnotations = cls === undefined ? [] : annotationsOn(facts, cls);
  const afterCommit = annotations.some((a) => a.api === AFTER_COMMIT) || method?.childForFieldName('name')?.text === 'afterCommit';
  return {
    target,
    line: lineAt(facts, call.calleeStart),
    start: call.calleeStart,
    end: call.calleeEnd,
    inTransaction: !afterCommit && [...annotations, ...classAnnotations].some((a) => TRANSACTIONAL.test(a.api)),
    afterCommit,
    idempotencyKey: false,
    ...handlerSite(method, cls),
  };
}

const MAPPINGS = /^(?:Post|Put|Patch|Delete|Request)Mapping$/;

/** A Spring handler method, and whether it receives retried requests (see `webhookReceiver`). */
function handlerSite(method: Node | undefined, cls: Node | undefined): { fromHandler: boolean; webhook: boolean } {
  if (method === undefined || !annotationNames(method).some((n) => MAPPINGS.test(n))) return { fromHandler: false, webhook: false };
  // The paths of `@PostMapping("/webhooks/stripe")` on the method and `@RequestMapping` on its class.
  const paths = [method, cls].flatMap((declaration) => {
    const modifiers = declaration?.namedChildren.find((c) => c?.type === 'modifiers');
    return (modifiers?.namedChildren ?? []).filter((a) => a?.type === 'annotation' && MAPPINGS.test(a.childForFieldName('name')?.text ?? '')).flatMap((a) => a?.descendantsOfType('string_fragment').flatMap((s) => (s === null ? [] : [s.text])) ?? []);
  });
  const names = [method.childForFieldName('name')?.text ?? '', cls?.childForFieldName('name')?.text ?? ''];
  return { fromHandler: true, webhook: webhookReceiver({ handler: method, names, paths }) };
}

function methodOf(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (n.type === 'method_declaration') return n;
  return undefined;
}

/** The simple names of a declaration's annotations, as written. */
function annotationNames(declaration: Node): string[] {
  const modifiers = declaration.namedChildren.find((c) => c?.type === 'modifiers');
  return (modifiers?.namedChildren ?? []).flatMap((a) => (a?.type === 'annotation' || a?.type === 'marker_annotation' ? [a.childForFieldName('name')?.text ?? ''] : []));
}

const REPOSITORY_WRITE = /^(?:save|saveAll|saveAndFlush|delete\w*|insert\w*|update\w*|persist|merge)$/;

/** `orderRepository.save(order)`: a Spring Data write, by the receiver's conventional name. */
function repositoryWrites(facts: FileFacts, method: Node): EffectFact[] {
  return method.descendantsOfType('method_invocation').flatMap((m) => {
    const receiver = m?.childForFieldName('object')?.text ?? '';
    const name = m?.childForFieldName('name')?.text ?? '';
    return m !== null && /(?:Repository|Repo|Dao)$/i.test(receiver) && REPOSITORY_WRITE.test(name) ? [{ kind: 'db-write', api: `${receiver}.${name}`, line: lineAt(facts, m.startIndex) }] : [];
  });
}
