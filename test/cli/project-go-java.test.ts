import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProject as check, fileOf, rules, type Report } from '../helpers/project-report.js';

const signals = (report: Report, file: string): string[] => (fileOf(report, file).signals ?? []).map((s) => `${s.kind}:${s.api}:${s.line}`).sort();

describe('check follows names into the project (Go)', () => {
  const report = check('go-shop');

  it('a request through a client another file of the package builds without Timeout is reported at the call, pointing at the construction', () => {
    assert.deepEqual(rules(report, 'jobs/sync.go'), ['enqueue-no-idempotency-key:23', 'http-timeout:12']);
    const finding = fileOf(report, 'jobs/sync.go').findings.find((f) => f.rule === 'http-timeout');
    assert.match(finding?.message ?? '', /^`partnerClient` is an http\.Client defined in jobs\/client\.go:6, built without `Timeout`/);
    assert.deepEqual(finding?.related, [{ path: 'jobs/client.go', line: 6, column: 5, message: '`partnerClient` is an http.Client defined in jobs/client.go:6' }]);
  });

  it('a Timeout set in an init() of the package, in the same file or another, counts for the construction and the calls', () => {
    assert.deepEqual(rules(report, 'jobs/client.go'), ['http-timeout:6']);
    assert.ok(signals(report, 'jobs/sync.go').includes('http-call:net/http.Client.Post:28'));
  });

  it('a function of a project package returning *asynq.Client makes the enqueue through it an asynq enqueue; a same-named package returning its own type does not', () => {
    assert.ok(signals(report, 'jobs/sync.go').includes('enqueue:github.com/hibiken/asynq.Client.Enqueue:23'));
    assert.deepEqual(signals(report, 'internal/billing/invoices.go'), []);
    assert.deepEqual(rules(report, 'internal/billing/invoices.go'), []);
  });

  it('a project type named Client with a Get method is not an http.Client, and a _test.go file is not part of the package', () => {
    assert.ok(!signals(report, 'jobs/sync.go').some((s) => s.endsWith(':21')));
    assert.deepEqual(rules(report, 'jobs/sync_test.go'), ['http-timeout:6']);
  });

  it('--no-project analyses each file alone: the calls are not reported and the init() of another file is not seen', () => {
    const alone = check('go-shop', ['--no-project']);
    assert.deepEqual(rules(alone, 'jobs/sync.go'), []);
    assert.deepEqual(rules(alone, 'jobs/client.go'), ['http-timeout:16', 'http-timeout:6']);
    assert.deepEqual(signals(alone, 'jobs/sync.go'), []);
  });
});

describe('check reads the Spring Boot configuration of a Java project', () => {
  it('application.yml acknowledge-mode none makes a @RabbitListener without its own ackMode or containerFactory an auto-ack consumer, pointing at the key', () => {
    const report = check('java-orders');
    const file = 'src/main/java/com/acme/orders/OrderListener.java';
    assert.deepEqual(rules(report, file), ['consumer-auto-ack:8']);
    assert.deepEqual(fileOf(report, file).findings[0]?.related?.map((r) => `${r.path}:${r.line}:${r.column}`), ['src/main/resources/application.yml:9:9']);
    assert.deepEqual(rules(report, 'src/main/java/com/acme/orders/RabbitListenerJob.java'), []);
  });

  it('spring.kafka.producer.acks 1 makes the first KafkaTemplate send of a file a producer without idempotence', () => {
    const report = check('java-orders');
    const file = 'src/main/java/com/acme/orders/OrderPublisher.java';
    assert.deepEqual(rules(report, file), ['kafka-producer-no-idempotence:15']);
    assert.match(fileOf(report, file).findings[0]?.message ?? '', /`acks=1` turns the default idempotence off/);
    assert.equal(fileOf(report, file).findings[0]?.related?.[0]?.line, 14);
  });

  it('the listener type picks the container whose mode applies, and config/application.yml overrides application.properties', () => {
    const report = check('java-ledger');
    const finding = fileOf(report, 'src/main/java/com/acme/ledger/EntryListener.java').findings;
    assert.deepEqual(finding.map((f) => `${f.rule}:${f.line}`), ['consumer-auto-ack:6']);
    assert.match(finding[0]?.message ?? '', /spring\.rabbitmq\.listener\.direct\.acknowledge-mode: NONE/);
    assert.equal(finding[0]?.related?.[0]?.path, 'src/main/resources/config/application.yml');
  });

  it('a resilience4j @Retry whose instance keeps the fixed wait of its base config is reported, pointing at the configuration; backoff, one attempt, a profile or no instance is not', () => {
    const report = check('java-retry');
    const file = 'src/main/java/com/acme/retry/PartnerClient.java';
    assert.deepEqual(rules(report, file), ['retry-no-backoff:8']);
    assert.match(fileOf(report, file).findings[0]?.message ?? '', /`@Retry\(name = "partner"\)` waits a fixed 100 ms between its 3 attempts/);
    assert.deepEqual(fileOf(report, file).findings[0]?.related?.map((r) => `${r.path}:${r.line}`), ['src/main/resources/application.yml:5']);
    assert.deepEqual(rules(check('java-retry', ['--no-project']), file), []);
  });

  it('a resilience4j @Retry whose instance backs off exponentially (from its base config, or a placeholder\'s default) with no randomised wait is retry-no-jitter; a randomised wait or a setting the environment alone gives is not', () => {
    const report = check('java-retry');
    const file = 'src/main/java/com/acme/retry/LedgerClient.java';
    assert.deepEqual(rules(report, file), ['retry-no-jitter:22', 'retry-no-jitter:6']);
    const interest = fileOf(report, file).findings.find((f) => f.message.includes('"interest"'));
    assert.match(interest?.message ?? '', /`@Retry\(name = "interest"\)` backs off exponentially without jitter/);
    assert.deepEqual(interest?.related?.map((r) => `${r.path}:${r.line}`), ['src/main/resources/application.yml:24']);
    assert.deepEqual(rules(check('java-retry', ['--no-project']), file), []);
  });

  it('--no-project reads no configuration', () => {
    const report = check('java-orders', ['--no-project']);
    assert.deepEqual(rules(report, 'src/main/java/com/acme/orders/OrderListener.java'), []);
    assert.deepEqual(rules(report, 'src/main/java/com/acme/orders/OrderPublisher.java'), []);
  });
});

describe('Spring @Bean configuration of a RestTemplate (Java)', () => {
  it('a bean built without timeouts is reported where it is built; a call through an injected RestTemplate is not reported, whichever bean it gets', () => {
    const report = check('java-billing');
    assert.deepEqual(rules(report, 'src/main/java/com/acme/billing/legacy/LegacyConfig.java'), ['http-timeout:11']);
    // The builder bean with connect and read timeouts, and a bean of another type, are not findings.
    assert.deepEqual(rules(report, 'src/main/java/com/acme/billing/config/HttpConfig.java'), []);
    assert.deepEqual(rules(report, 'src/main/java/com/acme/billing/partner/PartnerClient.java'), []);
    assert.deepEqual(signals(report, 'src/main/java/com/acme/billing/partner/PartnerClient.java'), ['http-call:org.springframework.web.client.RestTemplate.getForObject:15']);
  });
});

describe('Java classes and @Bean methods across files', () => {
  const report = check('java-payments');
  const base = 'src/main/java/com/acme/payments';

  it('a request through a RestTemplate bean built without a timeout is reported at the call, pointing at the @Bean method', () => {
    assert.deepEqual(rules(report, `${base}/partner/PartnerGateway.java`), ['http-timeout:16']);
    const finding = fileOf(report, `${base}/partner/PartnerGateway.java`).findings[0];
    assert.match(finding?.message ?? '', /^`restTemplate` is the RestTemplate bean `partnerRestTemplate` defined in src\/main\/java\/com\/acme\/payments\/config\/HttpConfig\.java:12, built without a timeout/);
    assert.deepEqual(finding?.related?.map((r) => `${r.path}:${r.line}:${r.column}`), [`${base}/config/HttpConfig.java:12:25`]);
    // The bean's construction keeps its own finding, where the fix goes.
    assert.deepEqual(rules(report, `${base}/config/HttpConfig.java`), ['http-timeout:13']);
  });

  it('a bean built with connect and read timeouts, picked by the name of a Lombok-injected field, is not reported; two beans and no way to choose stay unknown', () => {
    assert.deepEqual(rules(report, `${base}/ledger/LedgerClient.java`), []);
    assert.deepEqual(rules(report, `${base}/audit/AuditClient.java`), []);
    assert.deepEqual(signals(report, `${base}/audit/AuditClient.java`), ['http-call:org.springframework.web.client.RestTemplate.postForObject:15']);
  });

  it('the project ProducerFactory bean that sets acks=1 makes a send through an injected KafkaTemplate a producer without idempotence', () => {
    const finding = fileOf(report, `${base}/events/PaymentEvents.java`).findings;
    assert.deepEqual(finding.map((f) => `${f.rule}:${f.line}`), ['kafka-producer-no-idempotence:15']);
    assert.match(finding[0]?.message ?? '', /in the `producerFactory` ProducerFactory bean, `acks=1` turns the default idempotence off/);
    assert.deepEqual(finding[0]?.related?.map((r) => `${r.path}:${r.line}`), [`${base}/config/KafkaConfig.java:18`]);
  });

  it('a project class two hops below RestTemplate is one; a cycle of classes, and a project class named RestTemplate, are not', () => {
    assert.deepEqual(signals(report, `${base}/http/ReportClient.java`), ['http-call:org.springframework.web.client.RestTemplate.getForObject:9']);
    assert.deepEqual(rules(report, `${base}/http/ReportClient.java`), []);
    assert.deepEqual(signals(report, `${base}/fake/CacheReader.java`), []);
  });

  it('--no-project sees no bean: the calls through injected objects are not reported', () => {
    const alone = check('java-payments', ['--no-project']);
    assert.deepEqual(rules(alone, `${base}/partner/PartnerGateway.java`), []);
    assert.deepEqual(rules(alone, `${base}/events/PaymentEvents.java`), []);
    assert.deepEqual(signals(alone, `${base}/http/ReportClient.java`), []);
  });
});
