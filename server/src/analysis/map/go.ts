import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../facts/types.js';
import { goCallsIn } from '../rules/common/go.js';
import { effectsOf, firstEffectCall, helperCalls, lineAt, stringContent, takesLock } from './common.js';
import { goGuarded } from '../rules/notify-in-retried-task/go.js';
import { retry, setting, type EffectFact, type EnqueueFact, type FunctionFact, type MapFileFacts, type MapRef, type ScheduleFact, type TaskFact } from './facts.js';

/**
 * The task map's facts of a Go file: asynq handlers (a task is its task type, the string that
 * `NewTask` and `HandleFunc` share), the enqueues that build a task of that type, robfig/cron
 * entries, and the package's functions with their side effects (a handler is usually one).
 *
 * asynq retries a failed task 25 times (26 runs) unless the enqueue passes `MaxRetry`, waiting
 * n⁴ + 15 s plus a random part (asynq's DefaultRetryDelayFunc).
 */
const ASYNQ = 'github.com/hibiken/asynq';

export function goMapFacts(facts: FileFacts): MapFileFacts {
  const tasks: TaskFact[] = [];
  const enqueues: EnqueueFact[] = [];
  const schedules: ScheduleFact[] = [];
  for (const call of facts.calls) {
    const line = lineAt(facts, call.calleeStart);
    if (call.api === `${ASYNQ}.ServeMux.HandleFunc` || call.api === `${ASYNQ}.ServeMux.Handle`) {
      const type = stringContent(call.args?.positional[0]?.node);
      const handler = call.args?.positional[1];
      if (type === undefined) continue;
      const inline = handler?.node.type === 'func_literal' ? handler.node : undefined;
      tasks.push({
        name: type,
        framework: 'asynq',
        line,
        endLine: lineAt(facts, call.end),
        names: [{ kind: 'channel', family: 'asynq', channel: type }],
        retry: setting(retry(26, 'exponential', true), 'framework default', line),
        ...(handler !== undefined && (handler.kind === 'identifier' || handler.kind === 'member') ? { handler: { kind: 'name', name: handler.text } as MapRef } : {}),
        ...(inline === undefined ? { effects: [] } : body(facts, inline)),
        calls: inline === undefined ? [] : goHelpers(facts, inline),
      });
    } else if (call.api === `${ASYNQ}.Client.Enqueue` || call.api === `${ASYNQ}.Client.EnqueueContext`) {
      const args = call.args?.positional ?? [];
      const taskArg = call.api.endsWith('Context') ? args[1] : args[0];
      const type = taskArg === undefined ? undefined : taskType(facts, taskArg.node, call.node);
      if (type === undefined) continue;
      const options = args.slice(call.api.endsWith('Context') ? 2 : 1);
      const maxRetry = options.find((o) => o.api === `${ASYNQ}.MaxRetry`);
      const retries = maxRetry?.node.childForFieldName('arguments')?.namedChild(0);
      const n = retries?.type === 'int_literal' ? Number(retries.text) : undefined;
      enqueues.push({
        target: { kind: 'channel', family: 'asynq', channel: type },
        line,
        start: call.calleeStart,
        end: call.calleeEnd,
        ...site(call.node),
        afterCommit: false,
        idempotencyKey: options.some((o) => o.api === `${ASYNQ}.TaskID` || o.api === `${ASYNQ}.Unique`),
        ...(n === undefined ? {} : { retry: setting(retry(n + 1, n === 0 ? 'none' : 'exponential', n === 0 ? null : true), 'enqueue option', lineAt(facts, maxRetry?.start ?? call.start)) }),
      });
    } else if (call.api === 'github.com/robfig/cron.Cron.AddFunc' || call.api === 'github.com/robfig/cron.Cron.AddJob' || call.api === 'github.com/robfig/cron.Cron.Add') {
      const spec = stringContent(call.args?.positional[0]?.node);
      const fn = call.args?.positional[1];
      schedules.push({
        name: fn !== undefined && (fn.kind === 'identifier' || fn.kind === 'member') ? fn.text : `cron ${spec ?? ''}`.trim(),
        framework: 'robfig/cron',
        line,
        endLine: lineAt(facts, call.end),
        schedule: spec ?? null,
        task: fn !== undefined && fn.kind === 'identifier' ? { kind: 'name', name: fn.text } : null,
      });
    }
  }
  const functions: FunctionFact[] = [];
  for (const fn of facts.root.namedChildren) {
    if (fn?.type !== 'function_declaration' && fn?.type !== 'method_declaration') continue;
    const name = fn.childForFieldName('name')?.text;
    if (name === undefined) continue;
    functions.push({ name, line: lineAt(facts, fn.startIndex), endLine: lineAt(facts, fn.endIndex), ...body(facts, fn), calls: goHelpers(facts, fn) });
  }
  return { tasks, bases: [], queues: [], enqueues, functions, schedules, imports: {} };
}

/** A function body's side effects, and whether a guard comes before the first or a lock is taken. */
function body(facts: FileFacts, fn: Node): { effects: EffectFact[]; guarded: boolean; locked: boolean } {
  const calls = goCallsIn(facts, fn);
  const effects = effectsOf(facts, calls, (c) => isGoDbWrite(c));
  const first = firstEffectCall(facts, calls, effects);
  return { effects, guarded: first !== undefined && goGuarded(fn, first.node), locked: takesLock(facts, calls) };
}

/** The type of the task an enqueue sends: `asynq.NewTask("email:send", ...)` in place, or assigned to the variable it passes. */
function taskType(facts: FileFacts, arg: Node, enqueue: Node): string | undefined {
  const direct = facts.calls.find((c) => c.start === arg.startIndex && c.api === `${ASYNQ}.NewTask`);
  if (direct !== undefined) return stringContent(direct.args?.positional[0]?.node);
  if (arg.type !== 'identifier') return undefined;
  const candidates = facts.calls.filter((c: CallFact) => c.api === `${ASYNQ}.NewTask` && c.end <= enqueue.startIndex && assignedTo(c.node) === arg.text);
  const last = candidates[candidates.length - 1];
  return last === undefined ? undefined : stringContent(last.args?.positional[0]?.node);
}

function assignedTo(call: Node): string | undefined {
  const list = call.parent;
  const statement = list?.parent;
  if (list?.type !== 'expression_list' || (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement')) return undefined;
  return statement.childForFieldName('left')?.namedChild(0)?.text;
}

const SQL_WRITE = /^[`"]\s*(?:insert|update|delete|upsert|merge|replace)\b/i;
const GORM_WRITES = /^gorm\.io\/gorm\.DB\.(?:Create|CreateInBatches|Save|Update|Updates|UpdateColumn|UpdateColumns|Delete)$/;

function isGoDbWrite(call: CallFact): boolean {
  if (GORM_WRITES.test(call.api)) return true;
  return /\.(?:Exec|ExecContext)$/.test(call.api) && call.args?.positional.some((a) => SQL_WRITE.test(a.text)) === true;
}

function goHelpers(facts: FileFacts, fn: Node): string[] {
  return helperCalls(facts, fn, 'call_expression', (call) => {
    const callee = call.childForFieldName('function');
    return callee?.type === 'identifier' ? callee.text : undefined;
  });
}

/** Whether an enqueue sits between a transaction's begin and its commit, or in an HTTP handler. */
function site(node: Node): { inTransaction: boolean; fromHandler: boolean } {
  let fn: Node | null = node.parent;
  while (fn !== null && fn.type !== 'function_declaration' && fn.type !== 'method_declaration' && fn.type !== 'func_literal') fn = fn.parent;
  if (fn === null) return { inTransaction: false, fromHandler: false };
  const calls = fn.descendantsOfType('call_expression').filter((c): c is Node => c !== null);
  const method = (c: Node): string => c.childForFieldName('function')?.childForFieldName('field')?.text ?? '';
  const begin = calls.find((c) => /^Begin(?:Tx|x|Txx)?$/.test(method(c)) && c.endIndex <= node.startIndex);
  const commit = calls.find((c) => method(c) === 'Commit' && c.startIndex >= node.endIndex);
  const params = fn.childForFieldName('parameters')?.text ?? '';
  return { inTransaction: begin !== undefined && commit !== undefined, fromHandler: /http\.ResponseWriter|\*gin\.Context|echo\.Context|\*fiber\.Ctx/.test(params) };
}
