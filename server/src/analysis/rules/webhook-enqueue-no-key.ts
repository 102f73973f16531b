import type { ProjectJoin } from '../map/join.js';
import { defineProjectRule, type ProjectRawFinding, type Rule } from './rule.js';

/**
 * webhook-enqueue-no-key — a task with side effects enqueued from a web or webhook handler with no
 * idempotency key, whose body has no guard: a retried request enqueues it again.
 *
 * Flags: an enqueue in a route, view, controller action or `@PostMapping` method (Celery, RQ,
 * dramatiq, Sidekiq, Active Job, Spring Kafka and Rabbit templates) that receives retried requests
 * (a webhook receiver by its name, route or signature check, or an endpoint reading a client's
 * event or request id; see `map/webhook.ts`) whose task, wherever the
 * project defines it, sends, charges, calls another service or enqueues more work, when the
 * enqueue passes no key and the task's first side effect is not behind a guard.
 * Why it matters: webhook senders and clients retry a request that timed out even when it was
 * handled; each retry enqueues the task again, and the task repeats its side effect (chapter 12,
 * R12.8). A user's form post is left alone: a resubmitted form creates a second row before it
 * enqueues, so a key on the enqueue would dedupe nothing. Only the join sees both ends: the handler and the task usually live in different files.
 *
 * JavaScript, TypeScript and Go are left to enqueue-no-idempotency-key, which already reads their
 * queues' own keys (BullMQ `jobId`, asynq `TaskID`) at every enqueue.
 */
const EFFECTS = new Set(['payment', 'notify', 'http-call', 'enqueue']);

function check({ sites }: ProjectJoin): ProjectRawFinding[] {
  const findings: ProjectRawFinding[] = [];
  for (const { path, site, tasks } of sites) {
    if (!site.fromHandler || site.webhook !== true || site.idempotencyKey) continue;
    for (const { task, guarded } of tasks) {
      const effect = task.sideEffects.find((e) => EFFECTS.has(e.kind));
      if (guarded || effect === undefined) continue;
      findings.push({
        path,
        range: { start: site.start, end: site.end },
        message: `\`${task.name}\` is enqueued from a web handler with no idempotency key, and it makes a ${effect.kind} (\`${effect.api}\`, ${effect.file}:${effect.line}) with no guard: a client or webhook sender that retries the request enqueues it again and repeats that. Deduplicate the request by its event or request id before enqueueing, or guard the task with a marker keyed by it.`,
        fixes: [],
      });
      break;
    }
  }
  return findings;
}

export const webhookEnqueueNoKey: Rule = defineProjectRule(
  {
    id: 'webhook-enqueue-no-key',
    ruleRef: 'R12.8',
    chapter: 12,
    description: 'A task with side effects enqueued from a web or webhook handler with no idempotency key and no guard in its body: a retried request repeats the side effect.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  ['python', 'ruby', 'java'],
  check,
);
