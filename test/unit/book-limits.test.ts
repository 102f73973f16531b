import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/analyzer.js';

/**
 * The one-page limits of the content chapters: a Narrative of at most 350 words, each RULE one
 * sentence, each WHY at most 80 words with its source in parentheses, the chapter without its
 * APPLY blocks and code at most 1,200 words, and every APPLY bullet keyed by framework
 * (`- **Celery:** ...`) so that a hover can show one framework's line.
 */

/** The chapters held to the limits: every content chapter, 3 to 12. */
const LIMITED_CHAPTERS: readonly number[] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

const NARRATIVE_WORDS = 350;
const WHY_WORDS = 80;
const CHAPTER_WORDS = 1200;

/** The framework keys an APPLY bullet may carry, spelled as hovers look them up. */
const FRAMEWORK_KEYS = new Set([
  'Celery', 'RQ', 'dramatiq', 'huey', 'kombu', 'pika', 'kafka-python', 'confluent-kafka', 'boto3', 'APScheduler', 'Airflow', 'Django',
  'SQLAlchemy', 'requests', 'httpx', 'urllib', 'urllib3', 'aiohttp', 'tenacity', 'backoff', 'smtplib', 'pybreaker', 'BullMQ', 'Bull',
  'amqplib', 'kafkajs', 'AWS SDK', 'node-cron', 'cron', 'agenda', 'node-schedule', 'axios', 'fetch', 'got', 'p-retry', 'async-retry',
  'opossum', 'nodemailer', 'Stripe', 'SendGrid', 'Twilio', 'Sidekiq', 'Active Job', 'sidekiq-cron', 'Net::HTTP', 'Faraday', 'HTTParty',
  'Rails', 'Spring Kafka', 'Spring AMQP', 'Spring Retry', 'Spring', 'ShedLock', 'Resilience4j', 'RestTemplate', 'WebClient',
  'Java HttpClient', 'Kafka Java client', 'net/http', 'asynq', 'robfig/cron', 'sarama', 'kafka-go', 'gRPC', 'Kubernetes',
  'GitHub Actions', 'RabbitMQ', 'Kafka', 'SQS', 'Redis', 'PostgreSQL', 'Debezium', 'gobreaker', 'cenkalti/backoff',
  'Resend', 'OneSignal', 'GitHub', 'Flask', 'Express', 'Any framework',
]);

const contentDir = path.join(repoRoot, 'content');
const files = fs.readdirSync(contentDir).filter((f) => /^\d\d-.+\.md$/.test(f)).sort();

/** Words as the book counts them: runs of non-space that start with a letter or digit. */
const words = (text: string): number => (text.match(/[A-Za-z0-9][^\s]*/g) ?? []).length;

const bodyOf = (file: string): string => fs.readFileSync(path.join(contentDir, file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/^---[\s\S]*?\n---\n/, '');
const withoutCode = (text: string): string => text.replace(/^(\s*)(```+|~~~+)[^\n]*\n[\s\S]*?\n\1\2\s*$/gm, '');
const withoutApply = (text: string): string => text.replace(/^\*\*APPLY:\*\*[\s\S]*?(?=^### |^## |(?![\s\S]))/gm, '');

interface RuleText {
  readonly id: string;
  readonly rule: string;
  readonly why: string;
  readonly apply: string;
}

function rulesOf(noCode: string): RuleText[] {
  return [...noCode.matchAll(/^### (R\d+\.\d+)[^\n]*\n([\s\S]*?)(?=^### |^## |(?![\s\S]))/gm)].map((m) => {
    const body = m[2] ?? '';
    return {
      id: m[1] ?? '',
      rule: body.split('**RULE:**')[1]?.split('**WHY:**')[0]?.trim() ?? '',
      why: body.split('**WHY:**')[1]?.split('**APPLY:**')[0]?.trim() ?? '',
      apply: body.split('**APPLY:**')[1] ?? '',
    };
  });
}

/** Sentences of a RULE, ignoring parentheses, inline code and the abbreviations e.g., i.e., etc. and vs. */
function sentences(rule: string): number {
  return rule.replace(/\([^)]*\)/g, '').replace(/`[^`]*`/g, 'x').replace(/\b(e\.g|i\.e|etc|vs)\./g, 'x').split(/[.!?](?:\s+|$)/).filter((s) => s.trim() !== '').length;
}

/** Every problem of one chapter against the limits, as lines a writer can act on. */
function limitProblems(file: string): string[] {
  const noCode = withoutCode(bodyOf(file));
  const problems: string[] = [];
  const narrative = noCode.split(/^## Narrative\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  if (words(narrative) > NARRATIVE_WORDS) problems.push(`Narrative ${words(narrative)} words > ${NARRATIVE_WORDS}`);
  const total = words(withoutApply(noCode));
  if (total > CHAPTER_WORDS) problems.push(`chapter without APPLY and code ${total} words > ${CHAPTER_WORDS}`);
  for (const rule of rulesOf(noCode)) {
    const n = sentences(rule.rule);
    if (n !== 1) problems.push(`${rule.id} RULE is ${n} sentences`);
    if (words(rule.why) > WHY_WORDS) problems.push(`${rule.id} WHY ${words(rule.why)} words > ${WHY_WORDS}`);
    if (!/\([^)]*\)/.test(rule.why)) problems.push(`${rule.id} WHY cites no source in parentheses`);
    problems.push(...applyProblems(rule));
  }
  return problems;
}

/** APPLY bullets: each top-level bullet keyed by known frameworks, with no second key in its text. */
function applyProblems(rule: RuleText): string[] {
  const problems: string[] = [];
  const bullets = rule.apply.split('\n').filter((l) => l.startsWith('- '));
  if (bullets.length === 0) problems.push(`${rule.id} APPLY has no bullets`);
  for (const line of bullets) {
    const m = /^- \*\*([^*]+):\*\* (.*)$/.exec(line);
    if (m === null) {
      problems.push(`${rule.id} APPLY line not keyed by framework: ${line.slice(0, 60)}`);
      continue;
    }
    for (const key of (m[1] ?? '').split(/,\s*/)) if (!FRAMEWORK_KEYS.has(key)) problems.push(`${rule.id} APPLY key "${key}" is not a framework key`);
    if (/\*\*[^*]+:\*\*/.test(m[2] ?? '')) problems.push(`${rule.id} APPLY line has a second bold key: ${line.slice(0, 60)}`);
  }
  return problems;
}

describe('the one-page limits of the content chapters', () => {
  for (const chapter of LIMITED_CHAPTERS) {
    const file = files.find((f) => Number(f.slice(0, 2)) === chapter);
    it(`chapter ${chapter} keeps to the limits`, () => {
      assert.ok(file !== undefined, `no file for chapter ${chapter}`);
      assert.deepEqual(limitProblems(file), []);
    });
  }

  it('counts what the limits count', () => {
    assert.equal(words('A `timeout=5` and 3 retries — done.'), 6);
    assert.equal(sentences('Set `x.y` (e.g. 5 s. or more) and retry, i.e. twice.'), 1);
    assert.equal(sentences('Do this. Then that.'), 2);
    const apply = (text: string) => applyProblems({ id: 'R0.1', rule: '', why: '', apply: text });
    assert.deepEqual(apply('\n- **Celery, RQ:** set it.\n  - nested detail\n'), []);
    assert.deepEqual(apply('\n- Set it.\n'), ['R0.1 APPLY line not keyed by framework: - Set it.']);
    assert.deepEqual(apply('\n- **Celery:** set it; **RQ:** too.\n'), ['R0.1 APPLY line has a second bold key: - **Celery:** set it; **RQ:** too.']);
    assert.deepEqual(apply('\n- **Celery 5:** set it.\n'), ['R0.1 APPLY key "Celery 5" is not a framework key']);
  });
});

describe('rule ids across the book', () => {
  const headings = files.flatMap((file) => [...bodyOf(file).matchAll(/^### (R\d+\.\d+) /gm)].map((m) => ({ file, id: m[1] ?? '' })));

  it('defines no rule id twice', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { file, id } of headings) {
      const first = seen.get(id);
      if (first !== undefined) twice.push(`${id} in ${first} and ${file}`);
      seen.set(id, file);
    }
    assert.deepEqual(twice, []);
  });

  it('gives every rule of the limited chapters keyed APPLY bullets', () => {
    for (const chapter of LIMITED_CHAPTERS) {
      const file = files.find((f) => Number(f.slice(0, 2)) === chapter) ?? '';
      const rules = rulesOf(withoutCode(bodyOf(file)));
      assert.ok(rules.length > 0, `chapter ${chapter} has rules`);
      for (const rule of rules) assert.ok(rule.apply.split('\n').some((l) => /^- \*\*[^*]+:\*\* /.test(l)), `${rule.id} has no keyed APPLY bullet`);
    }
  });
});
