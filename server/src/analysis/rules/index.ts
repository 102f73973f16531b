import { cronMissingDeadline } from './cron-missing-deadline.js';
import { cronOverlap } from './cron-overlap.js';
import { httpTimeout } from './http-timeout.js';
import { retryNoJitter } from './retry-no-jitter.js';
import { retryUnbounded } from './retry-unbounded.js';
import { retryNoBackoff } from './retry-no-backoff.js';
import { enqueueNoIdempotencyKey } from './enqueue-no-idempotency-key.js';
import { paymentNoIdempotencyKey } from './payment-no-idempotency-key.js';
import { consumerAutoAck } from './consumer-auto-ack.js';
import { queueNoDeadLetter } from './queue-no-dead-letter.js';
import { dualWrite } from './dual-write.js';
import { notifyInRetriedTask } from './notify-in-retried-task.js';
import { taskAckEarlySideEffects } from './task-ack-early-side-effects.js';
import { kafkaProducerNoIdempotence } from './kafka-producer-no-idempotence.js';
import { sqsDeleteBeforeProcess } from './sqs-delete-before-process.js';
import { webhookEnqueueNoKey } from './webhook-enqueue-no-key.js';
import { enqueueInTransaction } from './enqueue-in-transaction.js';
import { retriedTaskNoGuard } from './retried-task-no-guard.js';
import { scheduleTaskNoLock } from './schedule-task-no-lock.js';
import type { Rule } from './rule.js';

/**
 * Every rule, in the order findings are reported for the same range. A test checks this list
 * against the files in this folder, the book's rule ids and the settings in package.json.
 */
export const RULES: readonly Rule[] = [
  httpTimeout,
  retryUnbounded,
  retryNoJitter,
  cronOverlap,
  cronMissingDeadline,
  retryNoBackoff,
  enqueueNoIdempotencyKey,
  paymentNoIdempotencyKey,
  consumerAutoAck,
  queueNoDeadLetter,
  dualWrite,
  notifyInRetriedTask,
  taskAckEarlySideEffects,
  kafkaProducerNoIdempotence,
  sqsDeleteBeforeProcess,
  webhookEnqueueNoKey,
  enqueueInTransaction,
  retriedTaskNoGuard,
  scheduleTaskNoLock,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));
