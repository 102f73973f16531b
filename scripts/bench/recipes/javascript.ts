import { type Block, type Recipe, NOUNS, HOSTS, cap } from './recipe.js';

const JS_BLOCKS: readonly Block[] = [
  (i, pick) => `async function sync${cap(pick(NOUNS))}${i}(id) {
  // Posts the record to the partner; no timeout on this call.
  const payload = { id, source: 'billing', at: Date.now() };
  const response = await axios.post('${pick(HOSTS)}/v1/${pick(NOUNS)}s', payload);
  if (response.status >= 500) throw new Error('partner failed: ' + response.status);
  return response.data;
}`,
  (i, pick) => `const ${pick(NOUNS)}Worker${i} = new Worker('${pick(NOUNS)}s', async (job) => {
  const { id, amount } = job.data;
  log.info({ id, amount }, 'processing');
  await http.get('/ledger/' + id);
  return { ok: true, id };
}, { connection, concurrency: 4 });`,
  (i, pick) => `function summarise${cap(pick(NOUNS))}s${i}(rows) {
  const totals = new Map();
  for (const row of rows) {
    const currency = row.currency ?? 'EUR';
    const amount = Number(row.amount ?? 0);
    if (amount < 0) {
      log.warn('negative amount in ' + row.id);
      continue;
    }
    totals.set(currency, (totals.get(currency) ?? 0) + amount);
  }
  return Object.fromEntries([...totals].map(([k, v]) => [k, Math.round(v * 100) / 100]));
}`,
  (i, pick) => `async function enqueue${cap(pick(NOUNS))}${i}(queue, ids) {
  for (const id of ids) {
    await queue.add('sync', { id }, { attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  }
  return ids.length;
}`,
  (i, pick) => `async function consume${cap(pick(NOUNS))}s${i}() {
  const consumer = kafka.consumer({ groupId: '${pick(NOUNS)}-${i}' });
  await consumer.connect();
  await consumer.subscribe({ topic: '${pick(NOUNS)}s', fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value.toString());
      await fetch('${pick(HOSTS)}/events', { method: 'POST', body: JSON.stringify(event) });
    },
  });
}`,
  (i, pick) => `class ${cap(pick(NOUNS))}Cache${i} {
  constructor(limit = 100) {
    this.limit = limit;
    this.entries = new Map();
  }

  get(key) {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key, value) {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value);
    this.entries.set(key, value);
  }
}`,
  (i) => `async function withRetry${i}(run) {
  return pRetry(run, { retries: 5, factor: 2, minTimeout: 500 });
}`,
];

const JS_HEADER = `import axios from 'axios';
import { Queue, Worker } from 'bullmq';
import { Kafka } from 'kafkajs';
import pRetry from 'p-retry';
import pino from 'pino';

const log = pino();
const connection = { host: 'localhost', port: 6379 };
const queue = new Queue('billing', { connection });
const kafka = new Kafka({ clientId: 'billing', brokers: ['localhost:9092'] });
const http = axios.create({ baseURL: 'https://ledger.svc', timeout: 5000 });
const TIMEOUT_MS = 5000;
`;

const TS_BLOCKS: readonly Block[] = [
  (i, pick) => `export interface ${cap(pick(NOUNS))}Event${i} {
  readonly id: string;
  readonly amount: number;
  readonly currency: 'EUR' | 'USD' | 'GBP';
  readonly tags?: readonly string[];
}`,
  (i, pick) => `export async function sync${cap(pick(NOUNS))}${i}(id: string): Promise<unknown> {
  // Posts the record to the partner; no timeout on this call.
  const payload = { id, source: 'billing', at: Date.now() };
  const response = await axios.post<{ ok: boolean }>('${pick(HOSTS)}/v1/${pick(NOUNS)}s', payload);
  if (response.status >= 500) throw new Error(\`partner failed: \${response.status}\`);
  return response.data;
}`,
  (i, pick) => `export const ${pick(NOUNS)}Worker${i} = new Worker<{ id: string; amount: number }>('${pick(NOUNS)}s', async (job) => {
  const { id, amount } = job.data;
  log.info({ id, amount }, 'processing');
  await http.get(\`/ledger/\${id}\`);
  return { ok: true, id };
}, { connection, concurrency: 4 });`,
  (i, pick) => `export function summarise${cap(pick(NOUNS))}s${i}(rows: readonly { currency?: string; amount?: number; id: string }[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const currency = row.currency ?? 'EUR';
    const amount = Number(row.amount ?? 0);
    if (amount < 0) {
      log.warn(\`negative amount in \${row.id}\`);
      continue;
    }
    totals.set(currency, (totals.get(currency) ?? 0) + amount);
  }
  return Object.fromEntries([...totals].map(([k, v]) => [k, Math.round(v * 100) / 100]));
}`,
  (i, pick) => `export async function enqueue${cap(pick(NOUNS))}${i}(ids: readonly string[]): Promise<number> {
  for (const id of ids) {
    await queue.add('sync', { id }, { jobId: \`sync:\${id}\`, attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  }
  return ids.length;
}`,
  (i, pick) => `export async function consume${cap(pick(NOUNS))}s${i}(): Promise<void> {
  const consumer = kafka.consumer({ groupId: '${pick(NOUNS)}-${i}' });
  await consumer.connect();
  await consumer.subscribe({ topic: '${pick(NOUNS)}s', fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>;
      await fetch('${pick(HOSTS)}/events', { method: 'POST', body: JSON.stringify(event), signal: AbortSignal.timeout(TIMEOUT_MS) });
    },
  });
}`,
  (i, pick) => `export class ${cap(pick(NOUNS))}Cache${i}<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit = 100) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }
}`,
  (i) => `export const withRetry${i} = <T>(run: () => Promise<T>): Promise<T> => pRetry(run, { retries: 5, factor: 2, minTimeout: 500 });`,
];

const TSX_BLOCKS: readonly Block[] = [
  (i, pick) => `export function ${cap(pick(NOUNS))}Panel${i}({ id }: { id: string }) {
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  useEffect(() => {
    fetch(\`${pick(HOSTS)}/v1/${pick(NOUNS)}s/\${id}\`)
      .then((r) => r.json())
      .then(setData);
  }, [id]);
  if (data === null) return <p className="loading">Loading…</p>;
  return (
    <section className="panel">
      <h2>${cap(pick(NOUNS))} {id}</h2>
      <pre>{JSON.stringify(data, null, 2)}</pre>
    </section>
  );
}`,
  (i, pick) => `export function ${cap(pick(NOUNS))}List${i}({ rows }: { rows: readonly { id: string; amount: number }[] }) {
  return (
    <ul>
      {rows.map((row) => (
        <li key={row.id}>
          <span>{row.id}</span> <strong>{row.amount.toFixed(2)}</strong>
        </li>
      ))}
    </ul>
  );
}`,
  (i, pick) => `export async function save${cap(pick(NOUNS))}${i}(body: unknown): Promise<void> {
  await axios.post('${pick(HOSTS)}/v1/save', body, { timeout: TIMEOUT_MS });
}`,
];

export const JAVASCRIPT: Recipe = { header: JS_HEADER, blocks: JS_BLOCKS, separator: '\n\n' };
export const TYPESCRIPT: Recipe = { header: JS_HEADER.replace("const log = pino();", "const log = pino();\n\ntype Id = string;"), blocks: TS_BLOCKS, separator: '\n\n' };
export const TSX: Recipe = { header: `import { useEffect, useState } from 'react';\n${JS_HEADER}`, blocks: [...TSX_BLOCKS, ...TS_BLOCKS.slice(0, 4)], separator: '\n\n' };
