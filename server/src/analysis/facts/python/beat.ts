import type { Node } from 'web-tree-sitter';
import { PYTHON_APIS } from '../../apis/python.js';
import { unquote } from '../common.js';
import type { CallFact } from '../types.js';

/**
 * The entries of a Celery beat schedule written as a table: `app.conf.beat_schedule = {...}`, a
 * config module's `beat_schedule = {...}`, Django settings read with a namespace
 * (`CELERY_BEAT_SCHEDULE = {...}`, the old `CELERYBEAT_SCHEDULE`), or
 * `app.conf.update(beat_schedule={...})`. Each entry is a schedule of its own, whatever its
 * `"schedule"` value is: a `crontab(...)`, a `timedelta(...)`, a number of seconds or a
 * `schedule(run_every=...)`.
 */

/** The names a beat table is assigned to, by the last part of the target. */
const BEAT_TABLE = /(?:^|\.)(?:beat_schedule|CELERYBEAT_SCHEDULE|[A-Z][A-Z0-9]*_BEAT_SCHEDULE)$/;

/** Whether an assignment target names a beat schedule table. */
export function isBeatTableTarget(left: Node): boolean {
  return (left.type === 'identifier' || left.type === 'attribute') && BEAT_TABLE.test(left.text);
}

/** The `"schedule"` values of a beat table's entries (`{"name": {"task": ..., "schedule": ...}}`). */
export function beatEntrySchedules(table: Node): Node[] {
  if (table.type !== 'dictionary') return [];
  const found: Node[] = [];
  for (const entry of table.namedChildren) {
    const value = entry?.type === 'pair' ? entry.childForFieldName('value') : null;
    if (value?.type !== 'dictionary') continue;
    for (const item of value.namedChildren) {
      const key = item?.type === 'pair' ? item.childForFieldName('key') : null;
      const schedule = item?.childForFieldName('value');
      if (key?.type === 'string' && unquote(key.text) === 'schedule' && schedule != null) found.push(schedule);
    }
  }
  return found;
}

/**
 * The entries of the file's beat tables whose schedule no call of the table already says
 * (`"schedule": timedelta(hours=1)`, `"schedule": 60.0`): each is a schedule, on its value. A
 * `crontab(...)` entry is a schedule call already. `app.conf.update(beat_schedule={...})` counts
 * as an assignment of the table.
 */
export function beatEntryCalls(tables: readonly Node[], calls: readonly CallFact[]): CallFact[] {
  const all = [...tables];
  for (const call of calls) if (call.api === 'celery.Celery.conf.update') {
    const table = call.args?.keywords.get('beat_schedule')?.value.node;
    if (table !== undefined) all.push(table);
  }
  const scheduled = new Set(calls.filter((c) => PYTHON_APIS.get(c.api) === 'schedule').map((c) => c.node.id));
  return all.flatMap(beatEntrySchedules).filter((value) => !scheduled.has(value.id)).map((value) => ({
    api: BEAT_ENTRY, start: value.startIndex, end: value.endIndex, calleeStart: value.startIndex, calleeEnd: value.endIndex,
    args: undefined, isNew: false, decorator: undefined, receiver: undefined, node: value,
  }));
}

/** An entry of a Celery beat table whose schedule is a period (`timedelta`, seconds), not a schedule call. */
export const BEAT_ENTRY = 'celery.beat_schedule.entry';

