import type { ProjectJoin } from '../map/join.js';
import { defineProjectRule, type ProjectRawFinding, type Rule } from './rule.js';

/**
 * schedule-task-no-lock — a schedule that enqueues a task whose body takes no lock and has no
 * guard: a run that outlasts the interval runs beside the next one.
 *
 * Flags: a Celery beat entry, a huey periodic task, a sidekiq-cron entry (Ruby or its YAML
 * file), a BullMQ job scheduler, an agenda `every`, and a node-cron or robfig/cron callback
 * that enqueues a task, when the task it runs (wherever the project defines it) has a side
 * effect another system sees (an HTTP call, a notification or a payment) and neither takes a lock (a Redis lock, Redlock, `with_lock`, `SetNX`) nor checks a
 * marker before its first side effect. The finding sits on the schedule, with the task's
 * definition as a related place.
 * Why it matters: the scheduler enqueues at every tick whether or not the previous run ended,
 * and workers run the copies side by side, so a slow run overlaps the next (chapter 10, R10.1).
 * Left alone: a task whose only side effects are database writes (a cleanup that deletes expired
 * rows or recomputes a column): two runs side by side meet on the same rows, whose locks the
 * database takes, and the second finds the work done, so a reviewer would not take a lock for it;
 * and a task whose only other effect is to enqueue (a sweep that hands each row to a task of its
 * own, or queues its next batch): the tasks it enqueues are judged on their own;
 * a schedule in a file where cron-overlap reports (the scheduler's own option, such
 * as node-cron's `noOverlap` or robfig's `SkipIfStillRunning`, is the fix there), and the schedules
 * that run no task of the map (a CronJob, a workflow, `@Scheduled`), which are cron-overlap's.
 */
/** A side effect another system sees and a second run would repeat: an HTTP call, a notification, a payment. */
function outside(effect: { readonly kind: string }): boolean {
  return effect.kind === 'http-call' || effect.kind === 'notify' || effect.kind === 'payment';
}

function check({ schedules, pathOf }: ProjectJoin): ProjectRawFinding[] {
  const findings: ProjectRawFinding[] = [];
  for (const { path, schedule, tasks, fileRules } of schedules) {
    if (fileRules.includes('cron-overlap')) continue;
    const open = tasks.find((t) => !t.locked && !t.guarded && t.task.sideEffects.some(outside));
    if (open === undefined) continue;
    const { task } = open;
    const effect = task.sideEffects.find(outside);
    const input = pathOf(task.file);
    findings.push({
      path,
      range: { line: schedule.line },
      message: `\`${schedule.name}\` enqueues \`${task.name}\` (${task.file}:${task.line})${schedule.schedule === null ? '' : ` on ${schedule.schedule}`}, and the task takes no lock: a run still going at the next tick runs beside the new one${effect === undefined ? '' : `, and both call \`${effect.api}\``}. Take a lock with an expiry in the task (a Redis SET NX keyed by the job's name) and return when it is held, or make each run idempotent for its time slot.`,
      related: input === undefined ? [] : [{ origin: { path: input, line: task.line - 1, character: 0, endLine: task.line - 1, endCharacter: 0 }, message: `\`${task.name}\`, which takes no lock` }],
      fixes: [],
    });
  }
  return findings;
}

export const scheduleTaskNoLock: Rule = defineProjectRule(
  {
    id: 'schedule-task-no-lock',
    ruleRef: 'R10.1',
    chapter: 10,
    description: 'A schedule that enqueues a task whose body takes no lock: a run that outlasts the interval overlaps the next one.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  ['python', 'ruby', 'yaml', 'javascript', 'typescript', 'tsx', 'go'],
  check,
);
