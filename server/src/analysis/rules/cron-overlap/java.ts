import type { CallFact, FileFacts } from '../../facts/types.js';
import type { Fix } from '../../types.js';
import { javaClass } from '../common/java.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * cron-overlap in Java: a Spring `@Scheduled` method without ShedLock's `@SchedulerLock`. Spring
 * schedules in-process, per application instance: with two replicas the job runs twice, at the
 * same moment. Reported as information, because a service deployed as a single instance cannot be
 * told apart from this file.
 *
 * Fix (unsafe): `@SchedulerLock(name = "Class.method", lockAtMostFor = "PT10M")` under
 * `@Scheduled`. It needs ShedLock on the classpath, `@EnableSchedulerLock` and a lock provider,
 * and the longest run decides `lockAtMostFor`: the file shows none of that.
 */
const SCHEDULED = 'org.springframework.scheduling.annotation.Scheduled';
const LOCKS = new Set(['net.javacrumbs.shedlock.spring.annotation.SchedulerLock', 'net.javacrumbs.shedlock.core.SchedulerLock']);

export function checkJava(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const locked = new Set<number>();
  for (const call of facts.calls) if (call.decorator !== undefined && LOCKS.has(call.api)) locked.add(call.decorator.functionNode.id);
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    if (call.api !== SCHEDULED || call.decorator === undefined || locked.has(call.decorator.functionNode.id)) continue;
    findings.push({
      range: { start: call.calleeStart, end: call.calleeEnd },
      message: '`@Scheduled` runs in every instance of the application: with more than one replica each runs the job at the same time. Guard it with ShedLock\'s `@SchedulerLock` (a single-instance deployment cannot be seen from this file).',
      fixes: [lockFix(facts, call)],
      severity: 'info',
    });
  }
  return findings;
}

function lockFix(facts: FileFacts, scheduled: CallFact): Fix {
  const lock = javaClass(facts, 'net.javacrumbs.shedlock.spring.annotation.SchedulerLock');
  const method = scheduled.decorator?.functionName ?? 'job';
  let owner = scheduled.decorator?.functionNode.parent ?? null;
  while (owner !== null && owner.type !== 'class_declaration') owner = owner.parent;
  const name = owner?.childForFieldName('name')?.text;
  const lines = facts.lines;
  const annotation = `@${lock.name}(name = "${name === undefined ? '' : `${name}.`}${method}", lockAtMostFor = "PT10M")`;
  // On a line of its own, unless the declaration continues on the annotation's line.
  const rest = facts.text.slice(scheduled.end, facts.text.indexOf('\n', scheduled.end) >>> 0).trim();
  const text = rest === '' ? `${lines.eol}${lines.indentAt(scheduled.start)}${annotation}` : ` ${annotation}`;
  return { title: 'Add ShedLock\'s @SchedulerLock', edits: [{ start: scheduled.end, end: scheduled.end, newText: text }, ...lock.edits], safe: false };
}
