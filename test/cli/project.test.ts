import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProject as check, fileOf, projects, rules, type Report } from '../helpers/project-report.js';

const kinds = (report: Report, file: string): string[] => (fileOf(report, file).signals ?? []).map((s) => `${s.kind}:${s.line}`).sort();

describe('check follows names into the project (Python)', () => {
  it('a task decorated through the Celery app of another module is a task, a retry policy and has its findings, which point at the app', () => {
    const report = check('python-shop');
    assert.deepEqual(kinds(report, 'shop/orders/tasks.py'), ['http-call:8', 'retry:6', 'task-def:6']);
    assert.deepEqual(rules(report, 'shop/orders/tasks.py'), ['retry-no-backoff:6', 'retry-unbounded:6', 'task-ack-early-side-effects:6']);
    for (const finding of fileOf(report, 'shop/orders/tasks.py').findings) {
      assert.deepEqual(finding.related, [{ path: 'shop/celeryconf.py', line: 7, column: 1, message: '`app` is the Celery app defined in shop/celeryconf.py:7' }]);
    }
  });

  it('a project function that sends mail sends where it is called: a notify signal, and the side effect of the task that calls it; one that only builds text is neither, and a sending task\'s .delay is an enqueue', () => {
    const report = check('python-shop');
    assert.deepEqual(kinds(report, 'shop/accounts/tasks.py'), ['enqueue:17', 'notify:7', 'task-def:10', 'task-def:5']);
    assert.equal((fileOf(report, 'shop/accounts/tasks.py').signals ?? []).find((s) => s.kind === 'notify')?.api, 'django.core.mail.send_mail (through a project function)');
    assert.deepEqual(rules(report, 'shop/accounts/tasks.py'), ['task-ack-early-side-effects:5']);
    assert.deepEqual(kinds(check('python-shop', ['--no-project']), 'shop/accounts/tasks.py'), ['enqueue:17']);
  });

  it('reads the app of a factory two modules away, with the settings the factory applies, and a module imported under an alias', () => {
    const report = check('python-shop');
    assert.deepEqual(kinds(report, 'shop/billing/tasks.py'), ['http-call:14', 'http-call:9', 'task-def:12', 'task-def:7']);
    // acks_late comes from the factory's conf.update, so no early-acknowledgement finding on `charge`.
    assert.deepEqual(rules(report, 'shop/billing/tasks.py'), ['retry-unbounded:7']);
    assert.match(fileOf(report, 'shop/billing/tasks.py').findings[0]?.related?.[0]?.message ?? '', /`worker_app` is the Celery app defined in shop\/worker\.py:3/);
  });

  it('leaves alone a Flask app.route, a Flask app with a task attribute and a project decorator named task', () => {
    const report = check('python-shop');
    assert.deepEqual(kinds(report, 'shop/web.py'), ['http-call:9']);
    assert.deepEqual(kinds(report, 'shop/reports.py'), ['http-call:14', 'http-call:9']);
    assert.deepEqual(rules(report, 'shop/reports.py'), []);
  });

  it('leaves alone a task without required arguments (splats and defaults need none) that the beat schedule of the Django settings runs, its app imported by name or through its module, and still flags one with an argument, one named only in a comment and one not scheduled', () => {
    const report = check('python-beat');
    assert.deepEqual(rules(report, 'shop/tasks.py').filter((r) => r.startsWith('task-ack-early-side-effects')), ['task-ack-early-side-effects:12', 'task-ack-early-side-effects:18', 'task-ack-early-side-effects:24', 'task-ack-early-side-effects:41']);
    // Every entry of the settings' beat table is a schedule, whatever its period is written as.
    assert.deepEqual(kinds(report, 'shop/settings.py'), ['schedule:11', 'schedule:15', 'schedule:19', 'schedule:23', 'schedule:27', 'schedule:7']);
    assert.deepEqual(rules(report, 'shop/cleanup.py'), []);
  });

  it('reads the beat schedule of a settings file a django-split-settings include runs, and skips an optional file that is absent and a glob', () => {
    const report = check('python-split-settings');
    assert.deepEqual(rules(report, 'shop/tasks.py'), ['task-ack-early-side-effects:12']);
    assert.deepEqual(kinds(report, 'shop/settings/settings.dist.py'), ['schedule:6']);
  });

  it('gives a @shared_task the beat schedule of the app its top package loads in __init__.py (app.conf.beat_schedule); a module outside any package has none', () => {
    const report = check('python-shared-task');
    assert.deepEqual(rules(report, 'proj/jobs.py'), ['task-ack-early-side-effects:11']);
    assert.deepEqual(rules(report, 'scripts/maintenance.py'), ['task-ack-early-side-effects:5']);
  });

  it('reads task_acks_late from a config module named by config_from_object, in a src/ layout', () => {
    const report = check('python-ledger');
    assert.deepEqual(kinds(report, 'src/ledger/tasks.py'), ['http-call:8', 'retry:6', 'task-def:6']);
    assert.deepEqual(rules(report, 'src/ledger/tasks.py'), []);
  });

  it('takes a decorator with Celery-only keywords as Celery when its module is missing, with its settings unknown; nothing else is guessed; cycles end', () => {
    const report = check('python-ledger');
    assert.deepEqual(kinds(report, 'src/ledger/remote.py'), ['http-call:14', 'http-call:9', 'retry:7', 'task-def:7']);
    assert.deepEqual(rules(report, 'src/ledger/remote.py'), ['retry-no-backoff:7', 'retry-unbounded:7']);
    assert.deepEqual(kinds(report, 'src/ledger/uses_cycle.py'), []);
  });

  it('--no-project analyses each file alone; --root names the root when checking from elsewhere', () => {
    const alone = check('python-shop', ['--no-project']);
    // Alone, `app` is unknown: Celery-only keywords still make a task, whose app settings are unknown.
    assert.deepEqual(rules(alone, 'shop/orders/tasks.py'), ['retry-no-backoff:6', 'retry-unbounded:6']);
    assert.equal(fileOf(alone, 'shop/orders/tasks.py').findings[0]?.related, undefined);
    assert.deepEqual(kinds(alone, 'shop/billing/tasks.py'), ['http-call:14', 'http-call:9']);
    const fromAbove = check('python-shop', ['--root', 'python-shop', 'python-shop/shop/orders/tasks.py'], projects);
    assert.deepEqual(rules(fromAbove, 'python-shop/shop/orders/tasks.py'), ['retry-no-backoff:6', 'retry-unbounded:6', 'task-ack-early-side-effects:6']);
    assert.equal(fileOf(fromAbove, 'python-shop/shop/orders/tasks.py').findings[0]?.related?.[0]?.path, 'python-shop/shop/celeryconf.py');
  });
});

describe('check follows names into the project (JavaScript and TypeScript)', () => {
  it('resolves a queue made by a factory and re-exported by an index file, through tsconfig paths with extends; a default-exported axios instance', () => {
    const report = check('ts-queues');
    assert.deepEqual(kinds(report, 'src/jobs/signup.ts'), ['enqueue:5', 'enqueue:6', 'http-call:7']);
    assert.deepEqual((fileOf(report, 'src/jobs/signup.ts').signals ?? []).map((s) => s.api), ['bullmq.Queue.add', 'bullmq.Queue.add', 'axios.Instance.post']);
    // The job with no jobId is flagged, and the finding points at the queue's definition.
    assert.deepEqual(rules(report, 'src/jobs/signup.ts'), ['enqueue-no-idempotency-key:5']);
    assert.deepEqual(fileOf(report, 'src/jobs/signup.ts').findings[0]?.related, [{ path: 'src/queues/index.ts', line: 3, column: 14, message: '`emailQueue` is a BullMQ queue defined in src/queues/index.ts:3' }]);
  });

  it('a call of a project function that returns a queue declares one, and the attempts it is given are a retry; a function returning anything else is not a queue, and a getter is no declaration', () => {
    const report = check('ts-queues');
    assert.deepEqual(kinds(report, 'src/queues/made.ts'), ['queue-config:14', 'queue-config:3', 'queue-config:7', 'retry:14', 'retry:4']);
    // A getter that makes its queue once hands that queue out: an add through it is an enqueue, the call of the getter no declaration.
    assert.deepEqual(kinds(report, 'src/jobs/shared.ts'), ['enqueue:4']);
    assert.deepEqual((fileOf(report, 'src/queues/made.ts').signals ?? []).map((s) => s.api)[0], 'bull.Queue (through a project function)');
    assert.deepEqual(kinds(check('ts-queues', ['--no-project']), 'src/queues/made.ts'), []);
  });

  it('a call of the project\'s default-exported fetch wrapper is an HTTP call; a function that only builds a URL is not', () => {
    const report = check('ts-queues');
    assert.deepEqual((fileOf(report, 'src/http/partner.ts').signals ?? []).map((s) => `${s.kind}:${s.api}:${s.line}`), ['http-call:fetch (through a project function):5']);
  });

  it('resolves CommonJS exports, and leaves alone a module-level PQueue and a class named like a job', () => {
    const report = check('ts-queues');
    assert.deepEqual(kinds(report, 'src/legacy/use.js'), ['enqueue:4']);
    assert.deepEqual(kinds(report, 'src/jobs/trap.ts'), []);
    const alone = check('ts-queues', ['--no-project']);
    assert.deepEqual(kinds(alone, 'src/jobs/signup.ts'), []);
    assert.deepEqual(kinds(alone, 'src/legacy/use.js'), []);
  });
});


describe('queue defaults and instance fields across files (TypeScript)', () => {
  const report = check('ts-workers');
  const signalsOf = (file: string): string[] => (fileOf(report, file).signals ?? []).map((s) => `${s.kind}:${s.api}:${s.line}`);

  it('the defaultJobOptions a createQueue factory sets reach queue.add in another file: own attempts with no backoff, and an own fixed backoff under the queue\'s attempts', () => {
    assert.deepEqual(rules(report, 'src/jobs/mail.ts'), ['retry-no-backoff:5', 'retry-no-backoff:7']);
    for (const finding of fileOf(report, 'src/jobs/mail.ts').findings) {
      assert.deepEqual(finding.related?.map((r) => `${r.path}:${r.line}`), ['src/queues/index.ts:3']);
    }
    // The queue's own defaults are reported once, where it is built.
    assert.deepEqual(rules(report, 'src/queues/factory.ts'), ['retry-no-backoff:5', 'retry-no-jitter:10']);
  });

  it('fields a constructor sets (this.queue, this.lock) are the queue and the lock in methods (an add with its own attempts is also a retry); a project class with an add method and a module-level PQueue are not queues', () => {
    assert.deepEqual(signalsOf('src/jobs/worker.ts'), ['queue-config:bullmq.Queue:19', 'lock:redlock.Redlock:20', 'lock:redlock.Redlock.acquire:24', 'enqueue:bullmq.Queue.add:25', 'retry:bullmq.Queue.add:25']);
    assert.deepEqual(rules(report, 'src/jobs/worker.ts'), ['retry-no-backoff:25']);
  });

  it('--no-project does not know the imported queues\' defaults: the adds through them are not reported', () => {
    const alone = check('ts-workers', ['--no-project']);
    assert.deepEqual(rules(alone, 'src/jobs/mail.ts'), []);
  });
});
