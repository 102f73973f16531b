import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Analyzer, ModuleResolver } from '../../server/src/analysis/index.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/**
 * A script project held in memory: relative specifiers from the importing file, `@app/x` as
 * `src/x`; `entries` names the package each package entry file is the `main` of.
 */
function tsProject(files: Record<string, string>, entries: Record<string, string> = {}): ModuleResolver {
  return {
    resolve: (from, specifier) => {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      const bare = specifier.startsWith('@app/') ? `src/${specifier.slice('@app/'.length)}` : relative ? path.posix.join(path.posix.dirname(from), specifier) : undefined;
      return bare === undefined ? undefined : [bare, `${bare}.ts`, `${bare}.js`, `${bare}/index.ts`, `${bare}/index.js`].find((f) => files[f] !== undefined);
    },
    read: (file) => files[file],
    display: (file) => file,
    packageOf: (file) => entries[file],
  };
}

/** Bounds the request only when the caller passes `timeout`, as outline's `@server/utils/fetch` does. */
const ASKED = `import nodeFetch from 'node-fetch';

export default async function fetch(url: string, init?: { timeout?: number; signal?: AbortSignal; method?: string }) {
  const { timeout, ...rest } = init || {};
  let controller: AbortController | undefined;
  if (timeout && !rest.signal) {
    controller = new AbortController();
    setTimeout(() => controller?.abort(), timeout);
  }
  const response = await nodeFetch(url, { ...rest, signal: controller?.signal ?? rest.signal });
  return response;
}
`;

describe('project model (TypeScript): a fetch wrapper and its timeout', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('typescript');
  });

  const timeouts = async (files: Record<string, string>, text: string): Promise<string[]> => {
    const model = analyzer.projectModel(tsProject(files));
    const result = await analyzer.analyze(text, 'typescript', { project: { model, path: 'src/plugins/partner.ts' } });
    return result.findings.filter((f) => f.rule === 'http-timeout').map((f) => `${text.slice(0, f.range.start).split('\n').length}`);
  };

  it('a call through a wrapper that bounds the request only when asked, with no timeout or signal, has no timeout', async () => {
    const text = "import fetch from '@app/utils/fetch';\n\nexport async function sync(token: string) {\n  await fetch('https://p.example/a', { method: 'POST' });\n  await fetch('https://p.example/b');\n  await fetch('https://p.example/c', { method: 'GET', timeout: 10_000 });\n  await fetch('https://p.example/d', { signal: AbortSignal.timeout(5000) });\n}\n";
    assert.deepEqual(await timeouts({ 'src/utils/fetch.ts': ASKED }, text), ['4', '5']);
  });

  it('the fix adds the wrapper\'s own option, and the fixed call is no longer reported', async () => {
    const text = "import fetch from '@app/utils/fetch';\n\nawait fetch('https://p.example/a', { method: 'POST' });\n";
    const model = analyzer.projectModel(tsProject({ 'src/utils/fetch.ts': ASKED }));
    const result = await analyzer.analyze(text, 'typescript', { project: { model, path: 'src/plugins/partner.ts' } });
    const fix = result.findings[0]?.fixes[0];
    assert.equal(fix?.title, 'Add timeout');
    let fixed = text;
    for (const edit of [...(fix?.edits ?? [])].sort((a, b) => b.start - a.start)) fixed = fixed.slice(0, edit.start) + edit.newText + fixed.slice(edit.end);
    assert.equal(fixed, "import fetch from '@app/utils/fetch';\n\nawait fetch('https://p.example/a', { method: 'POST', timeout: 10_000 });\n");
    assert.deepEqual(await timeouts({ 'src/utils/fetch.ts': ASKED }, fixed), []);
  });

  it('a wrapper with a default timeout, a timer of its own, or options it does not take apart is left alone', async () => {
    const text = "import fetch from '@app/utils/fetch';\n\nawait fetch('https://p.example/a', { method: 'POST' });\n";
    const defaulted = ASKED.replace('const { timeout, ...rest }', 'const { timeout = 10_000, ...rest }');
    const ownTimer = ASKED.replace('setTimeout(() => controller?.abort(), timeout)', 'setTimeout(() => controller?.abort(), timeout ?? 5000)');
    // Options rebuilt by a function of the wrapper's own may carry a signal of its own.
    const opaque = "import nodeFetch from 'node-fetch';\nimport { withAgent } from './agent';\n\nexport default async function fetch(url: string, init?: object) {\n  const response = await nodeFetch(url, withAgent(init));\n  return response;\n}\n";
    for (const wrapper of [defaulted, ownTimer, opaque]) assert.deepEqual(await timeouts({ 'src/utils/fetch.ts': wrapper }, text), []);
  });

  it('traps: a project queue factory that takes a timeout option, and a local function named fetch', async () => {
    const factory = "import { Queue } from 'bullmq';\n\nexport function createQueue(name: string, options?: { timeout?: number }) {\n  const { timeout, ...rest } = options || {};\n  return new Queue(name, rest);\n}\n";
    const text = "import { createQueue } from '@app/queues';\n\nconst mail = createQueue('mail', { prefix: 'x' });\nfunction fetch(url: string, init?: object) { return url; }\nfetch('https://p.example', { method: 'GET' });\n";
    assert.deepEqual(await timeouts({ 'src/queues.ts': factory, 'src/utils/fetch.ts': ASKED }, text), []);
  });
});

describe('project model (JavaScript): a library\'s own repository importing its entry file', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('javascript');
  });

  const files = {
    'index.js': "const Kafka = require('./src')\n\nmodule.exports = { Kafka }\n",
    'src/index.js': 'class Client {}\nmodule.exports = Client\n',
  };
  const example = "const { Kafka } = require('../index')\n\nconst kafka = new Kafka({ brokers: ['k:9092'] })\nconst producer = kafka.producer()\nconst consumer = kafka.consumer({ groupId: 'g' })\n";
  const signals = async (entries: Record<string, string>, text = example): Promise<string[]> => {
    const model = analyzer.projectModel(tsProject({ ...files, 'examples/producer.js': text }, entries));
    const result = await analyzer.analyze(text, 'javascript', { project: { model, path: 'examples/producer.js' } });
    return result.signals.map((s) => `${s.kind} ${s.api}`);
  };

  it('kafkajs\'s examples requiring ../index use kafkajs itself', async () => {
    assert.deepEqual(await signals({ 'index.js': 'kafkajs' }), ['enqueue kafkajs.Kafka.producer', 'consumer kafkajs.Kafka.consumer']);
  });

  it('the entry file of a package the API tables do not know is the project\'s own module', async () => {
    assert.deepEqual(await signals({ 'index.js': 'orders-service' }), []);
  });

  it('traps: a file that is not the package\'s entry, and the library\'s name in a comment', async () => {
    assert.deepEqual(await signals({ 'lib/main.js': 'kafkajs' }), []);
    assert.deepEqual(await signals({}, `// require('kafkajs')\n${example}`), []);
  });
});

describe('project model (TypeScript): a project subclass of a library client', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('typescript');
  });

  const client = "import Stripe from 'stripe';\n\nexport class ShopStripe extends Stripe {\n  constructor(key: string, readonly webhookSecret: string) {\n    super(key, {});\n  }\n}\n";
  const service = "import { ShopStripe } from './client';\n\nexport class Service {\n  async getClient(): Promise<ShopStripe> {\n    return new ShopStripe('k', 's');\n  }\n  async refund(id: string) {\n    const stripe = await this.getClient();\n    return stripe.refunds.create({ payment_intent: id, amount: 500 });\n  }\n}\n";
  const run = async (files: Record<string, string>): Promise<string[]> => {
    const model = analyzer.projectModel(tsProject(files));
    const result = await analyzer.analyze(service, 'typescript', { project: { model, path: 'src/service.ts' } });
    return [...result.signals.map((s) => `${s.kind} ${s.api}`), ...result.findings.map((f) => f.rule)];
  };

  it('a class extending Stripe in another file is a Stripe client: a refund through a method returning it is a payment with no idempotency key', async () => {
    assert.deepEqual(await run({ 'src/client.ts': client }), ['payment stripe.Stripe.refunds.create', 'payment-no-idempotency-key']);
  });

  it('a class extending anything else, or a project class of the same name that extends nothing, is not', async () => {
    assert.deepEqual(await run({ 'src/client.ts': client.replace("import Stripe from 'stripe';", "import Stripe from './base';").replace('extends Stripe', 'extends Stripe'), 'src/base.ts': 'export default class Base {}\n' }), []);
    assert.deepEqual(await run({ 'src/client.ts': 'export class ShopStripe {\n  refunds = { create: (o: object) => o };\n}\n' }), []);
  });
});

describe('project model (TypeScript): a library client exported as a value of another module', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('typescript');
  });

  const caller = "import { stripe } from '@app/stripe';\n\nexport const createCustomer = async (name: string) => {\n  return await stripe.customers.create({ name });\n};\n";
  const run = async (files: Record<string, string>): Promise<string[]> => {
    const model = analyzer.projectModel(tsProject(files));
    const result = await analyzer.analyze(caller, 'typescript', { project: { model, path: 'src/customers.ts' } });
    return result.signals.map((s) => `${s.kind} ${s.api}`);
  };

  it('a Stripe client built in another module is a Stripe client where it is imported', async () => {
    const client = "import Stripe from 'stripe';\n\nexport const stripe = new Stripe(process.env.KEY ?? '', {\n  apiVersion: '2022-11-15',\n  typescript: true,\n});\n\nexport { Stripe };\n";
    assert.deepEqual(await run({ 'src/stripe/index.ts': client }), ['payment stripe.Stripe.customers.create']);
  });

  it('a value of the same name that is no Stripe client is not', async () => {
    assert.deepEqual(await run({ 'src/stripe/index.ts': "export const stripe = { customers: { create: (o: object) => o } };\n" }), []);
  });
});
