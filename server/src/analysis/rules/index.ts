import { cronMissingDeadline } from './cron-missing-deadline.js';
import { cronOverlap } from './cron-overlap.js';
import { httpTimeout } from './http-timeout.js';
import { retryNoJitter } from './retry-no-jitter.js';
import { retryUnbounded } from './retry-unbounded.js';
import type { Rule } from './rule.js';

/**
 * Every rule, in the order findings are reported for the same range. A test checks this list
 * against the files in this folder, the book's rule ids and the settings in package.json.
 */
export const RULES: readonly Rule[] = [httpTimeout, retryUnbounded, retryNoJitter, cronOverlap, cronMissingDeadline];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));
