import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Analyzer, ModuleResolver } from '../../server/src/analysis/index.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/** A TypeScript project held in memory: relative specifiers from the importing file, `@app/x` as `src/x`. */
function tsProject(files: Record<string, string>): ModuleResolver {
  return {
    resolve: (from, specifier) => {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      const bare = specifier.startsWith('@app/') ? `src/${specifier.slice('@app/'.length)}` : relative ? path.posix.join(path.posix.dirname(from), specifier) : undefined;
      return bare === undefined ? undefined : [bare, `${bare}.ts`, `${bare}/index.ts`].find((f) => files[f] !== undefined);
    },
    read: (file) => files[file],
    display: (file) => file,
  };
}

/** A wrapper that bounds its own request, as growthbook's `cancellableFetch` does. */
const BOUNDED = `import nodeFetch from 'node-fetch';

export const cancellableFetch = async (url: string, init: object, maxTimeMs: number) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), maxTimeMs);
  try {
    const response = await nodeFetch(url, { signal: controller.signal, ...init });
    return { status: response.status, body: await response.text() };
  } finally {
    clearTimeout(timer);
  }
};
`;

/** A wrapper that hands its caller's options to the request, as growthbook's `util/http.util` fetch does. */
const PASSING = `import nodeFetch from 'node-fetch';

export function fetch(url: string, init?: { method?: string; signal?: AbortSignal }) {
  return nodeFetch(url, { ...init, headers: { 'User-Agent': 'app' } });
}
`;

const MAILER = `import { createTransport } from 'nodemailer';

export function createMailTransport(url: string) {
  return createTransport(url);
}
`;

const SEND_ALERT = `import { createMailTransport } from './transport';

export const sendAlertEmail = async ({ recipients, url }: { recipients: string[]; url: string }) => {
  const mailer = createMailTransport(url);
  for (const to of recipients) {
    await mailer.sendMail({ to, subject: 'Spend alert' });
  }
};
`;

const SCHEDULE = `import type { Queue } from 'bullmq';

export const scheduleRecurringJob = async (queue: Queue, opts: { jobName: string; pattern: string }) => {
  await queue.upsertJobScheduler(opts.jobName, { pattern: opts.pattern }, { name: opts.jobName });
};
`;

const FETCH_SERVICE = `import { Injectable } from '@nestjs/common';

@Injectable()
export class FetchService {
  public async fetch(input: string, init?: RequestInit) {
    try {
      return await globalThis.fetch(input, init);
    } catch (error) {
      throw error;
    }
  }

  public describe() {
    return 'fetch service';
  }
}
`;

const QUEUES = `import { Queue } from 'bullmq';

export class MeteringQueue {
  private static instance: Queue | null = null;

  public static getInstance(): Queue | null {
    if (MeteringQueue.instance) return MeteringQueue.instance;
    MeteringQueue.instance = process.env.REDIS
      ? new Queue('metering', { connection: {}, defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5000 } } })
      : null;
    return MeteringQueue.instance;
  }
}

export class ShardedQueue {
  private static instances: Map<number, Queue | null> = new Map();

  public static getInstance({ shard }: { shard: number }): Queue | null {
    if (ShardedQueue.instances.has(shard)) return ShardedQueue.instances.get(shard) || null;
    const queue = new Queue(\`ingest-\${shard}\`);
    ShardedQueue.instances.set(shard, queue);
    return queue;
  }
}
`;

describe('project model (TypeScript): wrappers, services and singletons of other modules', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('typescript');
  });

  const analyze = async (files: Record<string, string>, text: string) => {
    const model = analyzer.projectModel(tsProject({ ...files, 'src/jobs/caller.ts': text }));
    return analyzer.analyze(text, 'typescript', { project: { model, path: 'src/jobs/caller.ts' } });
  };
  const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;
  const signals = async (files: Record<string, string>, text: string): Promise<string[]> =>
    (await analyze(files, text)).signals.map((s) => `${lineOf(text, s.range.start)} ${s.kind} ${s.api}`);
  const findings = async (files: Record<string, string>, text: string, rule: string): Promise<number[]> =>
    (await analyze(files, text)).findings.filter((f) => f.rule === rule).map((f) => lineOf(text, f.range.start));

  it('a call of an exported function that makes an HTTP request is an HTTP call; a wrapper that bounds it is judged in its own file', async () => {
    const text = "import { cancellableFetch } from '@app/util/http';\n\nexport async function deliver(url: string) {\n  return cancellableFetch(url, { method: 'POST' }, 30_000);\n}\n";
    assert.deepEqual(await signals({ 'src/util/http.ts': BOUNDED }, text), ['4 http-call fetch (through a project function)']);
    assert.deepEqual(await findings({ 'src/util/http.ts': BOUNDED }, text, 'http-timeout'), []);
  });

  it('a wrapper that passes its caller\'s options to fetch: the caller is judged, and a signal or timeout bounds it', async () => {
    const text = "import { fetch } from '@app/util/http';\n\nexport async function purge(id: string) {\n  await fetch(`https://cdn.example/${id}`, { method: 'POST' });\n  await fetch('https://cdn.example/all');\n  await fetch('https://cdn.example/a', { method: 'POST', signal: AbortSignal.timeout(5000) });\n  await fetch('https://cdn.example/b', { timeout: 5000 });\n}\n";
    assert.deepEqual(await findings({ 'src/util/http.ts': PASSING }, text, 'http-timeout'), [4, 5]);
  });

  it('the fix adds an abort signal to the caller\'s options', async () => {
    const text = "import { fetch } from '@app/util/http';\n\nawait fetch('https://cdn.example/all', { method: 'POST' });\n";
    const finding = (await analyze({ 'src/util/http.ts': PASSING }, text)).findings.find((f) => f.rule === 'http-timeout');
    let fixed = text;
    for (const edit of [...(finding?.fixes[0]?.edits ?? [])].sort((a, b) => b.start - a.start)) fixed = fixed.slice(0, edit.start) + edit.newText + fixed.slice(edit.end);
    assert.equal(fixed, "import { fetch } from '@app/util/http';\n\nawait fetch('https://cdn.example/all', { method: 'POST', signal: AbortSignal.timeout(10_000) });\n");
    assert.deepEqual(await findings({ 'src/util/http.ts': PASSING }, fixed, 'http-timeout'), []);
  });

  it('a helper that mails through a transport built by a project factory is a notification where it is called', async () => {
    const text = "import { sendAlertEmail } from '@app/email/alert';\n\nexport async function handle(recipients: string[]) {\n  await sendAlertEmail({ recipients, url: 'smtp://mail' });\n}\n";
    assert.deepEqual(await signals({ 'src/email/transport.ts': MAILER, 'src/email/alert.ts': SEND_ALERT }, text), ['4 notify nodemailer.Transporter.sendMail (through a project function)']);
  });

  it('a helper that mails, called from a job a queue retries, mails again on the retry', async () => {
    const text = "import { Worker, Queue } from 'bullmq';\nimport { sendAlertEmail } from '@app/email/alert';\n\nconst alerts = new Queue('alerts');\nnew Worker('alerts', async (job) => {\n  await sendAlertEmail({ recipients: job.data.to, url: 'smtp://mail' });\n});\n\nexport async function alert(to: string[]) {\n  await alerts.add('alert', { to }, { jobId: to.join(','), attempts: 3, backoff: { type: 'exponential', delay: 1000 } });\n}\n";
    assert.deepEqual(await findings({ 'src/email/transport.ts': MAILER, 'src/email/alert.ts': SEND_ALERT }, text, 'notify-in-retried-task'), [6]);
  });

  it('a helper whose queue add repeats the job registers a schedule in itself: its callers enqueue nothing; a helper whose add does not repeat enqueues', async () => {
    const queue = "import { Queue } from 'bullmq';\n\nconst jobs = new Queue('backups');\n\nexport const scheduleJob = async (job: { id: string; cron: string }) => {\n  await jobs.add(job.id, job, { repeat: { pattern: job.cron } });\n};\n\nexport const runNow = async (job: { id: string }) => {\n  await jobs.add(job.id, job, { jobId: job.id });\n};\n";
    const text = "import { scheduleJob, runNow } from '@app/queue';\n\nawait scheduleJob({ id: 'b1', cron: '0 * * * *' });\nawait runNow({ id: 'b1' });\n";
    assert.deepEqual(await signals({ 'src/queue.ts': queue }, text), ['4 enqueue bullmq.Queue.add (through a project function)']);
  });

  it('a helper that upserts a job scheduler on the queue it is given is a schedule', async () => {
    const text = "import { Queue } from 'bullmq';\nimport { scheduleRecurringJob } from '@app/redis/schedule';\n\nconst queue = new Queue('metering');\nscheduleRecurringJob(queue, { jobName: 'meter', pattern: '5 * * * *' });\n";
    assert.deepEqual((await signals({ 'src/redis/schedule.ts': SCHEDULE }, text)).filter((s) => s.startsWith('5 ')), ['5 schedule bullmq.Queue.upsertJobScheduler (through a project function)']);
  });

  it('a service method injected through a constructor parameter, or called on an instance, makes its HTTP call', async () => {
    const text = "import { FetchService } from '@app/services/fetch';\n\nexport class Stats {\n  constructor(private readonly fetchService: FetchService) {}\n\n  async pulls() {\n    return this.fetchService.fetch('https://hub.example/pulls', { signal: AbortSignal.timeout(5000) });\n  }\n\n  async discovery() {\n    const response = await this.fetchService.fetch('https://id.example/.well-known/openid-configuration');\n    return response.json();\n  }\n}\n\nexport async function once() {\n  return new FetchService().describe();\n}\n";
    const files = { 'src/services/fetch.ts': FETCH_SERVICE };
    assert.deepEqual(await signals(files, text), ['7 http-call fetch (through a project function)', '11 http-call fetch (through a project function)']);
    assert.deepEqual(await findings(files, text, 'http-timeout'), [11]);
  });

  it('a static getInstance() that returns the queue a static field holds, or a declared Queue, gives a BullMQ queue', async () => {
    const text = "import { MeteringQueue, ShardedQueue } from '@app/redis/queues';\n\nexport async function meter() {\n  await MeteringQueue.getInstance()?.add('meter', {});\n  const queue = ShardedQueue.getInstance({ shard: 1 });\n  await queue?.add('ingest', {});\n}\n";
    assert.deepEqual(await signals({ 'src/redis/queues.ts': QUEUES }, text), ['4 enqueue bullmq.Queue.add', '6 enqueue bullmq.Queue.add']);
  });

  it('the class\'s own file: an add on the static field that holds the queue is an enqueue', async () => {
    const text = QUEUES.replace('    return MeteringQueue.instance;\n  }', "    MeteringQueue.instance?.add('bootstrap', {});\n    return MeteringQueue.instance;\n  }");
    const result = await analyzer.analyze(text, 'typescript');
    assert.ok(result.signals.some((s) => s.kind === 'enqueue' && lineOf(text, s.range.start) === 11), JSON.stringify(result.signals.map((s) => [lineOf(text, s.range.start), s.kind])));
  });

  it('a Prisma client cached on globalThis or handed out by a singleton class is one: a write then an add is a dual write', async () => {
    const db = "import { PrismaClient } from '@prisma/client';\n\nexport class PrismaSingleton {\n  private static instance: PrismaClient;\n\n  public static getInstance(): PrismaClient {\n    if (!PrismaSingleton.instance) PrismaSingleton.instance = createClient();\n    return PrismaSingleton.instance;\n  }\n}\n\nconst createClient = () => new PrismaClient();\n\nexport const prisma = globalThis.prismaGlobal ?? PrismaSingleton.getInstance();\n";
    const text = "import { prisma } from '@app/db';\nimport { MeteringQueue } from '@app/redis/queues';\n\nexport async function dispatch(id: string) {\n  await prisma.execution.create({ data: { id, status: 'PENDING' } });\n  await MeteringQueue.getInstance()?.add('webhook', { id });\n}\n";
    assert.deepEqual(await findings({ 'src/db.ts': db, 'src/redis/queues.ts': QUEUES }, text, 'dual-write'), [6]);
  });

  it('traps: a helper whose library-looking call is on an untyped parameter or a callback, and a class with no library call', async () => {
    const helpers = "export async function addAll(target: { add(x: number): void }, items: number[]) {\n  for (const i of items) target.add(i);\n}\nexport async function run(job: (n: number) => Promise<void>) {\n  await job(1);\n}\nexport function push(list, item) {\n  return list.add(item);\n}\n";
    const text = "import { addAll, run, push } from '@app/util/helpers';\nimport { FetchService } from '@app/services/fetch';\n\naddAll(new Set<number>(), [1]);\nrun(async () => {});\npush(new Set(), 1);\nnew FetchService().describe();\n";
    assert.deepEqual(await signals({ 'src/util/helpers.ts': helpers, 'src/services/fetch.ts': FETCH_SERVICE }, text), []);
  });
});
