import type { ArgumentsFact, CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument } from '../../fixes/edits.js';
import { goImport } from '../common/go.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * enqueue-no-idempotency-key in Go: an asynq `client.Enqueue(task, opts...)` with neither
 * `asynq.TaskID(...)` nor `asynq.Unique(...)`, in its own options or in those of the
 * `asynq.NewTask(...)` it enqueues (inline or through a variable). Options passed with `opts...`,
 * or a task made elsewhere, are unknown and not reported.
 *
 * Fix (unsafe): `asynq.Unique(24 * time.Hour)`, which drops a task whose type and payload match
 * one enqueued within the window; a `TaskID` from the business key is better, and the file
 * cannot name it.
 */
const ASYNQ = 'github.com/hibiken/asynq';
const KEYS = new Set([`${ASYNQ}.TaskID`, `${ASYNQ}.Unique`]);

export function checkGo(context: RuleContext): RawFinding[] {
  return eachCall(context, check);
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${ASYNQ}.Client.Enqueue` && call.api !== `${ASYNQ}.Client.EnqueueContext`) return undefined;
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const taskIndex = call.api.endsWith('Context') ? 1 : 0;
  const task = args.positional[taskIndex];
  const made = task === undefined ? undefined : facts.calls.find((c) => c.api === `${ASYNQ}.NewTask` && (c.start === task.start || c.start === task.origin));
  if (made?.args === undefined || made.args.hasSplat) return undefined;
  if (hasKey(args, taskIndex + 1) || hasKey(made.args, 2)) return undefined;
  const time = goImport(facts, 'time');
  const pkg = importedAs(facts);
  return {
    range: calleeRange(call),
    message: 'asynq task enqueued without `asynq.TaskID` or `asynq.Unique`: a retried enqueue runs the job twice.',
    fixes: time === undefined || pkg === undefined ? [] : [{
      title: 'Drop duplicates for 24 hours with asynq.Unique',
      edits: [...appendArgument(facts, args, `${pkg}.Unique(24 * ${time.name}.Hour)`), ...time.edits],
      safe: false,
    }],
  };
}

function hasKey(args: ArgumentsFact, from: number): boolean {
  return args.positional.slice(from).some((option) => option.kind !== 'call' || option.api === undefined || KEYS.has(option.api));
}

function importedAs(facts: FileFacts): string | undefined {
  for (const imp of facts.imports.values()) if (imp.target === ASYNQ) return imp.local;
  return undefined;
}
