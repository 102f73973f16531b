import { insertMapEntry, mapAt, pairOf, scalarValue } from '../facts/yaml.js';
import type { Fix } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './rule.js';

/**
 * cron-missing-deadline — a Kubernetes CronJob without `startingDeadlineSeconds`.
 *
 * Why it matters: with no deadline, a run missed while the controller was down may start late at
 * an unexpected hour, and after too many missed schedules the controller reports an error instead
 * of starting the job (chapter 10, R10.2).
 * Fix (safe): a deadline of half the schedule's interval when the interval is plain, else 300 s.
 */
export const cronMissingDeadline: Rule = {
  meta: {
    id: 'cron-missing-deadline',
    ruleRef: 'R10.2',
    chapter: 10,
    description: 'CronJob without startingDeadlineSeconds: missed runs start late, or stop being scheduled.',
    defaultSeverity: 'info',
    languages: ['yaml'],
    fix: 'safe',
  },
  check(context: RuleContext): RawFinding[] {
    const yaml = context.yaml;
    if (yaml === undefined) return [];
    const findings: RawFinding[] = [];
    for (const doc of yaml.documents) {
      if (doc.kind !== 'CronJob' || doc.kindRange === undefined) continue;
      const spec = mapAt(doc.root, 'spec');
      if (spec === undefined || pairOf(spec, 'startingDeadlineSeconds') !== undefined) continue;
      const schedule = scalarValue(spec, 'schedule');
      const seconds = deadlineFor(typeof schedule?.value === 'string' ? schedule.value : undefined);
      const after = pairOf(spec, 'concurrencyPolicy') !== undefined ? 'concurrencyPolicy' : 'schedule';
      const edit = insertMapEntry(yaml, spec, `startingDeadlineSeconds: ${seconds}`, after);
      const fixes: Fix[] = edit === undefined ? [] : [{ title: `Add startingDeadlineSeconds: ${seconds}`, edits: [edit], safe: true }];
      findings.push({
        range: doc.kindRange,
        message: 'CronJob without `startingDeadlineSeconds`: a missed run may start late, or not at all after many misses.',
        fixes,
      });
    }
    return findings;
  },
};

/**
 * Half the interval of `*\/N` minute schedules (at least 10 s, which the controller needs), and
 * 300 s for anything hourly or slower.
 */
export function deadlineFor(schedule: string | undefined): number {
  const minute = schedule?.trim().split(/\s+/)[0];
  if (minute === '*') return 30;
  const step = minute === undefined ? undefined : /^\*\/(\d+)$/.exec(minute)?.[1];
  if (step !== undefined) return Math.max(10, Math.min(300, Number(step) * 30));
  return 300;
}
