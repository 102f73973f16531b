import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import { unquote } from './common.js';
import type { ImportFact } from './types.js';

/**
 * How JavaScript modules name their APIs, for the facts extractor: what a default export is and
 * what a call returns. Canonical names are the module plus the path to the member
 * (`bullmq.Queue.add`), so each library's API table can list them without knowing how a file
 * imported them.
 */

/**
 * The class a module exports as its default (`import Queue from 'bull'`, `const Stripe = require('stripe')`),
 * named as its named export would be, so both spellings resolve to the same canonical name.
 */
const DEFAULT_EXPORTS: Readonly<Record<string, string>> = lookupTable({
  bull: 'bull.Queue',
  opossum: 'opossum.CircuitBreaker',
  redlock: 'redlock.Redlock',
  stripe: 'stripe.Stripe',
  agenda: 'agenda.Agenda',
  'mailgun.js': 'mailgun.js.Mailgun',
  'aws-sdk/clients/sqs': 'aws-sdk.SQS',
  // The class `createTransport` instantiates; TypeScript code names transporters by it.
  'nodemailer/lib/mailer': 'nodemailer.Transporter',
});

/** Modules known under another name: Node's `node:` prefix and the deep imports of the same classes. */
const MODULE_NAMES: Readonly<Record<string, string>> = lookupTable({
  'node:timers/promises': 'timers/promises',
  'aws-sdk/global': 'aws-sdk',
  'aws-sdk/clients/all': 'aws-sdk',
  // amqplib's callback API has the promise API's classes and methods, with results passed to callbacks.
  'amqplib/callback_api': 'amqplib',
  // node-fetch 3 republished as CommonJS: the same fetch, with no timeout option of its own.
  'node-fetch-commonjs': 'node-fetch',
});

/** The canonical name of a module imported by path. */
export function moduleName(source: string): string {
  return MODULE_NAMES[source] ?? source;
}

/** The canonical name of a module's default export. */
export function defaultExport(source: string): string {
  const module = moduleName(source);
  return DEFAULT_EXPORTS[module] ?? module;
}

/**
 * Classes a parameter declared with their type holds an instance of (`transporter: Transporter`):
 * those whose calls carry everything a rule reads (a send, a payment and its options), and the
 * queues a framework injects (`@InjectQueue('mail') queue: Queue`, an `Agenda` handed to a job
 * module), whose `add` or `create` is an enqueue wherever the queue was built, and a kafkajs
 * producer handed in, whose `send` is one too (its idempotence is judged where it is made). An
 * HTTP client is left out: its construction elsewhere decides whether its calls time out.
 */
export const TYPED_PARAMETERS: ReadonlySet<string> = new Set(['nodemailer.Transporter', 'stripe.Stripe', 'bull.Queue', 'bullmq.Queue', 'agenda.Agenda', 'kafkajs.Producer']);

/** What calling an API returns, where that is not an instance of the API itself. */
export const RETURNS: Readonly<Record<string, string>> = lookupTable({
  'axios.create': 'axios.Instance',
  'got.extend': 'got.Instance',
  'node-fetch': 'fetch',
  'mailgun.js.Mailgun.client': 'mailgun.js.Client',
  '@upstash/qstash.Client.queue': '@upstash/qstash.Queue',
  'amqplib.connect': 'amqplib.Connection',
  'amqplib.Connection.createChannel': 'amqplib.Channel',
  'amqplib.Connection.createConfirmChannel': 'amqplib.Channel',
  'kafkajs.Kafka.producer': 'kafkajs.Producer',
  'kafkajs.Kafka.consumer': 'kafkajs.Consumer',
  'nodemailer.createTransport': 'nodemailer.Transporter',
  'typeorm.DataSource.getRepository': 'typeorm.Repository',
  'pg.Pool.connect': 'pg.Client',
  'cron.CronJob.from': 'cron.CronJob',
  'agenda.Agenda.create': 'agenda.Job',
  // `twilio(accountSid, authToken)` builds the same client as `new Twilio(...)`.
  twilio: 'twilio.Twilio',
});

/**
 * What a Node-style callback API passes as its callback's second parameter (`(err, result)`),
 * where that is an instance the rules read: `amqp.connect(url, (err, conn) => ...)` from
 * `amqplib/callback_api`.
 */
export const CALLBACK_RESULTS: Readonly<Record<string, string>> = lookupTable({
  'amqplib.connect': 'amqplib.Connection',
  'amqplib.Connection.createChannel': 'amqplib.Channel',
  'amqplib.Connection.createConfirmChannel': 'amqplib.Channel',
});

export function readImport(node: Node): ImportFact[] {
  const found: ImportFact[] = [];
  const source = node.childForFieldName('source');
  const clause = node.namedChildren.find((c) => c?.type === 'import_clause');
  if (source == null || clause == null) return found;
  const module = moduleName(unquote(source.text));
  for (const part of clause.namedChildren) {
    if (part === null) continue;
    if (part.type === 'identifier') found.push({ target: defaultExport(module), local: part.text, node });
    else if (part.type === 'namespace_import') {
      const local = part.namedChild(0)?.text;
      if (local !== undefined) found.push({ target: module, local, node });
    } else if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name')?.text;
        const local = spec.childForFieldName('alias')?.text ?? name;
        if (name !== undefined && local !== undefined) found.push({ target: name === 'default' ? defaultExport(module) : `${module}.${name}`, local, node });
      }
    }
  }
  return found;
}

/** `const x = require('m')`, `const { A: B } = require('m')`, `require('m').default`; undefined for anything else. */
export function readRequire(left: Node, right: Node, node: Node): ImportFact[] | undefined {
  let call = right;
  let member: string | undefined;
  if (right.type === 'member_expression') {
    const object = right.childForFieldName('object');
    if (object?.type !== 'call_expression') return undefined;
    call = object;
    const property = right.childForFieldName('property')?.text;
    member = property === 'default' ? undefined : property;
  }
  if (call.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') return undefined;
  const required = requiredModule(call);
  if (required === undefined) return undefined;
  const module = member === undefined ? required : `${required}.${member}`;
  const found: ImportFact[] = [];
  if (left.type === 'identifier') {
    // A whole module, or `require('m').default`, is the module's default export.
    found.push({ target: member === undefined ? defaultExport(module) : module, local: left.text, node });
  } else if (left.type === 'object_pattern') {
    for (const prop of left.namedChildren) {
      if (prop?.type === 'shorthand_property_identifier_pattern') {
        found.push({ target: `${module}.${prop.text}`, local: prop.text, node });
      } else if (prop?.type === 'pair_pattern') {
        const key = prop.childForFieldName('key')?.text;
        const value = prop.childForFieldName('value');
        if (key !== undefined && value?.type === 'identifier') {
          found.push({ target: key === 'default' ? defaultExport(module) : `${module}.${key}`, local: value.text, node });
        }
      }
    }
  }
  return found;
}

/** The module a `require('m')` call names, when it is a string literal. */
export function requiredModule(call: Node): string | undefined {
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  return arg?.type === 'string' ? moduleName(unquote(arg.text)) : undefined;
}
