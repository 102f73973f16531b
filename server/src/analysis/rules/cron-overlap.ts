import { insertMapEntry, isArgoCronWorkflow, mapAt, pairOf, type YamlFacts, type YamlResource } from '../facts/yaml.js';
import { replaceRange } from '../fixes/edits.js';
import type { Fix } from '../types.js';
import { isScalar } from 'yaml';
import { checkGo } from './cron-overlap/go.js';
import { checkJava } from './cron-overlap/java.js';
import { checkJavaScript } from './cron-overlap/javascript.js';
import { checkPython } from './cron-overlap/python.js';
import { checkWorkflows } from './cron-overlap/workflow.js';
import { defineRule, forJavaScript, type RawFinding, type Rule, type RuleContext, LOCAL } from './rule.js';
import { DISPATCH_METHOD, LOCK_METHOD } from './cron-overlap/go.js';

/**
 * cron-overlap — a Kubernetes CronJob that lets a run start while the previous one still runs.
 *
 * What it does: flags a CronJob (a document of the stream, or an item of a `kind: List`) whose
 * `spec` has no `concurrencyPolicy`, an empty one, or `concurrencyPolicy: Allow`; and an Argo
 * CronWorkflow the same way, whose `spec` mimics the CronJob's with the same default.
 *
 * Also, reported as information because the file cannot show how long a run takes or how many
 * replicas run it: scheduled GitHub Actions workflows without `concurrency`
 * (`cron-overlap/workflow.ts`), Spring `@Scheduled` without ShedLock (`cron-overlap/java.ts`),
 * robfig/cron without `SkipIfStillRunning` (`cron-overlap/go.ts`), node-cron and cron async tasks
 * without their no-overlap option (`cron-overlap/javascript.ts`) and APScheduler jobs on a
 * scheduler embedded in a service (`cron-overlap/python.ts`).
 *
 * Why it matters: `concurrencyPolicy` defaults to `Allow`, so a run that outlasts its interval
 * overlaps the next one and two copies of a non-idempotent job do the work twice (chapter 10, R10.1).
 *
 * Example:
 *
 *     kind: CronJob
 *     spec:
 *       schedule: "*\/5 * * * *"
 *
 * Use instead:
 *
 *     kind: CronJob
 *     spec:
 *       schedule: "*\/5 * * * *"
 *       concurrencyPolicy: Forbid
 *
 * Fix (safe): `concurrencyPolicy: Forbid`, which skips a run while the previous one is active. It is
 * added on the line after `schedule` at the map's own indentation (or appended to a flow map).
 * `Replace` is the other choice when the newest run matters more than the running one; the book
 * explains when.
 */
export const cronOverlap: Rule = defineRule(
  {
    id: 'cron-overlap',
    ruleRef: 'R10.1',
    chapter: 10,
    description: 'Schedule that can overlap or double-run: a run that outlasts its interval runs beside the next one.',
    defaultSeverity: 'warning',
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
      findings.push(...checkWorkflows(yaml));
      return findings;
    },
    java: checkJava,
    go: checkGo,
    ...forJavaScript(checkJavaScript),
    python: checkPython,
  },
  {
    yaml: LOCAL,
    java: LOCAL,
    // A job that takes a lock or hands its work to a queue anywhere in the file is not reported.
    go: { calls: [new RegExp(LOCK_METHOD), new RegExp(DISPATCH_METHOD)] },
    ...forJavaScript(LOCAL),
    python: LOCAL,
  },
);

/**
 * A Kubernetes CronJob, or an Argo CronWorkflow: Argo's `spec` mimics the CronJob's, with the same
 * `concurrencyPolicy` (`Allow` by default, `Forbid`, `Replace`) beside `schedule` or, from Argo
 * 3.6, a `schedules` list.
 */
function checkCronJob(yaml: YamlFacts, resource: YamlResource): RawFinding | undefined {
  if (resource.kindRange === undefined || (resource.kind !== 'CronJob' && !isArgoCronWorkflow(resource))) return undefined;
  const kind = resource.kind ?? 'CronJob';
  const spec = mapAt(resource.root, 'spec');
  if (spec === undefined) return undefined;
  const pair = pairOf(spec, 'concurrencyPolicy');
  const value = pair?.value;
  if (pair !== undefined) {
    // Only a plain scalar can be judged: an alias or a template expression is left alone.
    if (!isScalar(value) || value.range == null) return undefined;
    const policy = value.value;
    if (policy !== 'Allow' && policy !== null) return undefined;
    const range = { start: value.range[0], end: value.range[1] };
    // An empty value (`concurrencyPolicy:`) has an empty range: the fix then inserts after the colon.
    const newText = range.start === range.end ? ' Forbid' : 'Forbid';
    return {
      range: policy === null ? resource.kindRange : range,
      message: policy === null
        ? `${kind} with an empty \`concurrencyPolicy\`: the default \`Allow\` lets a slow run overlap the next one.`
        : `${kind} with \`concurrencyPolicy: Allow\`: a run that outlasts its schedule overlaps the next one.`,
      fixes: [{ title: 'Set concurrencyPolicy: Forbid', edits: [replaceRange(range.start, range.end, newText)], safe: true }],
    };
  }
  const edit = insertMapEntry(yaml, spec, 'concurrencyPolicy: Forbid', pairOf(spec, 'schedule') === undefined && pairOf(spec, 'schedules') !== undefined ? 'schedules' : 'schedule');
  const fixes: Fix[] = edit === undefined ? [] : [{ title: 'Add concurrencyPolicy: Forbid', edits: [edit], safe: true }];
  return {
    range: resource.kindRange,
    message: `${kind} without \`concurrencyPolicy\`: the default \`Allow\` lets a slow run overlap the next one.`,
    fixes,
  };
}

