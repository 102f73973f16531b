import type { Node } from 'web-tree-sitter';
import { classBodyOf } from '../../facts/ruby-names.js';
import { rubyExtras } from '../../facts/ruby.js';
import type { RubyClassInfo } from '../../project/ruby-model.js';
import { hashFact, rubyNumber } from '../../facts/ruby-values.js';
import type { ArgumentsFact, CallFact, FileFacts, ObjectFact, PropertyFact, ValueFact } from '../../facts/types.js';
import type { Fix, Severity, TextEdit } from '../../types.js';
import type { Literal } from '../../project/types.js';
import { calleeRange, type RawFinding } from '../rule.js';

/**
 * Reading Ruby code the way the rules need it: job classes with their class-level options, the
 * options hash of a call (bare pairs or a braced hash), and edits that add a statement line.
 */

export interface RubyJob {
  readonly kind: 'sidekiq' | 'activejob';
  readonly node: Node;
  /** The `include Sidekiq::Job` or the `ApplicationJob` superclass: the task-def signal. */
  readonly signal: CallFact;
  /** Class-level calls of its body: `sidekiq_options`, `retry_on`, `discard_on`, `queue_as`. */
  readonly dsl: readonly CallFact[];
  /** `def perform`, when the class defines it. */
  readonly perform: Node | undefined;
  /** What its superclass gives it, when the project defines the superclass (sidekiq_options, retry_on). */
  readonly inherited?: RubyClassInfo;
}

/** Active Job queue adapters that keep jobs in the application's own database: an enqueue commits or rolls back with the transaction around it. */
export const SAME_DATABASE: ReadonlySet<string> = new Set(['good_job', 'solid_queue', 'que', 'delayed_job']);

const cache = new WeakMap<FileFacts, readonly RubyJob[]>();

/** The Sidekiq and Active Job classes of a file, found once per analysis. */
export function rubyJobs(facts: FileFacts): readonly RubyJob[] {
  let jobs = cache.get(facts);
  if (jobs === undefined) {
    jobs = findJobs(facts);
    cache.set(facts, jobs);
  }
  return jobs;
}

function findJobs(facts: FileFacts): RubyJob[] {
  const jobs = new Map<number, RubyJob>();
  const inherited = rubyExtras(facts).inherited;
  for (const call of facts.calls) {
    // A Sidekiq job is its `include Sidekiq::Job`'s class, or a class whose project base class includes it.
    const node = call.api === 'Sidekiq::Job' ? (call.node.type === 'class' ? call.node : classBodyOf(call.node)) : call.api === 'ActiveJob::Base' ? call.node : undefined;
    if (node === undefined || jobs.has(node.id)) continue;
    const body = node.childForFieldName('body');
    const perform = body?.namedChildren.find((c) => c?.type === 'method' && c.childForFieldName('name')?.text === 'perform') ?? undefined;
    const base = inherited.get(node.id);
    jobs.set(node.id, { kind: call.api === 'Sidekiq::Job' ? 'sidekiq' : 'activejob', node, signal: call, dsl: [], perform: perform ?? undefined, ...(base === undefined ? {} : { inherited: base }) });
  }
  for (const call of facts.calls) {
    if (!call.api.startsWith('Sidekiq::Job.') && !call.api.startsWith('ActiveJob::Base.')) continue;
    const owner = classBodyOf(call.node);
    const job = owner === undefined ? undefined : jobs.get(owner.id);
    if (job !== undefined) (job.dsl as CallFact[]).push(call);
  }
  return [...jobs.values()];
}

/** The job class whose `perform` method contains `node`, if any. */
export function jobPerforming(facts: FileFacts, node: Node): RubyJob | undefined {
  return rubyJobs(facts).find((job) => job.perform !== undefined && job.perform.startIndex <= node.startIndex && node.endIndex <= job.perform.endIndex);
}

/**
 * How often Sidekiq retries a job: `sidekiq_options retry:` true or absent is the default 25,
 * a number is that many, `false` or 0 is none. `undefined` when the option is computed.
 */
export function sidekiqRetries(job: RubyJob): number | undefined {
  // A base class's `sidekiq_options retry:` holds until the job's own options override it.
  const base = job.inherited;
  if (base?.sidekiqOpaque === true) return undefined;
  let retries: number | undefined = base?.sidekiq['retry'] === undefined ? 25 : sidekiqRetryCount(base.sidekiq['retry'].value);
  for (const call of job.dsl) {
    if (call.api !== 'Sidekiq::Job.sidekiq_options') continue;
    const options = optionsOf(call.args, 0);
    if (options === 'unknown') return undefined;
    const retry = options?.get('retry')?.value;
    if (retry === undefined) continue;
    retries = retry.kind === 'true' ? 25 : retry.kind === 'false' ? 0 : retry.kind === 'number' ? rubyNumber(retry.text) : undefined;
  }
  return retries;
}

/** A `retry:` literal as a count: true is the default 25, false none, a number that many; undefined when computed. */
function sidekiqRetryCount(value: Literal): number | undefined {
  if (value === true) return 25;
  if (value === false || value === null) return 0;
  return typeof value === 'number' ? value : undefined;
}

/**
 * The options hash of a call: its bare pairs, or a braced hash at positional `index` (`create({...}, {...})`).
 * Undefined when the call has none; `unknown` when a splat or a variable may carry options.
 */
export function optionsOf(args: ArgumentsFact | undefined, index: number): ReadonlyMap<string, PropertyFact> | 'unknown' | undefined {
  if (args === undefined) return undefined;
  if (args.hasSplat) return 'unknown';
  const positional = args.positional[index];
  if (positional !== undefined) {
    const object = positional.object;
    if (object === undefined || object.hasSpread || args.keywords.size > 0) return 'unknown';
    return object.props;
  }
  return args.keywords.size > 0 ? args.keywords : undefined;
}

/**
 * The hash a bare name stands for when it calls a method of the enclosing class that takes no
 * parameters and returns one hash literal (`HTTParty.get(url, request_options)` with
 * `def request_options; { headers: {...} }; end`). A name assigned in the calling method is a
 * local variable, and a method defined twice or in a superclass is not known here: undefined.
 */
export function methodHash(facts: FileFacts, value: ValueFact | undefined): ObjectFact | undefined {
  const name = value?.node;
  if (name?.type !== 'identifier') return undefined;
  let caller: Node | null = name.parent;
  while (caller !== null && caller.type !== 'method' && caller.type !== 'singleton_method') caller = caller.parent;
  const body = caller === null ? undefined : classBodyOf(caller)?.namedChildren.find((c) => c?.type === 'body_statement');
  if (caller === null || body == null) return undefined;
  const params = caller.childForFieldName('parameters');
  const assigned = (n: Node): boolean => n.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name.text);
  if (assigned(caller) || (params !== null && params.descendantsOfType('identifier').some((p) => p?.text === name.text))) return undefined;
  const defs = body.namedChildren.filter((d): d is Node => d?.type === 'method' && d.childForFieldName('name')?.text === name.text);
  const def = defs.length === 1 ? defs[0] : undefined;
  if (def === undefined || def.childForFieldName('parameters') !== null) return undefined;
  const statements = def.namedChildren.filter((c) => c !== null && c.type !== 'comment' && c.id !== def.childForFieldName('name')?.id);
  const only = statements.length === 1 ? statements[0] : undefined;
  const hash = only?.type === 'body_statement' && only.namedChildCount === 1 ? only.namedChild(0) : only;
  return hash?.type === 'hash' ? hashFact(hash, () => undefined, facts.lines) : undefined;
}

/**
 * The keys of a hash held in a local: the argument at positional `index` is a name that its method
 * assigns once, before the call, from a literal hash (`options = { body: ..., timeout: 10 }`), and
 * never changes in place (`options[:timeout] = 5`, `options.merge!(...)`, or any other call on
 * it). Undefined when that is not so: the options are then unknown.
 */
export function localHashKeys(args: ArgumentsFact | undefined, index: number, call: CallFact): ReadonlySet<string> | undefined {
  const arg = args?.positional[index];
  if (args === undefined || args.hasSplat || args.keywords.size > 0 || arg?.kind !== 'identifier') return undefined;
  const name = arg.text;
  let method: Node | null = call.node.parent;
  while (method !== null && method.type !== 'method' && method.type !== 'singleton_method') method = method.parent;
  if (method === null) return undefined;
  const assignments = method.descendantsOfType(['assignment', 'operator_assignment']).filter((a) => a?.childForFieldName('left')?.text === name);
  const only = assignments[0];
  if (assignments.length !== 1 || only == null || only.type !== 'assignment' || only.endIndex > call.start) return undefined;
  const hash = only.childForFieldName('right');
  if (hash?.type !== 'hash') return undefined;
  // Changed in place: an element assigned, or any method called on it.
  const changed = method.descendantsOfType(['element_reference', 'call']).some((n) => {
    const target = n?.type === 'call' ? n.childForFieldName('receiver') : n?.childForFieldName('object');
    return target?.type === 'identifier' && target.text === name;
  });
  if (changed) return undefined;
  const keys = new Set<string>();
  for (const pair of hash.namedChildren) {
    if (pair?.type !== 'pair') return undefined;
    const key = pair.childForFieldName('key');
    if (key === null) return undefined;
    keys.add(key.text.replace(/^:/, '').replace(/:$/, '').replace(/^["']|["']$/g, ''));
  }
  return keys;
}

/** The braced hash at positional `index`, for fixes that add a key to it. */
export function hashAt(args: ArgumentsFact | undefined, index: number): ObjectFact | undefined {
  return args?.positional[index]?.object;
}

/** Whether `node` runs inside the block of one of `calls` (`Timeout.timeout(5) do ... end`). */
export function insideBlockOf(node: Node, calls: readonly CallFact[]): boolean {
  return calls.some((call) => {
    const block = call.node.childForFieldName('block');
    return block !== null && block.startIndex <= node.startIndex && node.endIndex <= block.endIndex;
  });
}

/** The statement that holds `node` as a whole (`http = Net::HTTP.new(...)`), when it stands on its own line. */
export function statementOf(facts: FileFacts, node: Node): Node | undefined {
  let statement = node;
  while (statement.parent !== null && (statement.parent.type === 'assignment' || statement.parent.type === 'operator_assignment')) statement = statement.parent;
  const container = statement.parent?.type;
  if (container !== 'body_statement' && container !== 'program' && container !== 'then' && container !== 'else' && container !== 'block_body') return undefined;
  const start = facts.lines.lineStart(facts.lines.lineOf(statement.startIndex));
  return facts.text.slice(start, statement.startIndex).trim() === '' ? statement : undefined;
}

/** Lines inserted after `statement`, at its indentation. */
export function linesAfter(facts: FileFacts, statement: Node, lines: readonly string[]): TextEdit {
  const indent = facts.lines.indentAt(statement.startIndex);
  const eol = facts.lines.eol;
  return { start: statement.endIndex, end: statement.endIndex, newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** `retry_on ..., attempts:`: a number, `unlimited` (`:unlimited`, `Float::INFINITY`), 5 when absent, undefined when computed. */
export function retryOnAttempts(call: CallFact): number | 'unlimited' | undefined {
  const attempts = call.args?.keywords.get('attempts')?.value;
  if (attempts === undefined) return call.args?.keywordSplat === true ? undefined : 5;
  if (attempts.text === ':unlimited' || /^(::)?Float::INFINITY$/.test(attempts.text)) return 'unlimited';
  return attempts.kind === 'number' ? rubyNumber(attempts.text) : undefined;
}

/** Nodes that can end or bound a hand-written retry: a condition, a jump or a raise. */
const BOUNDING = new Set([
  'if', 'unless', 'if_modifier', 'unless_modifier', 'while_modifier', 'until_modifier', 'conditional', 'case', 'case_match',
  'while', 'until', 'return', 'break', 'next', 'binary',
]);
const BOUNDING_CALLS = new Set(['raise', 'fail', 'exit', 'exit!', 'abort', 'throw']);

/**
 * A `retry` inside a `rescue`, with the code it re-runs (the `begin` block, or the method or
 * block the rescue belongs to) and the rescue's own body.
 */
export interface RescueRetry {
  readonly retry: Node;
  readonly rescue: Node;
  /** The statements before the rescue clauses: what `retry` runs again. */
  readonly attempt: readonly Node[];
  /** Whether nothing in the attempt or the rescue can stop the loop: no condition, jump or raise. */
  readonly unconditional: boolean;
}

const retriesCache = new WeakMap<FileFacts, readonly RescueRetry[]>();
const RETRY_SCOPES = new Set(['method', 'singleton_method', 'block', 'do_block', 'lambda', 'class', 'module', 'program']);

/** The `retry` statements of a file, found once per analysis and shared by the rules that read them. */
export function rescueRetries(facts: FileFacts): readonly RescueRetry[] {
  let found = retriesCache.get(facts);
  if (found === undefined) {
    // The walk visits the whole tree: skip it when the word is nowhere in the text. The `retry`
    // statement holds an anonymous `retry` keyword token of the same type name.
    found = !facts.text.includes('retry') ? [] : facts.root.descendantsOfType('retry').flatMap((retry) => {
      const r = retry.isNamed ? rescueRetry(retry) : undefined;
      return r === undefined ? [] : [r];
    });
    retriesCache.set(facts, found);
  }
  return found;
}

function rescueRetry(retry: Node): RescueRetry | undefined {
  let rescue: Node | null = retry.parent;
  while (rescue !== null && rescue.type !== 'rescue' && !RETRY_SCOPES.has(rescue.type)) rescue = rescue.parent;
  const body = retry.parent;
  if (rescue === null || rescue.type !== 'rescue' || body === null) return undefined;
  const attempt: Node[] = [];
  for (const child of rescue.parent?.namedChildren ?? []) {
    if (child === null || child.type === 'rescue' || child.type === 'else' || child.type === 'ensure') break;
    attempt.push(child);
  }
  const unconditional = body.type === 'then' && body.parent?.id === rescue.id && ![...attempt, body].some(bounds);
  return { retry, rescue, attempt, unconditional };
}

function bounds(node: Node): boolean {
  if (BOUNDING.has(node.type) && (node.type !== 'binary' || /^(&&|\|\||and|or)$/.test(node.childForFieldName('operator')?.text ?? ''))) return true;
  if (node.type === 'call' && node.childForFieldName('receiver') === null && BOUNDING_CALLS.has(node.childForFieldName('method')?.text ?? '')) return true;
  if (node.type === 'identifier' && BOUNDING_CALLS.has(node.text)) return true;
  return node.namedChildren.some((c) => c !== null && bounds(c));
}

/**
 * A finding at hint severity, for calls whose wait is bounded by a library default but may be far
 * longer than the task can afford: the file cannot show the task's budget.
 */
export function hint(call: CallFact, message: string, fixes: Fix[]): RawFinding {
  const severity: Severity = 'hint';
  return { range: calleeRange(call), message, fixes, severity };
}
