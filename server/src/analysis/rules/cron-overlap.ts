import { mapAt, insertMapEntry, scalarValue, pairOf } from '../facts/yaml.js';
import { replaceRange } from '../fixes/edits.js';
import type { Fix } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './rule.js';

/**
 * cron-overlap — a Kubernetes CronJob that lets a run start while the previous one still runs.
 *
 * Why it matters: `concurrencyPolicy` defaults to `Allow`, so a run that outlasts its interval
 * overlaps the next one and two copies of a non-idempotent job do the work twice (chapter 10, R10.1).
 * Fix (safe): `concurrencyPolicy: Forbid`, which skips a run while the previous one is active.
 */
export const cronOverlap: Rule = {
  meta: {
    id: 'cron-overlap',
    ruleRef: 'R10.1',
    chapter: 10,
    description: 'Schedule that can overlap or double-run: a run that outlasts its interval runs beside the next one.',
    defaultSeverity: 'warning',
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
      if (spec === undefined) continue;
      const policy = scalarValue(spec, 'concurrencyPolicy');
      if (policy !== undefined) {
        if (policy.value !== 'Allow') continue;
        findings.push({
          range: policy.range,
          message: 'CronJob with `concurrencyPolicy: Allow`: a run that outlasts its schedule overlaps the next one.',
          fixes: [{ title: 'Set concurrencyPolicy: Forbid', edits: [replaceRange(policy.range.start, policy.range.end, 'Forbid')], safe: true }],
        });
        continue;
      }
      if (pairOf(spec, 'concurrencyPolicy') !== undefined) continue;
      const edit = insertMapEntry(yaml, spec, 'concurrencyPolicy: Forbid', 'schedule');
      const fixes: Fix[] = edit === undefined ? [] : [{ title: 'Add concurrencyPolicy: Forbid', edits: [edit], safe: true }];
      findings.push({
        range: doc.kindRange,
        message: 'CronJob without `concurrencyPolicy`: the default `Allow` lets a slow run overlap the next one.',
        fixes,
      });
    }
    return findings;
  },
};
