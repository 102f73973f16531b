import { workflowsOf, indentUnit, type Workflow } from '../../facts/workflow.js';
import { keyRange, type YamlFacts } from '../../facts/yaml.js';
import type { Fix } from '../../types.js';
import type { RawFinding } from '../rule.js';

/**
 * cron-overlap in GitHub Actions: a scheduled workflow with no `concurrency`, at the top level or
 * on every job. Scheduled runs can start late under load and a run can outlast its interval; a
 * concurrency group keeps at most one running (and one pending). Reported as information: most
 * scheduled workflows are short and run far apart, which the file cannot show.
 *
 * Fix (safe): a top-level `concurrency` block before `jobs`, grouped by workflow, without
 * cancelling the run in progress.
 */
export function checkWorkflows(yaml: YamlFacts): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const workflow of workflowsOf(yaml)) {
    if (workflow.scheduleKey === undefined || workflow.crons.length === 0) continue;
    if (workflow.concurrency || workflow.everyJobConcurrent) continue;
    findings.push({
      range: workflow.scheduleKey,
      message: 'Scheduled workflow without `concurrency`: a run that starts late or outlasts its interval overlaps the next one.',
      fixes: concurrencyFix(yaml, workflow),
      severity: 'info',
    });
  }
  return findings;
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
