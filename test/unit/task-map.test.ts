import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findingsOfJoin, joinProject, joinTaskMap, languageFromPath, type Analyzer, type MapFileInput, type MapResolver, type ProjectFileInput } from '../../server/src/analysis/index.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/** Python modules by path, resolved relative to the importing file's folder (what the host's resolver does on disk). */
const resolver: MapResolver = {
  resolve: (from, specifier) => {
    const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
    const base = from.split('/').slice(0, -dots);
    return `${[...base, ...specifier.slice(dots).split('.')].join('/')}.py`;
  },
};

describe('task map join (core)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('python');
  });

  const read = (files: Record<string, string>): Map<string, MapFileInput> => new Map(Object.entries(files).map(([path, text]) => {
    const language = languageFromPath(path) ?? 'python';
    const result = analyzer.analyzeSync(text, language, { map: true }, false);
    assert.ok(result.map !== undefined, `${path} has map facts`);
    return [path, { path, language, map: result.map, findings: [] }];
  }));

  const files = {
    'shop/tasks.py': 'from celery import shared_task\nfrom .helpers import first\n\n@shared_task(autoretry_for=(IOError,), max_retries=None)\ndef sync(order_id):\n    first(order_id)\n',
    'shop/helpers.py': 'import requests\n\ndef first(x):\n    second(x)\n\ndef second(x):\n    requests.post("https://example.com", timeout=3)\n    first(x)\n',
    'shop/views.py': 'from .tasks import sync\n\ndef later(order_id):\n    sync.delay(order_id)\n',
  };

  it('follows helpers that call each other to their side effects and stops at the cycle; max_retries=None is unbounded', () => {
    const map = joinTaskMap([...read(files).values()], { resolver });
    const [task] = map.tasks;
    assert.equal(task?.name, 'sync');
    assert.deepEqual(task?.retry, { maxAttempts: null, backoff: 'fixed', jitter: null });
    assert.deepEqual(task?.sideEffects, [{ kind: 'http-call', api: 'requests.post', file: 'shop/helpers.py', line: 7, via: ['first', 'second'] }]);
    assert.deepEqual(task?.enqueuedFrom, [{ file: 'shop/views.py', line: 4, inTransaction: false, afterCommit: false, idempotencyKey: false, fromHandler: false }]);
  });

  it('an edit re-reads that file alone: the join answers from the other files\' facts as they were', () => {
    const inputs = read(files);
    const before = joinTaskMap([...inputs.values()], { resolver });
    const edited = read({ 'shop/views.py': 'from .tasks import sync\n\ndef later(request, order_id):\n    sync.apply_async(args=[order_id], task_id=str(order_id))\n' });
    const views = edited.get('shop/views.py');
    assert.ok(views !== undefined);
    const after = joinTaskMap([...inputs.values()].map((input) => (input.path === views.path ? views : input)), { resolver });
    assert.deepEqual(before.tasks[0]?.enqueuedFrom.map((s) => s.idempotencyKey), [false]);
    assert.deepEqual(after.tasks[0]?.enqueuedFrom, [{ file: 'shop/views.py', line: 4, inTransaction: false, afterCommit: false, idempotencyKey: true, fromHandler: true }]);
    assert.deepEqual(after.tasks[0]?.sideEffects, before.tasks[0]?.sideEffects);
  });

  it('places a project finding on its line\'s text in a file given with its text, and none in a file given without', () => {
    const inputs = read(files);
    const text = files['shop/tasks.py'];
    const tasks = inputs.get('shop/tasks.py');
    assert.ok(tasks !== undefined);
    const joined = joinProject([...inputs.values()], { resolver });
    // The task retries with no bound, its helper posts with no guard, and its one caller passes no key.
    const withText: ProjectFileInput = { ...tasks, text, suppressions: [] };
    const found = findingsOfJoin([...[...inputs.values()].filter((f) => f !== tasks), withText], joined).get('shop/tasks.py')?.findings ?? [];
    const finding = found.find((f) => f.rule === 'retried-task-no-guard');
    assert.equal(text.slice(finding?.range.start, finding?.range.end), '@shared_task(autoretry_for=(IOError,), max_retries=None)');
    assert.deepEqual(finding?.related?.map((r) => [r.origin?.path, (r.origin?.line ?? -2) + 1]), [['shop/views.py', 4], ['shop/helpers.py', 7]]);
    assert.equal(findingsOfJoin([...inputs.values()], joined).size, 0, 'no file given with its text, no findings');
  });

  it('leaves a name that resolves to nothing out, instead of guessing from its spelling', () => {
    const map = joinTaskMap([...read({ 'shop/views.py': 'from .missing import sync\n\ndef later(x):\n    sync.delay(x)\n' }).values()], { resolver });
    assert.deepEqual(map.tasks, []);
  });
});
