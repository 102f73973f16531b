import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkGo } from './retry-no-backoff/go.js';
import { checkJava } from './retry-no-backoff/java.js';
import { checkJavaScript } from './retry-no-backoff/javascript.js';
import { checkRuby } from './retry-no-backoff/ruby.js';
import { checkPython } from './retry-no-backoff/python.js';

/**
 * retry-no-backoff — fixed or immediate retry delay: every client retries at the same moment, again and again.
 *
 * Flags: Celery `autoretry_for` without `retry_backoff`, a constant sleep in a retry loop, BullMQ `attempts`
 * without `backoff`, Spring `@Retryable` without `backoff`, Sidekiq/ActiveJob fixed waits, Go constant backoffs
 * (cenkalti/backoff `NewConstantBackOff`, asynq `RetryDelayFunc`).
 * Why it matters: retries that arrive at a fixed pace keep hammering a dependency that is already failing, and all
 * clients that failed together retry together (chapter 5, R5.2).
 *
 * Each language's check lives in `retry-no-backoff/<language>.ts` and is registered below.
 * Fix: exponential backoff in the library's form (Bull `backoff: { type: 'exponential' }`, BullMQ the same
 * with `jitter: 1` so that retry-no-jitter has nothing left to say, Celery `retry_backoff=True`, or a jittered
 * exponential wait in a counted hand loop or `self.retry` countdown); safe where it needs no newer library
 * version (BullMQ's `jitter` in TypeScript does).
 */
export const retryNoBackoff: Rule = defineRule(
  {
    id: 'retry-no-backoff',
    ruleRef: 'R5.2',
    chapter: 5,
    description: 'Fixed or immediate retry delay: every client retries at the same moment, again and again.',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  {
    python: checkPython,
    ...forJavaScript(checkJavaScript),
    java: checkJava,
    ruby: checkRuby,
    go: checkGo,
  },
  {
    python: LOCAL,
    ...forJavaScript(LOCAL),
    java: LOCAL,
    ruby: LOCAL,
    // asynq's fix is offered only when no import is used inside the replaced function alone.
    go: { importUses: true, moduleAssignments: true, readers: ['github.com/hibiken/asynq.Config'] },
  },
);
