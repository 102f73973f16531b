import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../facts/types.js';
import { lookupTable } from '../lookup.js';
import { PROJECT_FACTORY, PROJECT_SENDER } from '../project/types.js';
import type { SignalKind } from '../types.js';

/** JavaScript and TypeScript APIs (canonical names, as the JS facts resolve them) and their signals. */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const AXIOS_METHODS = [...HTTP_VERBS, 'postForm', 'putForm', 'patchForm'];

/** stripe-node resources that create or move money (`stripe.paymentIntents.create(...)`). */
export const STRIPE_PAYMENTS = [
  'paymentIntents.create', 'paymentIntents.confirm', 'paymentIntents.capture', 'charges.create', 'charges.capture',
  'refunds.create', 'transfers.create', 'payouts.create', 'checkout.sessions.create', 'subscriptions.create', 'invoices.pay',
];

/**
 * stripe-node resources and the calls on them that reach Stripe's API. All are payment signals,
 * reads included; which of them move money is the finding rule's business (`STRIPE_PAYMENTS`).
 * These name the common resources and methods (a project function that makes one of these calls
 * carries it to its callers); `isStripeApiCall` covers the rest of the family.
 */
const STRIPE_RESOURCES = [
  'customers', 'paymentIntents', 'setupIntents', 'paymentMethods', 'paymentLinks', 'charges', 'refunds', 'transfers', 'payouts',
  'subscriptions', 'subscriptionItems', 'subscriptionSchedules', 'invoices', 'invoiceItems', 'creditNotes', 'quotes', 'prices',
  'products', 'plans', 'coupons', 'promotionCodes', 'taxRates', 'accounts', 'accountLinks', 'disputes', 'balance',
  'balanceTransactions', 'applicationFees', 'topups', 'checkout.sessions', 'billingPortal.sessions', 'billingPortal.configurations',
  'billing.meterEvents', 'billing.meters', 'billing.creditGrants',
];
const STRIPE_METHODS = [
  'create', 'retrieve', 'update', 'list', 'search', 'del', 'cancel', 'capture', 'confirm', 'pay', 'attach', 'detach', 'expire', 'resume',
  'finalizeInvoice', 'voidInvoice', 'sendInvoice', 'markUncollectible', 'release', 'listLineItems', 'createPreview',
  'incrementAuthorization', 'verifyMicrodeposits', 'applyCustomerBalance', 'createBalanceTransaction', 'createReversal',
];
const STRIPE_CALLS = STRIPE_RESOURCES.flatMap((r) => STRIPE_METHODS.map((m) => `${r}.${m}`));

/**
 * Any method of any resource of a stripe-node client (`stripe.checkout.sessions.expire(...)`,
 * `stripe.issuing.cards.create(...)`): Stripe adds resources and methods with every API version,
 * and every one of them is a request to Stripe. A resource sits at most three namespaces deep
 * (`stripe.v2.billing.meterEvents.create`). Left out: `webhooks`, whose methods check or build a
 * signature locally, and `oauth.authorizeUrl`, which only builds a URL; a method of the client
 * itself (`stripe.on(...)`) names no resource.
 */
const STRIPE_API_CALL = /^stripe\.Stripe\.(?!webhooks\.|oauth\.authorizeUrl$)[a-z]\w*(?:\.[a-z]\w*){1,3}$/;

/** The signal kind of a library API by its canonical name: the table, then the families it cannot list. */
export function javascriptApiKind(api: string): SignalKind | undefined {
  return JAVASCRIPT_APIS.get(api) ?? (STRIPE_API_CALL.test(api) ? 'payment' : undefined);
}

/** SQS operations, by their v2 method name; the v3 command is the same name capitalised, plus `Command`. */
const SQS_OPERATIONS: Readonly<Record<string, SignalKind>> = lookupTable({
  sendMessage: 'enqueue',
  sendMessageBatch: 'enqueue',
  receiveMessage: 'consumer',
  deleteMessage: 'consumer',
  deleteMessageBatch: 'consumer',
  changeMessageVisibility: 'consumer',
  createQueue: 'queue-config',
  setQueueAttributes: 'queue-config',
});

export const JAVASCRIPT_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  ...HTTP_VERBS.flatMap((v): [string, SignalKind][] => [
    [`got.${v}`, 'http-call'],
    [`got.Instance.${v}`, 'http-call'],
  ]),
  ...AXIOS_METHODS.flatMap((v): [string, SignalKind][] => [
    [`axios.${v}`, 'http-call'],
    [`axios.Instance.${v}`, 'http-call'],
  ]),
  ['axios', 'http-call'],
  ['axios.create', 'http-call'],
  ['fetch', 'http-call'],
  ['undici.fetch', 'http-call'],
  ['got', 'http-call'],
  ['got.extend', 'http-call'],
  ['p-retry', 'retry'],
  ['axios-retry', 'retry'],
  ['exponential-backoff.backOff', 'retry'],
  ['async-retry', 'retry'],
  ['opossum.CircuitBreaker', 'circuit-breaker'],
  ['opossum.CircuitBreaker.fire', 'circuit-breaker'],
  ['redlock.Redlock', 'lock'],
  ['redlock.Redlock.acquire', 'lock'],
  ['redlock.Redlock.lock', 'lock'],
  ['redlock.Redlock.using', 'lock'],
  ['nodemailer.Transporter.sendMail', 'notify'],
  ['@sendgrid/mail.send', 'notify'],
  ['@sendgrid/mail.sendMultiple', 'notify'],
  ['twilio.Twilio.messages.create', 'notify'],
  // Transactional email and SMS APIs, by their documented send calls.
  ['resend.Resend.emails.send', 'notify'],
  ['resend.Resend.emails.create', 'notify'],
  ['resend.Resend.batch.send', 'notify'],
  ['resend.Resend.batch.create', 'notify'],
  ...['ServerClient', 'Client'].flatMap((client) => ['sendEmail', 'sendEmailBatch', 'sendEmailWithTemplate', 'sendEmailBatchWithTemplates']
    .map((m): [string, SignalKind] => [`postmark.${client}.${m}`, 'notify'])),
  ['mailgun.js.Client.messages.create', 'notify'],
  ...['SendEmail', 'SendRawEmail', 'SendTemplatedEmail', 'SendBulkTemplatedEmail'].flatMap((op): [string, SignalKind][] => [
    [`@aws-sdk/client-ses.${op}Command`, 'notify'],
    [`@aws-sdk/client-ses.SES.${op[0]?.toLowerCase() ?? ''}${op.slice(1)}`, 'notify'],
    [`aws-sdk.SES.${op[0]?.toLowerCase() ?? ''}${op.slice(1)}`, 'notify'],
  ]),
  ['@aws-sdk/client-sesv2.SendEmailCommand', 'notify'],
  ['@aws-sdk/client-sesv2.SendBulkEmailCommand', 'notify'],
  ['@vonage/server-sdk.Vonage.sms.send', 'notify'],
  ['@vonage/server-sdk.Vonage.messages.send', 'notify'],
  ['plivo.Client.messages.create', 'notify'],
  ...[...STRIPE_PAYMENTS, ...STRIPE_CALLS].map((m): [string, SignalKind] => [`stripe.Stripe.${m}`, 'payment']),
  // Task queues: BullMQ and Bull.
  ['bullmq.Queue', 'queue-config'],
  ['bullmq.Queue.add', 'enqueue'],
  ['bullmq.Queue.addBulk', 'enqueue'],
  ['bullmq.Queue.upsertJobScheduler', 'schedule'],
  ['bullmq.QueueScheduler', 'schedule'],
  ['bullmq.FlowProducer.add', 'enqueue'],
  ['bullmq.FlowProducer.addBulk', 'enqueue'],
  ['bullmq.Worker', 'consumer'],
  ['bull.Queue', 'queue-config'],
  ['bull.Queue.add', 'enqueue'],
  ['bull.Queue.addBulk', 'enqueue'],
  ['bull.Queue.process', 'consumer'],
  // Brokers: amqplib and kafkajs.
  ['amqplib.Channel.assertQueue', 'queue-config'],
  ['amqplib.Channel.assertExchange', 'queue-config'],
  ['amqplib.Channel.consume', 'consumer'],
  ['amqplib.Channel.get', 'consumer'],
  ['amqplib.Channel.sendToQueue', 'enqueue'],
  ['amqplib.Channel.publish', 'enqueue'],
  ['kafkajs.Kafka.producer', 'enqueue'],
  ['kafkajs.Producer.send', 'enqueue'],
  ['kafkajs.Producer.sendBatch', 'enqueue'],
  ['kafkajs.Kafka.consumer', 'consumer'],
  ['kafkajs.Consumer.run', 'consumer'],
  // Upstash QStash: HTTP messages published to a URL, directly or through a named queue.
  ['@upstash/qstash.Client.publish', 'enqueue'],
  ['@upstash/qstash.Client.publishJSON', 'enqueue'],
  ['@upstash/qstash.Client.batch', 'enqueue'],
  ['@upstash/qstash.Client.batchJSON', 'enqueue'],
  ['@upstash/qstash.Client.queue', 'queue-config'],
  ['@upstash/qstash.Queue.enqueue', 'enqueue'],
  ['@upstash/qstash.Queue.enqueueJSON', 'enqueue'],
  ['@upstash/qstash.Queue.upsert', 'queue-config'],
  ['@upstash/qstash.Client.schedules.create', 'schedule'],
  // node-rdkafka (librdkafka's Node binding): a producer made is an enqueue, as kafkajs's is.
  ['node-rdkafka.Producer', 'enqueue'],
  ['node-rdkafka.HighLevelProducer', 'enqueue'],
  ['node-rdkafka.Producer.produce', 'enqueue'],
  ['node-rdkafka.HighLevelProducer.produce', 'enqueue'],
  ['node-rdkafka.KafkaConsumer', 'consumer'],
  ['node-rdkafka.KafkaConsumer.consume', 'consumer'],
  // Amazon SQS: SDK v2 clients, v3 aggregated clients and v3 commands.
  ...Object.entries(SQS_OPERATIONS).flatMap(([operation, kind]): [string, SignalKind][] => [
    [`aws-sdk.SQS.${operation}`, kind],
    [`@aws-sdk/client-sqs.SQS.${operation}`, kind],
    [`@aws-sdk/client-sqs.${operation[0]?.toUpperCase() ?? ''}${operation.slice(1)}Command`, kind],
  ]),
  // In-process schedulers.
  ['node-cron.schedule', 'schedule'],
  ['node-cron.createTask', 'schedule'],
  ['cron.CronJob', 'schedule'],
  ['cron.CronJob.from', 'schedule'],
  ['node-schedule.scheduleJob', 'schedule'],
  ['agenda.Agenda.every', 'schedule'],
  ['agenda.Agenda.schedule', 'schedule'],
  ['agenda.Agenda.define', 'task-def'],
  ['agenda.Agenda.now', 'enqueue'],
  // `agenda.create(name, data)` makes a job that `job.save()` stores; `repeatEvery` on it makes it recurring.
  ['agenda.Agenda.create', 'enqueue'],
  ['agenda.Job.repeatEvery', 'schedule'],
  // NestJS wrappers: decorators and dynamic modules over cron, Bull and BullMQ.
  ['@nestjs/schedule.Cron', 'schedule'],
  ['@nestjs/schedule.Interval', 'schedule'],
  ['@nestjs/bull.BullModule.registerQueue', 'queue-config'],
  ['@nestjs/bull.BullModule.registerQueueAsync', 'queue-config'],
  ['@nestjs/bull.Process', 'consumer'],
  ['@nestjs/bullmq.BullModule.registerQueue', 'queue-config'],
  ['@nestjs/bullmq.BullModule.registerQueueAsync', 'queue-config'],
  ['@nestjs/bullmq.Processor', 'consumer'],
]);

/** The kinds of signal a call through a project function carries to its callers (`javascript-sends.ts`). */
export const CARRIED_KINDS: ReadonlySet<SignalKind> = new Set(['http-call', 'notify', 'enqueue', 'payment', 'schedule', 'lock']);

/** A BullMQ or Bull `add` whose options repeat the job is a schedule, not a one-off enqueue. */
export function javascriptSignalKind(call: CallFact): SignalKind | undefined {
  // A project function that makes and returns a queue (`createQueue("tasks", {...})`) declares a
  // queue where it is called, as `new Queue(...)` would. One called with nothing
  // (`globalEventQueue()`) hands out a queue made once, declared elsewhere. A project function
  // that returns what an HTTP call answers (a `fetch` wrapper) makes that call where it is called.
  // These are the only kinds a factory call carries.
  if (call.api.startsWith(PROJECT_FACTORY)) {
    const kind = javascriptApiKind(call.api.slice(PROJECT_FACTORY.length));
    const declares = kind === 'queue-config' && (call.args?.positional.length ?? 0) > 0;
    return declares ? 'queue-config' : kind === 'http-call' ? 'http-call' : undefined;
  }
  // A project function whose body makes a library call of a carried kind makes it where it is called.
  if (call.api.startsWith(PROJECT_SENDER)) {
    const kind = javascriptApiKind(call.api.slice(PROJECT_SENDER.length));
    return kind !== undefined && CARRIED_KINDS.has(kind) ? kind : undefined;
  }
  if (call.api === 'setInterval') return intervalMs(call) >= MIN_SCHEDULE_MS ? 'schedule' : undefined;
  // `@Interval(ms)` or `@Interval(name, ms)` runs the method on a `setInterval` of that period.
  if (call.api === '@nestjs/schedule.Interval') {
    const delay = call.args?.positional.at(-1);
    return delay !== undefined && (arithmetic(delay.node) ?? 0) >= MIN_SCHEDULE_MS ? 'schedule' : undefined;
  }
  const kind = javascriptApiKind(call.api);
  if (kind === 'enqueue' && (call.api === 'bullmq.Queue.add' || call.api === 'bull.Queue.add')) {
    const repeats = call.args?.positional.some((a) => a.object?.props.has('repeat') === true) === true;
    if (repeats) return 'schedule';
  }
  return kind;
}

/**
 * A `setInterval` that repeats a minute or more apart is a periodic job run inside the process (a
 * version check once a day), the work cron would otherwise do; a shorter period is a polling loop
 * or an animation. The period must be written as numbers (`24 * 3600 * 1000`): a period read from
 * elsewhere is unknown, and the call is left alone.
 */
const MIN_SCHEDULE_MS = 60_000;

function intervalMs(call: CallFact): number {
  const delay = call.args?.positional[1];
  return delay === undefined ? 0 : (arithmetic(delay.node) ?? 0);
}

/** The value of an expression of number literals, `*`, `+` and parentheses; undefined for anything else. */
function arithmetic(node: Node): number | undefined {
  if (node.type === 'number') {
    const n = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChild(0);
    return inner === null ? undefined : arithmetic(inner);
  }
  if (node.type !== 'binary_expression') return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const a = left === null ? undefined : arithmetic(left);
  const b = right === null ? undefined : arithmetic(right);
  if (a === undefined || b === undefined) return undefined;
  const operator = node.childForFieldName('operator')?.text;
  return operator === '*' ? a * b : operator === '+' ? a + b : undefined;
}
