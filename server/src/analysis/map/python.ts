import type { Node } from 'web-tree-sitter';
import { CELERY_ACKS_LATE, isCeleryTaskDecorator, isHueyPeriodic } from '../facts/python/tasks.js';
import type { ArgumentsFact, CallFact, FileFacts, PropertyFact } from '../facts/types.js';
import type { ModuleSummary } from '../project/types.js';
import { guarded } from '../rules/common/guards.js';
import { autoretryFor, callsIn, constantNumber, exceptionClasses, isDbWrite } from '../rules/common/python.js';
import { PYTHON_GUARDS } from '../rules/notify-in-retried-task/python.js';
import { signalKindOf } from '../signals.js';
import type { MapRetry } from './types.js';
import { effectsOf, helperCalls, lineAt, stringContent, takesLock } from './common.js';
import { webhookReceiver } from './webhook.js';
import { retry, setting, type BaseClassFact, type EnqueueFact, type FunctionFact, type MapFileFacts, type MapRef, type RetryCause, type ScheduleFact, type SettingFact, type TaskFact } from './facts.js';

/**
 * The task map's facts of a Python file: Celery, RQ, dramatiq and huey tasks with their effective
 * settings, the enqueues that name them, beat schedules, and the module's functions with their
 * side effects (helpers a task may call).
 *
 * Framework defaults (framework-facts.md): Celery retries only with `autoretry_for` or
 * `self.retry()`, then `max_retries` 3 (4 runs) with `default_retry_delay` 180 s, or exponential
 * with full jitter under `retry_backoff`; dramatiq retries 20 times, exponentially with jitter;
 * RQ and huey do not retry unless asked.
 */
export function pythonMapFacts(facts: FileFacts, summary: ModuleSummary | undefined): MapFileFacts {
  const functions: FunctionFact[] = [];
  for (const fn of topLevelFunctions(facts.root)) {
    const name = fn.childForFieldName('name')?.text;
    if (name === undefined) continue;
    functions.push({ name, line: lineAt(facts, fn.startIndex), endLine: lineAt(facts, fn.endIndex), effects: effectsOf(facts, callsIn(facts, fn), isDbWrite), calls: helpers(facts, fn) });
  }
  const imports: Record<string, { module: string }> = {};
  for (const [local, target] of Object.entries(summary?.imports ?? {})) imports[local] = { module: target };
  const appAcks = facts.configuredMembers.has(CELERY_ACKS_LATE);
  return {
    tasks: [...tasks(facts, appAcks), ...sqsConsumers(facts)],
    bases: baseClasses(facts),
    queues: [],
    enqueues: facts.calls.flatMap((call) => enqueueOf(facts, call) ?? []),
    functions,
    schedules: schedules(facts),
    imports,
  };
}

function topLevelFunctions(root: Node): Node[] {
  return root.namedChildren.flatMap((c) => {
    if (c?.type === 'function_definition') return [c];
    const inner = c?.type === 'decorated_definition' ? c.childForFieldName('definition') : null;
    return inner?.type === 'function_definition' ? [inner] : [];
  });
}

function helpers(facts: FileFacts, fn: Node): string[] {
  return helperCalls(facts, fn, 'call', (call) => {
    const callee = call.childForFieldName('function');
    return callee?.type === 'identifier' || callee?.type === 'attribute' ? callee.text : undefined;
  });
}

const PYTHON_TASKS = /^dramatiq\.actor$|^rq\.decorators\.job$|^huey\./;

function frameworkOf(api: string): string | undefined {
  if (isCeleryTaskDecorator(api)) return 'celery';
  if (api === 'dramatiq.actor') return 'dramatiq';
  if (api === 'rq.decorators.job') return 'rq';
  if (/^huey\..*(?:task)$/.test(api)) return 'huey';
  return undefined;
}

function tasks(facts: FileFacts, appAcks: boolean): TaskFact[] {
  const found: TaskFact[] = [];
  for (const call of facts.calls) {
    const fn = call.decorator?.functionNode;
    const framework = fn === undefined ? undefined : frameworkOf(call.api);
    if (fn === undefined || framework === undefined || (!isCeleryTaskDecorator(call.api) && !PYTHON_TASKS.test(call.api))) continue;
    const name = fn.childForFieldName('name')?.text;
    if (name === undefined) continue;
    const line = lineAt(facts, call.start);
    const options = call.args;
    const body = callsIn(facts, fn);
    const effects = effectsOf(facts, body, isDbWrite);
    const registered = keywordString(options, 'name');
    const queue = keywordString(options, framework === 'dramatiq' ? 'queue_name' : 'queue') ?? (framework === 'rq' ? stringContent(options?.positional[0]?.node) : undefined);
    const timeLimit = keywordNumber(facts, options, 'time_limit');
    const base = options?.keywords.get('base')?.value;
    const first = effects[0];
    const firstNode = first === undefined ? undefined : body.find((c) => lineAt(facts, c.calleeStart) === first.line)?.node;
    found.push({
      name: registered ?? name,
      framework,
      line,
      endLine: lineAt(facts, fn.endIndex),
      names: [{ kind: 'name', name }, ...(registered === undefined ? [] : [{ kind: 'registered', name: registered } as MapRef])],
      ...(queue === undefined ? {} : { queue: setting(queue, 'task option', line) }),
      ...retryOf(facts, framework, options, body, line),
      ...(framework === 'celery' ? { acksLate: acksLate(facts, call, appAcks, line) } : {}),
      ...(timeLimit === undefined ? {} : { timeLimit: setting(framework === 'dramatiq' ? timeLimit / 1000 : timeLimit, 'task option', line) }),
      ...(base?.kind === 'identifier' || base?.kind === 'member' ? { bases: [base.text] } : {}),
      guarded: firstNode !== undefined && guarded(PYTHON_GUARDS, fn, firstNode),
      locked: takesLock(facts, body),
      effects,
      calls: helpers(facts, fn),
      ...retryCauseOf(facts, framework, options, body),
    });
  }
  return found;
}

function inLoop(node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement') return true;
    if (n.type === 'function_definition') return false;
  }
  return false;
}

/**
 * What alone makes a Celery task run again, read from its own options and body: the classes of
 * `autoretry_for` when no `retry()` call adds others, or the explicit `retry()` calls when there
 * is no `autoretry_for`. A base class may add causes, so a task naming one says nothing.
 */
function retryCauseOf(facts: FileFacts, framework: string, options: ArgumentsFact | undefined, body: readonly CallFact[]): { retryCause?: RetryCause } {
  if (framework !== 'celery' || options?.keywords.has('base') === true) return {};
  const autoretry = autoretryFor(options);
  const retryCalls = body.filter((c) => c.api === 'celery.Task.retry');
  if (autoretry !== undefined) {
    const onlyFor = retryCalls.length === 0 ? exceptionClasses(facts, autoretry.value.node) : undefined;
    return onlyFor === undefined ? {} : { retryCause: { onlyFor } };
  }
  // A retry inside a loop can follow a side effect of an earlier iteration, whatever the lines say.
  if (retryCalls.length === 0 || retryCalls.some((c) => inLoop(c.node))) return {};
  return { retryCause: { lastRetryCallLine: Math.max(...retryCalls.map((c) => lineAt(facts, c.calleeStart))) } };
}

/**
 * `acks_late` of a task: its own option, else the app's `task_acks_late` (pointing at where the
 * app is defined when another module configures it), else Celery's default, False. A base class
 * that sets it wins over the last two; the join reads the base classes.
 */
function acksLate(facts: FileFacts, decorator: CallFact, appAcks: boolean, line: number): SettingFact<boolean | null> {
  const own = decorator.args?.keywords.get('acks_late')?.value;
  if (own?.kind === 'true' || own?.kind === 'false') return setting(own.kind === 'true', 'task option', line);
  if (own !== undefined) return setting(null, 'task option', line);
  if (!appAcks) return setting(false, 'framework default', line);
  const app = facts.projectUses?.find((use) => use.call.start === decorator.start && use.origin !== undefined)?.origin;
  return app === undefined ? setting(true, 'app configuration', line) : { value: true, from: 'app configuration', line: app.line + 1, file: app.path };
}

function retryOf(facts: FileFacts, framework: string, options: ArgumentsFact | undefined, body: readonly CallFact[], line: number): { retry?: SettingFact<MapRetry> } {
  const kw = (name: string): PropertyFact | undefined => options?.keywords.get(name);
  if (framework === 'celery') {
    const retries = autoretryFor(options) !== undefined || body.some((c) => c.api === 'celery.Task.retry');
    if (options?.keywords.has('base') === true && !retries) return {};
    if (!retries) return { retry: setting(retry(1, 'none', null), 'framework default', line) };
    const max = kw('max_retries');
    const maxAttempts = max === undefined ? 4 : max.value.kind === 'none' ? null : plusOne(constantNumber(facts, max.value.node));
    const backoff = kw('retry_backoff');
    const exponential = backoff !== undefined && backoff.value.kind !== 'false' && backoff.value.text !== '0';
    const jitter = kw('retry_jitter');
    const jitterOn = !exponential ? null : jitter === undefined ? true : jitter.value.kind === 'true' ? true : jitter.value.kind === 'false' ? false : null;
    if (maxAttempts === undefined) return {};
    return { retry: setting(retry(maxAttempts, exponential ? 'exponential' : 'fixed', jitterOn), max === undefined && backoff === undefined ? 'framework default' : 'task option', line) };
  }
  if (framework === 'dramatiq') {
    const max = kw('max_retries');
    const maxAttempts = max === undefined ? 21 : max.value.kind === 'none' ? null : plusOne(constantNumber(facts, max.value.node));
    if (maxAttempts === undefined) return {};
    return { retry: setting(retry(maxAttempts, maxAttempts === 1 ? 'none' : 'exponential', maxAttempts === 1 ? null : true), max === undefined ? 'framework default' : 'task option', line) };
  }
  if (framework === 'huey') {
    const retries = kw('retries');
    const n = retries === undefined ? 0 : constantNumber(facts, retries.value.node);
    if (n === undefined) return {};
    return { retry: setting(retry(n + 1, n === 0 ? 'none' : 'fixed', null), retries === undefined ? 'framework default' : 'task option', line) };
  }
  // RQ: a job retries only when its enqueue passes `retry=Retry(...)`.
  return { retry: setting(retry(1, 'none', null), 'framework default', line) };
}

function plusOne(n: number | undefined): number | undefined {
  return n === undefined ? undefined : n + 1;
}

function keywordString(options: ArgumentsFact | undefined, name: string): string | undefined {
  const value = options?.keywords.get(name)?.value;
  return value?.kind === 'string' ? stringContent(value.node) : undefined;
}

function keywordNumber(facts: FileFacts, options: ArgumentsFact | undefined, name: string): number | undefined {
  const value = options?.keywords.get(name)?.value;
  return value === undefined ? undefined : constantNumber(facts, value.node);
}

/** `class BaseTask(app.Task): max_retries = 5` — the settings a task with `base=BaseTask` inherits. */
function baseClasses(facts: FileFacts): BaseClassFact[] {
  const found: BaseClassFact[] = [];
  for (const node of facts.root.namedChildren) {
    const cls = node?.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    if (cls?.type !== 'class_definition') continue;
    const name = cls.childForFieldName('name')?.text;
    const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) => (b?.type === 'identifier' || b?.type === 'attribute' ? [b.text] : []));
    if (name === undefined || bases.length === 0) continue;
    const attrs = new Map<string, Node>();
    for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right != null) attrs.set(left.text, right);
    }
    if (!['autoretry_for', 'max_retries', 'acks_late', 'retry_backoff', 'queue'].some((a) => attrs.has(a))) continue;
    const line = lineAt(facts, cls.startIndex);
    const autoretry = attrs.get('autoretry_for');
    const max = attrs.get('max_retries');
    const maxAttempts = max === undefined ? 4 : max.type === 'none' ? null : plusOne(constantNumber(facts, max));
    const backoff = attrs.get('retry_backoff');
    const exponential = backoff !== undefined && backoff.type !== 'false' && backoff.text !== '0';
    const acks = attrs.get('acks_late');
    const queue = stringContent(attrs.get('queue'));
    found.push({
      name,
      line,
      bases,
      ...(autoretry !== undefined && maxAttempts !== undefined ? { retry: setting(retry(maxAttempts, exponential ? 'exponential' : 'fixed', exponential ? true : null), 'base class', line) } : {}),
      ...(acks?.type === 'true' || acks?.type === 'false' ? { acksLate: setting(acks.type === 'true', 'base class', line) } : {}),
      ...(queue === undefined ? {} : { queue: setting(queue, 'base class', line) }),
    });
  }
  return found;
}

const CELERY_ENQUEUES = /^celery\.(?:Task|Signature)\.(?:delay|apply_async|delay_on_commit|apply_async_on_commit)$/;
const ON_COMMIT_ENQUEUES = /_on_commit$/;

function enqueueOf(facts: FileFacts, call: CallFact): EnqueueFact | undefined {
  if (signalKindOf(facts.language, call) !== 'enqueue') return undefined;
  let target: MapRef | undefined;
  let key = false;
  if (CELERY_ENQUEUES.test(call.api) || /^dramatiq\.Actor\.send/.test(call.api) || call.api === 'rq.JobFunction.delay' || call.api.startsWith('huey.Task')) {
    const callee = call.node.childForFieldName('function');
    const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : callee;
    if (receiver?.type === 'identifier' || receiver?.type === 'attribute') target = { kind: 'name', name: receiver.text };
    key = call.args?.keywords.has('task_id') === true;
  } else if (call.api === 'celery.Celery.send_task') {
    const name = stringContent(call.args?.positional[0]?.node);
    if (name !== undefined) target = { kind: 'registered', name };
  } else if (call.api === 'boto3.sqs.Client.send_message' || call.api === 'boto3.sqs.Client.send_message_batch') {
    const queue = sqsQueue(call.args?.keywords.get('QueueUrl')?.value.node);
    if (queue !== undefined) target = { kind: 'channel', family: 'sqs', channel: queue };
    // A FIFO queue drops a message whose deduplication id it saw in the last five minutes.
    key = call.args?.keywords.has('MessageDeduplicationId') === true;
  } else if (/^rq\.Queue\.enqueue/.test(call.api)) {
    const fn = call.args?.positional[0];
    if (fn?.kind === 'identifier' || fn?.kind === 'member') target = { kind: 'name', name: fn.text };
    key = call.args?.keywords.has('job_id') === true;
  }
  if (target === undefined) return undefined;
  return {
    target,
    line: lineAt(facts, call.calleeStart),
    start: call.calleeStart,
    end: call.calleeEnd,
    inTransaction: inTransaction(facts, call.node),
    afterCommit: ON_COMMIT_ENQUEUES.test(call.api) || insideOnCommit(call.node),
    idempotencyKey: key,
    ...handlerSite(call.node),
  };
}

/**
 * A boto3 receive loop: the function that calls `receive_message` is the consumer of that queue,
 * and its body, the messages' handling, is the task's. The queue is named by its URL as written,
 * a literal or the expression that holds it (`QUEUE_URL`, `settings.ORDERS_QUEUE_URL`), which a
 * `send_message` elsewhere must spell the same way to be joined to it.
 */
function sqsConsumers(facts: FileFacts): TaskFact[] {
  const found: TaskFact[] = [];
  for (const call of facts.calls) {
    if (call.api !== 'boto3.sqs.Client.receive_message') continue;
    const queue = sqsQueue(call.args?.keywords.get('QueueUrl')?.value.node);
    let fn: Node | null = call.node.parent;
    while (fn !== null && fn.type !== 'function_definition') fn = fn.parent;
    if (queue === undefined || fn === null || found.some((t) => t.line === lineAt(facts, fn?.startIndex ?? 0))) continue;
    const body = callsIn(facts, fn);
    const effects = effectsOf(facts, body, isDbWrite);
    const first = effects[0] === undefined ? undefined : body.find((c) => lineAt(facts, c.calleeStart) === effects[0]?.line)?.node;
    const line = lineAt(facts, fn.startIndex);
    found.push({
      name: queue,
      framework: 'sqs',
      line,
      endLine: lineAt(facts, fn.endIndex),
      names: [{ kind: 'channel', family: 'sqs', channel: queue }],
      queue: setting(queue, 'task option', lineAt(facts, call.calleeStart)),
      guarded: first !== undefined && guarded(PYTHON_GUARDS, fn, first),
      locked: takesLock(facts, body),
      effects,
      calls: helpers(facts, fn),
    });
  }
  return found;
}

/** A queue as written: a literal's text, or the name or attribute chain that holds the URL. */
function sqsQueue(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  return stringContent(node) ?? (node.type === 'identifier' || node.type === 'attribute' || node.type === 'subscript' ? node.text : undefined);
}

const TRANSACTION_APIS = /^django\.db\.transaction\.atomic$|^(?:sqlalchemy|flask_sqlalchemy)\..*\.begin$/;

function inTransaction(facts: FileFacts, node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'lambda') return false;
    if (n.type === 'with_statement') {
      const clause = n.namedChildren.find((c) => c?.type === 'with_clause');
      for (const item of clause?.namedChildren ?? []) {
        const value = item?.namedChild(0);
        const call = value?.type === 'as_pattern' ? value.namedChild(0) : value;
        if (call?.type === 'call' && facts.calls.some((c) => c.start === call.startIndex && TRANSACTION_APIS.test(c.api))) return true;
      }
    }
    if (n.type === 'function_definition') {
      return facts.calls.some((c) => c.decorator?.functionNode.id === n.id && c.api === 'django.db.transaction.atomic');
    }
  }
  return false;
}

/** Inside a lambda or function handed to `transaction.on_commit(...)`. */
function insideOnCommit(node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'lambda' && n.parent?.type === 'argument_list') {
      const callee = n.parent.parent?.childForFieldName('function');
      if (callee !== null && callee !== undefined && /(?:^|\.)on_commit$/.test(callee.text)) return true;
    }
    if (n.type === 'function_definition') return false;
  }
  return false;
}

const HANDLER_DECORATORS = /(?:^|\.)(?:route|get|post|put|patch|delete|api_view|csrf_exempt|require_POST|require_http_methods|webhook)\b/;

/**
 * A web handler: a function decorated as a route, or a Django view taking `request` first; and
 * whether it receives retried requests (a webhook receiver, see `webhookReceiver`).
 */
function handlerSite(node: Node): { fromHandler: boolean; webhook: boolean } {
  let outer: Node | undefined;
  const classes: string[] = [];
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'function_definition') outer = n;
    if (n.type === 'class_definition') classes.push(n.childForFieldName('name')?.text ?? '');
  }
  if (outer === undefined) return { fromHandler: false, webhook: false };
  const decorated = outer.parent?.type === 'decorated_definition' ? outer.parent : undefined;
  const decorators = decorated?.namedChildren.filter((d): d is Node => d?.type === 'decorator') ?? [];
  const params = outer.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'identifier').map((p) => p?.text) ?? [];
  const fromHandler = decorators.some((d) => HANDLER_DECORATORS.test(d.text.slice(1))) || params[0] === 'request' || (params[0] === 'self' && params[1] === 'request');
  if (!fromHandler) return { fromHandler, webhook: false };
  const paths = decorators.flatMap((d) => d.descendantsOfType('string_content').flatMap((s) => (s === null ? [] : [s.text])));
  return { fromHandler, webhook: webhookReceiver({ handler: decorated ?? outer, names: [outer.childForFieldName('name')?.text ?? '', ...classes], paths }) };
}

function schedules(facts: FileFacts): ScheduleFact[] {
  const found: ScheduleFact[] = [];
  for (const assignment of facts.root.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left == null || right?.type !== 'dictionary' || !/(?:^|\.)(?:beat_schedule|CELERYBEAT_SCHEDULE|CELERY_BEAT_SCHEDULE)$/.test(left.text)) continue;
    for (const pair of right.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const name = stringContent(pair.childForFieldName('key'));
      const entry = pair.childForFieldName('value');
      if (name === undefined || entry?.type !== 'dictionary') continue;
      let task: string | undefined;
      let schedule: string | null = null;
      for (const item of entry.namedChildren) {
        if (item?.type !== 'pair') continue;
        const key = stringContent(item.childForFieldName('key'));
        const value = item.childForFieldName('value');
        if (key === 'task') task = stringContent(value);
        if (key === 'schedule' && value !== null) schedule = scheduleText(value);
      }
      found.push({ name, framework: 'celery-beat', line: lineAt(facts, pair.startIndex), endLine: lineAt(facts, pair.endIndex), schedule, task: task === undefined ? null : { kind: 'registered', name: task } });
    }
  }
  for (const call of facts.calls) {
    const fn = call.decorator?.functionNode;
    if (fn !== undefined && isHueyPeriodic(call.api)) {
      const name = fn.childForFieldName('name')?.text ?? '';
      const first = call.args?.positional[0];
      found.push({ name, framework: 'huey', line: lineAt(facts, call.start), endLine: lineAt(facts, fn.endIndex), schedule: first === undefined ? null : scheduleText(first.node), task: { kind: 'name', name } });
    }
  }
  return found;
}

/** `crontab(minute=0, hour=3)` and `60.0` as written, on one line. */
function scheduleText(node: Node): string {
  const text = node.text.replace(/\s+/g, ' ');
  return /^\d+(?:\.\d+)?$/.test(text) ? `every ${text} s` : text;
}
