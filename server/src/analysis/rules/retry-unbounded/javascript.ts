import type { FileFacts, ObjectFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { RawFinding, RuleContext } from '../rule.js';
import { isAdd, isQueueConstructor, jobOptions, queueDefaults } from '../common/bull.js';
import { numberValue } from '../common/javascript.js';
import { retryLoops } from '../common/javascript-loops.js';
import { unboundedLoopFindings } from '../common/loops.js';

/**
 * retry-unbounded in JavaScript, beyond p-retry and async-retry: `while (true)` and `for (;;)`
 * retry loops whose only way out is success (no `throw`, `return` or `break` on failure), and
 * BullMQ or Bull jobs with `attempts: Infinity`.
 */
export function checkJavaScriptLoopsAndQueues(context: RuleContext, attemptsBound: number): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  findings.push(...unboundedLoopFindings(retryLoops(facts)));
  for (const call of facts.calls) {
    let options: ObjectFact | undefined;
    if (isQueueConstructor(call)) {
      const defaults = queueDefaults(call);
      options = defaults.kind === 'object' ? defaults.object : undefined;
    } else if (isAdd(call)) {
      const own = jobOptions(call)?.own;
      options = own?.kind === 'object' ? own.object : undefined;
    }
    const finding = options === undefined ? undefined : infiniteAttempts(facts, options, attemptsBound);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function infiniteAttempts(facts: FileFacts, options: ObjectFact, bound: number): RawFinding | undefined {
  const attempts = options.props.get('attempts');
  if (attempts === undefined || numberValue(facts, attempts.value) !== Number.POSITIVE_INFINITY) return undefined;
  return {
    range: { start: attempts.start, end: attempts.end },
    message: '`attempts` is Infinity: a job that keeps failing is retried without limit.',
    fixes: [{ title: `Set attempts: ${bound}`, edits: [replaceRange(attempts.value.start, attempts.value.end, String(bound))], safe: true }],
  };
}
