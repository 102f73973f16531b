/**
 * Framework keys: which framework an API belongs to, and which of a rule's APPLY bullets speak to
 * it. The book's APPLY bullets start with a bold key (`- **Celery:** ...`, `- **requests, httpx:**
 * ...`, `- **Any framework:** ...`), so a hover or an agent can show the steps for the framework in
 * front of the reader and leave the others in the chapter. Pure: strings in, strings out.
 */
import { lookupTable } from '../analysis/lookup.js';
import type { LanguageId } from '../analysis/types.js';

/** The canonical keys, as the book writes them, with the languages each one is used from. */
const FRAMEWORK_LANGUAGES: Readonly<Record<string, readonly Language[]>> = lookupTable({
  Celery: ['python'], RQ: ['python'], dramatiq: ['python'], huey: ['python'], kombu: ['python'], pika: ['python'],
  'kafka-python': ['python'], 'confluent-kafka': ['python'], boto3: ['python'], APScheduler: ['python'], Airflow: ['python'],
  Django: ['python'], SQLAlchemy: ['python'], requests: ['python'], httpx: ['python'], urllib: ['python'], urllib3: ['python'],
  aiohttp: ['python'], tenacity: ['python'], backoff: ['python'], smtplib: ['python'], pybreaker: ['python'],
  BullMQ: ['node'], Bull: ['node'], amqplib: ['node'], kafkajs: ['node'], 'AWS SDK': ['node'], 'node-cron': ['node'],
  cron: ['node'], agenda: ['node'], 'node-schedule': ['node'], axios: ['node'], fetch: ['node'], got: ['node'],
  'p-retry': ['node'], 'async-retry': ['node'], opossum: ['node'], nodemailer: ['node'],
  Stripe: [], SendGrid: [], Twilio: [],
  Sidekiq: ['ruby'], 'Active Job': ['ruby'], 'sidekiq-cron': ['ruby'], 'Net::HTTP': ['ruby'], Faraday: ['ruby'],
  HTTParty: ['ruby'], Rails: ['ruby'],
  'Spring Kafka': ['java'], 'Spring AMQP': ['java'], 'Spring Retry': ['java'], Spring: ['java'], ShedLock: ['java'],
  Resilience4j: ['java'], RestTemplate: ['java'], WebClient: ['java'], 'Java HttpClient': ['java'], 'Kafka Java client': ['java'],
  'net/http': ['go'], asynq: ['go'], 'robfig/cron': ['go'], sarama: ['go'], 'kafka-go': ['go'],
  gRPC: [], Kubernetes: [], 'GitHub Actions': [], RabbitMQ: [], Kafka: [], SQS: [], Redis: [], PostgreSQL: [],
});

export const ANY_FRAMEWORK = 'Any framework';

/** Every canonical key, `Any framework` last. */
export const FRAMEWORK_KEYS: readonly string[] = [...Object.keys(FRAMEWORK_LANGUAGES), ANY_FRAMEWORK];

/** Language families as APPLY bullets name them (`**Go:**`, `**Node:**`). */
type Language = 'python' | 'node' | 'ruby' | 'java' | 'go';

const LANGUAGE_NAMES: Readonly<Record<string, Language>> = lookupTable({
  python: 'python', node: 'node', 'node.js': 'node', javascript: 'node', typescript: 'node', ruby: 'ruby', java: 'java', go: 'go',
});

/** Other spellings the book uses today for a canonical key. */
const ALIASES: Readonly<Record<string, string>> = lookupTable({
  activejob: 'Active Job', 'stripe-python': 'Stripe', 'stripe-node': 'Stripe', 'stripe-go': 'Stripe', 'stripe-ruby': 'Stripe',
  'node-fetch': 'fetch', undici: 'fetch', librdkafka: 'confluent-kafka', 'spring cloud aws': 'SQS', 'java client': 'Kafka Java client',
  'httpclient': 'Java HttpClient', 'java.net.http': 'Java HttpClient',
});

/**
 * Products the book names that have no canonical key yet: a bullet keyed with one of them is about
 * that product, not general advice, so it is not shown for other frameworks.
 */
const OTHER_PRODUCTS = ['gobreaker', 'postmark', 'resend', 'onesignal', 'debezium', 'go-retryablehttp', 'cenkalti/backoff', 'github', 'circuitbreaker'];

/**
 * Broader keys whose bullets also apply to a framework: a kafkajs consumer reads the `Kafka`
 * bullets, a pika channel the `RabbitMQ` ones, a Spring Kafka listener the `Spring` ones.
 */
const BROADER: Readonly<Record<string, readonly string[]>> = lookupTable({
  'kafka-python': ['Kafka'], 'confluent-kafka': ['Kafka'], kafkajs: ['Kafka'], sarama: ['Kafka'], 'kafka-go': ['Kafka'],
  'Kafka Java client': ['Kafka'], 'Spring Kafka': ['Kafka', 'Spring'], pika: ['RabbitMQ'], kombu: ['RabbitMQ'],
  amqplib: ['RabbitMQ'], 'Spring AMQP': ['RabbitMQ', 'Spring'], 'Spring Retry': ['Spring'], ShedLock: ['Spring'],
  RestTemplate: ['Spring'], WebClient: ['Spring'], boto3: ['SQS'], 'AWS SDK': ['SQS'], 'Active Job': ['Rails'],
  'sidekiq-cron': ['Sidekiq'],
});

/** Canonical API prefixes, first match wins (so `Sidekiq::Cron` comes before `Sidekiq`). */
const API_PREFIXES: readonly (readonly [Language | 'any', string, string])[] = [
  ['python', 'celery', 'Celery'], ['python', 'rq', 'RQ'], ['python', 'rq_scheduler', 'RQ'], ['python', 'dramatiq', 'dramatiq'],
  ['python', 'huey', 'huey'], ['python', 'kombu', 'kombu'], ['python', 'pika', 'pika'], ['python', 'kafka', 'kafka-python'],
  ['python', 'confluent_kafka', 'confluent-kafka'], ['python', 'boto3', 'boto3'], ['python', 'apscheduler', 'APScheduler'],
  ['python', 'airflow', 'Airflow'], ['python', 'django', 'Django'], ['python', 'sqlalchemy', 'SQLAlchemy'],
  ['python', 'requests', 'requests'], ['python', 'httpx', 'httpx'], ['python', 'urllib3', 'urllib3'], ['python', 'urllib', 'urllib'],
  ['python', 'aiohttp', 'aiohttp'], ['python', 'tenacity', 'tenacity'], ['python', 'backoff', 'backoff'],
  ['python', 'smtplib', 'smtplib'], ['python', 'pybreaker', 'pybreaker'], ['python', 'stripe', 'Stripe'],
  ['python', 'sendgrid', 'SendGrid'], ['python', 'twilio', 'Twilio'], ['python', 'redis', 'Redis'], ['python', 'grpc', 'gRPC'],
  ['node', 'bullmq', 'BullMQ'], ['node', 'bull', 'Bull'], ['node', 'amqplib', 'amqplib'], ['node', 'kafkajs', 'kafkajs'],
  ['node', '@aws-sdk/', 'AWS SDK'], ['node', 'aws-sdk', 'AWS SDK'], ['node', 'node-cron', 'node-cron'], ['node', 'cron', 'cron'],
  ['node', 'agenda', 'agenda'], ['node', 'node-schedule', 'node-schedule'], ['node', 'axios', 'axios'], ['node', 'fetch', 'fetch'],
  ['node', 'undici.fetch', 'fetch'], ['node', 'node-fetch', 'fetch'], ['node', 'got', 'got'], ['node', 'p-retry', 'p-retry'],
  ['node', 'async-retry', 'async-retry'], ['node', 'opossum', 'opossum'], ['node', 'nodemailer', 'nodemailer'],
  ['node', 'stripe', 'Stripe'], ['node', '@sendgrid/', 'SendGrid'], ['node', 'twilio', 'Twilio'], ['node', '@grpc/', 'gRPC'],
  ['ruby', 'Sidekiq::Cron', 'sidekiq-cron'], ['ruby', 'Sidekiq', 'Sidekiq'], ['ruby', 'ActiveJob', 'Active Job'],
  ['ruby', 'ActionMailer', 'Rails'], ['ruby', 'Net::HTTP', 'Net::HTTP'], ['ruby', 'Faraday', 'Faraday'],
  ['ruby', 'HTTParty', 'HTTParty'], ['ruby', 'Stripe', 'Stripe'], ['ruby', 'Twilio', 'Twilio'], ['ruby', 'GoodJob', 'Active Job'],
  ['java', 'org.springframework.kafka', 'Spring Kafka'], ['java', 'org.springframework.amqp', 'Spring AMQP'],
  ['java', 'org.springframework.retry', 'Spring Retry'], ['java', 'org.springframework.resilience', 'Spring Retry'],
  ['java', 'org.springframework.web.client.RestTemplate', 'RestTemplate'],
  ['java', 'org.springframework.boot.web.client.RestTemplateBuilder', 'RestTemplate'],
  ['java', 'org.springframework.web.reactive', 'WebClient'], ['java', 'org.springframework', 'Spring'],
  ['java', 'net.javacrumbs.shedlock', 'ShedLock'], ['java', 'io.github.resilience4j', 'Resilience4j'],
  ['java', 'java.net.http', 'Java HttpClient'], ['java', 'org.apache.kafka', 'Kafka Java client'], ['java', 'com.stripe', 'Stripe'],
  ['java', 'com.twilio', 'Twilio'], ['java', 'com.sendgrid', 'SendGrid'], ['java', 'io.awspring', 'SQS'], ['java', 'io.grpc', 'gRPC'],
  ['go', 'net/http', 'net/http'], ['go', 'github.com/hibiken/asynq', 'asynq'], ['go', 'github.com/robfig/cron', 'robfig/cron'],
  ['go', 'github.com/IBM/sarama', 'sarama'], ['go', 'github.com/Shopify/sarama', 'sarama'],
  ['go', 'github.com/segmentio/kafka-go', 'kafka-go'], ['go', 'google.golang.org/grpc', 'gRPC'], ['go', 'github.com/stripe/', 'Stripe'],
  ['any', 'kubernetes.', 'Kubernetes'], ['any', 'github-actions.', 'GitHub Actions'],
  // An Argo CronWorkflow takes a CronJob's options: the Kubernetes bullets speak of it.
  ['any', 'argo.', 'Kubernetes'],
];

const LANGUAGE_OF: Readonly<Record<LanguageId, Language | undefined>> = {
  python: 'python', javascript: 'node', typescript: 'node', tsx: 'node', ruby: 'ruby', java: 'java', go: 'go', yaml: undefined,
};

/**
 * The framework key of a signal's or finding's canonical API (`requests.post` → `requests`,
 * `github.com/hibiken/asynq.Client.Enqueue` → `asynq`), or undefined when the book has no key
 * for it (a hand-written loop, `http.client`).
 */
export function frameworkOf(api: string, language: LanguageId): string | undefined {
  const family = LANGUAGE_OF[language];
  for (const [lang, prefix, key] of API_PREFIXES) {
    if (lang !== 'any' && lang !== family) continue;
    if (api === prefix || (api.startsWith(prefix) && (prefix.endsWith('/') || prefix.endsWith('.') || /^[.:#/]/.test(api.slice(prefix.length))))) return key;
  }
  return undefined;
}

/** The canonical spelling of a key typed by a person or a model (`celery` → `Celery`), or undefined. */
export function canonicalFramework(text: string): string | undefined {
  const wanted = text.trim().toLowerCase();
  return FRAMEWORK_KEYS.find((k) => k.toLowerCase() === wanted) ?? ALIASES[wanted];
}

/**
 * What an APPLY filter keeps: bullets keyed with one of `frameworks` (and the broader keys they
 * imply), and bullets keyed with one of `languages` when they name no framework (`**Go:**`).
 */
export interface FrameworkFilter {
  readonly frameworks: readonly string[];
  /** Editor languages in play; when left out, the frameworks' own languages. */
  readonly languages?: readonly LanguageId[];
}

interface Wanted {
  readonly keys: ReadonlySet<string>;
  readonly languages: ReadonlySet<Language>;
}

function wanted(filter: FrameworkFilter): Wanted {
  const keys = new Set<string>();
  const languages = new Set<Language>();
  for (const f of filter.frameworks) {
    const key = canonicalFramework(f) ?? f;
    keys.add(key.toLowerCase());
    for (const broader of BROADER[key] ?? []) keys.add(broader.toLowerCase());
    if (filter.languages === undefined || filter.languages.length === 0) for (const l of FRAMEWORK_LANGUAGES[key] ?? []) languages.add(l);
  }
  for (const l of filter.languages ?? []) {
    const family = LANGUAGE_OF[l];
    if (family !== undefined) languages.add(family);
  }
  return { keys, languages };
}

/** What a bullet's bold key says: the frameworks it names, the languages it names, or general advice. */
export interface BulletKey {
  readonly frameworks: readonly string[];
  readonly languages: readonly Language[];
  /** `Any framework`, no key, or a lead-in that names no framework or product (`**Tasks:**`). */
  readonly general: boolean;
}

const KNOWN_KEYS = [...FRAMEWORK_KEYS.map((k) => k.toLowerCase()), ...Object.keys(ALIASES), ...OTHER_PRODUCTS]
  .sort((a, b) => b.length - a.length);

/**
 * Reads the bold keys of a bullet's text (`**Celery on Redis:**`, `**fetch / node-fetch 3:**`,
 * `**sarama (Go):**`): each is split on commas, spaced slashes, `and`, `+` and parentheses, and
 * each part names the longest key it starts with.
 */
export function readBulletKey(bullet: string): BulletKey {
  // Only the bullet's own text: a nested bullet's key is about the nested bullet.
  const lines = bullet.split('\n');
  const nested = lines.findIndex((l, i) => i > 0 && /^\s+[-*+]\s/.test(l));
  const own = (nested < 0 ? lines : lines.slice(0, nested)).join('\n');
  const keys = [...own.matchAll(/\*\*([^*\n]+?):\*\*/g)].map((m) => m[1] ?? '');
  if (keys.length === 0 || !own.trimStart().replace(/^[-*+]\s+/, '').startsWith('**')) return { frameworks: [], languages: [], general: true };
  const frameworks = new Set<string>();
  const languages = new Set<Language>();
  let products = 0;
  for (const key of keys) {
    const parts = key.replace(/[()]/g, ',').split(/,|\s\/\s|\s\+\s|\sand\s/).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
    for (const part of parts) {
      if (part === ANY_FRAMEWORK.toLowerCase()) continue;
      const startsWith = (k: string): boolean => part === k || (part.startsWith(k) && /^[\s\d]/.test(part.slice(k.length)));
      const known = LANGUAGE_NAMES[part] === undefined ? KNOWN_KEYS.find(startsWith) : undefined;
      if (known === undefined) {
        // `**Go:**`, `**Python services:**`: advice for every framework of that language.
        const language = Object.entries(LANGUAGE_NAMES).find(([name]) => startsWith(name))?.[1];
        if (language !== undefined) languages.add(language);
        continue;
      }
      const canonical = canonicalFramework(known);
      if (canonical === undefined) products++;
      else frameworks.add(canonical);
    }
  }
  const general = frameworks.size === 0 && languages.size === 0 && products === 0;
  return { frameworks: [...frameworks], languages: [...languages], general };
}

function bulletMatches(key: BulletKey, want: Wanted): boolean {
  if (key.frameworks.length > 0) return key.frameworks.some((f) => want.keys.has(f.toLowerCase()));
  return key.languages.some((l) => want.languages.has(l));
}

/** One top-level block of APPLY Markdown: a bullet with its continuation lines, or anything else. */
interface Block {
  readonly kind: 'bullet' | 'code' | 'text';
  readonly lines: readonly string[];
  readonly language?: string;
}

const TOP_BULLET = /^[-*+]\s/;
const FENCE = /^(\s*)(```+|~~~+)\s*([A-Za-z]*)/;

/** Splits APPLY Markdown into top-level bullets (with their indented lines), code fences and other text. */
export function applyBlocks(markdown: string): Block[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: { kind: Block['kind']; lines: string[]; language?: string }[] = [];
  let current: { kind: Block['kind']; lines: string[]; language?: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence !== null && (current?.kind !== 'bullet' || (fence[1] ?? '') === '')) {
      let end = i + 1;
      while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence[2] ?? '```')) end++;
      blocks.push(current = { kind: 'code', lines: lines.slice(i, end + 1), language: (fence[3] ?? '').toLowerCase() });
      current = undefined;
      i = end;
      continue;
    }
    if (TOP_BULLET.test(line)) {
      blocks.push(current = { kind: 'bullet', lines: [line] });
    } else if (line.trim() === '') {
      if (current !== undefined) current.lines.push(line);
    } else if (current?.kind === 'bullet' && (/^\s/.test(line) || (current.lines.at(-1) ?? '').trim() !== '')) {
      // An indented line, or a lazy continuation right under the bullet, belongs to the bullet.
      current.lines.push(line);
    } else if (current?.kind === 'text' && (current.lines.at(-1) ?? '').trim() !== '') {
      current.lines.push(line);
    } else {
      blocks.push(current = { kind: 'text', lines: [line] });
    }
  }
  return blocks.map((b) => ({ ...b, lines: trimTrailingBlank(b.lines) }));
}

function trimTrailingBlank(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && (out.at(-1) ?? '').trim() === '') out.pop();
  return out;
}

const CODE_LANGUAGE: Readonly<Record<string, Language>> = lookupTable({
  python: 'python', py: 'python', javascript: 'node', js: 'node', typescript: 'node', ts: 'node', tsx: 'node', ruby: 'ruby', rb: 'ruby', java: 'java', go: 'go',
});

/** A rule's APPLY bullets for a filter: those that name its frameworks, and the general ones. */
export interface ApplySelection {
  readonly specific: readonly string[];
  readonly general: readonly string[];
}

function select(blocks: readonly Block[], want: Wanted): { specific: Set<Block>; general: Set<Block> } {
  const bullets = blocks.filter((b) => b.kind === 'bullet');
  const keys = new Map(bullets.map((b) => [b, readBulletKey(b.lines.join('\n'))] as const));
  const specific = new Set(bullets.filter((b) => bulletMatches(keys.get(b) as BulletKey, want)));
  const general = new Set(bullets.filter((b) => (keys.get(b) as BulletKey).general));
  if (specific.size === 0 && general.size === 0 && bullets[0] !== undefined) general.add(bullets[0]);
  return { specific, general };
}

/** The bullets of a rule's APPLY for a filter, each as its Markdown lines joined, in book order. */
export function selectApply(markdown: string, filter: FrameworkFilter): ApplySelection {
  const { specific, general } = select(applyBlocks(markdown), wanted(filter));
  return { specific: [...specific].map((b) => b.lines.join('\n')), general: [...general].map((b) => b.lines.join('\n')) };
}

/**
 * A rule's APPLY Markdown with only the bullets for the filter's frameworks plus the general ones
 * (`Any framework`, unkeyed, or a lead-in naming no framework). When no bullet names one of the
 * frameworks, the general bullets are kept; when there are none, the first bullet. Text outside
 * the bullets stays; code examples stay unless they are in a language the filter does not use.
 */
export function filterApply(markdown: string, filter: FrameworkFilter): string {
  const blocks = applyBlocks(markdown);
  const want = wanted(filter);
  const { specific, general } = select(blocks, want);
  const kept = blocks.filter((b) => {
    if (b.kind === 'bullet') return specific.has(b) || general.has(b);
    if (b.kind === 'code') {
      const language = CODE_LANGUAGE[b.language ?? ''];
      return language === undefined || want.languages.size === 0 || want.languages.has(language);
    }
    return true;
  });
  // Bullets stay one list; other blocks are separated by a blank line as in the book.
  const out: string[] = [];
  kept.forEach((b, i) => {
    if (i > 0 && !(b.kind === 'bullet' && kept[i - 1]?.kind === 'bullet')) out.push('');
    out.push(...b.lines);
  });
  return out.join('\n');
}

/** The frameworks a set of (api, language) pairs shows, in order of first appearance. */
export function frameworksIn(apis: Iterable<{ readonly api: string; readonly language: LanguageId }>): string[] {
  const found: string[] = [];
  for (const { api, language } of apis) {
    const key = frameworkOf(api, language);
    if (key !== undefined && !found.includes(key)) found.push(key);
  }
  return found;
}

/**
 * A chapter's Markdown with every rule's APPLY filtered for the frameworks (see filterApply): the
 * narrative and each rule's RULE and WHY are unchanged.
 */
export function filterChapterApply(markdown: string, filter: FrameworkFilter): string {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    out.push(line);
    if (line !== '**APPLY:**') continue;
    let end = i + 1;
    let fenced = false;
    for (; end < lines.length; end++) {
      const next = lines[end] ?? '';
      if (FENCE.test(next)) fenced = !fenced;
      if (!fenced && /^#{1,3} /.test(next)) break;
    }
    const body = lines.slice(i + 1, end).join('\n');
    const trailing = body.length - body.trimEnd().length > 0 ? [''] : [];
    out.push(...filterApply(body.trim(), filter).split('\n'), ...trailing);
    i = end - 1;
  }
  return out.join('\n');
}
