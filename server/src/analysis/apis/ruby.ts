import type { SignalKind } from '../types.js';

/**
 * Ruby APIs (canonical names, as the Ruby facts resolve them) and the signal each one is. Class
 * methods are `Const.method`, instance methods `Const#method`; `Sidekiq::Job` stands for
 * `include Sidekiq::Job` (or `Sidekiq::Worker`) and `ActiveJob::Base` for a job class's superclass.
 */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const NET_HTTP_REQUESTS = ['request', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request_get', 'request_post', 'request_head', 'send_request'];
const STRIPE_PAYMENTS: readonly string[] = [
  'PaymentIntent.create', 'PaymentIntent.confirm', 'PaymentIntent.capture', 'Charge.create', 'Charge.capture', 'Refund.create',
  'Transfer.create', 'Payout.create', 'Subscription.create', 'Invoice.pay', 'Checkout::Session.create',
];

/**
 * stripe-ruby resources and the calls on them that reach Stripe's API. All are payment signals,
 * reads included; the finding rule decides which of them move money. A `StripeClient` service
 * (`client.v1.customers`) resolves to its resource, so both styles meet here.
 */
const STRIPE_RESOURCES = [
  'Customer', 'PaymentIntent', 'SetupIntent', 'PaymentMethod', 'Charge', 'Refund', 'Transfer', 'Payout', 'Subscription',
  'SubscriptionItem', 'Invoice', 'InvoiceItem', 'Price', 'Product', 'Coupon', 'PromotionCode', 'Account', 'Dispute',
  'Checkout::Session', 'BillingPortal::Session',
];
const STRIPE_METHODS = ['create', 'retrieve', 'update', 'list', 'search', 'delete', 'cancel', 'capture', 'confirm', 'pay', 'attach', 'detach', 'finalize_invoice', 'void_invoice'];

export const RUBY_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  ...['get', 'get_response', 'post', 'post_form', 'get_print', 'start', 'new'].map((m): [string, SignalKind] => [`Net::HTTP.${m}`, 'http-call']),
  ...NET_HTTP_REQUESTS.map((m): [string, SignalKind] => [`Net::HTTP#${m}`, 'http-call']),
  ['Faraday.new', 'http-call'],
  ['Faraday::Connection.new', 'http-call'],
  // `conn.options` with no arguments reads the connection's settings: only HTTParty's `options` is a request.
  ...HTTP_VERBS.filter((m) => m !== 'options').flatMap((m): [string, SignalKind][] => [
    [`Faraday.${m}`, 'http-call'],
    [`Faraday::Connection#${m}`, 'http-call'],
  ]),
  ...HTTP_VERBS.map((m): [string, SignalKind] => [`HTTParty.${m}`, 'http-call']),
  // `include HTTParty` makes the class an HTTP client, as `Faraday.new` makes a connection: its
  // settings (`default_timeout`, `base_uri`) are the client's, and http-timeout reports it there.
  ['HTTParty', 'http-call'],
  ['Faraday::Connection#run_request', 'http-call'],
  ['Sidekiq::Job', 'task-def'],
  ['ActiveJob::Base', 'task-def'],
  ['Sidekiq::Job.sidekiq_options', 'retry'],
  ['Sidekiq::Job.sidekiq_retry_in', 'retry'],
  ['ActiveJob::Base.retry_on', 'retry'],
  ['ActiveJob::Base.discard_on', 'retry'],
  ['ActiveJob::Base.queue_as', 'queue-config'],
  ['Sidekiq::Job.perform_async', 'enqueue'],
  ['Sidekiq::Job.perform_in', 'enqueue'],
  ['Sidekiq::Job.perform_at', 'enqueue'],
  ['Sidekiq::Job.perform_bulk', 'enqueue'],
  ['Sidekiq::Client.push', 'enqueue'],
  ['Sidekiq::Client.push_bulk', 'enqueue'],
  ['Sidekiq::Client.enqueue', 'enqueue'],
  ['Sidekiq::Client.enqueue_in', 'enqueue'],
  ['Sidekiq::Client.enqueue_to', 'enqueue'],
  ['ActiveJob::Base.perform_later', 'enqueue'],
  ['ActiveJob.perform_all_later', 'enqueue'],
  ['Sidekiq::Cron::Job.create', 'schedule'],
  ['Sidekiq::Cron::Job.new', 'schedule'],
  ['Sidekiq::Cron::Job.load_from_hash', 'schedule'],
  ['Sidekiq::Cron::Job.load_from_hash!', 'schedule'],
  ['Sidekiq::Cron::Job.load_from_array', 'schedule'],
  ['Sidekiq::Cron::Job.load_from_array!', 'schedule'],
  // rufus-scheduler: an in-process scheduler (threads in this process) and the jobs it is given.
  ['Rufus::Scheduler.new', 'schedule'],
  ['Rufus::Scheduler.start_new', 'schedule'],
  ...['every', 'cron', 'in', 'at', 'interval'].map((m): [string, SignalKind] => [`Rufus::Scheduler#${m}`, 'schedule']),
  // clockwork: `every(10.seconds, "name") { ... }` in a clock process runs the block (or its handler) at each period.
  ['Clockwork.every', 'schedule'],
  // whenever: each `every` block of config/schedule.rb is a crontab entry.
  ['Whenever.every', 'schedule'],
  // GoodJob's cron: each entry of `config.good_job.cron` (facts/good-job-cron.ts).
  ['GoodJob.cron', 'schedule'],
  ['ActionMailer::MessageDelivery#deliver_now', 'notify'],
  ['ActionMailer::MessageDelivery#deliver_now!', 'notify'],
  ['ActionMailer::MessageDelivery#deliver_later', 'notify'],
  ['ActionMailer::MessageDelivery#deliver_later!', 'notify'],
  ['ActionMailer::MessageDelivery#deliver', 'notify'],
  ['ActionMailer::MessageDelivery#deliver!', 'notify'],
  ['Twilio::Messages.create', 'notify'],
  // GOV.UK Notify (notifications-ruby-client): each call sends one email, SMS or letter.
  ['Notifications::Client#send_email', 'notify'],
  ['Notifications::Client#send_sms', 'notify'],
  ['Notifications::Client#send_letter', 'notify'],
  ['Notifications::Client#send_precompiled_letter', 'notify'],
  ...STRIPE_PAYMENTS.map((m): [string, SignalKind] => [`Stripe::${m}`, 'payment']),
  // Row locks (`SELECT ... FOR UPDATE`), advisory locks and Redlock.
  ['ActiveRecord::Base#with_lock', 'lock'],
  ['ActiveRecord::Base#lock!', 'lock'],
  ['ActiveRecord::Base.lock', 'lock'],
  ['ActiveRecord::Base.with_advisory_lock', 'lock'],
  ['ActiveRecord::Base.with_advisory_lock!', 'lock'],
  ['Redlock::Client#lock', 'lock'],
  ['Redlock::Client#lock!', 'lock'],
  ...STRIPE_RESOURCES.flatMap((r) => STRIPE_METHODS.map((m): [string, SignalKind] => [`Stripe::${r}.${m}`, 'payment'])),
]);
