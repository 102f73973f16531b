import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProject as check, fileOf, rules, type Report } from '../helpers/project-report.js';

const signals = (report: Report, file: string): string[] => (fileOf(report, file).signals ?? []).map((s) => `${s.kind}:${s.api}:${s.line}`).sort();
const related = (report: Report, file: string, rule: string): string[] =>
  (fileOf(report, file).findings.find((f) => f.rule === rule)?.related ?? []).map((r) => `${r.path}:${r.line}: ${r.message}`);

describe('check follows Ruby constants into the project (Rails, Sidekiq, Active Job)', () => {
  const report = check('ruby-shop');

  it('a job inheriting ApplicationJob takes its retry_on: a mail sent from perform is reported, pointing at the retry_on', () => {
    assert.deepEqual(rules(report, 'app/jobs/webhook_job.rb'), ['notify-in-retried-task:5']);
    assert.match(fileOf(report, 'app/jobs/webhook_job.rb').findings[0]?.message ?? '', /`retry_on`, up to 3 attempts/);
    assert.deepEqual(related(report, 'app/jobs/webhook_job.rb', 'notify-in-retried-task'), ['app/jobs/application_job.rb:2: `retry_on` in `ApplicationJob` retries this job']);
  });

  it('a class inheriting a base worker that includes Sidekiq::Job is a Sidekiq job with the base retry bound', () => {
    assert.deepEqual(signals(report, 'app/workers/charge_worker.rb'), ['notify:ActionMailer::MessageDelivery#deliver_later:3', 'task-def:Sidekiq::Job:1']);
    assert.match(fileOf(report, 'app/workers/charge_worker.rb').findings[0]?.message ?? '', /Sidekiq: 25 times\)/);
    assert.deepEqual(related(report, 'app/workers/charge_worker.rb', 'notify-in-retried-task'), ['app/workers/base_worker.rb:3: `retry` is set for this job by its base class `BaseWorker`']);
  });

  it('a class named like a job whose base is a plain class is no job: no task signal, no finding', () => {
    assert.deepEqual(signals(report, 'app/services/export_job.rb'), ['notify:ActionMailer::MessageDelivery#deliver_now:3']);
    assert.deepEqual(rules(report, 'app/services/export_job.rb'), []);
  });

  it('perform_later in a transaction is reported for a Sidekiq-backed job found by Zeitwerk, pointing at the adapter, and not for a job that enqueues after commit', () => {
    assert.deepEqual(rules(report, 'app/models/order.rb'), ['dual-write:5']);
    assert.deepEqual(related(report, 'app/models/order.rb', 'dual-write'), [
      'app/models/order.rb:3: `transaction` opens the transaction the job is enqueued in',
      "config/application.rb:8: The queue adapter is `:sidekiq`: its jobs are not written in the application's database transaction.",
      'app/jobs/payments/charge_job.rb:2: `Payments::ChargeJob` is an Active Job class defined in app/jobs/payments/charge_job.rb:2',
    ]);
  });

  it('--no-project analyses each file alone: the inherited retries, the Sidekiq base and the adapter are not seen', () => {
    const alone = check('ruby-shop', ['--no-project']);
    assert.deepEqual(rules(alone, 'app/jobs/webhook_job.rb'), []);
    assert.deepEqual(rules(alone, 'app/workers/charge_worker.rb'), []);
    assert.deepEqual(signals(alone, 'app/workers/charge_worker.rb'), ['notify:ActionMailer::MessageDelivery#deliver_later:3']);
    assert.deepEqual(rules(alone, 'app/models/order.rb'), ['dual-write:5', 'dual-write:6']);
  });
});

describe('check reads a Rails application\'s configuration and lib/ (Ruby)', () => {
  const report = check('ruby-ledger');

  it('the production environment\'s good_job adapter keeps jobs in the database: perform_later in a transaction is not reported', () => {
    assert.deepEqual(rules(report, 'app/models/entry.rb'), []);
    assert.deepEqual(rules(check('ruby-ledger', ['--no-project']), 'app/models/entry.rb'), ['dual-write:7']);
  });

  it('retry_on two hops up, in lib/ autoloaded by config.autoload_lib, counts for the job', () => {
    assert.deepEqual(rules(report, 'app/jobs/ledger/post_job.rb'), ['notify-in-retried-task:4']);
    assert.deepEqual(related(report, 'app/jobs/ledger/post_job.rb', 'notify-in-retried-task'), ['lib/ledger/base_job.rb:3: `retry_on` in `Ledger::BaseJob` retries this job']);
  });

  it('a plain Ruby worker finds its base through require_relative', () => {
    assert.deepEqual(rules(report, 'worker/settle.rb'), ['notify-in-retried-task:7']);
    assert.match(fileOf(report, 'worker/settle.rb').findings[0]?.message ?? '', /Sidekiq: 3 times/);
  });

  it('classes that inherit each other in a cycle are no jobs, and the check ends', () => {
    assert.deepEqual(signals(report, 'app/models/loop_a.rb'), ['notify:ActionMailer::MessageDelivery#deliver_now:3']);
    assert.deepEqual(rules(report, 'app/models/loop_b.rb'), []);
  });
});
