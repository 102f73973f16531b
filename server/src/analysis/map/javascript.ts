import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, ValueFact } from '../facts/types.js';
import type { ModuleSummary } from '../project/types.js';
import { attemptsOf, backoffShape, isQueueConstructor, queueDefaults } from '../rules/common/bull.js';
import { isFunction, numberValue, optionsAt, propertyOf, stringValue, type OptionLookup } from '../rules/common/javascript.js';
import type { MapRetry } from './types.js';
import { effectsOf, factsWithin, firstEffectCall, helperCalls, lineAt, takesLock } from './common.js';
import { jsGuarded } from '../rules/notify-in-retried-task/javascript.js';
import { retry, setting, type EffectFact, type EnqueueFact, type FunctionFact, type MapFileFacts, type MapRef, type QueueFact, type ScheduleFact, type SettingFact, type TaskFact } from './facts.js';

/**
 * The task map's facts of a JavaScript or TypeScript file: BullMQ and Bull queues and workers
 * (joined by queue name), kafkajs consumers and producers (by topic), agenda jobs (by name),
 * in-process schedules, and the module's functions with their side effects.
 *
 * BullMQ and Bull run a job once unless it is added with `attempts` (framework-facts.md §6); the
 * attempts a job gets are its `add` options over the queue's `defaultJobOptions`.
 */
export function javascriptMapFacts(facts: FileFacts, summary: ModuleSummary | undefined): MapFileFacts {
  const queues: QueueFact[] = [];
  const tasks: TaskFact[] = [];
  const enqueues: EnqueueFact[] = [];
  const schedules: ScheduleFact[] = [];
  const topics = subscribedTopics(facts);
  for (const call of facts.calls) {
    const line = lineAt(facts, call.calleeStart);
    if (isQueueConstructor(call)) {
      const channel = firstString(facts, call);
      if (channel === undefined) continue;
      const variable = declaredName(call.node);
      const retryFact = jobRetry(facts, queueDefaults(call), 'defaultJobOptions');
      queues.push({ family: 'bullmq', channel, line, ...(variable === undefined ? {} : { variable }), ...(retryFact === undefined ? {} : { retry: retryFact }) });
    } else if (call.api === 'bullmq.Worker' && call.isNew) {
      const channel = firstString(facts, call);
      const processor = call.args?.positional[1];
      if (channel === undefined) continue;
      tasks.push(task(facts, call, channel, 'bullmq', [{ kind: 'channel', family: 'bullmq', channel }], processor?.node));
    } else if (call.api === 'bull.Queue.process') {
      const channel = call.receiver !== undefined && isQueueConstructor(call.receiver) ? firstString(facts, call.receiver) : undefined;
      if (channel === undefined) continue;
      const processor = call.args?.positional.find((a) => a.kind === 'function' || a.kind === 'identifier');
      tasks.push(task(facts, call, channel, 'bull', [{ kind: 'channel', family: 'bullmq', channel }], processor?.node));
    } else if (SQS_RECEIVE.test(call.api) || call.api === 'sqs-consumer.Consumer.create') {
      // A receive loop (the function around `ReceiveMessageCommand`) or an sqs-consumer's `handleMessage` is the queue's consumer.
      const options = call.args?.positional[0]?.object;
      const queue = sqsQueue(facts, options?.props.get(call.api === 'sqs-consumer.Consumer.create' ? 'queueUrl' : 'QueueUrl')?.value);
      const handler = call.api === 'sqs-consumer.Consumer.create' ? (options?.props.get('handleMessage') ?? options?.props.get('handleMessageBatch'))?.value.node : enclosingFunction(call.node);
      if (queue === undefined || tasks.some((t) => t.framework === 'sqs' && t.name === queue)) continue;
      tasks.push(task(facts, call, queue, 'sqs', [{ kind: 'channel', family: 'sqs', channel: queue }], handler));
    } else if (SQS_SEND.test(call.api)) {
      const options = call.args?.positional[0]?.object;
      const queue = sqsQueue(facts, options?.props.get('QueueUrl')?.value);
      // A FIFO queue drops a message whose deduplication id it saw in the last five minutes.
      if (queue !== undefined) enqueues.push({ target: { kind: 'channel', family: 'sqs', channel: queue }, line, start: call.calleeStart, end: call.calleeEnd, ...site(call.node), idempotencyKey: options?.props.has('MessageDeduplicationId') === true });
    } else if (call.api === 'kafkajs.Consumer.run') {
      const options = call.args?.positional[0]?.object;
      const handler = options?.props.get('eachMessage') ?? options?.props.get('eachBatch');
      const topic = topics[0];
      tasks.push(task(facts, call, topic ?? 'kafkajs consumer', 'kafkajs', topics.map((t) => ({ kind: 'channel', family: 'kafka', channel: t })), handler?.value.node));
    } else if (call.api === 'agenda.Agenda.define') {
      const name = firstString(facts, call);
      if (name !== undefined) tasks.push(task(facts, call, name, 'agenda', [{ kind: 'channel', family: 'agenda', channel: name }], call.args?.positional.find((a) => a.kind === 'function' || a.kind === 'identifier')?.node));
    } else if (call.api === 'bullmq.Queue.add' || call.api === 'bull.Queue.add' || call.api === 'bullmq.Queue.addBulk') {
      const target = queueRef(facts, call);
      if (target === undefined) continue;
      const own = optionsAt(call, call.api === 'bull.Queue.add' && call.args?.positional[0]?.kind !== 'string' ? 1 : 2);
      const retryFact = jobRetry(facts, own, 'enqueue option');
      const key = propertyOf(own, 'jobId') !== 'absent' && propertyOf(own, 'jobId') !== 'unknown' || propertyOf(own, 'deduplication') !== 'absent' && propertyOf(own, 'deduplication') !== 'unknown';
      enqueues.push({ target, line, start: call.calleeStart, end: call.calleeEnd, ...site(call.node), idempotencyKey: key, ...(retryFact === undefined ? {} : { retry: retryFact }) });
    } else if (call.api === 'kafkajs.Producer.send') {
      const topicProp = call.args?.positional[0]?.object?.props.get('topic');
      const topic = topicProp === undefined ? undefined : stringValue(facts, topicProp.value);
      if (topic !== undefined) enqueues.push({ target: { kind: 'channel', family: 'kafka', channel: topic }, line, start: call.calleeStart, end: call.calleeEnd, ...site(call.node), idempotencyKey: false });
    } else if (call.api === 'agenda.Agenda.now') {
      const name = firstString(facts, call);
      if (name !== undefined) enqueues.push({ target: { kind: 'channel', family: 'agenda', channel: name }, line, start: call.calleeStart, end: call.calleeEnd, ...site(call.node), idempotencyKey: false });
    } else if (/^(?:node-cron\.schedule|node-cron\.createTask|cron\.CronJob(?:\.from)?|node-schedule\.scheduleJob|agenda\.Agenda\.every|bullmq\.Queue\.upsertJobScheduler)$/.test(call.api)) {
      schedules.push(schedule(facts, call, line));
    }
  }
  const imports: Record<string, { module: string; name?: string }> = {};
  for (const [local, target] of Object.entries(summary?.imports ?? {})) {
    const parts = summary?.modules?.[target];
    if (parts !== undefined) imports[local] = parts;
  }
  return { tasks, bases: [], queues, enqueues, functions: functions(facts), schedules, imports };
}

const SQS_RECEIVE = /^(?:aws-sdk\.SQS\.receiveMessage|@aws-sdk\/client-sqs\.SQS\.receiveMessage|@aws-sdk\/client-sqs\.ReceiveMessageCommand)$/;
const SQS_SEND = /^(?:aws-sdk\.SQS\.sendMessage|@aws-sdk\/client-sqs\.SQS\.sendMessage|@aws-sdk\/client-sqs\.SendMessageCommand)$/;

/** A queue as written: a literal URL, or the name or member chain that holds it (`process.env.ORDERS_QUEUE_URL`). */
function sqsQueue(facts: FileFacts, url: ValueFact | undefined): string | undefined {
  if (url === undefined) return undefined;
  return stringValue(facts, url) ?? (url.node.type === 'identifier' || url.node.type === 'member_expression' ? url.text : undefined);
}

/** The function a call sits in (a receive loop's), or undefined at module level. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (isFunction(n)) return n;
  return undefined;
}

function firstString(facts: FileFacts, call: CallFact): string | undefined {
  const first = call.args?.positional[0];
  return first === undefined ? undefined : stringValue(facts, first);
}

/** `const emailQueue = new Queue(...)`: the name a module-level binding gives a value. */
function declaredName(node: Node): string | undefined {
  let n: Node | null = node;
  while (n !== null && (n.type === 'new_expression' || n.type === 'await_expression' || n.type === 'call_expression')) n = n.parent;
  if (n?.type !== 'variable_declarator') return undefined;
  const name = n.childForFieldName('name');
  return name?.type === 'identifier' ? name.text : undefined;
}

/** The queue an `add` goes to: by its name when the queue is made in view, else by the variable that holds it. */
function queueRef(facts: FileFacts, call: CallFact): MapRef | undefined {
  if (call.receiver !== undefined && isQueueConstructor(call.receiver)) {
    const channel = firstString(facts, call.receiver);
    if (channel !== undefined) return { kind: 'channel', family: 'bullmq', channel };
  }
  const callee = call.node.childForFieldName('function');
  const object = callee?.type === 'member_expression' ? callee.childForFieldName('object') : null;
  if (object?.type === 'identifier') return { kind: 'name', name: object.text };
  if (object?.type === 'member_expression' && object.childForFieldName('object')?.type === 'identifier') return { kind: 'name', name: object.text };
  return undefined;
}

/** `attempts` and `backoff` of BullMQ job options; undefined when the options do not say. */
function jobRetry(facts: FileFacts, options: OptionLookup, from: string): SettingFact<MapRetry> | undefined {
  const attempts = propertyOf(options, 'attempts');
  if (typeof attempts === 'string') return undefined;
  const n = attemptsOf(facts, attempts);
  if (n === undefined) return undefined;
  const backoff = propertyOf(options, 'backoff');
  let shape: MapRetry['backoff'] = n <= 1 ? 'none' : 'fixed';
  let jitter: boolean | null = null;
  if (typeof backoff !== 'string') {
    const found = backoffShape(facts, backoff);
    if (found.kind === 'exponential') {
      shape = 'exponential';
      const value = found.jitter === undefined ? 0 : numberValue(facts, found.jitter.value);
      jitter = value === undefined ? null : value > 0;
    } else if (found.kind === 'other') {
      shape = null;
    }
  } else if (n > 1) {
    // Without `backoff`, a failed job is retried at once.
    shape = 'none';
  }
  return setting(retry(Number.isFinite(n) ? n : null, shape, jitter), from, lineAt(facts, attempts.start));
}

function task(facts: FileFacts, call: CallFact, name: string, framework: string, names: MapRef[], processor: Node | undefined): TaskFact {
  const line = lineAt(facts, call.calleeStart);
  const inline = processor !== undefined && isFunction(processor) ? processor : undefined;
  const handler: MapRef | undefined = processor?.type === 'identifier' || processor?.type === 'member_expression' ? { kind: 'name', name: processor.text } : undefined;
  return {
    name,
    framework,
    line,
    endLine: lineAt(facts, (inline ?? call.node).endIndex),
    names,
    queue: setting(name, 'task option', line),
    ...(handler === undefined ? {} : { handler }),
    ...(inline === undefined ? { effects: [] } : body(facts, inline)),
    calls: inline === undefined ? [] : jsHelpers(facts, inline),
  };
}

/** A function body's side effects, and whether a guard comes before the first or a lock is taken. */
function body(facts: FileFacts, fn: Node): { effects: EffectFact[]; guarded: boolean; locked: boolean } {
  const calls = factsWithin(facts, fn);
  const effects = effectsOf(facts, calls, (c) => isJsDbWrite(facts, c));
  const first = firstEffectCall(facts, calls, effects);
  return { effects, guarded: first !== undefined && jsGuarded(fn, first), locked: takesLock(facts, calls) };
}

function schedule(facts: FileFacts, call: CallFact, line: number): ScheduleFact {
  const positional = call.args?.positional ?? [];
  const first = positional[0];
  let expression = first === undefined ? undefined : stringValue(facts, first);
  let task: MapRef | null = null;
  let name = declaredName(call.node) ?? call.api.replace(/\.(?:schedule|scheduleJob|every|createTask)$/, '');
  if (call.api === 'bullmq.Queue.upsertJobScheduler') {
    name = expression ?? name;
    const pattern = positional[1]?.object?.props.get('pattern') ?? positional[1]?.object?.props.get('every');
    expression = pattern === undefined ? undefined : (stringValue(facts, pattern.value) ?? `every ${pattern.value.text} ms`);
    task = queueRef(facts, call) ?? null;
  } else if (call.api === 'agenda.Agenda.every') {
    const job = positional[1] === undefined ? undefined : stringValue(facts, positional[1]);
    if (job !== undefined) task = { kind: 'channel', family: 'agenda', channel: job };
  } else {
    const fn = positional.find((a, i) => i > 0 && (a.kind === 'identifier' || a.kind === 'member'));
    if (fn !== undefined) task = { kind: 'name', name: fn.text };
  }
  return { name, framework: call.api.split('.')[0] ?? call.api, line, endLine: lineAt(facts, call.end), schedule: expression ?? null, task };
}

/** The kafkajs topics this file's consumers subscribe to. */
function subscribedTopics(facts: FileFacts): string[] {
  const topics: string[] = [];
  for (const call of facts.calls) {
    const callee = call.node.childForFieldName('function');
    if (call.api !== 'kafkajs.Consumer.subscribe' && !(callee?.type === 'member_expression' && callee.childForFieldName('property')?.text === 'subscribe' && call.api.startsWith('kafkajs.'))) continue;
    const options = call.args?.positional[0]?.object;
    const one = options?.props.get('topic');
    const many = options?.props.get('topics');
    if (one !== undefined) topics.push(...[stringValue(facts, one.value)].filter((t): t is string => t !== undefined));
    for (const item of many?.value.node.namedChildren ?? []) if (item?.type === 'string') topics.push(item.text.slice(1, -1));
  }
  return topics;
}

const DB_WRITES = /^@prisma\/client\.PrismaClient\.[\w$]+\.(?:create|createMany|update|updateMany|upsert|delete|deleteMany)$|^typeorm\.(?:Repository|EntityManager|DataSource\.manager)\.(?:save|insert|update|upsert|delete|remove)$/;

function isJsDbWrite(facts: FileFacts, call: CallFact): boolean {
  if (DB_WRITES.test(call.api)) return true;
  if (!/^pg\.(?:Pool|Client)\.query$/.test(call.api)) return false;
  const sql = call.args?.positional[0];
  const text = sql === undefined ? undefined : (stringValue(facts, sql) ?? (sql.node.type === 'template_string' ? sql.text.slice(1) : undefined));
  return text !== undefined && /^\s*(?:insert|update|delete|merge)\b/i.test(text);
}

function jsHelpers(facts: FileFacts, node: Node): string[] {
  return helperCalls(facts, node, 'call_expression', (call) => {
    const callee = call.childForFieldName('function');
    return callee?.type === 'identifier' || callee?.type === 'member_expression' ? callee.text : undefined;
  });
}

/** Module-level functions: declarations and `const f = () => ...`, exported or not. */
function functions(facts: FileFacts): FunctionFact[] {
  const found: FunctionFact[] = [];
  const add = (name: string | undefined, fn: Node | null | undefined): void => {
    if (name === undefined || fn === null || fn === undefined) return;
    found.push({ name, line: lineAt(facts, fn.startIndex), endLine: lineAt(facts, fn.endIndex), ...body(facts, fn), calls: jsHelpers(facts, fn) });
  };
  for (const top of facts.root.namedChildren) {
    const statement = top?.type === 'export_statement' ? (top.childForFieldName('declaration') ?? top.namedChildren.find((c) => c?.type !== 'comment') ?? null) : top;
    if (statement === null || statement === undefined) continue;
    if (statement.type === 'function_declaration' || statement.type === 'generator_function_declaration') add(statement.childForFieldName('name')?.text, statement);
    if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const value = declarator?.childForFieldName('value');
        if (declarator?.type === 'variable_declarator' && value !== null && value !== undefined && isFunction(value)) add(declarator.childForFieldName('name')?.text, value);
      }
    }
  }
  return found;
}

const ROUTE_METHODS = /^(?:get|post|put|patch|delete|all|use)$/;
const NEST_HANDLERS = /^(?:Post|Put|Patch|Delete|Get|All)$/;

/** Where an enqueue sits: a transaction callback, an after-commit hook, a web handler. */
function site(node: Node): { inTransaction: boolean; afterCommit: boolean; fromHandler: boolean } {
  let inTransaction = false;
  let afterCommit = false;
  let fromHandler = false;
  for (let n = node.parent; n !== null; n = n.parent) {
    if (!isFunction(n)) continue;
    const call = n.parent?.type === 'arguments' ? n.parent.parent : null;
    const callee = call?.childForFieldName('function');
    const property = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
    if (property !== undefined && /^\$?transaction$/.test(property) && !afterCommit) inTransaction = true;
    if (property !== undefined && /^(?:afterCommit|onCommit)$/.test(property)) afterCommit = true;
    const path = call?.childForFieldName('arguments')?.namedChild(0);
    if (property !== undefined && ROUTE_METHODS.test(property) && path?.type === 'string' && /^['"`]\//.test(path.text)) fromHandler = true;
    if (n.type === 'method_definition' && n.parent?.namedChildren.some((d) => d?.type === 'decorator' && NEST_HANDLERS.test(d.namedChild(0)?.childForFieldName('function')?.text ?? '')) === true) fromHandler = true;
    if (n.type === 'function_declaration' && /^(?:POST|PUT|PATCH|DELETE)$/.test(n.childForFieldName('name')?.text ?? '') && n.parent?.type === 'export_statement') fromHandler = true;
  }
  return { inTransaction: inTransaction && !afterCommit, afterCommit, fromHandler };
}
