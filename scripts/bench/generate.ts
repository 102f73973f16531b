import type { LanguageId } from '../../server/src/analysis/types.js';

/**
 * Deterministic, seeded inputs for the benchmark: realistic files of each supported language,
 * built from blocks of the code those frameworks are written in (most of a real file is plain
 * code; some blocks use the APIs the analyzer recognises, some of them wrongly). The same seed
 * and size always give the same text, so runs and machines compare like with like.
 */

/** mulberry32: small, fast and good enough to pick templates. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Block = (i: number, pick: <T>(xs: readonly T[]) => T) => string;

interface Recipe {
  readonly header: string;
  readonly blocks: readonly Block[];
  readonly separator: string;
}

const NOUNS = ['invoice', 'order', 'payment', 'customer', 'refund', 'shipment', 'report', 'account', 'webhook', 'receipt'];
const HOSTS = ['https://billing.internal', 'https://api.partner.example', 'https://ledger.svc', 'https://hooks.example.org'];

const PYTHON: Recipe = {
  header: `"""Billing workers: Celery tasks, outbound calls and retries."""
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from celery import Celery, shared_task
from tenacity import retry, stop_after_attempt, wait_exponential

app = Celery("billing", broker="redis://localhost:6379/0")
log = logging.getLogger(__name__)
session = requests.Session()
HTTP_TIMEOUT = 10
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `@app.task(bind=True, max_retries=5, acks_late=True)
def sync_${pick(NOUNS)}_${i}(self, ${pick(NOUNS)}_id):
    # Push the record to the partner; the call below has no timeout.
    payload = {"id": ${pick(NOUNS)}_id, "source": "billing", "attempt": self.request.retries}
    response = requests.post("${pick(HOSTS)}/v1/${pick(NOUNS)}s", json=payload)
    if response.status_code >= 500:
        raise self.retry(countdown=2 ** self.request.retries)
    return response.json()`,
    (i, pick) => `@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=30))
def fetch_${pick(NOUNS)}_${i}(key: str) -> dict[str, Any]:
    url = f"${pick(HOSTS)}/v2/${pick(NOUNS)}/{key}"
    result = session.get(url, timeout=HTTP_TIMEOUT)
    result.raise_for_status()
    return result.json()`,
    (i, pick) => `def summarise_${pick(NOUNS)}s_${i}(rows: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for row in rows:
        currency = row.get("currency", "EUR")
        amount = float(row.get("amount", 0))
        if amount < 0:
            log.warning("negative amount in %s", row.get("id"))
            continue
        totals[currency] = totals.get(currency, 0.0) + amount
    return {key: round(value, 2) for key, value in sorted(totals.items())}`,
    (i, pick) => `@dataclass
class ${cap(pick(NOUNS))}Record${i}:
    id: str
    amount: float
    currency: str = "EUR"
    status: str = "pending"

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "amount": self.amount, "currency": self.currency, "status": self.status})

    def is_settled(self) -> bool:
        return self.status in ("paid", "refunded")`,
    (i, pick) => `@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=True, max_retries=None)
def notify_${pick(NOUNS)}_${i}(event: dict[str, Any]) -> None:
    """Tell the partner about the event (retried by Celery)."""
    body = json.dumps(event, sort_keys=True)
    requests.put("${pick(HOSTS)}/events/${i}", data=body, headers={"Content-Type": "application/json"}, timeout=5)`,
    (i, pick) => `class ${cap(pick(NOUNS))}Client${i}:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> Any:
        return self.session.get(f"{self.base_url}/{path}").json()

    def close(self) -> None:
        self.session.close()`,
    (i, pick) => `def enqueue_${pick(NOUNS)}_batch_${i}(ids: list[str]) -> int:
    sent = 0
    for chunk_start in range(0, len(ids), 50):
        chunk = ids[chunk_start:chunk_start + 50]
        for item in chunk:
            sync_${pick(NOUNS)}_${Math.max(0, i - 1)}.delay(item)
            sent += 1
        time.sleep(0.05)
    return sent`,
    (i, pick) => `def parse_${pick(NOUNS)}_line_${i}(line: str) -> tuple[str, float] | None:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != 3 or not parts[0]:
        return None
    try:
        return parts[0], float(parts[2])
    except ValueError:
        log.debug("skipping malformed line: %r", line)
        return None`,
  ],
};

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

const YAML_BLOCKS: readonly Block[] = [
  (i, pick) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${pick(NOUNS)}-sync-${i}
  labels:
    app: billing
spec:
  schedule: "*/${1 + (i % 30)} * * * *"
  jobTemplate:
    spec:
      backoffLimit: 3
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: sync
              image: registry.example/billing:${i}
              args: ["sync", "--${pick(NOUNS)}"]`,
  (i, pick) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${pick(NOUNS)}-report-${i}
spec:
  schedule: "0 ${i % 24} * * *"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: registry.example/reports:${i}`,
  (i, pick) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${pick(NOUNS)}-api-${i}
spec:
  replicas: ${1 + (i % 4)}
  selector:
    matchLabels:
      app: ${pick(NOUNS)}-api-${i}
  template:
    metadata:
      labels:
        app: ${pick(NOUNS)}-api-${i}
    spec:
      containers:
        - name: api
          image: registry.example/api:${i}
          ports:
            - containerPort: 8080`,
];

const RUBY: Recipe = {
  header: `require 'faraday'
require 'net/http'
require 'sidekiq'

HTTP_TIMEOUT = 10
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `class Sync${cap(pick(NOUNS))}Job${i}
  include Sidekiq::Job
  sidekiq_options retry: 5, queue: 'billing'

  def perform(id)
    conn = Faraday.new(url: '${pick(HOSTS)}')
    response = conn.post('/v1/${pick(NOUNS)}s', { id: id }.to_json)
    raise "partner failed: #{response.status}" if response.status >= 500
    response.body
  end
end`,
    (i, pick) => `def summarise_${pick(NOUNS)}s_${i}(rows)
  totals = Hash.new(0.0)
  rows.each do |row|
    amount = row.fetch(:amount, 0).to_f
    next if amount.negative?
    totals[row.fetch(:currency, 'EUR')] += amount
  end
  totals.transform_values { |v| v.round(2) }
end`,
    (i, pick) => `def fetch_${pick(NOUNS)}_${i}(id)
  uri = URI("${pick(HOSTS)}/v2/${pick(NOUNS)}/#{id}")
  Net::HTTP.get_response(uri)
end`,
  ],
};

const JAVA: Recipe = {
  header: `package com.example.billing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

@Service
public class BillingService {
  private final RestTemplate rest = new RestTemplate();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `  @Scheduled(cron = "0 */${1 + (i % 30)} * * * *")
  public void sync${cap(pick(NOUNS))}s${i}() {
    Map<String, Object> body = Map.of("id", ${i}, "source", "billing");
    rest.postForObject("${pick(HOSTS)}/v1/${pick(NOUNS)}s", body, String.class);
  }`,
    (i, pick) => `  @Retryable(maxAttempts = 5, backoff = @Backoff(delay = 1000, multiplier = 2))
  public String fetch${cap(pick(NOUNS))}${i}(String id) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("${pick(HOSTS)}/v2/" + id)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }`,
    (i, pick) => `  @KafkaListener(topics = "${pick(NOUNS)}s", groupId = "billing-${i}")
  public void on${cap(pick(NOUNS))}${i}(String message) {
    List<String> parts = List.of(message.split(","));
    if (parts.size() < 3) {
      return;
    }
    double amount = Double.parseDouble(parts.get(2));
    System.out.println(parts.get(0) + " " + amount);
  }`,
  ],
};

const GO: Recipe = {
  header: `package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hibiken/asynq"
)

var client = &http.Client{Timeout: 10 * time.Second}
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `func Sync${cap(pick(NOUNS))}${i}(ctx context.Context, t *asynq.Task) error {
	var payload map[string]any
	if err := json.Unmarshal(t.Payload(), &payload); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	resp, err := http.Post("${pick(HOSTS)}/v1/${pick(NOUNS)}s", "application/json", strings.NewReader(string(t.Payload())))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}`,
    (i, pick) => `func Summarise${cap(pick(NOUNS))}s${i}(rows []map[string]float64) map[string]float64 {
	totals := map[string]float64{}
	for _, row := range rows {
		for currency, amount := range row {
			if amount < 0 {
				continue
			}
			totals[currency] += amount
		}
	}
	return totals
}`,
    (i, pick) => `func Fetch${cap(pick(NOUNS))}${i}(id string) (*http.Response, error) {
	return client.Get("${pick(HOSTS)}/v2/${pick(NOUNS)}/" + id)
}`,
  ],
};

const RECIPES: Readonly<Record<LanguageId, Recipe>> = {
  python: PYTHON,
  javascript: { header: JS_HEADER, blocks: JS_BLOCKS, separator: '\n\n' },
  typescript: { header: JS_HEADER.replace("const log = pino();", "const log = pino();\n\ntype Id = string;"), blocks: TS_BLOCKS, separator: '\n\n' },
  tsx: { header: `import { useEffect, useState } from 'react';\n${JS_HEADER}`, blocks: [...TSX_BLOCKS, ...TS_BLOCKS.slice(0, 4)], separator: '\n\n' },
  yaml: { header: '# Billing cron jobs and services.\n', blocks: YAML_BLOCKS, separator: '\n---\n' },
  ruby: RUBY,
  java: JAVA,
  go: GO,
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A file of `language` with at least `lines` lines (cut at a block boundary just past it). */
export function generate(language: LanguageId, lines: number, seed = 42): string {
  const recipe = RECIPES[language];
  const next = seeded(seed * 1000 + lines);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const parts: string[] = [recipe.header];
  let count = recipe.header.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const block = pick(recipe.blocks)(i, pick);
    parts.push(block);
    count += block.split('\n').length + recipe.separator.split('\n').length - 1;
  }
  let text = parts.join(recipe.separator);
  if (language === 'java') text += '\n}';
  return `${text}\n`;
}

/** Words of the generated languages whose misspelling breaks the syntax, so not a place to type. */
const KEYWORDS = new Set([
  'abstract', 'as', 'async', 'await', 'begin', 'break', 'case', 'catch', 'class', 'const', 'continue', 'def', 'default', 'defer', 'do',
  'elif', 'else', 'end', 'ensure', 'enum', 'except', 'export', 'extends', 'final', 'finally', 'for', 'from', 'func', 'function', 'go',
  'if', 'implements', 'import', 'in', 'interface', 'let', 'map', 'module', 'new', 'nil', 'package', 'pass', 'private', 'protected',
  'public', 'raise', 'range', 'readonly', 'require', 'rescue', 'return', 'static', 'struct', 'switch', 'throw', 'throws', 'try', 'type',
  'unless', 'var', 'void', 'while', 'with', 'yield',
]);

/**
 * An offset in the middle of the text where typing one character keeps the file's shape: just
 * after the first letter of the first identifier that is not a keyword, from the middle line on
 * (a keyword mistyped would make the file a syntax error, a different case).
 */
export function middleEditOffset(text: string): number {
  const middle = Math.floor(text.length / 2);
  const from = text.lastIndexOf('\n', middle) + 1;
  const word = /[A-Za-z_]\w*/g;
  word.lastIndex = from;
  for (let match = word.exec(text); match !== null && match.index < from + 2000; match = word.exec(text)) {
    if (!KEYWORDS.has(match[0])) return match.index + 1;
  }
  return middle;
}
