import fs from 'node:fs';
import path from 'node:path';
import { compileCatalog, type CompileResult } from '../../server/src/catalog/compile.js';
import { repoRoot } from './analyzer.js';

/** Compiles content/ the way the build does. */
export function compileContent(): CompileResult {
  const dir = path.join(repoRoot, 'content');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
  return compileCatalog(files);
}

/** The rule catalogue of SPEC.md plus the rules the book plans: ids the book may name before they exist. */
export const CATALOGUE_RULE_IDS = [
  'http-timeout', 'retry-unbounded', 'retry-no-backoff', 'retry-no-jitter', 'enqueue-no-idempotency-key',
  'payment-no-idempotency-key', 'consumer-auto-ack', 'queue-no-dead-letter', 'cron-overlap', 'cron-missing-deadline',
  'dual-write', 'notify-in-retried-task', 'task-ack-early-side-effects', 'kafka-producer-no-idempotence', 'sqs-delete-before-process',
  'webhook-enqueue-no-key', 'enqueue-in-transaction', 'retried-task-no-guard', 'schedule-task-no-lock',
];
