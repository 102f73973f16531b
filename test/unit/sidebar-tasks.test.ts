import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MapTask, TaskMap } from '../../server/src/analysis/map/types.js';
import { isLocation, parseHostMessage } from '../../client/src/sidebar/messages.js';
import { folderRelativeParts, isTaskMap } from '../../client/src/sidebar/task-map-shape.js';
import { renderTaskLines } from '../../server/src/catalog/render.js';
import { makeLinks } from '../../server/src/lsp/links.js';
import { restoreState } from '../../webview/src/state.js';
import { cellsOf, effectSummary, nextSort, taskKey, taskTable, type TaskQuery } from '../../webview/src/task-table.js';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const SHOP = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'task-map', 'shop.json'), 'utf8')) as TaskMap;

const ALL: TaskQuery = { filter: '', onlyFindings: false, sort: null };
const names = (query: Partial<TaskQuery>): string[] => taskTable(SHOP, { ...ALL, ...query }).rows.map((r) => r.task.name);
const task = (name: string): MapTask => {
  const found = SHOP.tasks.find((t) => t.name === name);
  assert.ok(found, name);
  return found;
};

describe('Tasks tab: cells', () => {
  it('says what the project sets and a dash for what it does not', () => {
    assert.deepEqual(cellsOf(task('charge_order')), { retries: '∞', backoff: 'none', jitter: '—', acks: 'early', timeLimit: '—' });
    assert.deepEqual(cellsOf(task('push_invoice')), { retries: '6', backoff: 'exponential', jitter: 'yes', acks: 'late', timeLimit: '120 s' });
    assert.deepEqual(cellsOf(task('inventory:sync')), { retries: '—', backoff: '—', jitter: '—', acks: '—', timeLimit: '30 s' });
    assert.deepEqual(cellsOf(task('notifications')), { retries: '5', backoff: 'fixed', jitter: 'no', acks: '—', timeLimit: '—' });
  });

  it('sums side effects by kind', () => {
    assert.equal(effectSummary(task('notifications')), '1 notification, 2 HTTP calls');
    assert.equal(effectSummary(task('charge_order')), '1 HTTP call, 1 payment');
    assert.equal(effectSummary(task('inventory:sync')), '');
  });

  it('keys a task by name and place', () => {
    assert.equal(taskKey(task('charge_order')), 'charge_order@billing/tasks.py:12');
    assert.equal(new Set(SHOP.tasks.map(taskKey)).size, SHOP.tasks.length);
  });
});

describe('Tasks tab: order', () => {
  it('lists the tasks with most findings first by default, then by name', () => {
    assert.deepEqual(names({}), ['charge_order', 'notifications', 'WelcomeJob', 'inventory:sync', 'push_invoice']);
  });

  it('sorts by a column both ways; what the project does not say sorts last either way', () => {
    assert.deepEqual(names({ sort: { column: 'retries', descending: false } }), ['notifications', 'push_invoice', 'WelcomeJob', 'charge_order', 'inventory:sync']);
    assert.deepEqual(names({ sort: { column: 'retries', descending: true } }), ['charge_order', 'WelcomeJob', 'push_invoice', 'notifications', 'inventory:sync']);
    assert.deepEqual(names({ sort: { column: 'timeLimit', descending: true } }), ['push_invoice', 'inventory:sync', 'charge_order', 'notifications', 'WelcomeJob']);
    assert.deepEqual(names({ sort: { column: 'acks', descending: false } }), ['charge_order', 'push_invoice', 'notifications', 'WelcomeJob', 'inventory:sync']);
  });

  it('sorts names case-insensitively and counts by number, ties by findings then name', () => {
    assert.deepEqual(names({ sort: { column: 'task', descending: false } }), ['charge_order', 'inventory:sync', 'notifications', 'push_invoice', 'WelcomeJob']);
    assert.deepEqual(names({ sort: { column: 'callers', descending: true } }), ['notifications', 'charge_order', 'inventory:sync', 'push_invoice', 'WelcomeJob']);
    assert.deepEqual(names({ sort: { column: 'backoff', descending: true } }), ['WelcomeJob', 'push_invoice', 'notifications', 'charge_order', 'inventory:sync']);
  });

  it('cycles a header through ascending, descending and the default order', () => {
    const first = nextSort(null, 'callers');
    assert.deepEqual(first, { column: 'callers', descending: false });
    const second = nextSort(first, 'callers');
    assert.deepEqual(second, { column: 'callers', descending: true });
    assert.equal(nextSort(second, 'callers'), null);
    assert.deepEqual(nextSort(second, 'task'), { column: 'task', descending: false });
  });
});

describe('Tasks tab: filter', () => {
  it('matches every word against names, frameworks, queues, side effects, helpers, callers and rules', () => {
    assert.deepEqual(names({ filter: 'celery' }), ['charge_order', 'push_invoice']);
    assert.deepEqual(names({ filter: 'stripe' }), ['charge_order']);
    assert.deepEqual(names({ filter: 'charge_card' }), ['charge_order'], 'a helper the effect is reached through');
    assert.deepEqual(names({ filter: 'shipping/routes' }), ['notifications'], 'a caller file');
    assert.deepEqual(names({ filter: 'retry-no-backoff' }), ['notifications']);
    assert.deepEqual(names({ filter: 'CRITICAL' }), ['inventory:sync'], 'a queue, case-insensitively');
    assert.deepEqual(names({ filter: 'celery exponential' }), ['push_invoice'], 'every word must match');
    assert.deepEqual(names({ filter: 'acks:early' }), ['charge_order']);
    assert.deepEqual(names({ filter: 'nothing-like-this' }), []);
  });

  it('keeps only the tasks and schedules with findings on request, and counts them all', () => {
    const table = taskTable(SHOP, { ...ALL, onlyFindings: true });
    assert.deepEqual(table.rows.map((r) => r.task.name), ['charge_order', 'notifications', 'WelcomeJob']);
    assert.deepEqual(table.schedules.map((s) => s.name), ['inventory-report']);
    assert.equal(table.total, 5);
    assert.equal(table.totalSchedules, 2);
    assert.equal(table.withFindings, 3);
  });

  it('filters schedules by name, expression and the task they run', () => {
    assert.deepEqual(taskTable(SHOP, { ...ALL, filter: 'push_invoice' }).schedules.map((s) => s.name), ['nightly-invoices']);
    assert.deepEqual(taskTable(SHOP, { ...ALL, filter: '*/15' }).schedules.map((s) => s.name), ['inventory-report']);
    assert.deepEqual(taskTable(SHOP, ALL).schedules.map((s) => s.name), ['inventory-report', 'nightly-invoices'], 'findings first');
  });
});

describe('Tasks tab: messages and saved state', () => {
  const folders = [{ uri: 'file:///w', name: 'w' }];

  it('reads the sample map, and refuses maps of another shape', () => {
    assert.ok(isTaskMap(SHOP));
    assert.ok(isTaskMap({ version: 1, tasks: [], schedules: [] }));
    const first = SHOP.tasks[0];
    assert.ok(first);
    const broken = (change: Record<string, unknown>): unknown => ({ ...SHOP, tasks: [{ ...first, ...change }] });
    assert.equal(isTaskMap({ ...SHOP, version: 2 }), false);
    assert.equal(isTaskMap(broken({ line: 0 })), false, 'lines are 1-based');
    assert.equal(isTaskMap(broken({ retry: { maxAttempts: 3, backoff: 'linear', jitter: null } })), false);
    assert.equal(isTaskMap(broken({ enqueuedFrom: [{ file: 'a.py', line: 1, inTransaction: 'yes', afterCommit: false, idempotencyKey: false }] })), false);
    assert.equal(isTaskMap(broken({ sideEffects: [{ kind: 'http-call', api: 'x', file: 'a.py', line: 1, via: [3] }] })), false);
    assert.equal(isTaskMap(broken({ timeLimit: undefined, sources: undefined })), true, 'optional fields may be absent');
    assert.equal(isTaskMap({ ...SHOP, schedules: [{ name: 'x', framework: 'k8s', file: 'a.yaml', line: 1, schedule: null, task: null }] }), false);
  });

  it('passes each task map state to the webview, and drops malformed ones', () => {
    for (const state of [{ status: 'no-folder' }, { status: 'loading', folders, folder: 'file:///w' }, { status: 'ready', folders, folder: 'file:///w', map: SHOP }, { status: 'error', folders, folder: 'file:///w', message: 'The server stopped.' }]) {
      assert.deepEqual(parseHostMessage({ type: 'taskMap', state }), { type: 'taskMap', state }, state.status);
    }
    assert.equal(parseHostMessage({ type: 'taskMap', state: { status: 'ready', folders, folder: 'file:///w', map: { version: 1 } } }), undefined);
    assert.equal(parseHostMessage({ type: 'taskMap', state: { status: 'loading', folder: 'file:///w' } }), undefined);
    assert.equal(parseHostMessage({ type: 'taskMap', state: { status: 'done' } }), undefined);
  });

  it('navigates to the Tasks tab and to one task', () => {
    assert.ok(isLocation({ tab: 'tasks' }));
    assert.ok(isLocation({ tab: 'tasks', task: 'charge_order@billing/tasks.py:12' }));
    assert.equal(isLocation({ tab: 'tasks', task: 12 }), false);
  });

  it('opens only files inside the workspace folder', () => {
    assert.deepEqual(folderRelativeParts('billing/tasks.py'), ['billing', 'tasks.py']);
    for (const bad of ['', '/etc/passwd', '../secrets.py', 'a/../../b.py', 'a//b.py', './a.py', 'C:/x.py', 'a\\..\\b.py', 'a\u0000.py']) {
      assert.equal(folderRelativeParts(bad), undefined, bad);
    }
  });

  it('restores the tab’s filter, toggle, sort and open rows, and drops what an older build saved differently', () => {
    const restored = restoreState({ version: 1, tasksFilter: 'celery', tasksOnlyFindings: true, tasksSort: { column: 'callers', descending: true }, tasksExpanded: ['a@b.py:1', 3] });
    assert.equal(restored.tasksFilter, 'celery');
    assert.equal(restored.tasksOnlyFindings, true);
    assert.deepEqual(restored.tasksSort, { column: 'callers', descending: true });
    assert.deepEqual(restored.tasksExpanded, ['a@b.py:1']);
    const odd = restoreState({ version: 1, tasksSort: { column: 'colour', descending: true }, tasksExpanded: 'x' });
    assert.equal(odd.tasksSort, null);
    assert.deepEqual(odd.tasksExpanded, []);
  });
});

describe('Task hover lines', () => {
  it('say the effective settings, the callers with their transaction and key counts, and link to the row', () => {
    const text = renderTaskLines(task('charge_order'), 'command:taskReliability.showTasks?x');
    assert.equal(text, [
      '**Task `charge_order`** · celery · queue `billing`\\',
      'Attempts ∞ · backoff none · jitter — · acks early · time limit —\\',
      'Enqueued from 2 places (1 in a transaction, 0 with a key) · 2 side effects · 3 findings · [Show in the Tasks tab](command:taskReliability.showTasks?x)',
    ].join('\n'));
  });

  it('say when nothing in the project enqueues the task, and leave the link out for clients that cannot run it', () => {
    const text = renderTaskLines(task('WelcomeJob'), undefined);
    assert.match(text, /^No enqueue site in the project · 2 side effects · 1 finding$/m);
    assert.doesNotMatch(text, /\]\(/);
  });

  it('keep a backtick in a name from ending its code span', () => {
    assert.match(renderTaskLines({ ...task('push_invoice'), name: 'odd`name' }, undefined), /^\*\*Task `odd'name`\*\*/);
  });
});

describe('Task links in hovers', () => {
  it('run the Tasks tab command with the folder and the task key in VS Code, and are absent for clients that open files', () => {
    const catalog = { version: 1, chapters: [], rules: {}, aliases: {}, matrix: [], checklist: [], examples: [] } as const;
    const command = makeLinks(catalog, 'command', '/content').task?.('file:///w', 'charge_order@billing/tasks.py:12');
    assert.ok(command !== undefined && command.startsWith('command:taskReliability.showTasks?'), command);
    assert.deepEqual(JSON.parse(decodeURIComponent(command.slice(command.indexOf('?') + 1))), [{ folder: 'file:///w', task: 'charge_order@billing/tasks.py:12' }]);
    assert.equal(makeLinks(catalog, 'file', '/content').task, undefined);
  });
});
