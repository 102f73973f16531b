import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { TextRange } from '../types.js';
import { mapAt, pairOf, type YamlFacts } from './yaml.js';

/**
 * Schedule files of sidekiq-cron and sidekiq-scheduler: a map from job names to entries that say
 * when (`cron`, or sidekiq-scheduler's `every`, `at`, `in`, `interval`) and what (`class`, which
 * sidekiq-scheduler lets the name stand for). The file is loaded by code the core does not see
 * (`config/schedule.yml`, an initializer), so it is recognised by its shape, and only when every
 * entry of the map is such a job: a map with one string (or, for `every`, a list) under a timing
 * key. The same map under `:schedule:` or `:scheduler: :schedule:` of `sidekiq.yml` counts too.
 * A Kubernetes object (`kind:`) never does. Each job is a schedule signal on its timing value.
 */
export interface SidekiqSchedule {
  readonly api: 'sidekiq-cron' | 'sidekiq-scheduler';
  readonly range: TextRange;
}

const CRON_KEYS = ['cron'];
/** Timing keys only sidekiq-scheduler reads (rufus-scheduler's `every`, `at`, `in`, `interval`). */
const SCHEDULER_KEYS = ['every', 'at', 'in', 'interval'];
const NESTED: readonly (readonly string[])[] = [[':schedule'], ['schedule'], [':scheduler', ':schedule'], ['scheduler', 'schedule']];

export function sidekiqSchedulesOf(yaml: YamlFacts): SidekiqSchedule[] {
  const found: SidekiqSchedule[] = [];
  for (const { root } of yaml.documents) {
    if (root === undefined || pairOf(root, 'kind') !== undefined) continue;
    const nested = NESTED.map((path) => mapAt(root, ...path)).find((m) => m !== undefined);
    found.push(...jobsOf(nested ?? root, nested !== undefined));
  }
  return found;
}

function jobsOf(map: YAMLMap, underSchedule: boolean): SidekiqSchedule[] {
  const jobs: { key: string; range: TextRange }[] = [];
  for (const item of map.items) {
    if (!isMap(item.value)) return [];
    const timing = [...CRON_KEYS, ...SCHEDULER_KEYS].map((k) => ({ key: k, pair: pairOf(item.value as YAMLMap, k) })).find((t) => t.pair !== undefined);
    const value = timing?.pair?.value;
    const range = isScalar(value) && typeof value.value === 'string' ? value.range : timing?.key === 'every' && isSeq(value) ? value.range : undefined;
    const klass = pairOf(item.value, 'class')?.value;
    if (timing === undefined || range == null || (klass !== undefined && !(isScalar(klass) && typeof klass.value === 'string'))) return [];
    jobs.push({ key: timing.key, range: { start: range[0], end: range[1] } });
  }
  // sidekiq-cron needs `class` and reads only `cron`; a file under `:schedule:` or with another timing key is sidekiq-scheduler's.
  const api = underSchedule || jobs.some((j) => SCHEDULER_KEYS.includes(j.key)) ? 'sidekiq-scheduler' : 'sidekiq-cron';
  return jobs.map((j) => ({ api, range: j.range }));
}

/** Keys of Sidekiq's own configuration file, written as symbols (`:queues:`) or plain. */
const SIDEKIQ_KEYS = [':queues', 'queues', ':concurrency', 'concurrency', ':capsules', 'capsules'];

/**
 * Sidekiq's global retry count in its configuration file (`config/sidekiq.yml`): `:max_retries: 9`,
 * which the Sidekiq process loads into its configuration, where every job that does not set its
 * own `retry:` reads it in place of the default 25. Recognised only beside another key of that file
 * (`:queues:`, `:concurrency:`, `:capsules:`), since `max_retries` is a common name elsewhere.
 */
export function sidekiqMaxRetriesOf(yaml: YamlFacts): TextRange[] {
  const found: TextRange[] = [];
  for (const { root } of yaml.documents) {
    if (root === undefined || !SIDEKIQ_KEYS.some((k) => pairOf(root, k) !== undefined)) continue;
    const pair = pairOf(root, ':max_retries') ?? pairOf(root, 'max_retries');
    const key = pair?.key;
    if (isScalar(key) && key.range != null && isScalar(pair?.value)) found.push({ start: key.range[0], end: key.range[1] });
  }
  return found;
}
