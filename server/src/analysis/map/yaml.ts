import { isMap, isScalar } from 'yaml';
import { workflowsOf } from '../facts/workflow.js';
import { mapAt, scalarValue, type YamlFacts } from '../facts/yaml.js';
import { EMPTY_MAP_FACTS, retry, setting, type MapFileFacts, type ScheduleFact, type TaskFact } from './facts.js';

/**
 * The task map's facts of a YAML file: Kubernetes CronJobs (schedules) and Jobs (tasks that retry
 * failed pods `backoffLimit` times, 6 by default), GitHub Actions schedules, and sidekiq-cron
 * schedule files (entries with `cron` and `class`, the job they enqueue).
 */
export function yamlMapFacts(yaml: YamlFacts): MapFileFacts {
  const line = (offset: number): number => yaml.lines.lineOf(offset) + 1;
  const schedules: ScheduleFact[] = [];
  const tasks: TaskFact[] = [];
  for (const resource of yaml.resources) {
    const at = resource.kindRange?.start ?? resource.root.range?.[0] ?? 0;
    const end = resource.root.range?.[1] ?? at;
    const name = scalarValue(mapAt(resource.root, 'metadata'), 'name')?.value;
    if (resource.kind === 'CronJob') {
      const schedule = scalarValue(mapAt(resource.root, 'spec'), 'schedule')?.value;
      schedules.push({ name: typeof name === 'string' ? name : 'CronJob', framework: 'kubernetes', line: line(at), endLine: line(end), schedule: typeof schedule === 'string' ? schedule : null, task: null });
    } else if (resource.kind === 'Job') {
      const limit = scalarValue(mapAt(resource.root, 'spec'), 'backoffLimit');
      const retries = typeof limit?.value === 'number' ? limit.value : limit === undefined ? 6 : undefined;
      tasks.push({
        name: typeof name === 'string' ? name : 'Job',
        framework: 'kubernetes',
        line: line(at),
        endLine: line(end),
        names: [],
        ...(retries === undefined ? {} : { retry: setting(retry(retries + 1, retries === 0 ? 'none' : 'exponential', null), limit === undefined ? 'framework default' : 'task option', limit === undefined ? line(at) : line(limit.range.start)) }),
        effects: [],
        calls: [],
      });
    }
  }
  for (const workflow of workflowsOf(yaml)) {
    if (workflow.crons.length === 0) continue;
    const name = scalarValue(workflow.root, 'name')?.value;
    const first = workflow.crons[0];
    schedules.push({ name: typeof name === 'string' ? name : 'workflow', framework: 'github-actions', line: first === undefined ? 1 : line(first.start), endLine: line(workflow.root.range?.[1] ?? 0), schedule: workflow.cronValues.join(', ') || null, task: null });
  }
  for (const document of yaml.documents) {
    if (document.root === undefined || document.kind !== undefined || workflowsOf(yaml).some((w) => w.root === document.root)) continue;
    for (const pair of document.root.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const cron = scalarValue(pair.value, 'cron')?.value;
      const job = scalarValue(pair.value, 'class')?.value;
      if (typeof cron !== 'string' || typeof job !== 'string') continue;
      const at = pair.key.range?.[0] ?? 0;
      schedules.push({ name: String(pair.key.value), framework: 'sidekiq-cron', line: line(at), endLine: line(pair.value.range?.[1] ?? at), schedule: cron, task: { kind: 'name', name: job } });
    }
  }
  return tasks.length === 0 && schedules.length === 0 ? EMPTY_MAP_FACTS : { ...EMPTY_MAP_FACTS, tasks, schedules };
}
