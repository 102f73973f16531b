import { isCeleryTaskDecorator, isHueyPeriodic } from '../facts/python/tasks.js';
import type { CallFact } from '../facts/types.js';
import { lookupTable } from '../lookup.js';
import { PROJECT_SENDER } from '../project/types.js';
import type { SignalKind } from '../types.js';

/** Python APIs (canonical names, as the Python facts resolve them) and the signal each one is. */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

type Entry = [string, SignalKind];

/** The same methods on several receivers: `each(['a.B', 'a.C'], ['x', 'y'], kind)`. */
function each(receivers: readonly string[], methods: readonly string[], kind: SignalKind): Entry[] {
  return receivers.flatMap((r) => methods.map((m): Entry => [`${r}.${m}`, kind]));
}

/** stripe-python resources and StripeClient services that create or move money. */
const STRIPE_RESOURCES: Readonly<Record<string, readonly string[]>> = lookupTable({
  PaymentIntent: ['create', 'confirm', 'capture'],
  Charge: ['create', 'capture'],
  Refund: ['create'],
  Transfer: ['create'],
  Payout: ['create'],
  'checkout.Session': ['create'],
  Subscription: ['create'],
  Invoice: ['pay'],
});
const STRIPE_SERVICES: Readonly<Record<string, readonly string[]>> = lookupTable({
  payment_intents: ['create', 'confirm', 'capture'],
  charges: ['create', 'capture'],
  refunds: ['create'],
  transfers: ['create'],
  payouts: ['create'],
  'checkout.sessions': ['create'],
  subscriptions: ['create'],
  invoices: ['pay'],
});
/** Each stripe method also has an `_async` twin. */
const withAsync = (methods: readonly string[]): string[] => methods.flatMap((m) => [m, `${m}_async`]);

/** The money-moving methods of stripe-python, by canonical name (`stripe.PaymentIntent.create`). */
export const STRIPE_PAYMENTS: ReadonlySet<string> = new Set([
  ...Object.entries(STRIPE_RESOURCES).flatMap(([r, ms]) => withAsync(ms).map((m) => `stripe.${r}.${m}`)),
  ...Object.entries(STRIPE_SERVICES).flatMap(([s, ms]) => withAsync(ms).map((m) => `stripe.StripeClient.${s}.${m}`)),
]);

/**
 * Every stripe-python resource a payment integration calls, and the calls that reach Stripe's API
 * on them. All are payment signals, reads included (a hover explains the integration wherever it
 * talks to Stripe); which of them move money is `STRIPE_PAYMENTS`, read by the finding rule.
 * `stripe.Webhook.construct_event` only checks a signature locally and is not listed.
 */
const STRIPE_ALL_RESOURCES: Readonly<Record<string, string>> = lookupTable({
  Customer: 'customers', PaymentIntent: 'payment_intents', SetupIntent: 'setup_intents', PaymentMethod: 'payment_methods',
  Charge: 'charges', Refund: 'refunds', Transfer: 'transfers', Payout: 'payouts', Subscription: 'subscriptions',
  SubscriptionItem: 'subscription_items', Invoice: 'invoices', InvoiceItem: 'invoice_items', Price: 'prices',
  Product: 'products', Coupon: 'coupons', PromotionCode: 'promotion_codes', Account: 'accounts', Dispute: 'disputes',
  'checkout.Session': 'checkout.sessions', 'billing_portal.Session': 'billing_portal.sessions',
});
const STRIPE_RESOURCE_METHODS = ['create', 'retrieve', 'modify', 'list', 'search', 'delete', 'cancel', 'capture', 'confirm', 'pay', 'attach', 'detach', 'finalize_invoice', 'void_invoice'];
const STRIPE_SERVICE_METHODS = ['create', 'retrieve', 'update', 'list', 'search', 'delete', 'cancel', 'capture', 'confirm', 'pay', 'attach', 'detach', 'finalize_invoice', 'void_invoice'];
const STRIPE_CALLS: readonly string[] = Object.entries(STRIPE_ALL_RESOURCES).flatMap(([resource, service]) => [
  ...withAsync(STRIPE_RESOURCE_METHODS).map((m) => `stripe.${resource}.${m}`),
  ...withAsync(STRIPE_SERVICE_METHODS).map((m) => `stripe.StripeClient.${service}.${m}`),
]);

/** Stripe calls that only read: a payment signal, but no side effect to repeat or lose. */
export function isStripeRead(api: string): boolean {
  return /^stripe\..*\.(?:retrieve|list|search)(?:_async)?$/.test(api);
}

const HUEY_CLASSES = ['Huey', 'RedisHuey', 'RedisExpireHuey', 'PriorityRedisHuey', 'PriorityRedisExpireHuey', 'SqliteHuey', 'MemoryHuey', 'FileHuey'];
const APSCHEDULERS = ['BlockingScheduler', 'BackgroundScheduler', 'AsyncIOScheduler', 'GeventScheduler', 'TornadoScheduler', 'TwistedScheduler', 'QtScheduler'];
const REDIS_CLIENTS = ['redis.Redis', 'redis.asyncio.Redis'];
const SLACK_WEB_CLIENTS = ['slack_sdk.WebClient', 'slack_sdk.web.WebClient', 'slack_sdk.web.client.WebClient', 'slack_sdk.web.async_client.AsyncWebClient', 'slack.WebClient', 'slack.AsyncWebClient'];

export const PYTHON_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  // Outbound HTTP.
  ...each(['requests', 'requests.Session', 'httpx', 'httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession'], HTTP_VERBS, 'http-call'),
  // `Session.send` sends a prepared request; it takes the same `timeout` as the verbs.
  ['requests.Session.send', 'http-call'],
  ['httpx.stream', 'http-call'],
  // Tornado's HTTP clients send a request with `fetch`.
  ['tornado.httpclient.AsyncHTTPClient.fetch', 'http-call'],
  ['tornado.httpclient.HTTPClient.fetch', 'http-call'],
  ['httpx.Client', 'http-call'],
  ['httpx.AsyncClient', 'http-call'],
  ['urllib.request.urlopen', 'http-call'],
  ['urllib3.request', 'http-call'],
  ['urllib3.PoolManager', 'http-call'],
  ...each(['urllib3.PoolManager', 'urllib3.HTTPConnectionPool', 'urllib3.HTTPSConnectionPool'], ['request', 'urlopen'], 'http-call'),
  ['http.client.HTTPConnection', 'http-call'],
  ['http.client.HTTPSConnection', 'http-call'],
  // Retry policies.
  ['tenacity.retry', 'retry'],
  ['tenacity.Retrying', 'retry'],
  ['tenacity.AsyncRetrying', 'retry'],
  ['backoff.on_exception', 'retry'],
  ['backoff.on_predicate', 'retry'],
  ['urllib3.Retry', 'retry'],
  ['rq.Retry', 'retry'],
  ['celery.Task.retry', 'retry'],
  // `autoretry_for = (...)` in the body of a Celery task class (facts/python.ts).
  ['celery.Task.autoretry_for', 'retry'],
  ['dramatiq.middleware.Retries', 'retry'],
  ['kombu.Connection.ensure', 'retry'],
  // The `retry` package: a decorator and its call form.
  ['retry.retry', 'retry'],
  ['retry.api.retry_call', 'retry'],
  // Celery: enqueues, schedules (task definitions come from the decorators, below).
  ...each(['celery.Task', 'celery.Signature', 'celery.chain', 'celery.group', 'celery.chord'], ['delay', 'apply_async'], 'enqueue'),
  ['celery.Task.delay_on_commit', 'enqueue'],
  ['celery.Task.apply_async_on_commit', 'enqueue'],
  ['celery.Celery.send_task', 'enqueue'],
  ['celery.Celery.add_periodic_task', 'schedule'],
  ['celery.Celery.conf.beat_schedule', 'schedule'],
  ['celery.Celery.conf.CELERYBEAT_SCHEDULE', 'schedule'],
  ['celery.schedules.crontab', 'schedule'],
  ['celery.schedules.solar', 'schedule'],
  ['celery.schedules.schedule', 'schedule'],
  // An entry of a beat table whose schedule is a period (`"schedule": timedelta(hours=1)`; facts/python.ts).
  ['celery.beat_schedule.entry', 'schedule'],
  // RQ, dramatiq, huey.
  ['rq.Queue', 'queue-config'],
  ...each(['rq.Queue'], ['enqueue', 'enqueue_call', 'enqueue_in', 'enqueue_at', 'enqueue_many'], 'enqueue'),
  ['rq.JobFunction.delay', 'enqueue'],
  ['rq.decorators.job', 'task-def'],
  ['rq.Worker', 'consumer'],
  ...each(['rq_scheduler.Scheduler'], ['schedule', 'cron', 'enqueue_at', 'enqueue_in'], 'schedule'),
  ['dramatiq.actor', 'task-def'],
  ['dramatiq.Actor.send', 'enqueue'],
  ['dramatiq.Actor.send_with_options', 'enqueue'],
  ['huey.Task', 'enqueue'],
  ['huey.Task.schedule', 'enqueue'],
  ...each(HUEY_CLASSES.map((c) => `huey.${c}`), ['task', 'context_task'], 'task-def'),
  ...each(HUEY_CLASSES.map((c) => `huey.${c}`), ['periodic_task'], 'schedule'),
  ['huey.contrib.djhuey.task', 'task-def'],
  ['huey.contrib.djhuey.db_task', 'task-def'],
  ['huey.contrib.djhuey.periodic_task', 'schedule'],
  ['huey.contrib.djhuey.db_periodic_task', 'schedule'],
  // RabbitMQ: pika and kombu.
  ...each(['pika.Channel'], ['basic_consume', 'consume', 'basic_get'], 'consumer'),
  ['pika.Channel.basic_publish', 'enqueue'],
  ['pika.Channel.queue_declare', 'queue-config'],
  ['pika.Channel.exchange_declare', 'queue-config'],
  ['kombu.Queue', 'queue-config'],
  ['kombu.Exchange', 'queue-config'],
  ['kombu.Connection.SimpleQueue', 'queue-config'],
  ['kombu.Producer.publish', 'enqueue'],
  ['kombu.SimpleQueue.put', 'enqueue'],
  ['kombu.SimpleQueue.get', 'consumer'],
  ['kombu.Consumer', 'consumer'],
  ['kombu.Connection.Consumer', 'consumer'],
  // Kafka: kafka-python and confluent-kafka.
  ['kafka.KafkaProducer', 'enqueue'],
  ['kafka.KafkaProducer.send', 'enqueue'],
  ['kafka.KafkaConsumer', 'consumer'],
  ...each(['kafka.KafkaConsumer'], ['poll', 'commit'], 'consumer'),
  ['confluent_kafka.Producer', 'enqueue'],
  ['confluent_kafka.SerializingProducer', 'enqueue'],
  ['confluent_kafka.avro.AvroProducer', 'enqueue'],
  ...each(['confluent_kafka.Producer', 'confluent_kafka.SerializingProducer'], ['produce'], 'enqueue'),
  ['confluent_kafka.Consumer', 'consumer'],
  ['confluent_kafka.DeserializingConsumer', 'consumer'],
  ...each(['confluent_kafka.Consumer', 'confluent_kafka.DeserializingConsumer'], ['poll', 'consume', 'commit'], 'consumer'),
  // Amazon SQS (boto3 client and resource), SES and SNS.
  ...each(['boto3.sqs.Client'], ['send_message', 'send_message_batch'], 'enqueue'),
  ...each(['boto3.sqs.Client'], ['receive_message', 'delete_message', 'delete_message_batch', 'change_message_visibility'], 'consumer'),
  ...each(['boto3.sqs.Client'], ['create_queue', 'set_queue_attributes'], 'queue-config'),
  ['boto3.sqs.ServiceResource.create_queue', 'queue-config'],
  ...each(['boto3.sqs.Queue'], ['send_message', 'send_messages'], 'enqueue'),
  ['boto3.sqs.Queue.receive_messages', 'consumer'],
  ['boto3.sqs.Message.delete', 'consumer'],
  ...each(['boto3.ses.Client', 'boto3.sesv2.Client'], ['send_email', 'send_raw_email', 'send_templated_email', 'send_bulk_templated_email', 'send_bulk_email'], 'notify'),
  ['boto3.sns.Client.publish', 'notify'],
  // In-process schedulers and Airflow.
  ...each(APSCHEDULERS.map((s) => `apscheduler.${s}`), ['add_job', 'scheduled_job'], 'schedule'),
  ...each(['apscheduler.Scheduler', 'apscheduler.AsyncScheduler'], ['add_schedule'], 'schedule'),
  ['schedule.every', 'schedule'],
  ['airflow.DAG', 'schedule'],
  ['airflow.models.DAG', 'schedule'],
  ['airflow.models.dag.DAG', 'schedule'],
  ['airflow.sdk.DAG', 'schedule'],
  ['airflow.decorators.dag', 'schedule'],
  ['airflow.sdk.dag', 'schedule'],
  // Notifications.
  ...each(['smtplib.SMTP', 'smtplib.SMTP_SSL', 'smtplib.LMTP'], ['send_message', 'sendmail'], 'notify'),
  ...['send_mail', 'send_mass_mail', 'mail_admins', 'mail_managers'].map((f): Entry => [`django.core.mail.${f}`, 'notify']),
  ['django.core.mail.EmailMessage.send', 'notify'],
  ['django.core.mail.EmailMultiAlternatives.send', 'notify'],
  ['sendgrid.SendGridAPIClient.send', 'notify'],
  ['sendgrid.SendGridAPIClient.client.mail.send.post', 'notify'],
  ...each(['twilio.rest.Client'], ['messages.create', 'calls.create', 'api.account.messages.create', 'api.v2010.account.messages.create'], 'notify'),
  ['flask_mail.Mail.send', 'notify'],
  // slack_sdk (and its predecessor slackclient, imported as `slack`): the Web API's message methods, and Incoming Webhooks.
  ...each(SLACK_WEB_CLIENTS, ['chat_postMessage', 'chat_postEphemeral', 'chat_scheduleMessage'], 'notify'),
  ...each(['slack_sdk.webhook.WebhookClient', 'slack_sdk.webhook.async_client.AsyncWebhookClient', 'slack_sdk.webhook.client.WebhookClient'], ['send', 'send_dict'], 'notify'),
  // discord-webhook executes a Discord webhook (sync and async clients).
  ...each(['discord_webhook.DiscordWebhook', 'discord_webhook.webhook.DiscordWebhook', 'discord_webhook.AsyncDiscordWebhook', 'discord_webhook.async_webhook.AsyncDiscordWebhook'], ['execute'], 'notify'),
  // pymsteams posts a connector card to a Teams incoming webhook.
  ...each(['pymsteams.connectorcard', 'pymsteams.async_connectorcard'], ['send'], 'notify'),
  ...each(['firebase_admin.messaging'], ['send', 'send_each', 'send_multicast', 'send_each_for_multicast'], 'notify'),
  // Payments.
  ...[...STRIPE_PAYMENTS, ...STRIPE_CALLS].map((api): Entry => [api, 'payment']),
  // Circuit breakers and locks.
  ['pybreaker.CircuitBreaker', 'circuit-breaker'],
  ...each(['pybreaker.CircuitBreaker'], ['__call__', 'call', 'call_async'], 'circuit-breaker'),
  ['circuitbreaker.circuit', 'circuit-breaker'],
  ['circuitbreaker.CircuitBreaker', 'circuit-breaker'],
  ...each(REDIS_CLIENTS, ['lock'], 'lock'),
  ['redis.lock.Lock', 'lock'],
  ['redis_lock.Lock', 'lock'],
  ['pottery.Redlock', 'lock'],
  ['redlock.Redlock', 'lock'],
  ['redlock.Redlock.lock', 'lock'],
]);

/**
 * A DAG given `schedule=None` (or Airflow 2's `schedule_interval=None`) runs only when something
 * triggers it: it is no schedule, and nothing about overlapping or missed runs applies to it.
 */
function unscheduled(call: CallFact): boolean {
  return ['schedule', 'schedule_interval', 'timetable'].some((k) => call.args?.keywords.get(k)?.value.kind === 'none');
}

/** `SET key value NX` with an expiry (`nx=True, px=30000`): the hand-written Redis lock. */
function isRedisLockSet(call: CallFact): boolean {
  if (!REDIS_CLIENTS.some((client) => call.api === `${client}.set`)) return false;
  const keywords = call.args?.keywords;
  return keywords?.get('nx')?.value.kind === 'true' && ['px', 'ex', 'pxat', 'exat'].some((k) => keywords.has(k));
}

/**
 * The kind of a call a project function wraps (`project/model.ts`): the table's, or the one its
 * arguments gave it, written after a `#` (`redis.Redis.set#lock` is a lock, `requests.post#notify`
 * a webhook delivery).
 */
export function wrappedKind(api: string): SignalKind | undefined {
  const [name = '', tag] = api.split('#');
  if (tag === 'lock') return 'lock';
  if (tag === 'notify') return 'notify';
  return PYTHON_APIS.get(name);
}

/** Airflow operators and sensors, wherever a provider package defines them. */
const AIRFLOW_OPERATOR = /^airflow\.[\w.]*\.\w+(?:Operator|Sensor)$/;
const AIRFLOW_RETRY_OPTIONS = ['retries', 'retry_delay', 'retry_exponential_backoff', 'max_retry_delay'];
/** TaskFlow `@task(...)` takes the operator's arguments, retry options included. */
const AIRFLOW_TASK_DECORATORS = new Set(['airflow.decorators.task', 'airflow.sdk.task']);

/**
 * The signal a Python call is. Beyond the table: task decorators are task definitions, a Huey
 * periodic task is a schedule, `conf.update(beat_schedule=...)` configures a schedule, and an
 * Airflow operator or TaskFlow `@task` given retry options is a retry policy (else a task
 * definition).
 */
export function pythonSignalKind(call: CallFact): SignalKind | undefined {
  // A project function that sends a notification (`send_email` over Django's `send_mail`), calls
  // out, enqueues, charges or locks sends (and so on) where it is called. A member of it (`send_email.delay(...)`, a task's enqueue) is not the send.
  if (call.api.startsWith(PROJECT_SENDER)) return wrappedKind(call.api.slice(PROJECT_SENDER.length));
  if (call.decorator !== undefined && isCeleryTaskDecorator(call.api)) return 'task-def';
  if (isHueyPeriodic(call.api)) return 'schedule';
  const kind = PYTHON_APIS.get(call.api);
  if (kind === 'schedule' && call.api.startsWith('airflow.') && unscheduled(call)) return undefined;
  if (kind !== undefined) return kind;
  if (call.api === 'celery.Celery.conf.update' && call.args?.keywords.has('beat_schedule') === true) return 'schedule';
  if (isRedisLockSet(call)) return 'lock';
  // `HTTPAdapter(max_retries=...)`, mounted on a requests Session, retries that session's requests.
  if (call.api === 'requests.adapters.HTTPAdapter') {
    const retries = call.args?.keywords.get('max_retries')?.value;
    return retries !== undefined && !(retries.kind === 'number' && Number(retries.text) === 0) ? 'retry' : undefined;
  }
  if (AIRFLOW_OPERATOR.test(call.api) || AIRFLOW_TASK_DECORATORS.has(call.api)) {
    return AIRFLOW_RETRY_OPTIONS.some((k) => call.args?.keywords.has(k) === true) ? 'retry' : 'task-def';
  }
  return undefined;
}
