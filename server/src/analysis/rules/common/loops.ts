import type { TextRange } from '../../types.js';
import type { RawFinding } from '../rule.js';

/**
 * retry-unbounded's finding for hand retry loops with no way out on failure, in the same words in
 * every language; each language's loop finder decides which loops are unbounded.
 */
export function unboundedLoopFindings(loops: readonly { readonly unbounded: boolean; readonly head: TextRange }[]): RawFinding[] {
  return loops.filter((loop) => loop.unbounded).map((loop) => ({
    range: loop.head,
    message: 'This retry loop has no attempt limit: it leaves only on success, so a permanent failure is retried forever.',
    fixes: [],
  }));
}
