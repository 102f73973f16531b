import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import type { RawFinding, RuleContext } from '../rule.js';
import { enclosingFunction, randomUniform } from '../common/python.js';
import { retryLoops, waitShape } from '../common/python-loops.js';

/**
 * retry-no-jitter in Python, beyond tenacity, backoff and Celery's `retry_jitter`: hand retry
 * loops whose sleep grows exponentially (`2 ** attempt`, a delay doubled each round) with no
 * random part, and `self.retry(countdown=2 ** self.request.retries)`. The fix draws the wait
 * uniformly below the computed one ("full jitter").
 */
export function checkPythonBackoffs(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const loop of retryLoops(facts)) {
    for (const delay of loop.delays) {
      if (delay.shape !== 'exponential') continue;
      findings.push(finding(facts, delay.amount, `This retry loop backs off exponentially (\`${delay.amount.text}\`) with no random part: clients that failed together retry together, in waves.`));
    }
  }
  for (const call of facts.calls) {
    const countdown = celeryCountdown(call);
    const fn = countdown === undefined ? undefined : enclosingFunction(call.node);
    if (countdown === undefined || fn === undefined || waitShape(facts, fn, countdown) !== 'exponential') continue;
    findings.push(finding(facts, countdown, `\`retry(countdown=${countdown.text})\` backs off exponentially with no random part: tasks that failed together retry together, in waves.`));
  }
  return findings;
}

/** The countdown of a Celery `task.retry(...)`, unless an `eta` overrides it. */
function celeryCountdown(call: CallFact): Node | undefined {
  if (call.api !== 'celery.Task.retry' || call.args?.keywords.has('eta') === true) return undefined;
  return call.args?.keywords.get('countdown')?.value.node;
}

function finding(facts: FileFacts, amount: Node, message: string): RawFinding {
  return {
    range: { start: amount.startIndex, end: amount.endIndex },
    message,
    fixes: [randomUniform(facts, amount, amount.text, 'Add full jitter')],
  };
}
