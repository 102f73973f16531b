import type { FileFacts, MemberAssignment } from '../../facts/types.js';
import { goImport } from '../common/go.js';
import { retryLoops } from '../common/go-loops.js';
import { unboundedLoopFindings } from '../common/loops.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * retry-unbounded in Go: cenkalti/backoff's `ExponentialBackOff` with `MaxElapsedTime = 0`,
 * which means it never stops, unless the same backoff is wrapped in `backoff.WithMaxRetries` or
 * handed to code the file cannot see. Fix (safe): the library's default bound, 15 minutes.
 * Also `for { ... }` retry loops whose only way out is success (no `return`, `break`, `goto` or
 * `panic` on failure, no `ctx.Done()` case that returns); no fix, the bound is the author's.
 */
const BACKOFF = 'github.com/cenkalti/backoff';

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const assignment of facts.memberAssignments ?? []) {
    const finding = check(facts, assignment);
    if (finding !== undefined) findings.push(finding);
  }
  findings.push(...unboundedLoopFindings(retryLoops(facts)));
  return findings;
}

function check(facts: FileFacts, assignment: MemberAssignment): RawFinding | undefined {
  if (assignment.path !== 'MaxElapsedTime' || !/^0+$/.test(assignment.value.text)) return undefined;
  const origin = facts.calls.find((c) => c.start === assignment.origin);
  if (origin?.api !== `${BACKOFF}.NewExponentialBackOff` || facts.instanceConfig.get(origin.start)?.has('*') === true) return undefined;
  const wrapped = facts.calls.some((c) => c.api === `${BACKOFF}.WithMaxRetries` && c.args?.positional[0]?.origin === origin.start);
  if (wrapped) return undefined;
  const time = goImport(facts, 'time');
  return {
    range: { start: assignment.start, end: assignment.end },
    message: '`MaxElapsedTime = 0` makes the exponential backoff retry forever.',
    fixes: time === undefined ? [] : [{
      title: `Stop after 15 minutes (the library's default)`,
      edits: [{ start: assignment.value.start, end: assignment.value.end, newText: `15 * ${time.name}.Minute` }, ...time.edits],
      safe: true,
    }],
  };
}
