import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sameSummary, type Analyzer, type ModuleResolver } from '../../server/src/analysis/index.js';
import { springSetting } from '../../server/src/analysis/project/spring-config.js';
import { springConfigFor } from '../../server/src/workspace/spring-config.js';
import path from 'node:path';
import { testAnalyzer } from '../helpers/analyzer.js';

/** A Go module held in memory: files by path, packages by folder under the module path `example.com/app`. */
function goProject(files: Record<string, string>): ModuleResolver & { reads: string[] } {
  const reads: string[] = [];
  const dirOf = (file: string): string => file.slice(0, file.lastIndexOf('/'));
  return {
    reads,
    resolve: () => undefined,
    read: (file) => {
      reads.push(file);
      return files[file];
    },
    display: (file) => file,
    packageFiles: (from, importPath) => {
      const dir = importPath === undefined ? dirOf(from) : importPath.startsWith('example.com/app/') ? importPath.slice('example.com/app/'.length) : undefined;
      if (dir === undefined) return undefined;
      const found = Object.keys(files).filter((f) => dirOf(f) === dir && !f.endsWith('_test.go')).sort();
      return found.length === 0 ? undefined : found;
    },
  };
}

describe('project model (Go)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('go');
  });

  const summaryOf = (text: string) => analyzer.summaries().get(text, 'go');

  it('keeps a file summary equal for an edit inside a function body or a comment, and not for a changed declaration or init()', () => {
    const text = 'package jobs\n\nimport "net/http"\n\nvar client = &http.Client{}\n\nfunc run() error {\n\treturn nil\n}\n';
    const base = summaryOf(text);
    assert.ok(sameSummary(base, summaryOf(text.replace('return nil', 'x := 1\n\t_ = x\n\treturn nil'))));
    assert.ok(sameSummary(base, summaryOf(`// Package jobs.\n${text}`)));
    assert.ok(!sameSummary(base, summaryOf(text.replace('&http.Client{}', '&http.Client{Timeout: t}'))));
    assert.ok(!sameSummary(base, summaryOf(`${text}\nfunc init() {\n\tclient.Timeout = t\n}\n`)));
  });

  it('types a struct field another file of the package declares: a method in this file calls through it', async () => {
    const resolver = goProject({
      'billing/client.go': 'package billing\n\nimport (\n\t"github.com/stripe/stripe-go/v80/client"\n\t"github.com/stripe/stripe-go/v80/paymentintent"\n)\n\ntype stripeClient struct {\n\tapi     *client.API\n\tintents *paymentintent.Client\n\tname    string\n\tlocal   *Local\n}\n\ntype Local struct{}\n',
      'billing/twice_a.go': 'package billing\n\nimport "net/http"\n\ntype twice struct {\n\tc *http.Client\n}\n',
      'billing/twice_b.go': 'package billing\n\nimport "net/http"\n\ntype twice struct {\n\tc *http.Client\n}\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'package billing\n\nimport "github.com/stripe/stripe-go/v80"\n\nfunc (c *stripeClient) Charge(p *stripe.PaymentIntentParams, i *stripe.InvoiceParams) {\n\tc.api.Invoices.New(i)\n\tc.intents.New(p)\n\tc.local.Get("u")\n}\n\nfunc (t *twice) Get() {\n\tt.c.Get("u")\n}\n';
    const result = await analyzer.analyze(text, 'go', { project: { model, path: 'billing/charge.go' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), [
      'payment:github.com/stripe/stripe-go/client.API.Invoices.New',
      'payment:github.com/stripe/stripe-go/paymentintent.Client.New',
    ]);
    const alone = await analyzer.analyze(text, 'go');
    assert.deepEqual(alone.signals, []);
  });

  it('resolves package-level names of other files and exported names of project packages, leaves project types and ambiguous names unknown, and reads only the packages reached', async () => {
    const resolver = goProject({
      'jobs/client.go': 'package jobs\n\nimport "net/http"\n\nvar partner = &http.Client{}\nvar timed = &http.Client{Timeout: limit}\nvar own = &Client{}\n',
      'jobs/limit.go': 'package jobs\n\nimport "time"\n\nconst limit = 5 * time.Second\n\ntype Client struct{}\n',
      'jobs/twice_a.go': 'package jobs\n\nimport "net/http"\n\nvar twice = &http.Client{}\n',
      'jobs/twice_b.go': 'package jobs\n\nimport "net/http"\n\nvar twice = &http.Client{}\n',
      'queue/queue.go': 'package queue\n\nimport "github.com/hibiken/asynq"\n\nfunc New() *asynq.Client {\n\treturn build()\n}\n\nfunc build() *asynq.Client { return nil }\n',
      'unrelated/unrelated.go': 'package unrelated\n\nimport "net/http"\n\nvar C = &http.Client{}\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'package jobs\n\nimport (\n\t"github.com/hibiken/asynq"\n\n\t"example.com/app/queue"\n)\n\nfunc Run() {\n\tpartner.Get("u")\n\ttimed.Get("u")\n\town.Get("u")\n\ttwice.Get("u")\n\tqueue.New().Enqueue(asynq.NewTask("t", nil))\n}\n';
    const result = await analyzer.analyze(text, 'go', { project: { model, path: 'jobs/run.go' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), ['http-call:net/http.Client.Get', 'http-call:net/http.Client.Get', 'enqueue:github.com/hibiken/asynq.Client.Enqueue']);
    assert.deepEqual(result.findings.map((f) => `${f.rule}:${f.related?.[0]?.message ?? ''}`), [
      'http-timeout:`partner` is an http.Client defined in jobs/client.go:5',
      // The enqueue's receiver is the project function's result, written in the same call.
      'enqueue-no-idempotency-key:`queue.New` is a function that returns an asynq Client defined in queue/queue.go:5',
    ]);
    assert.deepEqual(result.projectNames?.map((n) => n.message), [
      '`partner` is an http.Client defined in jobs/client.go:5',
      '`timed` is an http.Client defined in jobs/client.go:6',
      '`queue.New` is a function that returns an asynq Client defined in queue/queue.go:5',
    ]);
    assert.ok(!resolver.reads.includes('unrelated/unrelated.go'));
    assert.deepEqual(result.dependencies, ['jobs/client.go', 'jobs/limit.go', 'jobs/twice_a.go', 'jobs/twice_b.go', 'queue/queue.go']);
  });
  it('a method of a project type that wraps a library call is a signal of its kind where a value of the type is used in another package: returned by a function, through its interface; a method that wraps nothing is none', async () => {
    const resolver = goProject({
      'scheduler/scheduler.go': 'package scheduler\n\nimport "github.com/robfig/cron/v3"\n\ntype Scheduler interface {\n\tAdd(spec string, cmd func()) (int, error)\n\tRemove(id int)\n}\n\nfunc GetInstance() Scheduler {\n\treturn &scheduler{c: cron.New()}\n}\n\ntype scheduler struct {\n\tc *cron.Cron\n}\n\nfunc (s *scheduler) Add(spec string, cmd func()) (int, error) {\n\tid, err := s.c.AddFunc(spec, cmd)\n\treturn int(id), err\n}\n\nfunc (s *scheduler) Remove(id int) {\n}\n',
      'notify/post.go': 'package notify\n\nimport "net/http"\n\nfunc Post(url string) error {\n\t_, err := http.Post(url, "application/json", nil)\n\treturn err\n}\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'package cmd\n\nimport (\n\t"example.com/app/notify"\n\t"example.com/app/scheduler"\n)\n\nfunc run() {\n\ts := scheduler.GetInstance()\n\ts.Add("@every 1m", func() {})\n\ts.Remove(1)\n\tnotify.Post("u")\n}\n';
    const result = await analyzer.analyze(text, 'go', { project: { model, path: 'cmd/root.go' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}:${text.slice(0, s.range.start).split('\n').length}`), [
      'schedule:github.com/robfig/cron.Cron.AddFunc (through a project function):10',
      'http-call:net/http.Post (through a project function):12',
    ]);
    assert.deepEqual(result.findings.map((f) => f.rule), []);
  });
});

describe('Spring Boot configuration (host reader)', () => {
  const resources = path.join('/p', 'src', 'main', 'resources');
  const javaFile = path.join('/p', 'src', 'main', 'java', 'com', 'acme', 'A.java');
  const configOf = (files: Record<string, string>) => springConfigFor(
    javaFile,
    (file) => files[path.relative(resources, file).split(path.sep).join('/')],
    (dir) => Object.keys(files).filter((f) => path.join(resources, path.dirname(f)) === dir).map((f) => path.basename(f)),
  );

  it('flattens YAML by dotted key with relaxed names, and .properties wins over YAML in the same folder', () => {
    const config = configOf({
      'application.yml': 'spring:\n  kafka:\n    producer:\n      acks: 1\n      properties:\n        enable.idempotence: true\n',
      'application.properties': 'spring.kafka.producer.acks = all\n# spring.kafka.producer.retries=0\n',
    });
    const acks = springSetting(config, 'spring.kafka.producer.acks');
    assert.ok(acks !== undefined && acks !== 'unknown');
    assert.equal(acks.value, 'all');
    assert.equal(acks.entry.origin.line, 0);
    assert.equal(springSetting(config, 'spring.kafka.producer.retries'), undefined);
    const idempotence = springSetting(config, 'spring.kafka.producer.properties[enable.idempotence]');
    assert.ok(idempotence !== undefined && idempotence !== 'unknown');
    assert.equal(idempotence.value, true);
    const relaxed = springSetting(config, 'spring.kafka.producer.ACKS');
    assert.ok(relaxed !== undefined && relaxed !== 'unknown');
    assert.equal(relaxed.entry.key, 'spring.kafka.producer.acks');
  });

  it('a key a profile document or profile file sets is unknown; no file, no configuration; a file outside a java source root has none', () => {
    const config = configOf({
      'application.yml': 'a:\n  b: none\n---\nspring:\n  config:\n    activate:\n      on-profile: local\na:\n  c: none\n',
      'application-prod.properties': 'a.d=none\n',
    });
    assert.ok(typeof springSetting(config, 'a.b') === 'object');
    assert.equal(springSetting(config, 'a.c'), 'unknown');
    assert.equal(springSetting(config, 'a.d'), 'unknown');
    assert.equal(configOf({}), undefined);
    assert.equal(springConfigFor(path.join('/p', 'Main.java'), () => 'a: 1', () => ['application.yml']), undefined);
  });

  it('a placeholder with a default reads as its default; one without a default, or text around a placeholder, is unknown', () => {
    const config = configOf({
      'application.properties': 'r.backoff=${RETRY_BACKOFF:true}\nr.attempts = ${RETRY_ATTEMPTS:3}\nr.wait=${RETRY_WAIT}\nr.url=http://${HOST:localhost}/x\nr.plain=$5\n',
    });
    const backoff = springSetting(config, 'r.backoff');
    assert.ok(backoff !== undefined && backoff !== 'unknown');
    assert.equal(backoff.value, 'true');
    const attempts = springSetting(config, 'r.attempts');
    assert.ok(attempts !== undefined && attempts !== 'unknown');
    assert.equal(Number(attempts.value), 3);
    assert.equal(springSetting(config, 'r.wait'), 'unknown');
    assert.equal(springSetting(config, 'r.url'), 'unknown');
    const plain = springSetting(config, 'r.plain');
    assert.ok(plain !== undefined && plain !== 'unknown');
    assert.equal(plain.value, '$5');
  });
});

/** A Java source tree held in memory under `src/`: classes by package path, every file a possible @Bean file. */
function javaProject(files: Record<string, string>): ModuleResolver {
  return {
    resolve: () => undefined,
    read: (file) => files[file],
    display: (file) => file,
    javaClass: (_from, qualified) => {
      const file = `src/${qualified.split('.').join('/')}.java`;
      return files[file] === undefined ? undefined : file;
    },
    javaBeanFiles: () => Object.keys(files).filter((f) => files[f]?.includes('@Bean') === true).sort(),
    javaImplementations: (_from, simple) => Object.keys(files).filter((f) => new RegExp(`implements[^{]*\\b${simple}\\b`).test(files[f] ?? '')).sort(),
  };
}

describe('project model (Java)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('java');
  });

  const summaryOf = (text: string) => analyzer.summaries().get(text, 'java');
  const config = 'package a.config;\n\nimport org.springframework.context.annotation.Bean;\nimport org.springframework.web.client.RestTemplate;\n\npublic class Http {\n  @Bean\n  public RestTemplate partner() {\n    return new RestTemplate();\n  }\n\n  public int size() {\n    return 1;\n  }\n}\n';

  it('keeps a summary equal for an edit outside @Bean methods, and not for an edit to what a @Bean method builds', () => {
    const base = summaryOf(config);
    assert.ok(sameSummary(base, summaryOf(config.replace('return 1;', 'int n = 2;\n    return n;'))));
    assert.ok(sameSummary(base, summaryOf(`// Beans.\n${config}`)));
    assert.ok(!sameSummary(base, summaryOf(config.replace('new RestTemplate()', 'new RestTemplate(factory)'))));
    assert.deepEqual(base?.java?.beans.map((b) => [b.name, b.type, b.configured]), [['partner', 'RestTemplate', []]]);
  });

  it('reads a builder chain from an injected builder, a local configured after it is built, and a map of producer settings through a helper method', () => {
    const text = 'package a;\n\nimport org.springframework.context.annotation.Bean;\n\nclass C {\n  @Bean RestTemplate a(RestTemplateBuilder b) { return b.readTimeout(t).build(); }\n  @Bean RestTemplate b() { RestTemplate r = new RestTemplate(); r.setRequestFactory(f); return r; }\n  @Bean RestTemplate c() { RestTemplate r = new RestTemplate(); customize(r); return r; }\n  @Bean ProducerFactory<String, String> p() { return new DefaultKafkaProducerFactory<>(props()); }\n  Map<String, Object> props() { Map<String, Object> m = new HashMap<>(); m.put(ProducerConfig.ACKS_CONFIG, "0"); m.put("retries", n); return m; }\n}\n';
    const beans = summaryOf(text)?.java?.beans ?? [];
    assert.deepEqual(beans.map((b) => b.configured), [['<injected>', 'build', 'readTimeout'], ['setRequestFactory'], 'unknown', ['<init>']]);
    assert.deepEqual(beans[3]?.settings, { acks: '0', retries: '?' });
  });

  it('gives an injected field the one bean of its type, by @Qualifier, @Primary or name among several, and nothing when it cannot choose', async () => {
    const two = config.replace('  public int size()', '  @Bean\n  public RestTemplate timed(RestTemplateBuilder b) {\n    return b.connectTimeout(t).build();\n  }\n\n  public int size()');
    const client = (field: string) => `package a.b;\n\nimport org.springframework.beans.factory.annotation.Autowired;\nimport org.springframework.beans.factory.annotation.Qualifier;\nimport org.springframework.web.client.RestTemplate;\n\nclass Client {\n  ${field}\n\n  void go() {\n    http.getForObject("u", String.class);\n  }\n}\n`;
    const findings = async (files: Record<string, string>, field: string): Promise<string[]> => {
      const model = analyzer.projectModel(javaProject(files));
      const result = await analyzer.analyze(client(field), 'java', { project: { model, path: 'src/a/b/Client.java' } });
      return result.findings.map((f) => `${f.rule}:${client(field).slice(0, f.range.start).split('\n').length}`);
    };
    assert.deepEqual(await findings({ 'src/a/config/Http.java': config }, '@Autowired RestTemplate http;'), ['http-timeout:11']);
    assert.deepEqual(await findings({ 'src/a/config/Http.java': two }, '@Autowired RestTemplate http;'), []);
    assert.deepEqual(await findings({ 'src/a/config/Http.java': two }, '@Autowired @Qualifier("partner") RestTemplate http;'), ['http-timeout:11']);
    assert.deepEqual(await findings({ 'src/a/config/Http.java': two }, '@Autowired @Qualifier("timed") RestTemplate http;'), []);
    assert.deepEqual(await findings({ 'src/a/config/Http.java': two.replace('@Bean\n  public RestTemplate partner', '@Bean\n  @Primary\n  public RestTemplate partner') }, '@Autowired RestTemplate http;'), ['http-timeout:11']);
    // A field that Spring does not inject holds no bean.
    assert.deepEqual(await findings({ 'src/a/config/Http.java': config }, 'RestTemplate http;'), []);
  });
  it('a project interface that extends one library interface stands for it, one that extends two for nothing', async () => {
    const facade = (extended: string) => `package a.events;\n\nimport io.eventuate.tram.events.publisher.DomainEventPublisherForAggregate;\nimport java.io.Closeable;\n\npublic interface OrderEvents extends ${extended} {\n}\n`;
    const service = 'package a.orders;\n\nimport a.events.OrderEvents;\n\nclass Orders {\n  private final OrderEvents events;\n\n  void place(Order order) {\n    events.publish(order, new OrderPlaced());\n  }\n}\n';
    const signals = async (extended: string): Promise<string[]> => {
      const model = analyzer.projectModel(javaProject({ 'src/a/events/OrderEvents.java': facade(extended) }));
      const result = await analyzer.analyze(service, 'java', { project: { model, path: 'src/a/orders/Orders.java' } });
      return result.signals.map((s) => `${s.kind} ${s.api}`);
    };
    assert.deepEqual(await signals('DomainEventPublisherForAggregate<Order, Long, OrderEvent>'), ['enqueue io.eventuate.tram.events.publisher.DomainEventPublisherForAggregate.publish']);
    assert.deepEqual(await signals('DomainEventPublisherForAggregate<Order, Long, OrderEvent>, Closeable'), []);
  });
  it('a call of a project interface whose one implementation sends mail is a notify signal; several implementations, another method or a class that sends nothing are not', async () => {
    const api = 'package a.mail;\n\npublic interface EmailService {\n  void send(String to);\n  void audit(String to);\n}\n';
    const impl = (sender: string) => `package a.mail;\n\nimport org.springframework.mail.javamail.JavaMailSender;\nimport a.log.Journal;\n\npublic class EmailServiceImpl implements EmailService {\n  private ${sender} mailSender;\n\n  public void send(String to) {\n    mailSender.send(to);\n  }\n\n  public void audit(String to) {\n  }\n}\n`;
    const other = 'package a.mail;\n\npublic class QuietEmailService implements EmailService {\n  public void send(String to) {\n  }\n\n  public void audit(String to) {\n  }\n}\n';
    const caller = 'package a.jobs;\n\nimport a.mail.EmailService;\nimport org.springframework.beans.factory.annotation.Autowired;\n\nclass Notices {\n  @Autowired\n  private EmailService emailService;\n\n  void run(String to) {\n    emailService.send(to);\n    emailService.audit(to);\n  }\n}\n';
    const signals = async (files: Record<string, string>): Promise<string[]> => {
      const model = analyzer.projectModel(javaProject({ 'src/a/mail/EmailService.java': api, ...files }));
      const result = await analyzer.analyze(caller, 'java', { project: { model, path: 'src/a/jobs/Notices.java' } });
      return result.signals.map((s) => `${s.kind} ${s.api} ${caller.slice(0, s.range.start).split('\n').length}`);
    };
    assert.deepEqual(await signals({ 'src/a/mail/EmailServiceImpl.java': impl('JavaMailSender') }), ['notify org.springframework.mail.javamail.JavaMailSender.send (through a project function) 11']);
    assert.deepEqual(await signals({ 'src/a/mail/EmailServiceImpl.java': impl('JavaMailSender'), 'src/a/mail/QuietEmailService.java': other }), []);
    assert.deepEqual(await signals({ 'src/a/mail/EmailServiceImpl.java': impl('Journal') }), []);
  });
  it('an interface implemented more than eight times is no wrapper (a call through it cannot say which one runs, and reading them all is what made large projects slow); eight sending implementations are', async () => {
    const api = 'package a.mail;\n\npublic interface EmailService {\n  void send(String to);\n}\n';
    const impl = (n: number) => `package a.mail;\n\nimport org.springframework.mail.javamail.JavaMailSender;\n\npublic class Mailer${n} implements EmailService {\n  private JavaMailSender mailSender;\n\n  public void send(String to) {\n    mailSender.send(to);\n  }\n}\n`;
    const caller = 'package a.jobs;\n\nimport a.mail.EmailService;\n\nclass Notices {\n  private EmailService emailService;\n\n  void run(String to) {\n    emailService.send(to);\n  }\n}\n';
    const signals = async (count: number): Promise<string[]> => {
      const files: Record<string, string> = { 'src/a/mail/EmailService.java': api };
      for (let n = 1; n <= count; n++) files[`src/a/mail/Mailer${n}.java`] = impl(n);
      const model = analyzer.projectModel(javaProject(files));
      const result = await analyzer.analyze(caller, 'java', { project: { model, path: 'src/a/jobs/Notices.java' } });
      return result.signals.map((s) => `${s.kind} ${s.api}`);
    };
    assert.deepEqual(await signals(8), ['notify org.springframework.mail.javamail.JavaMailSender.send (through a project function)']);
    assert.deepEqual(await signals(9), []);
  });
  it('a project class whose method sends through a project interface (every implementation sending SMS) sends where it is called, and a @Transactional write before it is a dual-write; a stub implementation or a class that sends nothing are neither', async () => {
    const sender = 'package a.notify;\n\npublic interface SmsSender {\n  void sendWithTemplate(String to);\n}\n';
    const tencent = 'package a.notify;\n\nimport com.github.qcloudsms.SmsSingleSender;\n\npublic class TencentSmsSender implements SmsSender {\n  private SmsSingleSender sender;\n\n  public void sendWithTemplate(String to) {\n    sender.sendWithParam("86", to, 1, null, "", "", "");\n  }\n}\n';
    const stub = 'package a.notify;\n\npublic class StubSmsSender implements SmsSender {\n  public void sendWithTemplate(String to) {\n  }\n}\n';
    const service = 'package a.notify;\n\npublic class NotifyService {\n  private SmsSender smsSender;\n\n  public void notifySms(String to) {\n    if (smsSender != null) {\n      doSend(to);\n    }\n  }\n\n  private void doSend(String to) {\n    smsSender.sendWithTemplate(to);\n  }\n\n  public String template() {\n    return "t";\n  }\n}\n';
    const caller = 'package a.orders;\n\nimport a.notify.NotifyService;\nimport org.springframework.beans.factory.annotation.Autowired;\nimport org.springframework.transaction.annotation.Transactional;\n\nclass Orders {\n  @Autowired\n  private NotifyService notifyService;\n  @Autowired\n  private OrderMapper orderMapper;\n\n  @Transactional\n  public void pay(String to) {\n    orderMapper.updateById(to);\n    notifyService.notifySms(to);\n    notifyService.template();\n  }\n}\n';
    const run = async (files: Record<string, string>): Promise<string[]> => {
      const model = analyzer.projectModel(javaProject({ 'src/a/notify/SmsSender.java': sender, 'src/a/notify/NotifyService.java': service, ...files }));
      const result = await analyzer.analyze(caller, 'java', { project: { model, path: 'src/a/orders/Orders.java' } });
      const line = (start: number): number => caller.slice(0, start).split('\n').length;
      return [...result.signals.map((s) => `${s.kind} ${s.api} ${line(s.range.start)}`), ...result.findings.map((f) => `${f.rule} ${line(f.range.start)}`)];
    };
    assert.deepEqual(await run({ 'src/a/notify/TencentSmsSender.java': tencent }), [
      'notify com.github.qcloudsms.SmsSingleSender.sendWithParam (through a project function) 16',
      'dual-write 16',
    ]);
    assert.deepEqual(await run({ 'src/a/notify/TencentSmsSender.java': tencent, 'src/a/notify/StubSmsSender.java': stub }), []);
    assert.deepEqual(await run({}), []);
  });
});
