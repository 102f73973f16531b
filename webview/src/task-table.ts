/**
 * The Tasks tab's view model: the task map as table rows, sorted and filtered, and its schedules.
 * Pure data in, pure data out, so the unit tests check the order and the filter without a DOM.
 */
import type { MapSchedule, MapTask, TaskMap } from '../../server/src/protocol';
import { cellsOf, taskKey, type TaskCells } from '../../server/src/catalog/task-settings';

export { cellsOf, taskKey };

export type TaskColumn = 'task' | 'framework' | 'retries' | 'backoff' | 'jitter' | 'acks' | 'timeLimit' | 'callers' | 'sideEffects' | 'findings';

export const TASK_COLUMNS: readonly { readonly column: TaskColumn; readonly label: string; readonly title: string }[] = [
  { column: 'task', label: 'Task', title: 'The name the framework registers' },
  { column: 'framework', label: 'Framework', title: 'The task framework' },
  { column: 'retries', label: 'Attempts', title: 'Runs in all, the first included (retries plus one); ∞ when unbounded' },
  { column: 'backoff', label: 'Backoff', title: 'How a retry waits between attempts' },
  { column: 'jitter', label: 'Jitter', title: 'Whether the wait between attempts is randomised' },
  { column: 'acks', label: 'Acks', title: 'When the message is acknowledged: early (on receipt) or late (after the task ran)' },
  { column: 'timeLimit', label: 'Time limit', title: 'The hard time limit of one run' },
  { column: 'callers', label: 'Callers', title: 'Places in the project that enqueue the task' },
  { column: 'sideEffects', label: 'Side effects', title: 'Calls, sends, payments, enqueues and writes of the task body and its helpers' },
  { column: 'findings', label: 'Findings', title: 'Findings on the task, its settings and its enqueue sites' },
];

const COLUMN_IDS: ReadonlySet<string> = new Set(TASK_COLUMNS.map((c) => c.column));

export function isTaskColumn(value: unknown): value is TaskColumn {
  return typeof value === 'string' && COLUMN_IDS.has(value);
}

/** A column and a direction; null is the default order, rows with findings first. */
export type TaskSort = { readonly column: TaskColumn; readonly descending: boolean } | null;

export interface TaskQuery {
  readonly filter: string;
  readonly onlyFindings: boolean;
  readonly sort: TaskSort;
}

export interface TaskRow {
  /** Stable across map updates as long as the task stays where it is: name, file and line. */
  readonly key: string;
  readonly task: MapTask;
  readonly cells: TaskCells;
}

export interface TaskTable {
  readonly rows: readonly TaskRow[];
  readonly schedules: readonly MapSchedule[];
  readonly total: number;
  readonly totalSchedules: number;
  /** Tasks with at least one finding, whether or not the filter shows them. */
  readonly withFindings: number;
}

const BACKOFF_ORDER: Readonly<Record<string, number>> = { none: 0, fixed: 1, exponential: 2 };

/** A sortable value per column; undefined where the project does not say, which sorts last either way. */
function sortValue(task: MapTask, column: TaskColumn): string | number | undefined {
  switch (column) {
    case 'task':
      return task.name.toLowerCase();
    case 'framework':
      return task.framework;
    case 'retries':
      return task.retry === null ? undefined : task.retry.maxAttempts ?? Number.POSITIVE_INFINITY;
    case 'backoff':
      return task.retry?.backoff === null || task.retry === null ? undefined : BACKOFF_ORDER[task.retry.backoff];
    case 'jitter':
      return task.retry === null || task.retry.jitter === null ? undefined : Number(task.retry.jitter);
    case 'acks':
      return task.acksLate === null ? undefined : Number(task.acksLate);
    case 'timeLimit':
      return task.timeLimit ?? undefined;
    case 'callers':
      return task.enqueuedFrom.length;
    case 'sideEffects':
      return task.sideEffects.length;
    case 'findings':
      return task.findings.length;
  }
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  return String(a).localeCompare(String(b));
}

/** The default order: the tasks with most findings first, then by name and place. */
function byFindingsThenName(a: MapTask, b: MapTask): number {
  return b.findings.length - a.findings.length || a.name.localeCompare(b.name) || a.file.localeCompare(b.file) || a.line - b.line;
}

export function compareTasks(a: MapTask, b: MapTask, sort: TaskSort): number {
  if (sort === null) return byFindingsThenName(a, b);
  const va = sortValue(a, sort.column);
  const vb = sortValue(b, sort.column);
  if (va === undefined || vb === undefined) {
    if (va !== vb) return va === undefined ? 1 : -1;
    return byFindingsThenName(a, b);
  }
  const order = compareValues(va, vb);
  return (sort.descending ? -order : order) || byFindingsThenName(a, b);
}

/** The next sort when a column's header is chosen: ascending, then descending, then the default order. */
export function nextSort(current: TaskSort, column: TaskColumn): TaskSort {
  if (current === null || current.column !== column) return { column, descending: false };
  return current.descending ? null : { column, descending: true };
}

function taskText(task: MapTask): string {
  const c = cellsOf(task);
  return [
    task.name, task.framework, task.file, task.queue ?? '', c.backoff, `acks:${c.acks}`,
    ...task.sideEffects.flatMap((s) => [s.kind, s.api, s.file, ...(s.via ?? [])]),
    ...task.enqueuedFrom.map((e) => e.file),
    ...task.findings.map((f) => f.rule),
  ].join(' ').toLowerCase();
}

function scheduleText(schedule: MapSchedule): string {
  return [schedule.name, schedule.framework, schedule.file, schedule.schedule ?? '', schedule.task ?? '', ...schedule.findings.map((f) => f.rule)].join(' ').toLowerCase();
}

/**
 * Every word of the filter must occur in the task's name, framework, queue, file, backoff, side
 * effects (kind, API, helpers), caller files or finding rules; `acks:early` and `acks:late` match
 * the acknowledgement mode.
 */
export function taskTable(map: TaskMap, query: TaskQuery): TaskTable {
  const words = query.filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const matches = (text: string): boolean => words.every((w) => text.includes(w));
  const rows = map.tasks
    .filter((t) => (!query.onlyFindings || t.findings.length > 0) && matches(taskText(t)))
    .sort((a, b) => compareTasks(a, b, query.sort))
    .map((task): TaskRow => ({ key: taskKey(task), task, cells: cellsOf(task) }));
  const schedules = map.schedules
    .filter((s) => (!query.onlyFindings || s.findings.length > 0) && matches(scheduleText(s)))
    .sort((a, b) => b.findings.length - a.findings.length || a.name.localeCompare(b.name));
  return { rows, schedules, total: map.tasks.length, totalSchedules: map.schedules.length, withFindings: map.tasks.filter((t) => t.findings.length > 0).length };
}

/** Side effect kinds as a reader says them. */
export const EFFECT_LABELS: Readonly<Record<string, string>> = {
  'http-call': 'HTTP call',
  notify: 'notification',
  payment: 'payment',
  enqueue: 'enqueue',
  'db-write': 'database write',
};

/** A one-line summary of a task's side effects by kind: `2 HTTP calls, 1 payment`. */
export function effectSummary(task: MapTask): string {
  const counts = new Map<string, number>();
  for (const s of task.sideEffects) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => {
    const label = EFFECT_LABELS[kind] ?? kind;
    return `${n} ${n === 1 ? label : `${label}s`}`;
  }).join(', ');
}
