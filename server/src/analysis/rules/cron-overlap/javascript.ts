import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';
import { appendArgument, appendProperty, replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { optionsAt, propertyOf } from '../common/javascript.js';
import { signalKindOf } from '../../signals.js';

/**
 * cron-overlap in JavaScript: in-process schedules whose async task can overlap itself. node-cron
 * (`schedule`, `createTask`) starts a run on every tick unless `noOverlap: true` (node-cron 4);
 * cron's `CronJob.from({...})` does unless `waitForCompletion: true`, and so does a method decorated
 * with `@Cron(...)` of @nestjs/schedule, which runs it on such a `CronJob`. Only async handlers are
 * reported: a synchronous handler blocks the event loop, so its runs cannot overlap in one
 * process. Information: how long a run takes, and how many replicas run the schedule, is beyond
 * the file.
 *
 * Fix (unsafe): the option, which older versions of either library do not have.
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api === 'node-cron.schedule' || call.api === 'node-cron.createTask') return checkNodeCron(facts, call);
    if (call.api === 'cron.CronJob.from') return checkCronJobFrom(facts, call);
    if (call.api === '@nestjs/schedule.Cron') return checkNestCron(facts, call);
    return undefined;
  });
}

function checkNodeCron(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  const task = args?.positional[1];
  if (args === undefined || task === undefined || !isAsyncHandler(facts, task)) return undefined;
  return flagUnset(facts, call, 2, 'noOverlap',
    'node-cron starts a run on every tick, even while the previous async run is still going: a slow run overlaps the next one.',
    'Skip a tick while the previous run is active (noOverlap: true, node-cron 4)');
}

/**
 * A finding when the options argument at `index` leaves the boolean `key` unset or false, with a
 * fix that sets it; undefined when it is set or cannot be read.
 */
function flagUnset(facts: FileFacts, call: CallFact, index: number, key: string, message: string, title: string): RawFinding | undefined {
  const args = call.args;
  if (args === undefined) return undefined;
  const options = optionsAt(call, index);
  const set = propertyOf(options, key);
  if (set === 'unknown' || (set !== 'absent' && set.value.kind !== 'false')) return undefined;
  let edits: TextEdit[];
  if (set !== 'absent') edits = [replaceRange(set.value.start, set.value.end, 'true')];
  else if (options.kind === 'object') edits = appendProperty(facts, options.object, `${key}: true`);
  else if (args.positional.length === index && !args.hasSplat) edits = appendArgument(facts, args, `{ ${key}: true }`);
  else return undefined;
  return finding(set === 'absent' ? calleeRange(call) : { start: set.start, end: set.end }, message, { title, edits, safe: false });
}

function checkCronJobFrom(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const params = optionsAt(call, 0);
  if (params.kind !== 'object') return undefined;
  const onTick = params.object.props.get('onTick');
  if (onTick === undefined || !isAsyncHandler(facts, onTick.value)) return undefined;
  const wait = propertyOf(params, 'waitForCompletion');
  if (wait === 'unknown' || (wait !== 'absent' && wait.value.kind !== 'false')) return undefined;
  const edits = wait === 'absent' ? appendProperty(facts, params.object, 'waitForCompletion: true') : [replaceRange(wait.value.start, wait.value.end, 'true')];
  return finding(wait === 'absent' ? calleeRange(call) : { start: wait.start, end: wait.end },
    '`CronJob` fires on every tick, even while the previous async `onTick` is still running: a slow run overlaps the next one.',
    { title: 'Skip ticks while onTick runs (waitForCompletion: true)', edits, safe: false });
}

/**
 * `@Cron(time, options?)` of @nestjs/schedule on an async method that awaits, and does more than
 * enqueue (a run that only adds jobs for a queue's workers is over at once): the module builds a kelektiv
 * `CronJob` for it and passes `waitForCompletion` on (@nestjs/schedule 5.0.1 and later), false
 * unless set.
 */
function checkNestCron(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const decorator = call.node.parent;
  if (decorator?.type !== 'decorator') return undefined;
  const method = decoratedMethod(decorator);
  const args = call.args;
  if (method === undefined || !isAsync(method) || !awaits(method) || args === undefined || args.positional.length === 0) return undefined;
  // A run that only hands work to a queue (the library's `add`, or a project method that adds) lasts one enqueue.
  const kinds = facts.calls.filter((c) => c !== call && c.start >= method.startIndex && c.end <= method.endIndex).map((c) => signalKindOf(facts.language, c)).filter((k) => k !== undefined);
  if (kinds.length > 0 && kinds.every((k) => k === 'enqueue')) return undefined;
  return flagUnset(facts, call, 1, 'waitForCompletion',
    '`@Cron` runs the method on every tick, even while the previous async run is still going: a slow run overlaps the next one.',
    'Skip ticks while the method runs (waitForCompletion: true, @nestjs/schedule 5.0.1 or later)');
}

/** Whether a function's own body awaits something: an async method that never does ends before the next tick. */
function awaits(fn: Node): boolean {
  const visit = (node: Node): boolean => node.namedChildren.some((c) => c !== null && (c.type === 'await_expression' || (c.type === 'for_in_statement' && c.children.some((k) => k?.type === 'await')) || (!/function|arrow|class|method/.test(c.type) && visit(c))));
  const body = fn.childForFieldName('body');
  return body !== null && visit(body);
}

/** The method a decorator applies to: its parent, or the next member of the class body (where the grammar puts it there). */
function decoratedMethod(decorator: Node): Node | undefined {
  const parent = decorator.parent;
  if (parent?.type === 'method_definition') return parent;
  for (let next = decorator.nextNamedSibling; next !== null; next = next.nextNamedSibling) {
    if (next.type === 'method_definition') return next;
    if (next.type !== 'decorator' && next.type !== 'comment') return undefined;
  }
  return undefined;
}

function finding(range: { start: number; end: number }, message: string, fix: Fix): RawFinding {
  return { range, message, fixes: [fix], severity: 'info' };
}

/** An inline `async` function, or the name of an async function declared in this file. */
function isAsyncHandler(facts: FileFacts, value: ValueFact): boolean {
  if (value.kind === 'function') return isAsync(value.node);
  if (value.kind !== 'identifier') return false;
  for (const child of facts.root.namedChildren) {
    const statement = child?.type === 'export_statement' ? child.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null : child;
    if (statement?.type === 'function_declaration' && statement.childForFieldName('name')?.text === value.text) return isAsync(statement);
    if (statement?.type === 'lexical_declaration') {
      for (const d of statement.namedChildren) {
        const init = d?.childForFieldName('value');
        if (d?.childForFieldName('name')?.text === value.text && init != null) return isAsync(init);
      }
    }
  }
  return false;
}

function isAsync(fn: Node): boolean {
  return fn.children.some((c) => c?.type === 'async');
}
