import { CELERY_ACKS_LATE, CELERY_EXTERNAL_CONFIG } from '../../facts/python/tasks.js';
import type { Node } from 'web-tree-sitter';
import type { ArgumentsFact, CallFact, FileFacts } from '../../facts/types.js';
import { unquote } from '../../facts/common.js';
import { appendArgument } from '../../fixes/edits.js';
import type { TextEdit } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { callsIn, celeryTasks, moduleFunction, sideEffectRank } from '../common/python.js';

/**
 * task-ack-early-side-effects in Python: a Celery task whose own body (or a function of the same
 * file that it calls by name) makes an HTTP call that may write (not a GET), sends a notification,
 * moves money or writes to a database, with no
 * `acks_late` option and no `task_acks_late = True` in the same file. Celery acknowledges such a
 * task just before running it, so a worker that dies mid-task loses it.
 *
 * Left alone: tasks that set `acks_late` either way (False is a choice for tasks that must not run
 * twice), a custom `base` class or `**options` that may set it, and files whose app reads its
 * settings from elsewhere (`config_from_object`). Also left alone: periodic work, a task that takes
 * no arguments without a default (besides a bound task's `self`) and that the beat schedule of its app runs (an
 * entry of `CELERY_BEAT_SCHEDULE` or `beat_schedule` in the settings module the app reads, as the
 * project model resolves it; the entry's task name is the task's `name=` or ends with its function
 * name). Such a run carries nothing but the time it fires: one lost to a worker crash is redone by
 * the next beat run. A task with arguments still loses the data its message held. Information
 * only: the app's settings usually live in another file.
 *
 * Fix (unsafe): `acks_late=True`. Late acknowledgement makes a crashed task run again, so the task
 * must be idempotent first (R9.2, R4.4): the author confirms that, not fix-all.
 */
/**
 * The calls of the module-level functions of this file that the task calls by name
 * (`send_receipt(order)` → the body of `def send_receipt`), and of the functions those call in
 * turn, up to `HELPER_DEPTH` levels (`asyncio.run(broadcast(...))` → `sign_and_send(...)` →
 * `session.post`): side effects moved into helpers are still the task's.
 */
function helperCalls(facts: FileFacts, fn: Node): CallFact[] {
  const seen = new Set<number>([fn.id]);
  const found: CallFact[] = [];
  let level: Node[] = [fn];
  for (let depth = 0; depth < HELPER_DEPTH && level.length > 0; depth++) {
    const next: Node[] = [];
    for (const caller of level) {
      for (const node of caller.descendantsOfType('call')) {
        const callee = node?.childForFieldName('function');
        if (callee?.type !== 'identifier') continue;
        const helper = moduleFunction(facts, callee.text);
        if (helper === undefined || seen.has(helper.id)) continue;
        seen.add(helper.id);
        next.push(helper);
        found.push(...callsIn(facts, helper));
      }
    }
    level = next;
  }
  return found;
}

/** How many calls deep the helpers of a task are followed: a fan-out and its per-item send sit two or three levels down. */
const HELPER_DEPTH = 3;

/** Parameters the caller must fill: not a splat (`*args`, `**kwargs`) and not one with a default. */
function requiredParameter(param: Node): boolean {
  if (param.type === 'comment' || param.type === 'default_parameter' || param.type === 'typed_default_parameter') return false;
  if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern' || param.type === 'keyword_separator' || param.type === 'positional_separator') return false;
  // `*args: list`, `**kwargs: dict`.
  const inner = param.type === 'typed_parameter' ? param.namedChild(0) : null;
  return inner?.type !== 'list_splat_pattern' && inner?.type !== 'dictionary_splat_pattern';
}

/** A beat-scheduled task with no arguments of its own: periodic work that the next beat run redoes. */
function periodic(facts: FileFacts, task: { fn: Node; options: ArgumentsFact | undefined; self: string | undefined }): boolean {
  const beat = facts.celeryBeat;
  if (beat === undefined) return false;
  // Parameters with defaults (and splats) are left empty when beat runs the task.
  const params = task.fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p !== null && requiredParameter(p)) ?? [];
  if (params.length > (task.self === undefined ? 0 : 1)) return false;
  const fnName = task.fn.childForFieldName('name')?.text ?? '';
  const named = task.options?.keywords.get('name')?.value.node;
  const registered = named?.type === 'string' ? unquote(named.text) : undefined;
  return beat.some((entry) => entry === registered || (registered === undefined && (entry === fnName || entry.endsWith(`.${fnName}`))));
}

export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined || facts.configuredMembers.has(CELERY_ACKS_LATE) || facts.configuredMembers.has(CELERY_EXTERNAL_CONFIG)) return [];
  const findings: RawFinding[] = [];
  for (const task of celeryTasks(facts)) {
    const options = task.options;
    if (options !== undefined && (options.hasSplat || options.keywords.has('base') || options.keywords.has('acks_late'))) continue;
    if (periodic(facts, task)) continue;
    let effect: CallFact | undefined;
    let rank = 0;
    for (const call of [...callsIn(facts, task.fn), ...helperCalls(facts, task.fn)]) {
      const r = sideEffectRank(facts, call);
      if (r > rank) [effect, rank] = [call, r];
    }
    if (effect === undefined) continue;
    const name = task.fn.childForFieldName('name')?.text ?? 'this task';
    const decorator = task.decorator;
    const edits: TextEdit[] = options === undefined
      ? [{ start: decorator.calleeEnd, end: decorator.calleeEnd, newText: '(acks_late=True)' }]
      : appendArgument(facts, options, 'acks_late=True');
    findings.push({
      range: calleeRange(decorator),
      message: `Celery task \`${name}\` has side effects (\`${effect.node.childForFieldName('function')?.text ?? effect.api}\`) and no \`acks_late\` (nor \`task_acks_late\` in this file), so it is acknowledged before it runs: a worker that dies mid-task loses it. Use acks_late=True once the task is idempotent.`,
      fixes: [{ title: 'Add acks_late=True (make the task idempotent first)', edits, safe: false }],
    });
  }
  return findings;
}
