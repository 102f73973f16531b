import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { workflowsOf, indentUnit, type Workflow } from '../../facts/workflow.js';
import { keyRange, mapAt, pairOf, type YamlFacts } from '../../facts/yaml.js';
import type { Fix } from '../../types.js';
import type { RawFinding } from '../rule.js';
import { runsCloserThan } from './cron-period.js';

/**
 * cron-overlap in GitHub Actions: a scheduled workflow with no `concurrency`, at the top level or
 * on every job. Scheduled runs can start late under load and a run can outlast its interval; a
 * concurrency group keeps at most one running (and one pending). Reported as information: most
 * scheduled workflows are short and run far apart, which the file cannot show.
 *
 * Not reported when the file shows that runs cannot overlap: GitHub cancels a job after its
 * `timeout-minutes` (360 by default), so a run lasts at most the longest chain of jobs through
 * `needs`, each at its limit. When every two consecutive scheduled starts are at least that far
 * apart (a daily or weekly schedule, or a half-hourly one whose jobs all have
 * `timeout-minutes: 20`), no run can still be going when the next starts. A limit written as an
 * expression makes the length unknown, and the workflow is reported as before. A job that calls a
 * reusable workflow counts as a chain of two jobs at the default limit (12 hours): its own jobs
 * set their limits in a file this one does not show, and reusable workflows are mostly one or two
 * jobs (a build and its publish, a probe, a pager or a notification). Counted so, a nightly
 * workflow with a job or two before its call (a check, then the results it passes on, at their
 * six-hour defaults) still ends before the next night; four jobs' worth for the call alone would
 * fill the whole day and report every nightly workflow that calls one. A call on a schedule closer
 * than that is still reported. Time a job spends queued for a runner does not count towards its
 * limit; a queue that long is not something this file can show.
 *
 * Fix (safe): a top-level `concurrency` block before `jobs`, grouped by workflow, without
 * cancelling the run in progress.
 */
export function checkWorkflows(yaml: YamlFacts): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const workflow of workflowsOf(yaml)) {
    if (workflow.scheduleKey === undefined || workflow.crons.length === 0) continue;
    if (workflow.concurrency || workflow.everyJobConcurrent) continue;
    const longest = longestRunMinutes(workflow);
    if (longest !== undefined && workflow.cronValues.length === workflow.crons.length && runsCloserThan(workflow.cronValues, longest) === false) continue;
    findings.push({
      // On the first cron line, which sets the interval (and carries the schedule signal); the `schedule` key when none is a string.
      range: workflow.crons[0] ?? workflow.scheduleKey,
      message: 'Scheduled workflow without `concurrency`: a run that starts late or outlasts its interval overlaps the next one.',
      fixes: concurrencyFix(yaml, workflow),
      severity: 'info',
    });
  }
  return findings;
}

/** GitHub's limit for a job with no `timeout-minutes`. */
const DEFAULT_JOB_TIMEOUT_MINUTES = 360;
/** What a call to a reusable workflow is taken to last: two chained jobs at the default limit. */
const REUSABLE_WORKFLOW_MINUTES = 2 * DEFAULT_JOB_TIMEOUT_MINUTES;

/** The longest a run can last: the heaviest chain of jobs through `needs`; undefined when unknown. */
function longestRunMinutes(workflow: Workflow): number | undefined {
  const jobs = mapAt(workflow.root, 'jobs');
  if (jobs === undefined) return undefined;
  const byName = new Map<string, YAMLMap>();
  for (const item of jobs.items) {
    if (!isScalar(item.key) || !isMap(item.value)) return undefined;
    byName.set(String(item.key.value), item.value);
  }
  const memo = new Map<string, number | undefined>();
  const visiting = new Set<string>();
  const finish = (name: string): number | undefined => {
    if (memo.has(name)) return memo.get(name);
    const job = byName.get(name);
    if (job === undefined || visiting.has(name)) return undefined;
    visiting.add(name);
    const own = jobLimit(job);
    let before = 0;
    for (const need of needsOf(job)) {
      const at = need === undefined ? undefined : finish(need);
      if (at === undefined) {
        before = Number.NaN;
        break;
      }
      before = Math.max(before, at);
    }
    visiting.delete(name);
    const total = own === undefined || Number.isNaN(before) ? undefined : before + own;
    memo.set(name, total);
    return total;
  };
  let longest = 0;
  for (const name of byName.keys()) {
    const total = finish(name);
    if (total === undefined) return undefined;
    longest = Math.max(longest, total);
  }
  return longest;
}

function jobLimit(job: YAMLMap): number | undefined {
  if (pairOf(job, 'uses') !== undefined) return REUSABLE_WORKFLOW_MINUTES;
  const pair = pairOf(job, 'timeout-minutes');
  if (pair === undefined) return DEFAULT_JOB_TIMEOUT_MINUTES;
  const value = isScalar(pair.value) ? pair.value.value : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `needs: build` or `needs: [build, test]`; an entry that is not a plain name is undefined. */
function needsOf(job: YAMLMap): (string | undefined)[] {
  const value = pairOf(job, 'needs')?.value;
  if (value === undefined || value === null) return [];
  if (isScalar(value)) return [typeof value.value === 'string' ? value.value : undefined];
  if (isSeq(value)) return value.items.map((item) => (isScalar(item) && typeof item.value === 'string' ? item.value : undefined));
  return [undefined];
}

function concurrencyFix(yaml: YamlFacts, workflow: Workflow): Fix[] {
  const jobs = keyRange(workflow.jobsPair);
  if (jobs === undefined || workflow.root.flow === true) return [];
  const lines = yaml.lines;
  const indent = ' '.repeat(jobs.start - lines.lineStart(lines.lineOf(jobs.start)));
  const inner = `${indent}${indentUnit(yaml, workflow)}`;
  const eol = lines.eol;
  const block = `concurrency:${eol}${inner}group: \${{ github.workflow }}${eol}${inner}cancel-in-progress: false${eol}${indent}`;
  return [{ title: 'Add a concurrency group', edits: [{ start: jobs.start, end: jobs.start, newText: block }], safe: true }];
}
