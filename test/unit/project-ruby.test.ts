import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { sameSummary, type Analyzer, type ModuleResolver } from '../../server/src/analysis/index.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';
import { repoRoot, testAnalyzer } from '../helpers/analyzer.js';

/**
 * A Rails application held in memory: constants resolve by Zeitwerk's file names under `app/jobs`,
 * `app/models` and `app/workers`; the configuration is `config/application.rb` and the production environment.
 */
function railsApp(files: Record<string, string>, railsVersion?: number): ModuleResolver {
  const snake = (name: string): string => name.split('::').map((s) => s.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase()).join('/');
  return {
    resolve: () => undefined,
    read: (file) => files[file],
    display: (file) => file,
    rubyConstant: (_from, name) => ['app/jobs', 'app/models', 'app/workers'].map((root) => `${root}/${snake(name)}.rb`).find((f) => files[f] !== undefined),
    rubyConfig: () => ['config/application.rb', 'config/environments/production.rb'].filter((f) => files[f] !== undefined),
    railsVersion: () => railsVersion,
  };
}

const TRANSACTION = 'class Order < ApplicationRecord\n  def pay!\n    transaction do\n      update!(paid: true)\n      ChargeJob.perform_later(self)\n    end\n  end\nend\n';

describe('project model (Ruby)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('ruby');
  });

  const summaryOf = (text: string) => analyzer.summaries().get(text, 'ruby');
  const rules = async (files: Record<string, string>, file: string, railsVersion?: number): Promise<string[]> => {
    const result = await analyzer.analyze(files[file] ?? '', 'ruby', { project: { model: analyzer.projectModel(railsApp(files, railsVersion)), path: file } });
    return result.findings.map((f) => f.rule);
  };

  it('keeps a class summary equal for an edit inside a method or a comment, and not for a changed option, include or superclass', () => {
    const text = 'class BaseWorker\n  include Sidekiq::Job\n  sidekiq_options retry: 5\n\n  def perform(id)\n    run(id)\n  end\nend\n';
    const base = summaryOf(text);
    assert.ok(sameSummary(base, summaryOf(text.replace('run(id)', 'log(id)\n    run(id)'))));
    assert.ok(sameSummary(base, summaryOf(`# Workers.\n${text}`)));
    assert.ok(!sameSummary(base, summaryOf(text.replace('retry: 5', 'retry: 0'))));
    assert.ok(!sameSummary(base, summaryOf(text.replace('  include Sidekiq::Job\n', ''))));
    assert.ok(!sameSummary(base, summaryOf(text.replace('class BaseWorker', 'class BaseWorker < Worker'))));
  });

  it('gives a job the retry options its base classes set as its task signal\'s settings, two hops up', async () => {
    const files = {
      'app/jobs/application_job.rb': 'class ApplicationJob < ActiveJob::Base\n  retry_on Timeout::Error, wait: :polynomially_longer, attempts: 4\nend\n',
      'app/jobs/billing_job.rb': 'class BillingJob < ApplicationJob\nend\n',
      'app/jobs/invoice_job.rb': 'class InvoiceJob < BillingJob\n  def perform; end\nend\n',
      'app/workers/base_worker.rb': 'class BaseWorker\n  include Sidekiq::Job\n  sidekiq_options retry: 7\nend\n',
      'app/workers/sync_worker.rb': 'class SyncWorker < BaseWorker\n  sidekiq_options queue: "sync"\nend\n',
    };
    const model = analyzer.projectModel(railsApp(files));
    const invoice = await analyzer.analyze(files['app/jobs/invoice_job.rb'], 'ruby', { project: { model, path: 'app/jobs/invoice_job.rb' } });
    assert.deepEqual(invoice.signals.map((s) => [s.kind, s.api, s.settings]), [['task-def', 'ActiveJob::Base', [
      { name: 'attempts', state: 'set', value: '4 (from ApplicationJob)' },
      { name: 'wait', state: 'set', value: 'polynomially_longer (from ApplicationJob)' },
      { name: 'jitter', state: 'unset' },
    ]]]);
    assert.deepEqual(invoice.dependencies, ['app/jobs/application_job.rb', 'app/jobs/billing_job.rb']);
    const sync = await analyzer.analyze(files['app/workers/sync_worker.rb'], 'ruby', { project: { model, path: 'app/workers/sync_worker.rb' } });
    assert.deepEqual(sync.signals.find((s) => s.kind === 'task-def')?.settings, [{ name: 'retry', state: 'set', value: '7 (from BaseWorker)' }, { name: 'queue', state: 'unset' }]);
  });

  it('dual-write: perform_later in a transaction is silent when enqueues wait for the commit or the adapter shares the database', async () => {
    const job = 'class ChargeJob < ApplicationJob\nend\n';
    const app = (config: string, base = 'class ApplicationJob < ActiveJob::Base\nend\n'): Record<string, string> => ({
      'app/models/order.rb': TRANSACTION,
      'app/jobs/charge_job.rb': job,
      'app/jobs/application_job.rb': base,
      'config/application.rb': `module Shop\n  class Application < Rails::Application\n${config}  end\nend\n`,
    });
    assert.deepEqual(await rules(app('    config.active_job.queue_adapter = :sidekiq\n'), 'app/models/order.rb'), ['dual-write']);
    assert.deepEqual(await rules(app('    config.active_job.queue_adapter = :solid_queue\n'), 'app/models/order.rb'), []);
    assert.deepEqual(await rules(app('    config.active_job.enqueue_after_transaction_commit = true\n'), 'app/models/order.rb'), []);
    assert.deepEqual(await rules(app('    config.active_job.enqueue_after_transaction_commit = false\n'), 'app/models/order.rb'), ['dual-write']);
    assert.deepEqual(await rules(app('    config.load_defaults 8.2\n'), 'app/models/order.rb'), []);
    assert.deepEqual(await rules(app('    config.load_defaults 7.1\n'), 'app/models/order.rb'), ['dual-write']);
    const deferredBase = 'class ApplicationJob < ActiveJob::Base\n  self.enqueue_after_transaction_commit = true\nend\n';
    assert.deepEqual(await rules(app('    config.active_job.queue_adapter = :sidekiq\n', deferredBase), 'app/models/order.rb'), []);
    // The production environment overrides the application's adapter.
    const production = { ...app('    config.active_job.queue_adapter = :good_job\n'), 'config/environments/production.rb': 'Rails.application.configure do\n  config.active_job.queue_adapter = :sidekiq\nend\n' };
    assert.deepEqual(await rules(production, 'app/models/order.rb'), ['dual-write']);
  });

  it('notify-in-retried-task: an Active Job without retry_on retries when the adapter is Sidekiq, unless its sidekiq_options say not to', async () => {
    const app = (adapter: string, job: string): Record<string, string> => ({
      'app/jobs/poke_job.rb': job,
      'app/jobs/application_job.rb': 'class ApplicationJob < ActiveJob::Base\nend\n',
      'config/application.rb': `module Shop\n  class Application < Rails::Application\n    config.active_job.queue_adapter = :${adapter}\n  end\nend\n`,
    });
    const poke = 'class PokeJob < ApplicationJob\n  def perform(user)\n    UserMailer.poke(user: user).deliver_now\n  end\nend\n';
    assert.deepEqual(await rules(app('sidekiq', poke), 'app/jobs/poke_job.rb'), ['notify-in-retried-task']);
    // GoodJob and the async adapter do not retry a failure that retry_on does not handle.
    assert.deepEqual(await rules(app('good_job', poke), 'app/jobs/poke_job.rb'), []);
    assert.deepEqual(await rules(app('async', poke), 'app/jobs/poke_job.rb'), []);
    const noRetry = poke.replace('  def perform', '  sidekiq_options retry: false\n\n  def perform');
    assert.deepEqual(await rules(app('sidekiq', noRetry), 'app/jobs/poke_job.rb'), []);
  });

  it('notify-in-retried-task: deliver_later inside the transaction that ends perform is silent when the adapter keeps jobs in the same database', async () => {
    const job = 'class PushedJob < ApplicationJob\n  retry_on StandardError, wait: :polynomially_longer\n\n  def perform(version)\n    version.transaction do\n      GemMailer.pushed(version).deliver_later\n      version.update!(indexed: true)\n    end\n  end\nend\n';
    const app = (adapter: string, text = job): Record<string, string> => ({
      'app/jobs/pushed_job.rb': text,
      'app/jobs/application_job.rb': 'class ApplicationJob < ActiveJob::Base\nend\n',
      'config/application.rb': `module Shop\n  class Application < Rails::Application\n    config.active_job.queue_adapter = :${adapter}\n  end\nend\n`,
    });
    // dual-write judges the same calls for the transaction's sake: only this rule is asked here.
    const notify = async (files: Record<string, string>): Promise<string[]> => (await rules(files, 'app/jobs/pushed_job.rb')).filter((r) => r === 'notify-in-retried-task');
    assert.deepEqual(await notify(app('good_job')), []);
    // Redis-backed Sidekiq enqueues at once: a rollback keeps the mail.
    assert.deepEqual(await notify(app('sidekiq')), ['notify-in-retried-task']);
    // Work after the commit can fail and retry the job, which mails again.
    const after = job.replace('    end\n  end\nend\n', '    end\n    Search.reindex(version)\n  end\nend\n');
    assert.deepEqual(await notify(app('good_job', after)), ['notify-in-retried-task']);
    // deliver_now leaves at once, whatever the adapter.
    assert.deepEqual(await notify(app('good_job', job.replace('deliver_later', 'deliver_now'))), ['notify-in-retried-task']);
  });

  it('dual-write: whether enqueues wait for the commit depends on the Rails version the application locks', async () => {
    const app = (config: string, base = 'class ApplicationJob < ActiveJob::Base\nend\n'): Record<string, string> => ({
      'app/models/order.rb': TRANSACTION,
      'app/jobs/charge_job.rb': 'class ChargeJob < ApplicationJob\nend\n',
      'app/jobs/application_job.rb': base,
      'config/application.rb': `module Shop\n  class Application < Rails::Application\n    config.active_job.queue_adapter = :sidekiq\n${config}  end\nend\n`,
    });
    // load_defaults 7.2 sets `:default`: the adapter decides on Rails 7.2, and it means false from 8.0.
    assert.deepEqual(await rules(app('    config.load_defaults 7.2\n'), 'app/models/order.rb', 702), []);
    assert.deepEqual(await rules(app('    config.load_defaults 7.2\n'), 'app/models/order.rb', 800), ['dual-write']);
    // Rails 8.1 ignores the application-wide setting; a job class's own setting still counts.
    const global = app('    config.active_job.enqueue_after_transaction_commit = true\n');
    assert.deepEqual(await rules(global, 'app/models/order.rb', 801), ['dual-write']);
    assert.deepEqual(await rules(global, 'app/models/order.rb', 802), []);
    const onClass = app('', 'class ApplicationJob < ActiveJob::Base\n  self.enqueue_after_transaction_commit = true\nend\n');
    assert.deepEqual(await rules(onClass, 'app/models/order.rb', 801), []);
    assert.deepEqual(await rules(app('    config.load_defaults 8.2\n'), 'app/models/order.rb', 801), ['dual-write']);
  });

  it('dual-write: an enqueue after a write outside a transaction is silent whatever the adapter, as Active Record has committed the write', async () => {
    const files = {
      'app/models/order.rb': 'class Order < ApplicationRecord\n  def pay!\n    update!(paid: true)\n    ChargeJob.perform_later(self)\n  end\nend\n',
      'app/jobs/charge_job.rb': 'class ChargeJob < ApplicationJob\nend\n',
      'config/application.rb': 'module Shop\n  class Application < Rails::Application\n    config.active_job.queue_adapter = :sidekiq\n  end\nend\n',
    };
    assert.deepEqual(await rules(files, 'app/models/order.rb'), []);
  });

  it('a class method that holds a row as a lock (a unique insert, RecordNotUnique, yield) is a lock where defined and where another file calls it with a block; a look-alike is not', async () => {
    const mutex = 'module Shop\n  class OrderMutex < ApplicationRecord\n    class << self\n      def with_lock!(order)\n        begin\n          row = create!(order: order)\n        rescue ActiveRecord::RecordNotUnique\n          raise LockFailed\n        end\n        yield\n      ensure\n        row&.destroy\n      end\n\n      def each_open(order)\n        yield order\n      end\n    end\n  end\nend\n';
    // Retries an insert that raced, yields nothing: no lock.
    const counter = 'module Shop\n  class Counter < ApplicationRecord\n    def self.bump!(key)\n      create!(key: key)\n    rescue ActiveRecord::RecordNotUnique\n      where(key: key).update_all("n = n + 1")\n    end\n  end\nend\n';
    const caller = 'module Shop\n  class Checkout\n    def complete(order)\n      OrderMutex.with_lock!(order) do\n        order.complete!\n      end\n      OrderMutex.each_open(order) { |o| o.touch }\n      Counter.bump!("checkouts")\n      # OrderMutex.with_lock!(order) do\n    end\n  end\nend\n';
    const files = { 'app/models/shop/order_mutex.rb': mutex, 'app/models/shop/counter.rb': counter, 'app/models/shop/checkout.rb': caller };
    const model = analyzer.projectModel(railsApp(files));
    const signals = async (file: string): Promise<string[]> => {
      const result = await analyzer.analyze(files[file as keyof typeof files], 'ruby', { project: { model, path: file } });
      return result.signals.map((s) => `${s.kind} ${s.api} ${files[file as keyof typeof files].slice(0, s.range.start).split('\n').length}`);
    };
    assert.deepEqual(await signals('app/models/shop/order_mutex.rb'), ['lock a database row held as a lock (unique insert) 4']);
    assert.deepEqual(await signals('app/models/shop/checkout.rb'), ['lock Shop::OrderMutex.with_lock! (through a project function) 4']);
    assert.deepEqual(await signals('app/models/shop/counter.rb'), []);
  });

  it('a superclass chain that loops ends, and its classes are no jobs', async () => {
    const files = {
      'app/models/a.rb': 'class A < B\n  def perform\n    UserMailer.hi.deliver_now\n  end\nend\n',
      'app/models/b.rb': 'class B < A\nend\n',
    };
    const result = await analyzer.analyze(files['app/models/a.rb'], 'ruby', { project: { model: analyzer.projectModel(railsApp(files)), path: 'app/models/a.rb' } });
    assert.deepEqual(result.signals.map((s) => s.kind), ['notify']);
  });

  describe('wrappers of library calls in another file', () => {
    const files: Record<string, string> = {
      'app/models/customer.rb': 'class Customer\n  def self.create(email, plan)\n    Stripe::Subscription.create(customer: email, plan: plan)\n  end\n\n  def self.connection\n    Faraday.new(url: "https://api.example.com")\n  end\nend\n',
      'app/models/notify_email.rb': 'class NotifyEmail\n  def self.call(*args)\n    new(*args).call\n  end\n\n  def initialize(address)\n    @client = Notifications::Client.new(ENV["KEY"])\n    @address = address\n  end\n\n  def call\n    @client.send_email(email_address: @address, template_id: "t")\n  end\nend\n',
      'app/models/partner.rb': 'class Partner\n  def self.sync(id)\n    Net::HTTP.get(URI("https://partner.example.com/#{id}"))\n  end\nend\n',
      'app/models/user.rb': 'class User < ApplicationRecord\n  before_create :create_customer\n\n  def create_customer\n    self.customer_id = Customer.create(email, plan).id\n    Customer.connection\n    Partner.sync(id)\n  end\nend\n',
      'app/jobs/application_job.rb': 'class ApplicationJob\n  include Sidekiq::Job\n\n  private\n\n  def run_with_advisory_lock(key, &block)\n    ApplicationRecord.with_advisory_lock(key, timeout_seconds: 0, &block)\n  end\nend\n',
      'app/jobs/send_email_job.rb': 'class SendEmailJob < ApplicationJob\n  def perform(address)\n    NotifyEmail.call(address)\n  end\nend\n',
      'app/jobs/digest_job.rb': 'class DigestJob < ApplicationJob\n  def perform(date)\n    run_with_advisory_lock("digest-#{date}") do\n      NotifyEmail.new("a@example.com").call\n    end\n  end\nend\n',
    };
    const analyze = (file: string) => analyzer.analyze(files[file] ?? '', 'ruby', { project: { model: analyzer.projectModel(railsApp(files)), path: file } });
    const line = (file: string, offset: number): number => (files[file] ?? '').slice(0, offset).split('\n').length;

    it('makes a class method that pays a payment signal at its caller, judged by dual-write in a before_create callback, with the library call as related place', async () => {
      const result = await analyze('app/models/user.rb');
      // The connection builder makes no request: no signal; the HTTP wrapper is an http-call, and http-timeout judges only the call inside it.
      assert.deepEqual(result.signals.map((s) => `${s.kind} ${s.api} ${line('app/models/user.rb', s.range.start)}`), [
        'payment Customer.create (a project method calling Stripe::Subscription.create) 5',
        'http-call Partner.sync (a project method calling Net::HTTP.get) 7',
      ]);
      const dual = result.findings.filter((f) => f.rule === 'dual-write');
      assert.equal(dual.length, 1);
      assert.match(dual[0]?.message ?? '', /`Customer\.create` \(a project method that calls `Stripe::Subscription\.create`\) runs from `before_create`/);
      assert.deepEqual(dual[0]?.related?.map((r) => r.origin?.path ?? 'here'), ['here', 'app/models/customer.rb']);
      assert.deepEqual(result.findings.map((f) => f.rule).sort(), ['dual-write']);
      assert.equal(result.dependencies?.includes('app/models/customer.rb'), true);
    });

    it('follows a class method to the instance method it calls, and judges the retried job that calls it', async () => {
      const result = await analyze('app/jobs/send_email_job.rb');
      assert.deepEqual(result.signals.filter((s) => s.kind === 'notify').map((s) => s.api), ['NotifyEmail.call (a project method calling Notifications::Client#send_email)']);
      const notify = result.findings.filter((f) => f.rule === 'notify-in-retried-task');
      assert.equal(notify.length, 1);
      assert.match(notify[0]?.message ?? '', /`NotifyEmail\.call` \(a project method that calls `Notifications::Client#send_email`\) runs in a job that retries/);
    });

    it('reads an inherited helper that takes an advisory lock as a lock, and an instance made with new', async () => {
      const result = await analyze('app/jobs/digest_job.rb');
      assert.deepEqual(result.signals.filter((s) => s.kind !== 'task-def').map((s) => `${s.kind} ${s.api}`), [
        'lock ApplicationJob#run_with_advisory_lock (a project method calling ActiveRecord::Base.with_advisory_lock)',
        'notify NotifyEmail#call (a project method calling Notifications::Client#send_email)',
      ]);
    });

    it('does not count a wrapper again in the file that defines it', async () => {
      const own = await analyze('app/models/notify_email.rb');
      assert.deepEqual(own.signals.map((s) => `${s.kind} ${s.api}`), ['notify Notifications::Client#send_email']);
      const base = await analyze('app/jobs/application_job.rb');
      assert.deepEqual(base.signals.map((s) => `${s.kind} ${s.api}`), ['task-def Sidekiq::Job', 'lock ActiveRecord::Base.with_advisory_lock']);
    });

    it('keeps the summary equal for an edit in a wrapper that changes no library call, and not when the call goes', () => {
      const text = files['app/models/partner.rb'] ?? '';
      const base = summaryOf(text);
      assert.ok(sameSummary(base, summaryOf(text.replace('def self.sync(id)', 'def self.sync(id) # the partner'))));
      assert.ok(!sameSummary(base, summaryOf(text.replace('Net::HTTP.get(', 'Cache.fetch('))));
    });
  });
});

describe('FileResolver: Ruby constants as Zeitwerk finds them', () => {
  const root = path.join(repoRoot, 'test', 'fixtures', 'projects', 'ruby-ledger');
  const resolver = new FileResolver(root);
  const from = path.join(root, 'app', 'models', 'entry.rb');
  const rel = (file: string | undefined): string | undefined => (file === undefined ? undefined : path.relative(root, file).split(path.sep).join('/'));

  it('maps a namespaced constant to its folders under each app/ root, concerns included', () => {
    assert.equal(rel(resolver.rubyConstant(from, 'Ledger::PostJob', false)), 'app/jobs/ledger/post_job.rb');
    assert.equal(rel(resolver.rubyConstant(from, 'Auditable', false)), 'app/models/concerns/auditable.rb');
    assert.equal(rel(resolver.rubyConstant(from, 'Entry', false)), 'app/models/entry.rb');
    assert.equal(resolver.rubyConstant(from, 'Ledger::Missing', false), undefined);
  });

  it('reads lib/ only when the application autoloads it', () => {
    assert.equal(resolver.rubyConstant(from, 'Ledger::BaseJob', false), undefined);
    assert.equal(rel(resolver.rubyConstant(from, 'Ledger::BaseJob', true)), 'lib/ledger/base_job.rb');
  });

  it('lists the configuration files in load order and resolves require_relative', () => {
    assert.deepEqual(resolver.rubyConfig(from).map(rel), ['config/application.rb', 'config/environments/production.rb']);
    assert.equal(rel(resolver.resolve(path.join(root, 'worker', 'settle.rb'), './base', 'ruby')), 'worker/base.rb');
    assert.equal(resolver.resolve(path.join(root, 'worker', 'settle.rb'), 'sidekiq', 'ruby'), undefined);
  });

  it('reads the locked Rails version from Gemfile.lock, not the Gemfile\'s requirement', () => {
    assert.equal(resolver.railsVersion(from), 702);
    assert.equal(new FileResolver(path.join(repoRoot, 'test', 'fixtures', 'projects', 'ruby-shop')).railsVersion(path.join(repoRoot, 'test', 'fixtures', 'projects', 'ruby-shop', 'app', 'models', 'order.rb')), undefined);
  });

  it('finds a constant of an engine beside the application (core/app), from the engine and from another one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-engines-'));
    try {
      for (const rel of ['core/app/jobs/spree/base_job.rb', 'core/app/jobs/spree/tracking_job.rb', 'backend/app/controllers/spree/orders_controller.rb']) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), '');
      }
      const engines = new FileResolver(dir);
      const found = (from: string): string | undefined => engines.rubyConstant(path.join(dir, from), 'Spree::BaseJob', false);
      assert.equal(found('core/app/jobs/spree/tracking_job.rb'), path.join(dir, 'core/app/jobs/spree/base_job.rb'));
      assert.equal(found('backend/app/controllers/spree/orders_controller.rb'), path.join(dir, 'core/app/jobs/spree/base_job.rb'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
