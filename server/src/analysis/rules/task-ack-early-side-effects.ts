import { defineRule, type Rule, LOCAL } from './rule.js';
import { checkPython } from './task-ack-early-side-effects/python.js';

/**
 * task-ack-early-side-effects — celery task with side effects acknowledged before it runs: a worker crash loses the work.
 *
 * Flags: Celery tasks that make HTTP calls, database writes or sends without `acks_late=True` (on the task or the app).
 * Why it matters: Celery acknowledges a message just before running the task by default; a worker killed mid-task
 * loses that task, because the broker already forgot it (chapter 9, R9.2).
 *
 * Each language's check lives in `task-ack-early-side-effects/<language>.ts` and is registered below.
 * Fix (unsafe): `acks_late=True` on the task; a late-acknowledged task runs again after a crash, so it must be
 * idempotent first.
 */
export const taskAckEarlySideEffects: Rule = defineRule(
  {
    id: 'task-ack-early-side-effects',
    ruleRef: 'R9.2',
    chapter: 9,
    description: 'Celery task with side effects acknowledged before it runs: a worker crash loses the work.',
    defaultSeverity: 'info',
    fix: 'unsafe',
  },
  {
    python: checkPython,
  },
  { python: LOCAL },
);
