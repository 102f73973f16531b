import { defineRule, forJavaScript, type Rule, LOCAL, type FileWideReads } from './rule.js';
import { REJECTS } from './queue-no-dead-letter/consumers.js';
import { checkJava } from './queue-no-dead-letter/java.js';
import { checkJavaScript } from './queue-no-dead-letter/javascript.js';
import { checkPython } from './queue-no-dead-letter/python.js';
import { checkRuby } from './queue-no-dead-letter/ruby.js';

/**
 * queue-no-dead-letter — queue declared with no dead-letter target: a poison message is redelivered forever or dropped silently.
 *
 * Flags: pika `queue_declare`, amqplib `assertQueue` and Spring AMQP `Queue`/`QueueBuilder` without a dead-letter exchange,
 * SQS `create_queue` without a `RedrivePolicy`, Sidekiq `sidekiq_options dead: false`.
 * Why it matters: a message that always fails cycles through the consumers forever, or is dropped with no trace; a
 * dead-letter target keeps it for inspection and replay (chapter 8, R8.1).
 *
 * Each language's check lives in `queue-no-dead-letter/<language>.ts` and is registered below.
 */
export const queueNoDeadLetter: Rule = defineRule(
  {
    id: 'queue-no-dead-letter',
    ruleRef: 'R8.1',
    chapter: 8,
    description: 'Queue declared with no dead-letter target: a poison message is redelivered forever or dropped silently.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  {
    python: checkPython,
    java: checkJava,
    ...forJavaScript(checkJavaScript),
    ruby: checkRuby,
  },
  {
    // A queue consumed in a file that rejects messages somewhere is not reported.
    python: { calls: [REJECTS] },
    java: LOCAL,
    ...forJavaScript<FileWideReads>({ calls: [REJECTS] }),
    ruby: LOCAL,
  },
);
