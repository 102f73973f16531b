import type { CallFact, FileFacts } from '../../facts/types.js';
import { compiledQuery } from '../../facts/common.js';
import { appendArgument } from '../../fixes/edits.js';
import { signalKindOf } from '../../signals.js';
import type { Fix } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';

/**
 * cron-overlap in Go: a robfig/cron scheduler created without `SkipIfStillRunning` or
 * `DelayIfStillRunning`. Its default job chain is empty, so a run that outlasts its interval runs
 * beside the next one. A file that wraps jobs itself (either wrapper used anywhere) is not
 * reported, nor options the file cannot show (`cron.New(opts...)`, a variable). Information: the
 * file cannot show how long a job takes.
 *
 * Nor is a file that takes a lock (a method named `Lock`, `TryLock`, `LockWithRetries`... or a
 * lock signal such as redsync): its jobs guard their own runs, as machinery's periodic tasks do
 * with a distributed lock named after the task and its spec, which a mutex in-process also does
 * for one instance. Which job holds the lock the file may not show; the author wrote it for them.
 * Nor a file whose jobs hand their work to a task queue (an enqueue signal, or a method named
 * `Enqueue` or `SendTask`, as the schedulers of asynq and machinery do): such a run lasts one
 * enqueue, and the queue's workers, not the cron, run the work. Nor a scheduler wrapper that only
 * adds the jobs its callers pass in (`passesJobsThrough`): the jobs are not in the file.
 *
 * Fix (safe): `cron.WithChain(cron.SkipIfStillRunning(cron.DefaultLogger))`, or the wrapper added
 * to an existing `WithChain` (a second `WithChain` option would replace the first chain).
 */
const CRON = 'github.com/robfig/cron';
const WRAPPERS = new Set([`${CRON}.SkipIfStillRunning`, `${CRON}.DelayIfStillRunning`]);

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const schedulers = facts.calls.filter((c) => c.api === `${CRON}.New`);
  const wrappers = facts.calls.filter((c) => WRAPPERS.has(c.api));
  const inside = (wrapper: CallFact, scheduler: CallFact): boolean => wrapper.start >= scheduler.start && wrapper.end <= scheduler.end;
  // A wrapper outside every scheduler's options wraps jobs one by one: the file handles overlap itself.
  if (wrappers.some((w) => !schedulers.some((s) => inside(w, s)))) return [];
  if (schedulers.length > 0 && (takesLock(facts) || dispatches(facts) || passesJobsThrough(facts))) return [];
  return eachCall(context, (f, call) => (wrappers.some((w) => inside(w, call)) ? undefined : check(f, call)));
}

/**
 * Whether the file only hands its callers' jobs to the scheduler: every job it adds is a parameter
 * of the function that adds it (`func (s *scheduler) Add(spec string, cmd func())` calling
 * `s.c.Schedule(spec, cron.FuncJob(cmd))`, navidrome's scheduler). The jobs are written where the
 * wrapper is called, where a reader can tell whether they guard their own runs; this file cannot.
 */
function passesJobsThrough(facts: FileFacts): boolean {
  const adds = facts.calls.filter((c) => ADDS.has(c.api));
  return adds.length > 0 && adds.every((add) => {
    let job = add.args?.positional[add.args.positional.length - 1]?.node;
    if (job?.type === 'call_expression' && /\bFuncJob$/.test(job.childForFieldName('function')?.text ?? '')) job = job.childForFieldName('arguments')?.namedChild(0) ?? undefined;
    if (job?.type !== 'identifier') return false;
    let fn = add.node.parent;
    while (fn !== null && fn.type !== 'function_declaration' && fn.type !== 'method_declaration' && fn.type !== 'func_literal') fn = fn.parent;
    const params = fn?.childForFieldName('parameters')?.descendantsOfType('identifier') ?? [];
    return params.some((p) => p?.text === job?.text);
  });
}
const ADDS = new Set([`${CRON}.Cron.AddFunc`, `${CRON}.Cron.AddJob`, `${CRON}.Cron.Schedule`, `${CRON}.Cron.Add`]);

export const LOCK_METHOD = '^(Try)?Lock(WithRetries|Context|WithContext)?$';

function takesLock(facts: FileFacts): boolean {
  if (facts.calls.some((c) => signalKindOf(facts.language, c) === 'lock')) return true;
  const query = compiledQuery(facts.root.tree.language, `((call_expression function: (selector_expression field: (field_identifier) @name)) (#match? @name "${LOCK_METHOD}"))`);
  return query.matches(facts.root).length > 0;
}

export const DISPATCH_METHOD = '^(Enqueue|EnqueueContext|SendTask|SendTaskWithContext)$';

function dispatches(facts: FileFacts): boolean {
  if (facts.calls.some((c) => signalKindOf(facts.language, c) === 'enqueue')) return true;
  const query = compiledQuery(facts.root.tree.language, `((call_expression function: (selector_expression field: (field_identifier) @name)) (#match? @name "${DISPATCH_METHOD}"))`);
  return query.matches(facts.root).length > 0;
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${CRON}.New` || call.args === undefined || call.args.hasSplat) return undefined;
  if (call.args.positional.some((option) => option.kind !== 'call' || option.api === undefined)) return undefined;
  const pkg = call.node.childForFieldName('function')?.childForFieldName('operand')?.text ?? 'cron';
  const skip = `${pkg}.SkipIfStillRunning(${pkg}.DefaultLogger)`;
  const chain = facts.calls.find((c) => c.api === `${CRON}.WithChain` && c.start >= call.start && c.end <= call.end && c.args !== undefined);
  const fix: Fix = chain?.args === undefined
    ? { title: 'Skip a run while the previous one is running', edits: appendArgument(facts, call.args, `${pkg}.WithChain(${skip})`), safe: true }
    : { title: 'Skip a run while the previous one is running', edits: appendArgument(facts, chain.args, skip), safe: true };
  return {
    range: calleeRange(call),
    message: '`cron.New` without `SkipIfStillRunning`: robfig/cron starts a run even while the previous one is still running, so a slow job overlaps itself.',
    fixes: [fix],
    severity: 'info',
  };
}
