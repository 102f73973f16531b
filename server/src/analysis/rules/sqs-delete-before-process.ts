import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkJavaScript } from './sqs-delete-before-process/javascript.js';
import { checkPython } from './sqs-delete-before-process/python.js';

/**
 * sqs-delete-before-process — sQS message deleted before it is processed: a crash after the delete loses it.
 *
 * Flags: boto3 and AWS SDK `delete_message` / `DeleteMessageCommand` issued before the handler ran.
 * Why it matters: once deleted, a message cannot come back; if the processing that follows fails, nothing redelivers it (chapter 9, R9.3).
 *
 * Each language's check lives in `sqs-delete-before-process/<language>.ts` and is registered below.
 */
export const sqsDeleteBeforeProcess: Rule = defineRule(
  {
    id: 'sqs-delete-before-process',
    ruleRef: 'R9.3',
    chapter: 9,
    description: 'SQS message deleted before it is processed: a crash after the delete loses it.',
    defaultSeverity: 'warning',
    fix: 'none',
  },
  {
    python: checkPython,
    ...forJavaScript(checkJavaScript),
  },
  { python: LOCAL, ...forJavaScript(LOCAL) },
);
