import { DISPATCH_METHOD, LOCK_METHOD } from '../cron-overlap/go.js';
import { REJECTS } from '../queue-no-dead-letter/consumers.js';

/**
 * Method names that some rules look for anywhere in a file's syntax tree, on calls of any receiver
 * (a Go cron file whose jobs take a lock or hand work to a queue; a consumer file that rejects
 * messages somewhere). Such a call in one declaration changes the findings of another, so the
 * in-body edit's fast path must see when an edit adds or removes one (`incremental.ts`).
 */
export const FILE_WIDE_CALL_NAMES: readonly RegExp[] = [new RegExp(LOCK_METHOD), new RegExp(DISPATCH_METHOD), REJECTS];
