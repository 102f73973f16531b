import type { Node } from 'web-tree-sitter';
import { GOOD_JOB_CRON } from '../facts/good-job-cron.js';
import { keyName, symbolName } from '../facts/ruby-values.js';
import type { CallFact, FileFacts } from '../facts/types.js';
import { optionsOf, retryOnAttempts, rubyJobs, sidekiqRetries, type RubyJob } from '../rules/common/ruby.js';
import { guarded as rubyGuarded } from '../rules/notify-in-retried-task/ruby.js';
import { signalKindOf } from '../signals.js';
import type { MapRetry } from './types.js';
import { effectsOf, factsWithin, lineAt, stringContent, takesLock } from './common.js';
import { retry, setting, type BaseClassFact, type EffectFact, type EnqueueFact, type FunctionFact, type MapFileFacts, type ScheduleFact, type SettingFact, type TaskFact } from './facts.js';
import { webhookReceiver } from './webhook.js';

/**
 * The task map's facts of a Ruby file: Sidekiq and Active Job classes (a task is named by its
 * constant, which Ruby resolves project-wide), their class-level settings, `perform_async` and
 * `perform_later` calls, sidekiq-cron jobs, and the file's methods with their side effects.
 *
 * Defaults (framework-facts.md §7, §8): Sidekiq retries 25 times (26 runs) with a polynomial,
 * jittered delay; `retry_on` makes 5 attempts, waiting 3 s, unless told otherwise. An Active Job
 * class with no `retry_on` retries as its queue adapter does, which the code does not show.
 */
export function rubyMapFacts(facts: FileFacts): MapFileFacts {
  const tasks: TaskFact[] = [];
  const bases: BaseClassFact[] = [];
  for (const job of rubyJobs(facts)) {
    const name = job.node.childForFieldName('name')?.text;
    if (name === undefined) continue;
    const line = lineAt(facts, job.node.startIndex);
    const superclass = job.node.childForFieldName('superclass')?.namedChild(0)?.text;
    const retryFact = jobRetry(facts, job, line);
    const queue = jobQueue(facts, job);
    const classBases = superclass === undefined ? [] : [superclass];
    if (job.perform === undefined) {
      bases.push({ name, line, bases: classBases, ...(retryFact === undefined ? {} : { retry: retryFact }), ...(queue === undefined ? {} : { queue }) });
      continue;
    }
    tasks.push({
      name,
      framework: job.kind === 'sidekiq' ? 'sidekiq' : 'activejob',
      line,
      endLine: lineAt(facts, job.node.endIndex),
      names: [{ kind: 'name', name }],
      ...(retryFact === undefined ? {} : { retry: retryFact }),
      ...(queue === undefined ? {} : { queue }),
      bases: classBases,
      guarded: isGuarded(facts, job.perform),
      locked: takesLock(facts, factsWithin(facts, job.perform)),
      effects: effectsIn(facts, job.perform),
      calls: rubyHelpers(job.perform),
    });
  }
  return {
    tasks,
    bases,
    queues: [],
    enqueues: facts.calls.flatMap((call) => enqueueOf(facts, call) ?? []),
    functions: methods(facts),
    schedules: facts.calls.flatMap((call) => scheduleOf(facts, call) ?? []),
    imports: {},
  };
}

/** The first send, payment or call of `perform` sits behind a condition or an early return. */
function isGuarded(facts: FileFacts, perform: Node): boolean {
  const first = factsWithin(facts, perform).find((c) => ['notify', 'payment', 'http-call', 'enqueue'].includes(signalKindOf(facts.language, c) ?? ''));
  return first !== undefined && rubyGuarded(first, perform);
}

function jobRetry(facts: FileFacts, job: RubyJob, line: number): SettingFact<MapRetry> | undefined {
  if (job.kind === 'sidekiq') {
    const own = job.dsl.find((c) => c.api === 'Sidekiq::Job.sidekiq_options' && optionsOf(c.args, 0) !== undefined);
    const retries = sidekiqRetries(job);
    if (retries === undefined) return undefined;
    const ownRetry = own === undefined ? undefined : optionsOf(own.args, 0);
    const set = ownRetry !== undefined && ownRetry !== 'unknown' && ownRetry.has('retry');
    return setting(retry(retries + 1, retries === 0 ? 'none' : 'exponential', retries === 0 ? null : true), set ? 'task option' : 'framework default', set && own !== undefined ? lineAt(facts, own.start) : line);
  }
  const retryOn = job.dsl.filter((c) => c.api === 'ActiveJob::Base.retry_on');
  const last = retryOn[retryOn.length - 1];
  if (last === undefined) return undefined;
  const attempts = retryOnAttempts(last);
  if (attempts === undefined) return undefined;
  const wait = last.args?.keywords.get('wait')?.value;
  const backoff = wait === undefined ? 'fixed' : /^:(?:polynomially|exponentially)_longer$/.test(wait.text) ? 'exponential' : wait.kind === 'number' || /^\d/.test(wait.text) ? 'fixed' : null;
  const jitter = last.args?.keywords.get('jitter')?.value;
  const jitterOn = jitter === undefined ? null : jitter.kind === 'number' ? Number(jitter.text) > 0 : null;
  return setting(retry(attempts === 'unlimited' ? null : attempts, backoff, jitterOn), 'task option', lineAt(facts, last.start));
}

function jobQueue(facts: FileFacts, job: RubyJob): SettingFact<string> | undefined {
  for (const call of job.dsl) {
    if (call.api === 'ActiveJob::Base.queue_as') {
      const first = call.args?.positional[0];
      const name = symbolName(first) ?? stringContent(first?.node);
      if (name !== undefined) return setting(name, 'task option', lineAt(facts, call.start));
    }
    if (call.api === 'Sidekiq::Job.sidekiq_options') {
      const options = optionsOf(call.args, 0);
      const value = options === 'unknown' ? undefined : options?.get('queue')?.value;
      const name = symbolName(value) ?? stringContent(value?.node);
      if (name !== undefined) return setting(name, 'task option', lineAt(facts, call.start));
    }
  }
  return undefined;
}

const WRITES = new Set(['save', 'save!', 'create', 'create!', 'update', 'update!', 'destroy', 'destroy!', 'update_all', 'delete_all', 'destroy_all', 'insert_all', 'upsert_all', 'update_columns', 'increment!', 'decrement!', 'find_or_create_by!']);

/** Side effects of a method: the facts' sends and calls, and Active Record writes read off the tree. */
function effectsIn(facts: FileFacts, scope: Node): EffectFact[] {
  const effects = effectsOf(facts, factsWithin(facts, scope), () => false);
  const known = new Set(facts.calls.map((c) => c.start));
  for (const call of scope.descendantsOfType('call')) {
    const method = call?.childForFieldName('method')?.text;
    if (call === null || method === undefined || !WRITES.has(method) || call.childForFieldName('receiver') === null || known.has(call.startIndex)) continue;
    effects.push({ kind: 'db-write', api: `ActiveRecord#${method}`, line: lineAt(facts, call.startIndex) });
  }
  return effects.sort((a, b) => a.line - b.line);
}

/** Calls of methods by a bare name (`charge_card(order)`): the class's own helpers. */
function rubyHelpers(scope: Node): string[] {
  const names = new Set<string>();
  for (const node of scope.descendantsOfType(['call', 'identifier'])) {
    if (node === null) continue;
    if (node.type === 'call' && node.childForFieldName('receiver') === null) names.add(node.childForFieldName('method')?.text ?? '');
    // A bare identifier statement is a call of a method with no arguments.
    if (node.type === 'identifier' && (node.parent?.type === 'body_statement' || node.parent?.type === 'block_body')) names.add(node.text);
  }
  names.delete('');
  return [...names];
}

function methods(facts: FileFacts): FunctionFact[] {
  return facts.root.descendantsOfType('method').flatMap((m) => {
    const name = m?.childForFieldName('name')?.text;
    return m === null || name === undefined ? [] : [{ name, line: lineAt(facts, m.startIndex), endLine: lineAt(facts, m.endIndex), effects: effectsIn(facts, m), calls: rubyHelpers(m) }];
  });
}

const ENQUEUES = /^(?:Sidekiq::Job\.perform_(?:async|in|at|bulk)|ActiveJob::Base\.perform_later)$/;
const ON_COMMIT = /^(?:after_commit|after_(?:create|update|save|destroy)_commit|after_all_transactions_commit)$/;

function enqueueOf(facts: FileFacts, call: CallFact): EnqueueFact | undefined {
  if (!ENQUEUES.test(call.api) || signalKindOf(facts.language, call) !== 'enqueue') return undefined;
  let receiver = call.node.childForFieldName('receiver');
  // `SendEmailJob.set(wait: 5.minutes).perform_later`: the job is the receiver of `set`.
  while (receiver?.type === 'call') receiver = receiver.childForFieldName('receiver');
  if (receiver?.type !== 'constant' && receiver?.type !== 'scope_resolution') return undefined;
  return {
    target: { kind: 'name', name: receiver.text.replace(/^::/, '') },
    line: lineAt(facts, call.calleeStart),
    start: call.calleeStart,
    end: call.calleeEnd,
    ...site(facts, call.node),
    idempotencyKey: false,
  };
}

function site(facts: FileFacts, node: Node): { inTransaction: boolean; afterCommit: boolean; fromHandler: boolean; webhook: boolean } {
  let inTransaction = false;
  let afterCommit = false;
  let fromHandler = false;
  let method: Node | undefined;
  const classes: string[] = [];
  for (let n = node.parent; n !== null; n = n.parent) {
    if ((n.type === 'do_block' || n.type === 'block') && n.parent?.type === 'call') {
      const name = n.parent.childForFieldName('method')?.text ?? '';
      if (name === 'transaction' || name === 'with_lock') inTransaction = true;
      if (ON_COMMIT.test(name)) afterCommit = true;
    }
    if (n.type === 'method') method ??= n;
    if (n.type === 'class' && /Controller$/.test(n.childForFieldName('name')?.text ?? '')) fromHandler = true;
    if (n.type === 'class' || n.type === 'module') classes.push(n.childForFieldName('name')?.text ?? '');
  }
  // `after_commit :notify` names the method the enqueue sits in.
  const name = method?.childForFieldName('name')?.text;
  if (name !== undefined) {
    for (const call of facts.root.descendantsOfType('call')) {
      const callback = call?.childForFieldName('method')?.text ?? '';
      if (ON_COMMIT.test(callback) && call?.childForFieldName('arguments')?.namedChildren.some((a) => a?.type === 'simple_symbol' && a.text === `:${name}`) === true) afterCommit = true;
    }
  }
  // Routes live in config/routes.rb, out of this file's sight: the controller and action names stand for them.
  const webhook = fromHandler && webhookReceiver({ handler: method ?? node, names: [name ?? '', ...classes], paths: [] });
  return { inTransaction: inTransaction && !afterCommit, afterCommit, fromHandler, webhook };
}

function scheduleOf(facts: FileFacts, call: CallFact): ScheduleFact | undefined {
  if (call.api === GOOD_JOB_CRON) return goodJobSchedule(facts, call);
  if (call.api !== 'Sidekiq::Cron::Job.create' && call.api !== 'Sidekiq::Cron::Job.new') return undefined;
  const options = optionsOf(call.args, 0);
  if (options === undefined || options === 'unknown') return undefined;
  const text = (key: string): string | undefined => {
    const value = options.get(key)?.value;
    return value === undefined ? undefined : (stringContent(value.node) ?? symbolName(value) ?? (value.kind === 'identifier' || value.node.type === 'constant' ? value.text : undefined));
  };
  const job = text('class');
  return {
    name: text('name') ?? job ?? 'sidekiq-cron job',
    framework: 'sidekiq-cron',
    line: lineAt(facts, call.start),
    endLine: lineAt(facts, call.end),
    schedule: text('cron') ?? null,
    task: job === undefined ? null : { kind: 'name', name: job },
  };
}

/** A GoodJob cron entry (facts/good-job-cron.ts): named by its key, running the `class:` it names. */
function goodJobSchedule(facts: FileFacts, call: CallFact): ScheduleFact {
  // The entry is a `key: { ... }` pair, or the assignment `cron[:key] = { ... }`.
  const key = call.node.type === 'pair' ? call.node.childForFieldName('key') : call.node.childForFieldName('left')?.namedChildren.find((c, i) => i > 0 && c !== null) ?? null;
  const hash = call.node.type === 'pair' ? call.node.childForFieldName('value') : call.node.childForFieldName('right');
  const value = (name: string): string | undefined => {
    for (const pair of hash?.namedChildren ?? []) {
      const k = pair?.childForFieldName('key');
      const v = pair?.childForFieldName('value');
      if (k != null && v != null && keyName(k) === name) return stringContent(v) ?? (v.type === 'constant' || v.type === 'scope_resolution' ? v.text : undefined);
    }
    return undefined;
  };
  const job = value('class');
  return {
    name: (key === null || key === undefined ? undefined : keyName(key)) ?? job ?? 'GoodJob cron entry',
    framework: 'good_job',
    line: lineAt(facts, call.start),
    endLine: lineAt(facts, call.end),
    schedule: value('cron') ?? null,
    task: job === undefined ? null : { kind: 'name', name: job },
  };
}
