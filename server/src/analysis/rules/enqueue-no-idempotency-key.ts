import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkGo } from './enqueue-no-idempotency-key/go.js';
import { checkJavaScript } from './enqueue-no-idempotency-key/javascript.js';
import { checkPython } from './enqueue-no-idempotency-key/python.js';

/**
 * enqueue-no-idempotency-key — enqueue of a side-effecting job without the dedup key its queue offers: a retried enqueue runs the job twice.
 *
 * Flags: BullMQ `queue.add` without `jobId` or `deduplication`, SQS FIFO sends without `MessageDeduplicationId`.
 * Why it matters: a publish that is retried after a lost reply enqueues the job again; the queue can only drop the
 * duplicate when the job carries a key derived from its business identity (chapter 4, R4.2).
 *
 * Each language's check lives in `enqueue-no-idempotency-key/<language>.ts` and is registered below.
 * Fix (unsafe): a BullMQ/Bull `jobId` derived from the one business id the job's data names; only
 * the author knows whether two jobs with that id are duplicates, and a wrong key drops jobs silently.
 */
export const enqueueNoIdempotencyKey: Rule = defineRule(
  {
    id: 'enqueue-no-idempotency-key',
    ruleRef: 'R4.2',
    chapter: 4,
    description: 'Enqueue of a side-effecting job without the dedup key its queue offers: a retried enqueue runs the job twice.',
    defaultSeverity: 'info',
    fix: 'unsafe',
  },
  {
    python: checkPython,
    ...forJavaScript(checkJavaScript),
    go: checkGo,
  },
  { python: LOCAL, ...forJavaScript(LOCAL), go: { moduleAssignments: true } },
);
