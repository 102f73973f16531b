import type { Node } from 'web-tree-sitter';
import { isCeleryTaskDecorator } from './facts/python/tasks.js';
import type { CallFact, FileFacts, ValueFact } from './facts/types.js';
import { PROJECT_FACTORY } from './project/types.js';
import { isQueueConstructor, jobOptions, queueDefaults, schedulerJobOptions } from './rules/common/bull.js';
import { propertyOf, type OptionLookup } from './rules/common/javascript.js';
import type { SignalKind, TextRange } from './types.js';

/**
 * Retry policies written as options of something else: a task decorator's retry options, a
 * queue's default job options, a DAG's `default_args`, a Kafka producer's retry settings. Each is
 * a retry signal of its own, beside the signal of the call that carries it, so that a hover on the
 * options explains retries and the retry count covers them.
 */

/** Task decorators and the options that make their tasks retry (Celery's come first). */
const DECORATOR_RETRY_OPTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['dramatiq.actor', ['max_retries', 'min_backoff', 'max_backoff', 'retry_when']],
  ['rq.decorators.job', ['retry']],
  ['huey.contrib.djhuey.task', ['retries', 'retry_delay']],
  ['huey.contrib.djhuey.db_task', ['retries', 'retry_delay']],
]);
const CELERY_RETRY_OPTIONS = ['autoretry_for', 'max_retries', 'retry_backoff', 'retry_kwargs', 'default_retry_delay'];
const HUEY_TASK = /^huey\.\w*Huey\.(?:task|context_task|periodic_task)$/;
const AIRFLOW_DAGS = new Set(['airflow.DAG', 'airflow.models.DAG', 'airflow.models.dag.DAG', 'airflow.sdk.DAG', 'airflow.decorators.dag', 'airflow.sdk.dag']);

/** The range of the retry signal `call`'s options carry, when they retry. */
export function retryOptionRange(facts: FileFacts, call: CallFact, kind: SignalKind): TextRange | undefined {
  const keywords = call.args?.keywords;
  if (facts.language === 'python') {
    // `max_retries` and `default_retry_delay` only shape `self.retry()` (a retry signal of its own);
    // a Celery task retries by itself only with `autoretry_for`.
    if (kind === 'task-def' && isCeleryTaskDecorator(call.api)) return call.args?.keywords.has('autoretry_for') === true ? firstKeyword(call, CELERY_RETRY_OPTIONS) : undefined;
    const options = DECORATOR_RETRY_OPTIONS.get(call.api) ?? (HUEY_TASK.test(call.api) ? ['retries', 'retry_delay'] : undefined);
    if (options !== undefined) return firstKeyword(call, options);
    if (kind === 'schedule' && AIRFLOW_DAGS.has(call.api)) {
      const args = keywords?.get('default_args');
      if (args === undefined) return undefined;
      const retries = args.value.object !== undefined ? args.value.object.props.has('retries') : moduleDictHasRetries(facts, args.value);
      return retries ? { start: args.start, end: args.end } : undefined;
    }
    return undefined;
  }
  if (facts.language === 'javascript' || facts.language === 'typescript' || facts.language === 'tsx') {
    // `new Queue(name, { defaultJobOptions: { attempts: 5 } })`, `queue.add(name, data, { attempts: 5 })`
    // and a job scheduler's template, `upsertJobScheduler(id, repeat, { opts: { attempts: 5 } })`.
    const options = isQueueConstructor(call) ? queueDefaults(call) : kind === 'queue-config' && call.api.startsWith(PROJECT_FACTORY) ? factoryJobOptions(call) : schedulerJobOptions(call) ?? jobOptions(call)?.own;
    const attempts = options === undefined ? undefined : propertyOf(options, 'attempts');
    if (attempts === undefined || attempts === 'absent' || attempts === 'unknown') return undefined;
    if (attempts.value.kind === 'number' && Number(attempts.value.text) <= 1) return undefined;
    return { start: attempts.start, end: attempts.end };
  }
  return undefined;
}

/**
 * The first of `names` given to a task decorator, in source order: the retry policy sits
 * there (`autoretry_for=...` on its own line of a long decorator), not on the decorator's name.
 */
function firstKeyword(call: CallFact, names: readonly string[]): TextRange | undefined {
  let first: TextRange | undefined;
  for (const name of names) {
    const keyword = call.args?.keywords.get(name);
    if (keyword !== undefined && (first === undefined || keyword.start < first.start)) first = { start: keyword.start, end: keyword.end };
  }
  return first;
}

/**
 * The options a project's queue factory is given (`createQueue("tasks", { attempts: 5 })`): the
 * object argument that sets `attempts`, a name only job options use. Which parameter the factory
 * hands to `defaultJobOptions` is its own business; an object with `attempts` has one reading.
 */
function factoryJobOptions(call: CallFact): OptionLookup | undefined {
  const object = call.args?.positional.find((a) => a.object?.props.has('attempts') === true)?.object;
  return object === undefined ? undefined : { kind: 'object', object };
}

/** Bull's and BullMQ's job option types, as the facts name an imported type. */
const JOB_OPTION_TYPES = new Set(['bull.JobOptions', 'bull.Queue.JobOptions', 'bullmq.JobsOptions']);
const FUNCTIONS = ['method_definition', 'function_declaration', 'function_expression', 'arrow_function'];

/**
 * Job options a function returns under Bull's or BullMQ's own type (`get options(): JobOptions {
 * return { attempts: 3, ... } }`, a task class handing its options to the queue): the type says
 * the object is job options wherever it is used, so `attempts` above one is a retry policy.
 */
export function typedJobOptionRanges(facts: FileFacts): TextRange[] {
  if (facts.language !== 'typescript' && facts.language !== 'tsx') return [];
  const ranges: TextRange[] = [];
  for (const fn of facts.root.descendantsOfType(FUNCTIONS)) {
    const annotation = fn?.childForFieldName('return_type')?.namedChild(0);
    if (fn == null || annotation == null || !JOB_OPTION_TYPES.has(typeName(facts, annotation) ?? '')) continue;
    for (const ret of fn.descendantsOfType('return_statement')) {
      // A return of a function nested in this one returns something else.
      if (ret == null || enclosingFunction(ret)?.id !== fn.id) continue;
      ranges.push(...attemptsRanges(ret.namedChild(0)));
    }
  }
  // A constant declared under the type (`const IMPORT_JOB_OPTIONS: JobOptions = { attempts: 5 }`).
  for (const declarator of facts.root.descendantsOfType('variable_declarator')) {
    const annotation = declarator?.childForFieldName('type')?.namedChild(0);
    if (declarator == null || annotation == null || !JOB_OPTION_TYPES.has(typeName(facts, annotation) ?? '')) continue;
    ranges.push(...attemptsRanges(declarator.childForFieldName('value')));
  }
  return ranges;
}

/** The `attempts` property of an object literal, when it allows more than one attempt. */
function attemptsRanges(object: Node | null): TextRange[] {
  if (object?.type !== 'object') return [];
  const ranges: TextRange[] = [];
  for (const pair of object.namedChildren) {
    if (pair?.type !== 'pair' || pair.childForFieldName('key')?.text !== 'attempts') continue;
    const value = pair.childForFieldName('value');
    if (value?.type === 'number' && Number(value.text) > 1) ranges.push({ start: pair.startIndex, end: pair.endIndex });
  }
  return ranges;
}

/** `JobOptions` or `Queue.JobOptions` as the canonical name of what the file imported. */
function typeName(facts: FileFacts, type: Node): string | undefined {
  if (type.type === 'type_identifier') return facts.imports.get(type.text)?.target;
  if (type.type !== 'nested_type_identifier') return undefined;
  const module = type.namedChild(0);
  const name = type.namedChild(type.namedChildCount - 1);
  const target = module?.type === 'identifier' ? facts.imports.get(module.text)?.target : undefined;
  return target === undefined || name === null ? undefined : `${target}.${name.text}`;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (FUNCTIONS.includes(n.type)) return n;
  return undefined;
}

/** Sarama's producer retries, set on its config: `config.Producer.Retry.Max = 5`. */
export function memberRetryRanges(facts: FileFacts): TextRange[] {
  if (facts.language !== 'go' || facts.memberAssignments === undefined) return [];
  const ranges: TextRange[] = [];
  for (const m of facts.memberAssignments) {
    if (m.path !== 'Producer.Retry.Max') continue;
    const origin = facts.calls.find((c) => c.start === m.origin);
    if (origin?.api === 'github.com/IBM/sarama.NewConfig' && !(m.value.kind === 'number' && Number(m.value.text) === 0)) ranges.push({ start: m.start, end: m.end });
  }
  return ranges;
}

/** Whether `default_args=default_args` names a dict, assigned once at module level in this file, with a `retries` key. */
function moduleDictHasRetries(facts: FileFacts, value: ValueFact): boolean {
  if (value.kind !== 'identifier') return false;
  let found: Node | undefined;
  for (const statement of facts.root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== value.text) continue;
    // A name assigned twice is not known.
    if (found !== undefined) return false;
    found = assignment.childForFieldName('right') ?? undefined;
  }
  if (found?.type !== 'dictionary') return false;
  return found.namedChildren.some((pair) => {
    const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
    return key?.type === 'string' && /^['"]retries['"]$/.test(key.text);
  });
}
