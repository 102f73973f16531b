import type { FileFacts } from './facts/types.js';
import { retryLoops as goRetryLoops } from './rules/common/go-loops.js';
import { retryLoops as javascriptRetryLoops } from './rules/common/javascript-loops.js';
import { retryLoops as pythonRetryLoops } from './rules/common/python-loops.js';
import { rescueRetries } from './rules/common/ruby.js';
import type { TextRange } from './types.js';

/**
 * Hand-written retry loops are retry policies too: the loop that tries a call, leaves on success
 * and otherwise waits and goes round again. The rules already read them (a missing bound, backoff
 * or jitter); as signals they appear in the retry count and hovers like any library's retry. Each
 * language's loop finder decides what a retry loop is, so the signal and the rules agree.
 */
export function retryLoopRanges(facts: FileFacts): TextRange[] {
  // Ruby's own loop: `retry` in a `rescue` runs the `begin` block (or the method) again.
  if (facts.language === 'ruby') return rescueRetries(facts).map((r) => ({ start: r.retry.startIndex, end: r.retry.endIndex }));
  const loops = facts.language === 'python' ? pythonRetryLoops(facts)
    : facts.language === 'go' ? goRetryLoops(facts)
    : facts.language === 'javascript' || facts.language === 'typescript' || facts.language === 'tsx' ? javascriptRetryLoops(facts)
    : [];
  return loops.map((loop) => ({ start: loop.head.start, end: loop.head.end }));
}
