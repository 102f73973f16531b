import type { Node } from 'web-tree-sitter';
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
 * On Spring's default scheduler (a single thread) a scheduled method does not run beside itself
 * within one instance, and a `fixedDelay` task waits for its previous run on every scheduler
 * (virtual threads included). The risk is the replicas, so these are left alone:
 * - `fixedDelay` (or `fixedDelayString`) without `cron`: the next run is timed from the end of the
 *   last one, which is how a service polls a shared queue, refreshes its own listeners or caches
 *   and reports its gauges, work that each replica is meant to do for itself;
 * - a method whose body only logs: there is nothing to do twice.
 * A `cron` or `fixedRate` job is reported: it names a slot in time, the shape of work that must
 * happen once per period (a nightly invoice run, a timeout sweep).
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
    if (perInstanceLoop(call) || onlyLogs(call.decorator.functionNode)) continue;
    findings.push({
      range: { start: call.calleeStart, end: call.calleeEnd },
      message: '`@Scheduled` runs in every instance of the application: with more than one replica each runs the job at the same time. Guard it with ShedLock\'s `@SchedulerLock` (a single-instance deployment cannot be seen from this file).',
      fixes: [lockFix(facts, call)],
      severity: 'info',
    });
  }
  return findings;
}

/** `fixedDelay` with no `cron`: a loop timed from the end of the last run, not a slot in time. */
function perInstanceLoop(scheduled: CallFact): boolean {
  const named = scheduled.args?.keywords;
  if (named === undefined || named.has('cron')) return false;
  return named.has('fixedDelay') || named.has('fixedDelayString');
}

const LOGGER = /^(log|logger|LOG|LOGGER|Log|Logger|System\.(out|err))$/;

/** Every statement of the method is a call on a logger (or `System.out`): the job changes nothing. */
function onlyLogs(method: Node): boolean {
  const body = method.childForFieldName('body');
  const statements = body?.namedChildren.filter((s) => s !== null && s.type !== 'line_comment' && s.type !== 'block_comment') ?? [];
  if (statements.length === 0) return false;
  return statements.every((s) => {
    const expression = s?.type === 'expression_statement' ? s.namedChild(0) : null;
    const object = expression?.type === 'method_invocation' ? expression.childForFieldName('object') : null;
    return object !== null && object !== undefined && LOGGER.test(object.text);
  });
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
