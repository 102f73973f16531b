import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Every Ruby framework the server recognises, written the ways real code writes it, and the
 * signals each use must yield (kind and canonical API, in source order). Traps must yield nothing:
 * constants the file nests in its own modules (`Billing::Net::HTTP`), same-named methods of other
 * objects, and names in strings and comments.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'Sidekiq: job classes, options, retry delays and enqueues',
    code: `
class ReceiptJob
  include Sidekiq::Job
  sidekiq_options retry: 5, queue: "mailers"
  sidekiq_retry_in { |count| 10 * (count + 1) }

  def perform(order_id)
  end
end

ReceiptJob.perform_async(1)
ReceiptJob.perform_in(300, 1)
ReceiptJob.perform_at(Time.now + 60, 1)
Sidekiq::Client.push("class" => ReceiptJob, "args" => [1])
# ReceiptJob.perform_async(2) in a comment
label = "ReceiptJob.perform_in(5, 1)"
`,
    signals: [
      'task-def Sidekiq::Job', 'retry Sidekiq::Job.sidekiq_options', 'retry Sidekiq::Job.sidekiq_retry_in', 'enqueue Sidekiq::Job.perform_async',
      'enqueue Sidekiq::Job.perform_in', 'enqueue Sidekiq::Job.perform_at', 'enqueue Sidekiq::Client.push',
    ],
  },
  {
    name: 'Active Job: retry_on, discard_on, queue_as and perform_later',
    code: `
class SyncJob < ApplicationJob
  queue_as :default
  retry_on Net::ReadTimeout, wait: :polynomially_longer, attempts: 5
  discard_on ActiveJob::DeserializationError

  def perform(id)
  end
end

SyncJob.perform_later(1)
SyncJob.set(wait: 5.minutes).perform_later(2)
`,
    signals: [
      'task-def ActiveJob::Base', 'queue-config ActiveJob::Base.queue_as', 'retry ActiveJob::Base.retry_on', 'retry ActiveJob::Base.discard_on',
      'enqueue ActiveJob::Base.perform_later', 'enqueue ActiveJob::Base.perform_later',
    ],
  },
  {
    name: 'sidekiq-cron schedules',
    code: `
Sidekiq::Cron::Job.create(name: "digest", cron: "0 * * * *", class: "DigestJob")
Sidekiq::Cron::Job.load_from_hash(YAML.load_file("config/schedule.yml"))
`,
    signals: ['schedule Sidekiq::Cron::Job.create', 'schedule Sidekiq::Cron::Job.load_from_hash'],
  },
  {
    name: 'Net::HTTP, Faraday and HTTParty',
    code: `
require "net/http"

uri = URI("https://example.com")
Net::HTTP.get(uri)
http = Net::HTTP.new(uri.host, uri.port)
http.request(Net::HTTP::Get.new(uri))
conn = Faraday.new(url: "https://example.com")
conn.post("/orders", "{}")

class Api
  include HTTParty
  base_uri "https://example.com"
end

HTTParty.get("https://example.com")
`,
    signals: [
      'http-call Net::HTTP.get', 'http-call Net::HTTP.new', 'http-call Net::HTTP#request', 'http-call Faraday.new', 'http-call Faraday::Connection#post',
      'http-call HTTParty', 'http-call HTTParty.get',
    ],
  },
  {
    name: 'rufus-scheduler: the scheduler and its jobs, on a local and on an instance variable',
    code: `
require 'rufus-scheduler'

class Runner
  def initialize
    @scheduler = Rufus::Scheduler.new(frequency: 0.3)
    @scheduler.every 60 do
      run_workers
    end
  end

  def nightly
    scheduler = Rufus::Scheduler.new
    scheduler.cron '5 0 * * *' do
      cleanup
    end
    # scheduler.every '3h' in a comment
    calendar.every(3)
    Scheduler.new.every 5
  end
end
`,
    signals: ['schedule Rufus::Scheduler.new', 'schedule Rufus::Scheduler#every', 'schedule Rufus::Scheduler.new', 'schedule Rufus::Scheduler#cron'],
  },
  {
    name: 'mail, SMS and payments',
    code: `
UserMailer.welcome(user).deliver_now
OrderMailer.with(order: order).receipt.deliver_later
client = Twilio::REST::Client.new(sid, token)
client.messages.create(to: phone, body: "hi")
Stripe::PaymentIntent.create({ amount: 100, currency: "eur" })
`,
    signals: [
      'notify ActionMailer::MessageDelivery#deliver_now', 'notify ActionMailer::MessageDelivery#deliver_later', 'notify Twilio::Messages.create',
      'payment Stripe::PaymentIntent.create',
    ],
  },
  {
    name: 'locks: Active Record row and advisory locks, Redlock; a mutex and a lock method of the application are not',
    code: `
class StockItem < ApplicationRecord
  def adjust(value)
    with_lock do
      update!(count: count + value)
    end
  end
end
order.with_lock { order.update!(state: "paid") }
order.lock!
OrderCycle.lock.find_by!(id: id)
Tag.with_advisory_lock("sync") do
  sync!
end
manager = Redlock::Client.new(["redis://localhost:6379"])
manager.lock("resource", 2000)
Mutex.new.lock
mutex.lock
door.with_lock
Rails.cache.lock("k")
# order.with_lock do
`,
    signals: [
      'lock ActiveRecord::Base#with_lock', 'lock ActiveRecord::Base#with_lock', 'lock ActiveRecord::Base#lock!', 'lock ActiveRecord::Base.lock',
      'lock ActiveRecord::Base.with_advisory_lock', 'lock Redlock::Client#lock',
    ],
  },
  {
    name: 'Stripe: resources that move no money, a StripeClient\'s services, and look-alikes',
    code: `
Stripe::Customer.create({ email: email })
Stripe::SetupIntent.create({ customer: id })
Stripe::Subscription.update(id, { cancel_at_period_end: true })
client = Stripe::StripeClient.new(key)
client.v1.customers.create({ email: email })
client.v1.checkout.sessions.create({ mode: "subscription" })
client.v1.checkout.sessions.retrieve(session_id)
class Provider
  attr_reader :client, :secret

  def initialize(key)
    @client = Stripe::StripeClient.new(key)
  end

  def checkout(email)
    client.v1.customers.create({ email: email })
    secret.v1.customers.create({ email: email })
  end
end
customer.update(email: email)
Customer.create(email: email)
# Stripe::Customer.create(email: email)
`,
    signals: [
      'payment Stripe::Customer.create', 'payment Stripe::SetupIntent.create', 'payment Stripe::Subscription.update', 'payment Stripe::Customer.create',
      'payment Stripe::Checkout::Session.create', 'payment Stripe::Checkout::Session.retrieve', 'payment Stripe::Customer.create',
    ],
  },
  {
    name: 'faraday-retry added to a connection by name or by class; other middleware is not a retry',
    code: `
class Synth
  def client
    @client ||= Faraday.new(url: "https://api.example.com") do |faraday|
      faraday.request(:retry, { max: 2, interval: 0.05, backoff_factor: 2 })
      faraday.use Faraday::Retry::Middleware, max: 3
      faraday.request :json
      faraday.response :raise_error
    end
  end
end
`,
    signals: ['http-call Faraday.new', 'retry Faraday::Connection#request', 'retry Faraday::Connection#use'],
  },
  {
    name: 'a compact class name (class Provider::Stripe) leaves the gem\'s Stripe visible inside it',
    code: `
class Provider::Stripe
  def initialize(secret_key:)
    @client = Stripe::StripeClient.new(secret_key)
  end

  def create_checkout_session(email:)
    customer = client.v1.customers.create(email: email)
    client.v1.checkout.sessions.create(customer: customer.id, mode: "subscription")
  end

  private
    attr_reader :client
end
`,
    signals: ['payment Stripe::Customer.create', 'payment Stripe::Checkout::Session.create'],
  },
  {
    name: 'clockwork: a clock file that includes Clockwork at its top level',
    code: `
require "clockwork"
include Clockwork

every(10.seconds, "frequent") do
  CacheViews.perform_async
end

every(1.day, "daily", at: "7:00") { Cleanup.perform_async }
# every(1.hour, "in a comment")
`,
    signals: ['schedule Clockwork.every', 'enqueue Sidekiq::Job.perform_async', 'schedule Clockwork.every', 'enqueue Sidekiq::Job.perform_async'],
  },
  {
    name: 'clockwork: every inside module Clockwork, and Clockwork.every; a bare every elsewhere is not clockwork\'s',
    code: `
require "clockwork"

module Clockwork
  every(1.minute, "minutely") { puts "tick" }
end

Clockwork.every(1.hour, "hourly") { puts "tock" }

class Poller
  def run(items)
    every(5, items)
  end
end
`,
    signals: ['schedule Clockwork.every', 'schedule Clockwork.every'],
  },
  {
    name: 'a job class method that enqueues itself with options: set(queue:).perform_async, in def self. and class << self',
    code: `
class SendEmailJob
  include Sidekiq::Job

  def self.perform_async_in_queue(id, queue:)
    set(queue: queue).perform_async(id)
  end

  class << self
    def later(id)
      self.set(queue: :low).perform_in(60, id)
    end
  end

  def perform(id)
    set(id)
  end
end
`,
    signals: ['task-def Sidekiq::Job', 'enqueue Sidekiq::Job.perform_async', 'enqueue Sidekiq::Job.perform_in'],
  },
  {
    name: 'include HTTParty makes the class an HTTP client, beside its requests',
    code: `
class Pocket
  include HTTParty
  base_uri "https://getpocket.com"

  def add(options)
    self.class.post("/v3/add", options)
  end
end
`,
    signals: ['http-call HTTParty', 'http-call HTTParty.post'],
  },
  {
    name: 'traps: constants nested in the file\'s own modules, same-named methods, strings and comments',
    code: `
module Billing
  module Net
    class HTTP
      def self.get(uri) = uri
    end
  end

  class Faraday
    def self.new(*) = nil
  end

  def self.sync
    Net::HTTP.get("https://example.com")
    Faraday.new(url: "https://example.com")
  end
end

cache = {}
cache.get("x") if cache.respond_to?(:get)
queue = []
queue.push(1)
# Net::HTTP.get(uri) and ReceiptJob.perform_async(1)
text = "HTTParty.get('https://example.com')"
`,
    signals: [],
  },
  {
    name: 'GoodJob cron: each entry of config.good_job.cron, and one assigned under a key; other hashes and a variable are not entries',
    code: `
Rails.application.configure do
  config.good_job.enable_cron = true
  config.good_job.cron = {
    stats: { cron: "every 15s", class: "StatsJob", set: { priority: 10 } },
    nightly_sync: {
      cron: "0 4 * * *",
      class: "SyncJob",
      description: "nightly",
    },
    # commented: { cron: "* * * * *", class: "CommentJob" },
    not_an_entry: { description: "no cron or class" },
  }
  if Rails.env.production?
    config.good_job.cron[:verify] = { cron: "0 12 * * *", class: "VerifyJob" }
  end
  config.good_job.cron = SCHEDULE
  config.other.cron = { x: { cron: "* * * * *", class: "OtherJob" } }
  settings.cron = { y: { cron: "* * * * *", class: "YJob" } }
end
Rails.application.config.good_job.cron[:cache] = { class: "CacheRefreshJob", cron: "*/5 * * * *" }
`,
    signals: ['schedule GoodJob.cron', 'schedule GoodJob.cron', 'schedule GoodJob.cron', 'schedule GoodJob.cron'],
  },
  {
    name: 'GoodJob cron: the cron: hash of the whole settings hash, and entries merged in with merge!; other settings and other merges are not',
    code: `
Rails.application.configure do
  config.good_job = {
    execution_mode: :external,
    enable_cron: true,
    cron: {
      cleanup: { cron: "0 0 * * *", class: "CleanupJob" },
    },
  }
  config.good_job = { queues: "*", max_threads: 5 }
  config.good_job.cron.merge!(
    reminders: { cron: "0 8 * * 1", class: "ReminderJob" }
  )
  config.good_job.cron.merge!({ "Cron::SessionsJob": { cron: "15 1 * * *", class: "Cron::SessionsJob" } })
  settings.cron.merge!(other: { cron: "* * * * *", class: "OtherJob" })
  options.merge!(cron: "* * * * *", class: "NotAnEntry")
end
`,
    signals: ['schedule GoodJob.cron', 'schedule GoodJob.cron', 'schedule GoodJob.cron'],
  },
  {
    name: 'a mailer message named by a method of the class (def mail) and delivered from another method; a project deliver_later and a mail gem message are not',
    code: `
class DigestMaker
  def initialize(user)
    @user = user
  end

  def mail
    UserMailer.digest(
      user: @user
    )
  end

  def message = Mail.new(to: @user.email)

  def deliver_later
    return false if @user.nil?
    mail.deliver_later
  end

  def deliver_plain
    message.deliver
  end
end

DigestMaker.new(user).deliver_later
`,
    signals: ['notify ActionMailer::MessageDelivery#deliver_later'],
  },
  {
    name: 'whenever: each every block of schedule.rb that runs a job type, its own or one the file defines; other every calls are not',
    code: `
set :output, "log/cron.log"
job_type :sidekiq_job, "cd :path && bin/enqueue :task"

every 3.hours do
  runner "Feed.refresh_all"
  rake "sitemap:refresh"
end

every 1.day, at: "4:30 am" do
  command "/usr/bin/backup"
end

every :sunday do
  sidekiq_job "WeeklyDigest"
end

every 5.minutes do
  puts "no job type here"
end

class Poller
  def run
    every(10) { rake "not:a:schedule" }
  end
end
# every :hour do runner "In.comment" end
`,
    signals: ['schedule Whenever.every', 'schedule Whenever.every', 'schedule Whenever.every'],
  },
];

describeSignals('Ruby signals', 'ruby', CASES);

describe('Ruby files', () => {
  it('reads Rake task files as Ruby, where scheduled tasks enqueue jobs; other names that mention rake are not', () => {
    assert.equal(languageFromPath('lib/tasks/schedule.rake'), 'ruby');
    assert.equal(languageFromPath('lib/tasks/Schedule.RAKE'), 'ruby');
    assert.equal(languageFromPath('docs/rake.md'), undefined);
    assert.equal(languageFromPath('lib/tasks/schedule.rake.bak'), undefined);
  });
});
