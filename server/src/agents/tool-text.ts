/**
 * What the tools say about themselves to a model, in one place: the MCP server sends these texts,
 * and package.json's `languageModelTools` repeats them (a unit test fails when the two drift).
 * A model decides from this text alone whether to call a tool, so each one names the work that
 * should trigger it (queues, workers, retries, timeouts, cron, webhooks, outbox, payments) and says
 * what comes back.
 */
export const TOOL_TEXT = {
  route:
    'Before writing or changing code that runs background tasks or jobs (Celery, BullMQ, Sidekiq, RQ, ActiveJob), ' +
    'consumes or publishes messages (SQS, Kafka, RabbitMQ), retries or times out calls to other services, runs on a ' +
    'schedule (cron, Kubernetes CronJob, Celery beat, @Scheduled), sends emails, SMS or webhooks, takes payments, or ' +
    'writes to a database and publishes an event (outbox), call this with the task in words and/or the files involved. ' +
    'It returns which chapters of the reliability book to read in order, the decision-matrix rows that apply with their ' +
    'first move, the findings in the given files, and the rules to apply (RULE and APPLY, with exact option names per ' +
    'framework; when the files use known frameworks, only their APPLY steps and the general ones), trimmed to a character ' +
    'budget with ids for the rest.',
  audit:
    'After changing code that involves queues, workers, retries, timeouts, cron jobs, webhooks, notifications, payments ' +
    'or a database write plus a publish, and before reporting the task done, call this on the changed files (or a folder). ' +
    'It runs the reliability analyzer and returns each finding with its rule id, line, the offending code and the quick ' +
    'fix as exact edits when one exists, then the self-audit checklist items (chapter 13) for the topics the files touch, ' +
    'marking which ones the findings fail and which ones still need checking by hand.',
  rule:
    'Returns one rule of the reliability book in full (RULE, WHY with its source, APPLY with per-framework option names ' +
    'and checked code examples) by its id, such as R5.1 or R12.1. Use it for rule ids cited by a finding, a route result or ' +
    'a code comment when the short form was not enough. Give `framework` (Celery, BullMQ, Sidekiq, requests, axios, ' +
    'Spring Kafka, net/http...) to keep only that framework\'s APPLY steps and the general ones.',
  chapter:
    'Returns a chapter of the reliability book as Markdown (1-13: delivery semantics, idempotency keys, retries and ' +
    'backoff, timeouts, circuit breakers, dead-letter queues, queues and workers, cron jobs, outbox and CDC, notifications ' +
    'and webhooks, self-audit checklist), or the table of contents with each chapter\'s load trigger when no number is ' +
    'given. Ask for part "rules" to get only the agent rules, and give `framework` (Celery, BullMQ, Sidekiq, requests, ' +
    'axios, Spring Kafka, net/http...) to keep only that framework\'s APPLY steps and the general ones.',
  map:
    'Before changing how background work is enqueued, retried or run on a schedule, call this for the project (or a ' +
    'folder of it) to see its task map: every task, job and consumer (Celery, RQ, dramatiq, huey, BullMQ, Sidekiq, ' +
    'Active Job, asynq, Spring Kafka and Rabbit listeners, kafkajs) with its effective retry, backoff, jitter, ' +
    'acknowledgement and queue settings and where each comes from (task option, base class, app configuration, ' +
    'framework default), every place that enqueues it (inside a transaction, after commit, with an idempotency key, from ' +
    'a web handler), the side effects of its body and of the helpers it calls (HTTP calls, emails, payments, database ' +
    'writes, enqueues), its findings, and the schedules that run it.',
  serverInstructions:
    'Task Reliability: a reference book on idempotency, retries, timeouts, queues, cron jobs, outbox and webhooks, and an ' +
    'analyzer that finds reliability mistakes in Python, JavaScript, TypeScript and Kubernetes YAML. Call `route` with the ' +
    'task before writing such code, read the chapters and rules it names, and call `audit` on the changed files before ' +
    'finishing.',
} as const;

/** The tools' names in VS Code (`contributes.languageModelTools`); the MCP server uses the short keys. */
export const VSCODE_TOOL_NAMES = {
  route: 'taskReliability_route',
  audit: 'taskReliability_audit',
  rule: 'taskReliability_rule',
  chapter: 'taskReliability_chapter',
  map: 'taskReliability_map',
} as const;
