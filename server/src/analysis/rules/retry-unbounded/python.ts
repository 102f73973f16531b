import type { CallFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { RawFinding, RuleContext } from '../rule.js';
import { retryLoops } from '../common/python-loops.js';
import { unboundedLoopFindings } from '../common/loops.js';

/**
 * retry-unbounded in Python, beyond tenacity, backoff and Celery: `while True` retry loops whose
 * only way out is success (no `raise`, `return` or `break` on failure), and dramatiq actors or
 * messages with `max_retries=None`.
 */
export function checkPythonLoopsAndActors(context: RuleContext, attemptsBound: number): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  findings.push(...unboundedLoopFindings(retryLoops(facts)));
  for (const call of facts.calls) {
    const finding = dramatiqForever(call, attemptsBound);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/** `@dramatiq.actor(max_retries=None)` or `actor.send_with_options(max_retries=None)`: retried forever. */
function dramatiqForever(call: CallFact, bound: number): RawFinding | undefined {
  const isActor = call.api === 'dramatiq.actor' && call.decorator !== undefined;
  if (!isActor && call.api !== 'dramatiq.Actor.send_with_options') return undefined;
  const maxRetries = call.args?.keywords.get('max_retries');
  if (maxRetries?.value.kind !== 'none') return undefined;
  return {
    range: { start: maxRetries.start, end: maxRetries.end },
    message: `dramatiq ${isActor ? 'actor' : 'message'} with \`max_retries=None\`: a message that keeps failing is retried forever.`,
    fixes: [{ title: `Set max_retries=${bound}`, edits: [replaceRange(maxRetries.value.start, maxRetries.value.end, String(bound))], safe: true }],
  };
}
