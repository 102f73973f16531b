import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MapTask, TaskMap } from '../../server/src/analysis/map/types.js';
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
