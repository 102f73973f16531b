import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LanguageId } from '../../server/src/analysis/index.js';
import { applyBlocks, canonicalFramework, filterApply, filterChapterApply, FRAMEWORK_KEYS, frameworkOf, readBulletKey } from '../../server/src/catalog/frameworks.js';
import type { Catalog } from '../../server/src/catalog/types.js';
import { compileContent } from '../helpers/catalog.js';

const catalog = compileContent().catalog as Catalog;
const rule = (id: string): string => {
  const found = catalog.rules[id];
  assert.ok(found, id);
  return found.apply;
};
const bulletsOf = (markdown: string): string[] => applyBlocks(markdown).filter((b) => b.kind === 'bullet').map((b) => b.lines.join('\n'));

describe('frameworkOf maps a canonical API to its framework key', () => {
  const cases: [string, LanguageId, string | undefined][] = [
    ['requests.post', 'python', 'requests'],
    ['requests.Session.get', 'python', 'requests'],
    ['urllib.request.urlopen', 'python', 'urllib'],
    ['urllib3.PoolManager', 'python', 'urllib3'],
    ['celery.task', 'python', 'Celery'],
    ['celery.shared_task', 'python', 'Celery'],
    ['rq.Retry', 'python', 'RQ'],
    ['kafka.KafkaProducer', 'python', 'kafka-python'],
    ['confluent_kafka.Consumer.poll', 'python', 'confluent-kafka'],
    ['boto3.sqs.Client.send_message', 'python', 'boto3'],
    ['stripe.PaymentIntent.create', 'python', 'Stripe'],
    ['http.client.HTTPConnection', 'python', undefined],
    ['axios.get', 'typescript', 'axios'],
    ['axios.Instance.post', 'tsx', 'axios'],
    ['fetch', 'javascript', 'fetch'],
    ['undici.fetch', 'typescript', 'fetch'],
    ['bullmq.Queue.add', 'typescript', 'BullMQ'],
    ['bull.Queue.add', 'javascript', 'Bull'],
    ['node-cron.schedule', 'typescript', 'node-cron'],
    ['cron.CronJob.from', 'javascript', 'cron'],
    ['@aws-sdk/client-sqs.SendMessageCommand', 'typescript', 'AWS SDK'],
    ['stripe.Stripe.paymentIntents.create', 'javascript', 'Stripe'],
    ['Sidekiq::Job.perform_async', 'ruby', 'Sidekiq'],
    ['Sidekiq::Cron::Job', 'ruby', 'sidekiq-cron'],
    ['ActiveJob::Base.retry_on', 'ruby', 'Active Job'],
    ['Net::HTTP#get', 'ruby', 'Net::HTTP'],
    ['Faraday::Connection#get', 'ruby', 'Faraday'],
    ['org.springframework.kafka.annotation.KafkaListener', 'java', 'Spring Kafka'],
    ['org.springframework.boot.web.client.RestTemplateBuilder', 'java', 'RestTemplate'],
    ['org.springframework.web.client.RestTemplate.exchange', 'java', 'RestTemplate'],
    ['org.springframework.scheduling.annotation.Scheduled', 'java', 'Spring'],
    ['java.net.http.HttpClient.send', 'java', 'Java HttpClient'],
    ['io.github.resilience4j.retry.annotation.Retry', 'java', 'Resilience4j'],
    ['github.com/hibiken/asynq.Client.Enqueue', 'go', 'asynq'],
    ['net/http.Get', 'go', 'net/http'],
    ['github.com/IBM/sarama.NewSyncProducer', 'go', 'sarama'],
    ['github.com/cenkalti/backoff.Retry', 'go', undefined],
    ['kubernetes.CronJob', 'yaml', 'Kubernetes'],
    ['github-actions.schedule', 'yaml', 'GitHub Actions'],
    ['argo.CronWorkflow', 'yaml', 'Kubernetes'],
    ['GoodJob.cron', 'ruby', 'Active Job'],
    ['Whenever.every', 'ruby', undefined],
  ];
  for (const [api, language, key] of cases) {
    it(`${api} (${language}) → ${key ?? 'no key'}`, () => assert.equal(frameworkOf(api, language), key));
  }

  it('never crosses languages: `requests` in Ruby is not the Python library', () => {
    assert.equal(frameworkOf('requests.post', 'ruby'), undefined);
  });

  it('every key it returns is canonical', () => {
    for (const [api, language] of cases) {
      const key = frameworkOf(api, language);
      if (key !== undefined) assert.ok(FRAMEWORK_KEYS.includes(key), key);
    }
  });

  it('reads keys as people and models type them', () => {
    assert.equal(canonicalFramework('celery'), 'Celery');
    assert.equal(canonicalFramework(' KAFKAJS '), 'kafkajs');
    assert.equal(canonicalFramework('ActiveJob'), 'Active Job');
    assert.equal(canonicalFramework('any framework'), 'Any framework');
    assert.equal(canonicalFramework('celeryx'), undefined);
  });

  it('answers names from Object.prototype as unknown, and filters with them without throwing', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(canonicalFramework(name), undefined, name);
      assert.equal(frameworkOf(name, 'python'), undefined, name);
      assert.equal(typeof filterApply(rule('R6.1'), { frameworks: [name] }), 'string', name);
    }
  });
});

describe('readBulletKey', () => {
  it('reads one key, several keys and the general key', () => {
    assert.deepEqual(readBulletKey('- **Celery:** `acks_late=True`').frameworks, ['Celery']);
    assert.deepEqual(readBulletKey('- **requests, httpx:** pass `timeout=`').frameworks, ['requests', 'httpx']);
    assert.equal(readBulletKey('- **Any framework:** bound it').general, true);
    assert.equal(readBulletKey('- Measure the latency first').general, true);
  });

  it("reads today's spellings: slashes, parentheses, versions and qualifiers", () => {
    assert.deepEqual(readBulletKey('- **fetch / node-fetch 3:** x').frameworks, ['fetch']);
    assert.deepEqual(readBulletKey('- **Celery on Redis or SQS:** x').frameworks, ['Celery']);
    assert.deepEqual(readBulletKey('- **APScheduler 3:** x').frameworks, ['APScheduler']);
    assert.deepEqual(readBulletKey('- **RabbitMQ consumers (pika, amqplib):** x').frameworks, ['RabbitMQ', 'pika', 'amqplib']);
    assert.deepEqual(readBulletKey('- **Spring Kafka and other Kafka consumers:** x').frameworks, ['Spring Kafka']);
    assert.deepEqual(readBulletKey('- **sarama (Go):** x').frameworks, ['sarama']);
    assert.deepEqual(readBulletKey('- **Sidekiq / ActiveJob:** x').frameworks, ['Sidekiq', 'Active Job']);
    assert.deepEqual(readBulletKey('- **urllib:** a. **urllib3:** b').frameworks, ['urllib', 'urllib3']);
  });

  it('reads a language key as advice for that language, and a lead-in naming nothing as general', () => {
    assert.deepEqual(readBulletKey('- **Go:** x'), { frameworks: [], languages: ['go'], general: false });
    assert.deepEqual(readBulletKey('- **Python services:** x').languages, ['python']);
    assert.equal(readBulletKey('- **Hand-written loops:** x').general, true);
    assert.equal(readBulletKey('- **gobreaker:** x').general, false, 'a product without a key is not general advice');
  });

  it("ignores a nested bullet's key", () => {
    assert.deepEqual(readBulletKey('- **Celery:** x\n  - **Redis:** y').frameworks, ['Celery']);
  });
});

describe('filterApply on synthetic APPLY text', () => {
  const apply = [
    'Start from the budget.',
    '',
    '- **Celery:** `acks_late=True` on the task,',
    '  continued on a second line.',
    '  - nested step for Celery',
    '- **BullMQ, Bull:** `attempts` and `backoff`.',
    '- **Any framework:** make the work idempotent.',
    '- **Go:** a context everywhere.',
    '',
    '```python clean',
    '- not a bullet: inside code',
    '```',
    '',
    '```typescript clean',
    'const x = 1;',
    '```',
  ].join('\n');

  it('keeps the framework bullet with its continuation and nested lines, the general bullets and the text', () => {
    const out = filterApply(apply, { frameworks: ['Celery'] });
    assert.match(out, /^Start from the budget\.\n\n- \*\*Celery:\*\*/);
    assert.match(out, /continued on a second line\.\n {2}- nested step for Celery\n- \*\*Any framework:\*\*/);
    assert.doesNotMatch(out, /BullMQ|\*\*Go:\*\*/);
    assert.match(out, /```python clean\n- not a bullet: inside code\n```/);
    assert.doesNotMatch(out, /typescript/, 'a TypeScript example is not for a Celery reader');
  });

  it('matches any key of a bullet with several, case-insensitively', () => {
    const out = filterApply(apply, { frameworks: ['bull'] });
    assert.match(out, /\*\*BullMQ, Bull:\*\*/);
    assert.doesNotMatch(out, /Celery/);
  });

  it('shows language bullets to every framework of that language', () => {
    assert.match(filterApply(apply, { frameworks: ['asynq'] }), /\*\*Go:\*\*/);
    assert.match(filterApply(apply, { frameworks: [], languages: ['go'] }), /\*\*Go:\*\*/);
    assert.doesNotMatch(filterApply(apply, { frameworks: ['Celery'] }), /\*\*Go:\*\*/);
  });

  it('falls back to the general bullets, then to the first bullet', () => {
    const general = filterApply(apply, { frameworks: ['Sidekiq'] });
    assert.deepEqual(bulletsOf(general).map((b) => b.split(':**')[0]), ['- **Any framework']);
    const none = ['- **Celery:** a', '- **BullMQ:** b'].join('\n');
    assert.equal(filterApply(none, { frameworks: ['Sidekiq'] }), '- **Celery:** a');
  });
});

describe('filterApply on the book', () => {
  it('R6.1 for requests keeps the requests bullet and drops the other clients', () => {
    const out = filterApply(rule('R6.1'), { frameworks: ['requests'] });
    assert.match(out, /\*\*requests:\*\*/);
    for (const other of ['**axios:**', '**got:**', '**Go:**', '**Java:**', '**aiohttp:**']) assert.ok(!out.includes(other), other);
    assert.ok(out.length < rule('R6.1').length / 2, `${out.length} of ${rule('R6.1').length}`);
  });

  it('R6.1 for Faraday keeps the Faraday bullet; for net/http the net/http bullet', () => {
    const faraday = filterApply(rule('R6.1'), { frameworks: ['Faraday'] });
    assert.match(faraday, /\*\*Faraday:\*\*/);
    assert.doesNotMatch(faraday, /\*\*(requests|axios|net\/http):\*\*/);
    assert.match(filterApply(rule('R6.1'), { frameworks: ['net/http'] }), /\*\*net\/http:\*\*/);
  });

  it('every rule keeps at least one bullet for every framework, and never grows', () => {
    for (const r of Object.values(catalog.rules)) {
      const all = bulletsOf(r.apply).length;
      for (const key of FRAMEWORK_KEYS) {
        const out = filterApply(r.apply, { frameworks: [key] });
        assert.ok(out.length <= r.apply.length, `${r.id} ${key}`);
        if (all > 0) assert.ok(bulletsOf(out).length > 0, `${r.id} ${key}`);
      }
    }
  });

  it('Celery readers see Celery bullets in the rules that have them', () => {
    const withCelery = Object.values(catalog.rules).filter((r) => /^- \*\*Celery/m.test(r.apply));
    assert.ok(withCelery.length >= 10, String(withCelery.length));
    for (const r of withCelery) {
      const out = filterApply(r.apply, { frameworks: ['Celery'] });
      assert.match(out, /^- \*\*Celery/m, r.id);
      assert.doesNotMatch(out, /^- \*\*(BullMQ|Sidekiq):/m, r.id);
    }
  });
});

describe('filterChapterApply', () => {
  it("filters every rule's APPLY of a chapter and leaves the narrative, RULE and WHY alone", () => {
    const chapter = catalog.chapters.find((c) => c.id === 5);
    assert.ok(chapter);
    const out = filterChapterApply(chapter.markdown, { frameworks: ['BullMQ'] });
    const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;
    assert.equal(count(out, /^\*\*(RULE|WHY|APPLY):\*\*$|^\*\*(RULE|WHY):\*\* /gm), count(chapter.markdown, /^\*\*(RULE|WHY|APPLY):\*\*$|^\*\*(RULE|WHY):\*\* /gm));
    assert.equal(out.split('## Agent rules')[0], chapter.markdown.split('## Agent rules')[0], 'the narrative is unchanged');
    assert.ok(count(out, /^- \*\*BullMQ/gm) >= 2);
    assert.equal(count(out, /^- \*\*(Celery|tenacity|Sidekiq)\b/gm), 0);
    assert.equal(count(out, /^### R5\.\d+ /gm), chapter.ruleIds.length);
  });
});
