import { isScalar } from 'yaml';
import { insertMapEntry, mapAt, pairOf, scalarValue, type YamlFacts, type YamlResource } from '../facts/yaml.js';
import { replaceRange } from '../fixes/edits.js';
import type { Fix } from '../types.js';
import { defineRule, type RawFinding, type Rule, type RuleContext, LOCAL } from './rule.js';

/**
 * cron-missing-deadline — a Kubernetes CronJob without `startingDeadlineSeconds`.
 *
 * What it does: flags a CronJob (a document of the stream, or an item of a `kind: List`) whose
 * `spec` has no `startingDeadlineSeconds`, or sets it to null.
 *
 * Why it matters: with no deadline, a run missed while the controller was down may start late at
 * an unexpected hour, and after too many missed schedules the controller reports an error instead
 * of starting the job (chapter 10, R10.2).
 *
 * Example:
 *
 *     kind: CronJob
 *     spec:
 *       schedule: "0 3 * * *"
 *
 * Use instead:
 *
 *     kind: CronJob
 *     spec:
 *       schedule: "0 3 * * *"
 *       startingDeadlineSeconds: 300
 *
 * Fix (safe): a deadline of half the schedule's interval when the interval is a plain `*\/N`
 * minutes, else 300 s; added after `concurrencyPolicy` (or `schedule`) at the map's indentation.
 */
export const cronMissingDeadline: Rule = defineRule(
  {
    id: 'cron-missing-deadline',
    ruleRef: 'R10.2',
    chapter: 10,
    description: 'CronJob without startingDeadlineSeconds: missed runs start late, or stop being scheduled.',
    defaultSeverity: 'info',
    fix: 'safe',
  },
  {
    yaml(context: RuleContext): RawFinding[] {
      const yaml = context.yaml;
      if (yaml === undefined) return [];
      const findings: RawFinding[] = [];
      for (const resource of yaml.resources) {
        const finding = checkCronJob(yaml, resource);
        if (finding !== undefined) findings.push(finding);
      }
      return findings;
    },
  },
  { yaml: LOCAL },
);

const MESSAGE = 'CronJob without `startingDeadlineSeconds`: a missed run may start late, or not at all after many misses.';

function checkCronJob(yaml: YamlFacts, resource: YamlResource): RawFinding | undefined {
  if (resource.kind !== 'CronJob' || resource.kindRange === undefined) return undefined;
  const spec = mapAt(resource.root, 'spec');
  if (spec === undefined) return undefined;
  const schedule = scalarValue(spec, 'schedule');
  const seconds = deadlineFor(typeof schedule?.value === 'string' ? schedule.value : undefined);
  const present = pairOf(spec, 'startingDeadlineSeconds');
  if (present !== undefined) {
    // `startingDeadlineSeconds: null` (or `~`, or nothing) is the same as leaving it out.
    const value = present.value;
    if (!isScalar(value) || value.value !== null || value.range == null) return undefined;
    const [start, end] = value.range;
    return {
      range: resource.kindRange,
      message: MESSAGE,
      fixes: [{ title: `Set startingDeadlineSeconds: ${seconds}`, edits: [replaceRange(start, end, start === end ? ` ${seconds}` : String(seconds))], safe: true }],
    };
  }
  const after = pairOf(spec, 'concurrencyPolicy') !== undefined ? 'concurrencyPolicy' : 'schedule';
  const edit = insertMapEntry(yaml, spec, `startingDeadlineSeconds: ${seconds}`, after);
  const fixes: Fix[] = edit === undefined ? [] : [{ title: `Add startingDeadlineSeconds: ${seconds}`, edits: [edit], safe: true }];
  return { range: resource.kindRange, message: MESSAGE, fixes };
}

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
