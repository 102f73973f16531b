import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { TextRange } from '../types.js';
import { keyRange, mapAt, pairOf, type YamlFacts } from './yaml.js';

/**
 * GitHub Actions workflows in a YAML stream. The path (`.github/workflows/`) is not visible to the
 * core, so a document is a workflow by its structure: a top-level map with `on` and `jobs`.
 */
export interface Workflow {
  readonly root: YAMLMap;
  /** The `schedule` key under `on`, when the workflow runs on a schedule. */
  readonly scheduleKey: TextRange | undefined;
  /** Each `- cron: '...'` value of the schedule. */
  readonly crons: readonly TextRange[];
  /** The same cron expressions as text (a value that is not a string is left out). */
  readonly cronValues: readonly string[];
  /** `concurrency` at the top level. */
  readonly concurrency: boolean;
  /** Every job sets its own `concurrency` (and there is at least one job). */
  readonly everyJobConcurrent: boolean;
  readonly jobsPair: Pair;
}

const cache = new WeakMap<YamlFacts, readonly Workflow[]>();

export function workflowsOf(yaml: YamlFacts): readonly Workflow[] {
  const known = cache.get(yaml);
  if (known !== undefined) return known;
  const found: Workflow[] = [];
  for (const { root } of yaml.documents) {
    if (root === undefined) continue;
    const on = onPair(root);
    const jobsPair = pairOf(root, 'jobs');
    if (on === undefined || jobsPair === undefined || !isMap(jobsPair.value)) continue;
    const triggers = isMap(on.value) ? on.value : undefined;
    const schedulePair = triggers === undefined ? undefined : pairOf(triggers, 'schedule');
    const crons: TextRange[] = [];
    const cronValues: string[] = [];
    if (isSeq(schedulePair?.value)) {
      for (const item of schedulePair.value.items) {
        const cron = isMap(item) ? pairOf(item, 'cron')?.value : undefined;
        if (isScalar(cron) && cron.range != null) crons.push({ start: cron.range[0], end: cron.range[1] });
        if (isScalar(cron) && typeof cron.value === 'string') cronValues.push(cron.value);
      }
    }
    const jobs = jobsPair.value.items.map((job) => (isMap(job.value) ? job.value : undefined));
    found.push({
      root,
      scheduleKey: schedulePair === undefined ? undefined : keyRange(schedulePair),
      crons,
      cronValues,
      concurrency: pairOf(root, 'concurrency') !== undefined,
      everyJobConcurrent: jobs.length > 0 && jobs.every((job) => job !== undefined && pairOf(job, 'concurrency') !== undefined),
      jobsPair,
    });
  }
  cache.set(yaml, found);
  return found;
}

/** `on:`; a YAML 1.1 reader turns an unquoted `on` into `true`, so that key counts too. */
function onPair(root: YAMLMap): Pair | undefined {
  return pairOf(root, 'on') ?? root.items.find((item) => isScalar(item.key) && item.key.value === true && item.key.source === 'on');
}

/** The indentation one level below the top of a workflow (from its jobs' keys), two spaces when unknown. */
export function indentUnit(yaml: YamlFacts, workflow: Workflow): string {
  const jobs = mapAt(workflow.root, 'jobs');
  const first = jobs?.items[0];
  const top = keyRange(workflow.jobsPair);
  const inner = first === undefined ? undefined : keyRange(first);
  if (top === undefined || inner === undefined || jobs?.flow === true) return '  ';
  const column = (offset: number): number => offset - yaml.lines.lineStart(yaml.lines.lineOf(offset));
  const width = column(inner.start) - column(top.start);
  return width > 0 ? ' '.repeat(width) : '  ';
}
