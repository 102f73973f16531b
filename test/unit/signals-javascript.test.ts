import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/**
 * Every JavaScript framework the server recognises, imported the ways real code imports it, and
 * the signals each use must yield (canonical API and kind, in source order). Traps at the end of
 * each sample must yield nothing.
 */
const CASES: readonly { name: string; language: LanguageId; code: string; signals: readonly string[] }[] = [
  {
    name: 'job options returned under Bull\'s own type: attempts above one is a retry; one attempt, an untyped object or a local type is not',
    language: 'typescript',
    code: `
import type { JobOptions } from 'bull';
import Queue from 'bull';

interface LocalOptions { attempts: number }

export class ImportTask {
  public get options(): JobOptions {
    const fallback = () => ({ attempts: 5 });
    return { priority: 1, attempts: 3, backoff: { type: 'exponential', delay: 60000 } };
  }
}

export class CleanupTask {
  public get options(): Queue.JobOptions {
    return { attempts: 1 };
  }
}

export class RetriedTask {
  public get options(): Queue.JobOptions {
    return { attempts: 2 };
  }
}

export function untyped() {
  return { attempts: 4 };
}

export function local(): LocalOptions {
  return { attempts: 4 };
}
`,
    signals: ['retry job options (attempts)', 'retry job options (attempts)'],
  },
  {
    name: 'job options declared under Bull\'s type: a constant with attempts above one is a retry; an untyped or one-attempt constant is not',
    language: 'typescript',
    code: `
import { JobOptions } from 'bull';

export const IMPORT_JOB_OPTIONS: JobOptions = { attempts: 12, backoff: { type: 'exponential', delay: 60000 } };
export const ONCE: JobOptions = { attempts: 1 };
export const UNTYPED = { attempts: 4 };
`,
    signals: ['retry job options (attempts)'],
  },
  {
    name: 'NestJS: @Cron and long @Interval methods are schedules, @Process a Bull consumer, registerQueue a queue; an injected Queue enqueues',
    language: 'typescript',
    code: `
import { BullModule, InjectQueue, Process, Processor } from '@nestjs/bull';
import { Module, Injectable } from '@nestjs/common';
import { Cron, CronExpression, Interval, Timeout } from '@nestjs/schedule';
import { Job, Queue } from 'bull';

@Module({ imports: [BullModule.registerQueue({ name: 'mail' })] })
export class MailModule {}

@Processor('mail')
export class MailProcessor {
  @Process('welcome')
  async welcome(job: Job) {}
}

@Injectable()
export class MailService {
  constructor(@InjectQueue('mail') private readonly mailQueue: Queue, private readonly other: Other) {}

  async send(to: string) {
    await this.mailQueue.add('welcome', { to });
    await this.other.add('welcome', { to });
  }

  @Cron(CronExpression.EVERY_HOUR)
  async hourly() {}

  @Interval(10 * 60 * 1000)
  async tenMinutes() {}

  @Interval('poll', 500)
  poll() {}

  @Timeout(5000)
  once() {}
}
`,
    signals: [
      'queue-config @nestjs/bull.BullModule.registerQueue', 'consumer @nestjs/bull.Process', 'enqueue bull.Queue.add',
      'schedule @nestjs/schedule.Cron', 'schedule @nestjs/schedule.Interval',
    ],
  },
  {
    name: 'NestJS with BullMQ: the @Processor class is the consumer and registerQueue a queue',
    language: 'typescript',
    code: `
import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Job, Queue } from 'bullmq';

@Module({ imports: [BullModule.registerQueue({ name: 'audio' })] })
export class AudioModule {}

@Processor('audio')
export class AudioConsumer extends WorkerHost {
  async process(job: Job) {}
}

export async function enqueue(queue: Queue) {
  await queue.add('transcode', {});
}
`,
    signals: ['queue-config @nestjs/bullmq.BullModule.registerQueue', 'consumer @nestjs/bullmq.Processor', 'enqueue bullmq.Queue.add'],
  },
  {
    name: 'agenda handed to a job module: define, create (an enqueue), and a created job made recurring (one schedule); a local type of the same name is not agenda',
    language: 'typescript',
    code: `
import Agenda, { Job } from 'agenda';

let agenda: Agenda;
export function setup(ag: Agenda) {
  agenda = ag;
  agenda.define('fire', async (job: Job) => {});
}

export async function queueFire(id: string) {
  const job = agenda.create('fire', { id }) as Job;
  job.unique({ id });
  await job.save();
}

export default async function (a: Agenda) {
  const job = a.create('cleanup', {});
  job.unique({});
  job.repeatEvery('5 minutes');
  await job.save();
}

interface Local { create(name: string): { repeatEvery(s: string): void } }
export function local(agenda: Local) {
  agenda.create('x').repeatEvery('1 minute');
}
`,
    signals: ['task-def agenda.Agenda.define', 'enqueue agenda.Agenda.create', 'schedule agenda.Job.repeatEvery'],
  },
  {
    name: 'a Stripe client held in a constructor field and copied to a local: schedules and meter events are Stripe calls; an untyped field is not',
    language: 'typescript',
    code: `
import type Stripe from 'stripe';

export class Billing {
  constructor(private stripe: Stripe, private readonly other: { subscriptionSchedules: { create(p: object): void } }) {}

  async change(id: string) {
    const client = this.stripe;
    await client.subscriptionSchedules.create({ from_subscription: id });
    await this.stripe.billing.meterEvents.create({ event_name: 'tokens', payload: {} });
    const plain = this.other;
    plain.subscriptionSchedules.create({});
  }
}
`,
    signals: ['payment stripe.Stripe.subscriptionSchedules.create', 'payment stripe.Stripe.billing.meterEvents.create'],
  },
  {
    name: 'hand-written retry loops: a loop that returns on success and waits on failure is a retry; a polling loop is not',
    language: 'javascript',
    code: `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function publish(channel, body) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await channel.publish(body);
    } catch (err) {
      await sleep(500 * 2 ** attempt);
    }
  }
  throw new Error('not published');
}

async function poll(job) {
  while (true) {
    if (await job.isDone()) return job.result;
    await sleep(1000);
  }
}

// for (;;) { try { return await call(); } catch { await sleep(100); } }
const text = 'while (true) { try { return go(); } catch { await sleep(1); } }';
`,
    signals: ['retry hand-written retry loop'],
  },
  {
    name: 'BullMQ: named imports, scheduler, repeat and flows',
    language: 'typescript',
    code: `
import { Queue, Worker, QueueScheduler, FlowProducer } from 'bullmq';
const queue = new Queue('mail');
await queue.add('send', { id: 1 });
await queue.addBulk([{ name: 'send', data: {} }]);
await queue.add('digest', {}, { repeat: { pattern: '0 * * * *' } });
await queue.upsertJobScheduler('hourly', { every: 3_600_000 });
new QueueScheduler('mail');
const flows = new FlowProducer();
await flows.add({ name: 'root', queueName: 'mail' });
new Worker('mail', async (job) => job.data);
const local = new Set<string>();
local.add('x');
`,
    signals: [
      'queue-config bullmq.Queue', 'enqueue bullmq.Queue.add', 'enqueue bullmq.Queue.addBulk', 'schedule bullmq.Queue.add',
      'schedule bullmq.Queue.upsertJobScheduler', 'schedule bullmq.QueueScheduler', 'enqueue bullmq.FlowProducer.add', 'consumer bullmq.Worker',
    ],
  },
  {
    name: 'BullMQ: a job scheduler\'s template options retry when they allow more than one attempt',
    language: 'typescript',
    code: `
import { Queue } from 'bullmq';
const queue = new Queue('jobs');
await queue.upsertJobScheduler(id, { pattern: cron }, { name: id, opts: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } } });
await queue.upsertJobScheduler('once', { every: 60_000 }, { opts: { attempts: 1 } });
`,
    signals: ['queue-config bullmq.Queue', 'schedule bullmq.Queue.upsertJobScheduler', 'retry bullmq.Queue.upsertJobScheduler', 'schedule bullmq.Queue.upsertJobScheduler'],
  },
  {
    name: 'Bull: default export through require',
    language: 'javascript',
    code: `
const Queue = require('bull');
const emails = new Queue('emails', 'redis://localhost:6379');
emails.process(async (job) => job.data);
emails.add({ to: 'a@example.com' }, { attempts: 3 });
`,
    signals: ['queue-config bull.Queue', 'consumer bull.Queue.process', 'enqueue bull.Queue.add', 'retry bull.Queue.add'],
  },
  {
    name: 'amqplib: connection, channel, queue, consume, publish',
    language: 'javascript',
    code: `
const amqp = require('amqplib');
async function main() {
  const conn = await amqp.connect('amqp://localhost');
  const ch = await conn.createChannel();
  await ch.assertExchange('orders', 'topic');
  await ch.assertQueue('orders');
  ch.sendToQueue('orders', Buffer.from('x'));
  ch.publish('orders', 'a.b', Buffer.from('x'));
  await ch.consume('orders', (msg) => ch.ack(msg));
  await ch.get('orders');
}
`,
    signals: [
      'queue-config amqplib.Channel.assertExchange', 'queue-config amqplib.Channel.assertQueue', 'enqueue amqplib.Channel.sendToQueue',
      'enqueue amqplib.Channel.publish', 'consumer amqplib.Channel.consume', 'consumer amqplib.Channel.get',
    ],
  },
  {
    name: 'kafkajs: producer and consumer',
    language: 'typescript',
    code: `
import { Kafka } from 'kafkajs';
const kafka = new Kafka({ brokers: ['k:9092'] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'g' });
await producer.send({ topic: 't', messages: [] });
await producer.sendBatch({ topicMessages: [] });
await consumer.run({ eachMessage: async () => {} });
`,
    signals: [
      'enqueue kafkajs.Kafka.producer', 'consumer kafkajs.Kafka.consumer', 'enqueue kafkajs.Producer.send',
      'enqueue kafkajs.Producer.sendBatch', 'consumer kafkajs.Consumer.run',
    ],
  },
  {
    name: 'AWS SDK v2: namespace import and the client module',
    language: 'typescript',
    code: `
import * as AWS from 'aws-sdk';
import SQS from 'aws-sdk/clients/sqs';
const sqs = new AWS.SQS();
const other = new SQS();
await sqs.sendMessage({ QueueUrl: 'u', MessageBody: 'b' }).promise();
await other.receiveMessage({ QueueUrl: 'u' }).promise();
await sqs.deleteMessage({ QueueUrl: 'u', ReceiptHandle: 'r' }).promise();
await sqs.createQueue({ QueueName: 'q' }).promise();
`,
    signals: ['enqueue aws-sdk.SQS.sendMessage', 'consumer aws-sdk.SQS.receiveMessage', 'consumer aws-sdk.SQS.deleteMessage', 'queue-config aws-sdk.SQS.createQueue'],
  },
  {
    name: 'AWS SDK v3: commands and the aggregated client',
    language: 'typescript',
    code: `
import { SQSClient, SQS, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand, CreateQueueCommand } from '@aws-sdk/client-sqs';
const client = new SQSClient({});
await client.send(new SendMessageCommand({ QueueUrl: 'u', MessageBody: 'b' }));
await client.send(new ReceiveMessageCommand({ QueueUrl: 'u' }));
await client.send(new DeleteMessageCommand({ QueueUrl: 'u', ReceiptHandle: 'r' }));
await client.send(new CreateQueueCommand({ QueueName: 'q' }));
await new SQS({}).sendMessage({ QueueUrl: 'u', MessageBody: 'b' });
`,
    signals: [
      'enqueue @aws-sdk/client-sqs.SendMessageCommand', 'consumer @aws-sdk/client-sqs.ReceiveMessageCommand',
      'consumer @aws-sdk/client-sqs.DeleteMessageCommand', 'queue-config @aws-sdk/client-sqs.CreateQueueCommand', 'enqueue @aws-sdk/client-sqs.SQS.sendMessage',
    ],
  },
  {
    name: 'In-process schedulers: node-cron, cron, node-schedule, agenda',
    language: 'javascript',
    code: `
const cron = require('node-cron');
const { CronJob } = require('cron');
const schedule = require('node-schedule');
const Agenda = require('agenda');
cron.schedule('* * * * *', () => {});
new CronJob('0 * * * *', () => {});
CronJob.from({ cronTime: '0 * * * *', onTick: () => {} });
schedule.scheduleJob('*/5 * * * *', () => {});
const agenda = new Agenda({ db: { address: 'mongodb://x' } });
agenda.define('report', async () => {});
agenda.every('5 minutes', 'report');
agenda.schedule('tomorrow', 'report');
agenda.now('report');
`,
    signals: [
      'schedule node-cron.schedule', 'schedule cron.CronJob', 'schedule cron.CronJob.from', 'schedule node-schedule.scheduleJob',
      'task-def agenda.Agenda.define', 'schedule agenda.Agenda.every', 'schedule agenda.Agenda.schedule', 'enqueue agenda.Agenda.now',
    ],
  },
  {
    name: 'Notifications, payments, breakers and locks',
    language: 'typescript',
    code: `
import nodemailer from 'nodemailer';
import Stripe from 'stripe';
import CircuitBreaker from 'opossum';
import Redlock from 'redlock';
const transport = nodemailer.createTransport({ host: 'smtp' });
await transport.sendMail({ to: 'a@example.com' });
const stripe = new Stripe('sk');
await stripe.paymentIntents.create({ amount: 1, currency: 'eur' });
await stripe.checkout.sessions.create({ mode: 'payment' });
await stripe.customers.create({ email: 'a@example.com' });
new CircuitBreaker(async () => 1);
const redlock = new Redlock([]);
await redlock.acquire(['a'], 5000);
`,
    signals: [
      'notify nodemailer.Transporter.sendMail', 'payment stripe.Stripe.paymentIntents.create', 'payment stripe.Stripe.checkout.sessions.create',
      'payment stripe.Stripe.customers.create', 'circuit-breaker opossum.CircuitBreaker', 'lock redlock.Redlock', 'lock redlock.Redlock.acquire',
    ],
  },
  {
    name: 'parameters declared as a mail transporter or a queue; a local type or an untyped parameter stays unresolved',
    language: 'typescript',
    code: `
import { default as Mail } from 'nodemailer/lib/mailer';
import { Transporter } from 'nodemailer';
import { Queue } from 'bullmq';
import type { Mailer } from './mailer';
interface Outbox { sendMail(m: object): void; add(n: string): void }
async function deliver(transporter: Mail, other: Transporter<object>, queue: Queue, local: Mailer, outbox: Outbox, plain) {
  await transporter.sendMail({ to: 'a@example.com' });
  await other.sendMail({ to: 'b@example.com' });
  await queue.add('job', {});
  await local.sendMail({ to: 'c@example.com' });
  outbox.sendMail({});
  outbox.add('x');
  plain.sendMail({});
}
`,
    signals: ['notify nodemailer.Transporter.sendMail', 'notify nodemailer.Transporter.sendMail', 'enqueue bullmq.Queue.add'],
  },
  {
    name: 'BullMQ job options that retry: queue defaults and an add of its own; one attempt is no retry',
    language: 'typescript',
    code: `
import { Queue } from 'bullmq';
const mail = new Queue('mail', { defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } } });
await mail.add('welcome', { to: 'a' }, { attempts: 3 });
await mail.add('digest', { to: 'b' }, { attempts: 1 });
const plain = { attempts: 3 };
`,
    signals: ['queue-config bullmq.Queue', 'retry bullmq.Queue', 'enqueue bullmq.Queue.add', 'retry bullmq.Queue.add', 'enqueue bullmq.Queue.add'],
  },
  {
    name: 'retry libraries: axios-retry and exponential-backoff; a local backOff is not',
    language: 'typescript',
    code: `
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { backOff } from 'exponential-backoff';
axiosRetry(axios, { retries: 3 });
await backOff(() => fetchRates(), { numOfAttempts: 5 });
function later(fn: () => void) { return fn; }
later(() => 0);
`,
    signals: ['retry axios-retry', 'retry exponential-backoff.backOff'],
  },
  {
    name: 'SendGrid and Twilio sends',
    language: 'javascript',
    code: `
const sgMail = require('@sendgrid/mail');
const twilio = require('twilio');
const { Twilio } = require('twilio');
const sms = twilio(process.env.SID, process.env.TOKEN);
sgMail.send({ to: 'a@example.com' });
sms.messages.create({ to: '+100', body: 'hi' });
new Twilio('sid', 'token').messages.create({ to: '+100', body: 'hi' });
require('twilio')('sid', 'token').messages.create({ to: '+100' });
`,
    signals: ['notify @sendgrid/mail.send', 'notify twilio.Twilio.messages.create', 'notify twilio.Twilio.messages.create', 'notify twilio.Twilio.messages.create'],
  },
  {
    name: 'stripe-node called through require, without new',
    language: 'javascript',
    code: `
const stripe = require('stripe')(process.env.STRIPE_KEY);
stripe.refunds.create({ payment_intent: 'pi' });
stripe.subscriptions.update('sub', { cancel_at_period_end: true });
stripe.customers.retrieve('cus');
const customers = { update: (_p) => 0 };
customers.update({ email: 'a@example.com' });
`,
    signals: ['payment stripe.Stripe.refunds.create', 'payment stripe.Stripe.subscriptions.update', 'payment stripe.Stripe.customers.retrieve'],
  },
  {
    name: 'every method of every stripe-node resource is a payment signal, namespaced ones included; webhook signature helpers, client methods and look-alikes are not',
    language: 'typescript',
    code: `
import Stripe from 'stripe';
const stripe = new Stripe('sk');
await stripe.checkout.sessions.expire('cs_1');
await stripe.billingPortal.configurations.create({ features: {} });
await stripe.invoices.voidInvoice('in_1');
await stripe.issuing.cards.create({ cardholder: 'ich', currency: 'eur', type: 'virtual' });
await stripe.v2.billing.meterEvents.create({ event_name: 'e', payload: {} });
stripe.webhooks.constructEvent('body', 'sig', 'whsec');
stripe.on('request', () => undefined);
const portal = { billingPortal: { configurations: { create: (_p: object) => 0 } } };
portal.billingPortal.configurations.create({});
// stripe.subscriptions.cancel('sub') in a comment
const note = 'stripe.invoices.voidInvoice(id)';
`,
    signals: ['payment stripe.Stripe.checkout.sessions.expire', 'payment stripe.Stripe.billingPortal.configurations.create', 'payment stripe.Stripe.invoices.voidInvoice',
      'payment stripe.Stripe.issuing.cards.create', 'payment stripe.Stripe.v2.billing.meterEvents.create'],
  },
  {
    name: 'transactional email and SMS SDKs: Resend, Postmark, Mailgun, SES v2 and v3, Vonage and Plivo sends are notifications; their reads and look-alikes are not',
    language: 'typescript',
    code: `
import { Resend } from 'resend';
import * as postmark from 'postmark';
import Mailgun from 'mailgun.js';
import { SESClient, SendEmailCommand, ListIdentitiesCommand } from '@aws-sdk/client-ses';
import { SendEmailCommand as SendV2 } from '@aws-sdk/client-sesv2';
import { Vonage } from '@vonage/server-sdk';
import plivo from 'plivo';
const resend = new Resend('re_1');
await resend.emails.send({ from: 'a@example.com', to: 'b@example.com', subject: 's', html: 'h' });
await resend.batch.send([]);
await resend.emails.get('id');
const pm = new postmark.ServerClient('token');
await pm.sendEmail({ From: 'a@example.com', To: 'b@example.com', Subject: 's', TextBody: 't' });
await pm.sendEmailWithTemplate({ From: 'a', To: 'b', TemplateId: 1, TemplateModel: {} });
await pm.getDeliveryStatistics();
const mg = new Mailgun(FormData).client({ username: 'api', key: 'k' });
await mg.messages.create('example.com', { to: 'b@example.com' });
await new SESClient({}).send(new SendEmailCommand({ Source: 'a', Destination: {}, Message: {} } as never));
new ListIdentitiesCommand({});
new SendV2({});
const vonage = new Vonage({ apiKey: 'k', apiSecret: 's' } as never);
await vonage.sms.send({ to: '+100', from: 'Acme', text: 'hi' });
await new plivo.Client('id', 'token').messages.create({ src: '+1', dst: '+2', text: 'hi' });
const mailer = { emails: { send: (_m: object) => 0 } };
mailer.emails.send({});
// resend.emails.send({ ... }) in a comment
`,
    signals: ['notify resend.Resend.emails.send', 'notify resend.Resend.batch.send', 'notify postmark.ServerClient.sendEmail', 'notify postmark.ServerClient.sendEmailWithTemplate',
      'notify mailgun.js.Client.messages.create', 'notify @aws-sdk/client-ses.SendEmailCommand', 'notify @aws-sdk/client-sesv2.SendEmailCommand', 'notify @vonage/server-sdk.Vonage.sms.send',
      'notify plivo.Client.messages.create'],
  },
  {
    name: 'node-fetch-commonjs is node-fetch; a kafkajs producer handed in as a typed parameter sends enqueues',
    language: 'typescript',
    code: `
import fetch from 'node-fetch-commonjs';
import type { Producer } from 'kafkajs';
export async function flush(producer: Producer | undefined, url: string): Promise<void> {
  await fetch(url, { method: 'POST', body: '[]' });
  await producer?.send({ topic: 'metrics', messages: [] });
}
export function createMetrics(producer?: Producer) {
  return async () => producer?.send({ topic: 'metrics', messages: [] });
}
export function untyped(producer: { send(m: object): void }) { producer.send({}); }
`,
    signals: ['http-call fetch', 'enqueue kafkajs.Producer.send', 'enqueue kafkajs.Producer.send'],
  },
  {
    name: 'a loop that waits and goes round again on a 429 or 5xx status is a hand-written retry; one that idles on an empty queue or skips a 404 is not',
    language: 'typescript',
    code: `
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export async function post(url: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5000) });
    if (res.status === 429) {
      await sleep(1000 * 2 ** attempt);
      continue;
    }
    return res;
  }
}
export async function poll(next: () => Promise<{ status: number } | undefined>): Promise<void> {
  while (true) {
    const job = await next();
    if (job === undefined) { await sleep(1000); continue; }
    if (job.status === 404) { await sleep(1000); continue; }
    break;
  }
}
`,
    signals: ['retry hand-written retry loop', 'http-call fetch'],
  },
  {
    name: 'node-rdkafka: producers and their produce calls are enqueues, a KafkaConsumer and its consume are consumers; a project class named Producer is not',
    language: 'javascript',
    code: `
const Kafka = require('node-rdkafka');
const { HighLevelProducer } = require('node-rdkafka');
const Local = require('./producer');
const producer = new Kafka.Producer({ 'bootstrap.servers': 'k:9092' });
producer.produce('orders', null, Buffer.from('x'));
const high = new HighLevelProducer({ 'bootstrap.servers': 'k:9092' });
const consumer = new Kafka.KafkaConsumer({ 'group.id': 'g' }, {});
consumer.consume();
new Local.Producer({});
// new Kafka.Producer({}) in a comment
`,
    signals: ['enqueue node-rdkafka.Producer', 'enqueue node-rdkafka.Producer.produce', 'enqueue node-rdkafka.HighLevelProducer', 'consumer node-rdkafka.KafkaConsumer', 'consumer node-rdkafka.KafkaConsumer.consume'],
  },
  {
    name: 'a method declared to return a Stripe client hands one out, also through Promise.all; a method returning another type does not',
    language: 'typescript',
    code: `
import Stripe from 'stripe';
import { Order } from './order';

export class Payments {
  async getClient(key: string): Promise<Stripe> {
    return new Stripe(key);
  }
  async getOrder(id: string): Promise<Order> {
    return new Order(id);
  }
  async refund(id: string) {
    const stripe = await this.getClient('k');
    await stripe.refunds.create({ payment_intent: id });
    const [client, order] = await Promise.all([this.getClient('k'), this.getOrder(id)]);
    await client.customers.create({ email: 'a@b.c' });
    await order.refunds.create({});
    const other = await this.getOrder(id);
    await other.charges.create({});
  }
}
`,
    signals: ['payment stripe.Stripe.refunds.create', 'payment stripe.Stripe.customers.create'],
  },
  {
    name: 'Upstash QStash: publishes and a named queue\'s enqueues are enqueues, the queue a declaration, a schedule a schedule; another client\'s publish is not',
    language: 'typescript',
    code: `
import { Client } from '@upstash/qstash';
import { Client as Other } from './other';

const qstash = new Client({ token: 't' });
const queue = qstash.queue({ queueName: 'ban-partner' });
await qstash.publishJSON({ url: 'https://a.example/api', body: { id: 1 } });
await queue.enqueueJSON({ url: 'https://a.example/api', body: { id: 1 } });
await qstash.schedules.create({ destination: 'https://a.example/api', cron: '0 * * * *' });
await new Other().publishJSON({});
`,
    signals: ['queue-config @upstash/qstash.Client.queue', 'enqueue @upstash/qstash.Client.publishJSON', 'enqueue @upstash/qstash.Queue.enqueueJSON', 'schedule @upstash/qstash.Client.schedules.create'],
  },
  {
    name: 'setInterval a minute or more apart is a schedule; a shorter or unknown period, or a local setInterval, is not',
    language: 'typescript',
    code: `
setInterval(checkUpdates, 24 * 3600 * 1000).unref();
setInterval(() => sweep(), 60_000);
setInterval(poll, 1000);
setInterval(poll, env.POLL_MS);
function local() {
  const setInterval = (f: () => void, ms: number) => f;
  setInterval(poll, 3_600_000);
}
`,
    signals: ['schedule setInterval', 'schedule setInterval'],
  },
  {
    name: 'HTTP clients and retry libraries',
    language: 'javascript',
    code: `
const axios = require('axios');
const got = require('got');
const fetch = require('node-fetch');
const pRetry = require('p-retry');
const retry = require('async-retry');
axios.post('u', {});
got.get('u');
fetch('u');
pRetry(() => 1);
retry(() => 1);
`,
    signals: ['http-call axios.post', 'http-call got.get', 'http-call fetch', 'retry p-retry', 'retry async-retry'],
  },
  {
    name: 'CommonJS destructuring with aliases, require(...).Member, amqplib\'s callback API, kafkajs eachBatch, opossum fire, redlock using',
    language: 'javascript',
    code: `
const { Queue: BQueue, Worker } = require('bullmq');
const { Queue } = require('bullmq');
const FlowProducer = require('bullmq').FlowProducer;
const AWS = require('aws-sdk');
const amqp = require('amqplib/callback_api');
const { Kafka } = require('kafkajs');
const CircuitBreaker = require('opossum');
const nodemailer = require('nodemailer');
const Redlock = require('redlock');
const retry = require('async-retry');

const q = new Queue('a');
q.add('x', {});
new BQueue('b').add('y', {});
new Worker('a', async () => {});
new FlowProducer().add({ name: 'n', queueName: 'a' });
const sqs = new AWS.SQS({ region: 'eu-west-1' });
sqs.sendMessage({ QueueUrl: 'u', MessageBody: 'b' }, () => {});
amqp.connect('amqp://x', (err, conn) => {
  conn.createChannel((err2, ch) => {
    ch.assertQueue('q');
    ch.sendToQueue('q', Buffer.from('x'));
    ch.consume('q', (m) => ch.ack(m));
  });
});
const consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'g' });
consumer.run({ eachBatch: async () => {} });
const breaker = new CircuitBreaker(async () => 1, { timeout: 3000 });
breaker.fire();
nodemailer.createTransport({}).sendMail({});
new Redlock([]).using(['a'], 5000, async () => {});
retry(async () => 1, { retries: 3 });
`,
    signals: [
      'queue-config bullmq.Queue', 'enqueue bullmq.Queue.add', 'enqueue bullmq.Queue.add', 'queue-config bullmq.Queue', 'consumer bullmq.Worker',
      'enqueue bullmq.FlowProducer.add', 'enqueue aws-sdk.SQS.sendMessage', 'queue-config amqplib.Channel.assertQueue', 'enqueue amqplib.Channel.sendToQueue',
      'consumer amqplib.Channel.consume', 'consumer kafkajs.Kafka.consumer', 'consumer kafkajs.Consumer.run', 'circuit-breaker opossum.CircuitBreaker',
      'circuit-breaker opossum.CircuitBreaker.fire', 'notify nodemailer.Transporter.sendMail', 'lock redlock.Redlock.using', 'lock redlock.Redlock', 'retry async-retry',
    ],
  },
  {
    name: 'ES module default, namespace and named imports of schedulers, HTTP clients, retries and SDKs',
    language: 'typescript',
    code: `
import cron from 'node-cron';
import * as nodeCron from 'node-cron';
import { CronJob } from 'cron';
import schedule, { scheduleJob } from 'node-schedule';
import { Agenda } from 'agenda';
import axios from 'axios';
import got from 'got';
import fetch from 'node-fetch';
import { fetch as undiciFetch } from 'undici';
import pRetry from 'p-retry';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import sgMail from '@sendgrid/mail';
import Stripe from 'stripe';

cron.schedule('* * * * *', () => {});
nodeCron.createTask('* * * * *', () => {});
new CronJob('* * * * *', () => {});
schedule.scheduleJob('* * * * *', () => {});
scheduleJob('* * * * *', () => {});
const agenda = new Agenda({});
agenda.every('1 minute', 'x');
const api = axios.create({ timeout: 1000 });
await api.get('/x');
await axios({ url: '/x', timeout: 1 });
await got('u', { timeout: { request: 1 } });
await fetch('u');
await undiciFetch('u');
await globalThis.fetch('u');
await pRetry(async () => 1, { retries: 3 });
await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: 'u', MessageBody: 'b' }));
await sgMail.send({ to: 'a' });
await new Stripe('k').refunds.create({ charge: 'c' });
`,
    signals: [
      'schedule node-cron.schedule', 'schedule node-cron.createTask', 'schedule cron.CronJob', 'schedule node-schedule.scheduleJob', 'schedule node-schedule.scheduleJob',
      'schedule agenda.Agenda.every', 'http-call axios.create', 'http-call axios.Instance.get', 'http-call axios', 'http-call got', 'http-call fetch',
      'http-call undici.fetch', 'http-call fetch', 'retry p-retry', 'enqueue @aws-sdk/client-sqs.SendMessageCommand', 'notify @sendgrid/mail.send',
      'payment stripe.Stripe.refunds.create',
    ],
  },
  {
    name: 'traps: a Set called queue, a Map get, a local fetch, project modules named like libraries',
    language: 'typescript',
    code: `
import { Queue } from 'queue-typescript';
import cron from './cron';
import got from './got';
import { schedule } from 'my-scheduler';
import { retry } from './retry';

const queue = new Set<string>();
queue.add('x');
const q = new Queue<number>();
q.enqueue(1);
cron.schedule('* * * * *', () => {});
got.get('u');
schedule('* * * * *');
retry(async () => 1);
function fetch(url: string) { return url; }
fetch('u');
const cache = new Map<string, string>();
cache.get('k');
const bull = { add: (_x: string) => 0 };
bull.add('x');
export const text = "axios.get('u'); new Queue('x').add('y')";
`,
    signals: [],
  },
  {
    name: 'traps: same-named objects of other libraries and names in strings',
    language: 'typescript',
    code: `
import { Queue } from './my-queue';
const queue = new Queue();
queue.add('x');
const channel = { consume: (_q: string) => 0 };
channel.consume('orders');
const stripe = { paymentIntents: { create: (_p: object) => 0 } };
stripe.paymentIntents.create({});
const text = "new Worker('mail'); cron.schedule('* * * * *')";
// transport.sendMail({ to }) in a comment
export function schedule(cron: { schedule(s: string): void }) { cron.schedule('* * * * *'); }
`,
    signals: [],
  },
];

describe('JavaScript signals', () => {
  before(async () => {
    for (const language of ['javascript', 'typescript', 'tsx'] as const) await testAnalyzer().prepare(language);
  });

  for (const { name, language, code, signals } of CASES) {
    it(name, () => {
      const result = testAnalyzer().analyzeSync(code, language);
      assert.deepEqual(result.signals.map((s) => `${s.kind} ${s.api}`), signals);
    });
  }

  it('recognises the same APIs in TSX', () => {
    const code = "import { Queue } from 'bullmq';\nconst q = new Queue('a');\nexport const C = () => <button onClick={() => q.add('x', {})}>go</button>;\n";
    const result = testAnalyzer().analyzeSync(code, 'tsx');
    assert.deepEqual(result.signals.map((s) => `${s.kind} ${s.api}`), ['queue-config bullmq.Queue', 'enqueue bullmq.Queue.add']);
  });
});
