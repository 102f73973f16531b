import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MapTask, TaskMap } from '../../server/src/analysis/map/types.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { projects } from '../helpers/project-report.js';

/** Runs `map` over a fixture project from its root and parses the JSON map. */
function mapOf(project: string, args: readonly string[] = []): TaskMap {
  const run = runCli(['map', '--format', 'json', ...args], path.join(projects, project));
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as TaskMap;
}

function taskOf(map: TaskMap, name: string): MapTask {
  const task = map.tasks.find((t) => t.name === name);
  assert.ok(task !== undefined, `${name} is in the map: ${map.tasks.map((t) => t.name).join(', ')}`);
  return task;
}

const sites = (task: MapTask): string[] => task.enqueuedFrom.map((s) => `${s.file}:${s.line}${s.inTransaction ? ' tx' : ''}${s.afterCommit ? ' after-commit' : ''}${s.idempotencyKey ? ' key' : ''}${s.fromHandler === true ? ' handler' : ''}`);
const effects = (task: MapTask): string[] => task.sideEffects.map((e) => `${e.kind} ${e.api}${e.via === undefined ? '' : ` via ${e.via.join('>')}`}`);
const sources = (task: MapTask): string[] => (task.sources ?? []).map((s) => `${s.setting}: ${s.from} ${s.file}:${s.line}`);

describe('task-reliability map (Python)', () => {
  const map = mapOf('map-python');

  it('carries retry from a base class in another module and acks_late from the app configured in a third', () => {
    const task = taskOf(map, 'charge_order');
    assert.deepEqual(task.retry, { maxAttempts: 6, backoff: 'exponential', jitter: true });
    assert.equal(task.acksLate, true);
    assert.equal(task.queue, 'payments');
    assert.deepEqual(sources(task), ['retry: base class shop/base.py:4', 'acksLate: app configuration shop/celeryconf.py:4', 'queue: task option shop/tasks.py:8']);
  });

  it('finds the callers of an imported task with their transaction context, and side effects two helpers deep', () => {
    const task = taskOf(map, 'charge_order');
    assert.deepEqual(sites(task), ['shop/views.py:10 tx handler', 'shop/views.py:14 after-commit handler']);
    // `charge(...)` and `notify_buyer(...)` are signals of their own (project functions that pay and send); the map follows them and names the helpers on the way.
    assert.deepEqual(effects(task), ['payment stripe.PaymentIntent.create via charge', 'notify django.core.mail.send_mail via charge>notify_buyer']);
    assert.deepEqual(task.findings.map((f) => `${f.rule} ${f.file}:${f.line}`), ['dual-write shop/views.py:10', 'payment-no-idempotency-key shop/helpers.py:10']);
  });

  it('counts every run (max_retries=3 is 4 runs), reads a task_id as a key, and joins a beat entry by registered name', () => {
    const task = taskOf(map, 'send_report');
    assert.deepEqual(task.retry, { maxAttempts: 4, backoff: 'fixed', jitter: null });
    assert.equal(task.acksLate, false);
    assert.deepEqual(sites(task), ['shop/views.py:18 key']);
    assert.deepEqual(map.schedules.map((s) => `${s.name} ${s.framework} ${s.schedule} -> ${s.task}`), ['nightly-report celery-beat crontab(hour=3, minute=0) -> send_report']);
  });
});

describe('task-reliability map (TypeScript)', () => {
  const map = mapOf('map-ts');

  it('joins queue.add to new Worker by queue name, through an imported queue, with the queue\'s defaultJobOptions', () => {
    const task = taskOf(map, 'email');
    assert.equal(task.framework, 'bullmq');
    assert.deepEqual(task.retry, { maxAttempts: 5, backoff: 'exponential', jitter: true });
    assert.deepEqual(sources(task), ['retry: defaultJobOptions src/queues.ts:4', 'queue: task option src/worker.ts:4']);
    assert.deepEqual(sites(task), ['src/routes.ts:11 tx handler', 'src/routes.ts:17 key']);
    assert.deepEqual(effects(task), ['notify nodemailer.Transporter.sendMail via sendWelcome']);
  });

  it('joins a kafkajs producer to the consumer of its topic', () => {
    const task = taskOf(map, 'orders');
    assert.equal(task.framework, 'kafkajs');
    assert.deepEqual(sites(task), ['src/orders.ts:17']);
    assert.deepEqual(effects(task), ['http-call fetch']);
  });
});

describe('task-reliability map (Ruby)', () => {
  const map = mapOf('map-ruby');

  it('counts Sidekiq retry: 5 as 6 runs and follows a helper method to a payment', () => {
    const task = taskOf(map, 'ChargeWorker');
    assert.deepEqual(task.retry, { maxAttempts: 6, backoff: 'exponential', jitter: true });
    assert.equal(task.queue, 'payments');
    assert.deepEqual(sites(task), ['app/controllers/orders_controller.rb:5 tx handler']);
    assert.deepEqual(effects(task), ['db-write ActiveRecord#update!', 'payment Stripe::PaymentIntent.create via charge']);
  });

  it('takes retry_on from ApplicationJob and names the job of a sidekiq-cron schedule file', () => {
    const task = taskOf(map, 'WelcomeJob');
    assert.deepEqual(task.retry, { maxAttempts: 4, backoff: 'exponential', jitter: null });
    assert.deepEqual(sources(task), ['retry: task option app/jobs/application_job.rb:2', 'queue: task option app/jobs/welcome_job.rb:2']);
    assert.deepEqual(sites(task), ['app/controllers/orders_controller.rb:7 handler']);
    assert.deepEqual(map.schedules.map((s) => `${s.name} ${s.framework} ${s.schedule} -> ${s.task}`), ['nightly_charges sidekiq-cron 0 3 * * * -> ChargeWorker']);
  });
});

describe('task-reliability map (SQS consumers and redash-style RQ decorators)', () => {
  it('joins a boto3 send_message to the function that receives from the same queue', () => {
    const task = taskOf(mapOf('map-python-sqs'), 'settings.ORDERS_QUEUE_URL');
    assert.equal(task.framework, 'sqs');
    assert.equal(`${task.file}:${task.line}`, 'shop/consumer.py:9');
    assert.deepEqual(sites(task), ['shop/checkout.py:9']);
    assert.deepEqual(effects(task), ['http-call requests.post']);
  });

  it('joins SendMessageCommand to a ReceiveMessageCommand loop and to an sqs-consumer handleMessage', () => {
    const map = mapOf('map-ts-sqs');
    const poller = taskOf(map, 'process.env.ORDERS_QUEUE_URL');
    assert.deepEqual([poller.file, sites(poller), effects(poller)], ['src/poller.ts', ['src/checkout.ts:6'], ['http-call fetch']]);
    const emails = taskOf(map, 'https://sqs.eu-west-1.amazonaws.com/123456789012/emails');
    assert.deepEqual([emails.file, sites(emails), effects(emails)], ['src/emails.ts', ['src/checkout.ts:7'], ['notify nodemailer.Transporter.sendMail']]);
  });

  it('follows an RQ job decorator made with functools.partial of a subclass of RQ\'s own, and its .delay callers', () => {
    const task = taskOf(mapOf('map-python-rq'), 'send_mail');
    assert.deepEqual([task.framework, task.queue, `${task.file}:${task.line}`, sites(task)], ['rq', 'emails', 'app/tasks.py:6', ['app/views.py:5']]);
  });
});

describe('task-reliability map (Go)', () => {
  const map = mapOf('map-go');

  it('joins asynq NewTask to HandleFunc by task type, with MaxRetry from the enqueues and the handler in another file of the package', () => {
    const task = taskOf(map, 'email:welcome');
    assert.deepEqual(task.retry, { maxAttempts: 4, backoff: 'exponential', jitter: true });
    assert.deepEqual(sites(task), ['api/signup.go:23 tx handler', 'api/signup.go:28 key']);
    assert.deepEqual(effects(task), ['notify net/smtp.SendMail via sendWelcome']);
    assert.deepEqual(map.schedules.map((s) => `${s.name} ${s.schedule} -> ${s.task}`), ['cleanup @hourly -> null']);
  });
});

describe('task-reliability map (Java)', () => {
  const map = mapOf('map-java');

  it('joins KafkaTemplate.send to @KafkaListener by topic, inside @Transactional', () => {
    const task = taskOf(map, 'orders');
    assert.deepEqual(task.retry, { maxAttempts: 10, backoff: 'none', jitter: null });
    assert.deepEqual(sites(task), ['src/main/java/shop/OrderService.java:20 tx']);
    assert.deepEqual(effects(task), ['db-write paymentRepository.save']);
  });

  it('joins RabbitTemplate.convertAndSend to @RabbitListener by queue, from a @PostMapping handler, and lists @Scheduled', () => {
    const task = taskOf(map, 'emails');
    assert.equal(task.retry, null);
    assert.deepEqual(sites(task), ['src/main/java/shop/SignupController.java:19 handler']);
    assert.deepEqual(map.schedules.map((s) => `${s.name} ${s.schedule}`), ['SignupController.nightly 0 0 3 * * *']);
  });

  it('follows a listener into its own methods and into the methods of an injected field\'s class', () => {
    const task = taskOf(mapOf('map-java-helpers'), 'orders');
    assert.deepEqual(task.sideEffects.map((e) => `${e.kind} ${e.api} ${e.file}:${e.line} via ${(e.via ?? []).join('>')}`), [
      'http-call org.springframework.web.client.RestTemplate.postForEntity src/main/java/shop/PaymentClient.java:11 via PaymentClient.charge',
      'http-call org.springframework.web.client.RestTemplate.postForObject src/main/java/shop/OrderListener.java:23 via OrderListener.notifyWarehouse',
    ]);
  });

  it('puts an @SqsListener method on the map as the consumer of its queue', () => {
    const task = taskOf(mapOf('map-java-helpers'), 'receipts');
    assert.equal(task.framework, 'spring-sqs');
    assert.deepEqual(effects(task), ['http-call org.springframework.web.client.RestTemplate.postForObject']);
  });
});

describe('task-reliability map formats', () => {
  it('prints Markdown by default and dot on request: callers → tasks → side effects', () => {
    const cwd = path.join(projects, 'map-ts');
    const markdown = runCli(['map'], cwd);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /^# Task map/);
    assert.match(markdown.stdout, /\| `email` \| bullmq \| src\/worker\.ts:4 \|/);
    const dot = runCli(['map', '--format', 'dot'], cwd);
    assert.equal(dot.code, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph tasks \{/);
    assert.match(dot.stdout, /"site:src\/routes\.ts:11" -> "task:bullmq:email" \[color=red, label="in transaction"\];/);
    assert.match(dot.stdout, /"task:bullmq:email" -> "effect:notify:nodemailer\.Transporter\.sendMail" \[label="via sendWelcome"\];/);
  });

  it('finds the root like check does: from a subfolder, paths stay relative to the project root', () => {
    const run = runCli(['map', 'shop', '--format', 'json'], path.join(projects, 'map-python'));
    assert.equal(run.code, 0, run.stderr);
    const map = JSON.parse(run.stdout) as TaskMap;
    assert.deepEqual(map.tasks.map((t) => `${t.file}:${t.line}`), ['shop/tasks.py:8', 'shop/tasks.py:13']);
  });

  it('says when example and test code was left out, and names --test-code, which maps it', () => {
    const workspace = makeWorkspace({
      'pyproject.toml': '[project]\nname = "demo"\n',
      'examples/celery_demo.py': 'from celery import shared_task\n\n\n@shared_task\ndef send_demo(to):\n    print(to)\n',
    });
    try {
      const left = runCli(['map', 'examples'], workspace.root);
      assert.equal(left.code, 0, left.stderr);
      assert.match(left.stdout, /No tasks or schedules found\. 1 test and example file was left out: `--test-code report` maps them too\./);
      const json = runCli(['map', 'examples', '--format', 'json'], workspace.root);
      assert.deepEqual((JSON.parse(json.stdout) as TaskMap).tasks, []);
      assert.match(json.stderr, /left out: `--test-code report`/);
      const mapped = runCli(['map', 'examples', '--test-code', 'report', '--format', 'json'], workspace.root);
      assert.deepEqual((JSON.parse(mapped.stdout) as TaskMap).tasks.map((t) => `${t.name} ${t.file}`), ['send_demo examples/celery_demo.py']);
    } finally {
      workspace.remove();
    }
  });

  it('rejects a path that is not there with exit code 2 and a message', () => {
    const run = runCli(['map', 'no-such-folder'], path.join(projects, 'map-ts'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no-such-folder/);
  });
});
