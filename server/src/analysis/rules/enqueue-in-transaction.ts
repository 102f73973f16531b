import type { ProjectJoin } from '../map/join.js';
import { defineProjectRule, type ProjectRawFinding, type Rule } from './rule.js';

/**
 * enqueue-in-transaction — a task enqueued inside a database transaction, when the task is
 * defined in another file: the dual write that a one-file reading cannot see.
 *
 * Flags: an enqueue inside `transaction.atomic()` (or a SQLAlchemy `begin()`) or a
 * `@Transactional` method, of a task or listener that the project defines in another file, not
 * deferred to the commit (`on_commit`, `@TransactionalEventListener`).
 * Why it matters: the broker does not take part in the transaction, so the worker can run before
 * the commit and find no row, or run for a change that rolls back (chapter 11, R11.1).
 * Left alone: a site where dual-write already reports the same line (it sees the write too), and
 * Ruby, where dual-write reports every enqueue inside a `transaction do` block, write or not.
 */
function check({ sites }: ProjectJoin): ProjectRawFinding[] {
  const findings: ProjectRawFinding[] = [];
  for (const { path, site, tasks, lineRules } of sites) {
    if (!site.inTransaction || site.afterCommit || lineRules.includes('dual-write')) continue;
    const elsewhere = tasks.find(({ task }) => !path.endsWith(task.file));
    if (elsewhere === undefined) continue;
    const { task } = elsewhere;
    findings.push({
      path,
      range: { start: site.start, end: site.end },
      message: `\`${task.name}\` (${task.file}:${task.line}) is enqueued inside a database transaction: the broker is not part of it, so the ${task.framework} worker can run before the commit and find nothing, or run for a change that rolls back. Enqueue once the transaction commits (an on-commit hook) or write the message to an outbox table in the transaction.`,
      fixes: [],
    });
  }
  return findings;
}

export const enqueueInTransaction: Rule = defineProjectRule(
  {
    id: 'enqueue-in-transaction',
    ruleRef: 'R11.1',
    chapter: 11,
    description: 'A task defined in another file enqueued inside a database transaction, not deferred to the commit: the worker can run before the commit or for a rollback.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  ['python', 'java'],
  check,
);
