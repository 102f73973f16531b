import { checkGo } from './notify-in-retried-task/go.js';
import { checkJava } from './notify-in-retried-task/java.js';
import { checkJavaScript } from './notify-in-retried-task/javascript.js';
import { checkPython } from './notify-in-retried-task/python.js';
import { defineRule, forJavaScript, type Rule, LOCAL } from './rule.js';
import { checkRuby } from './notify-in-retried-task/ruby.js';

/**
 * notify-in-retried-task — email, SMS or webhook sent from a task that retries, with no idempotency guard: each retry notifies again.
 *
 * Flags: smtplib, SendGrid, Twilio, nodemailer, ActionMailer, Go net/smtp, JavaMailSender and webhook sends inside tasks
 * with automatic retries (in Go, asynq handlers; in Java, retried methods and Spring listeners).
 * Why it matters: a task that fails after the send is retried and sends again; the recipient sees every duplicate (chapter 12, R12.1).
 *
 * Each language's check lives in `notify-in-retried-task/<language>.ts` and is registered below.
 */
export const notifyInRetriedTask: Rule = defineRule(
  {
    id: 'notify-in-retried-task',
    ruleRef: 'R12.1',
    chapter: 12,
    description: 'Email, SMS or webhook sent from a task that retries, with no idempotency guard: each retry notifies again.',
    defaultSeverity: 'info',
    fix: 'none',
  },
  {
    python: checkPython,
    ruby: checkRuby,
    java: checkJava,
    ...forJavaScript(checkJavaScript),
    go: checkGo,
  },
  { python: LOCAL, ruby: LOCAL, java: LOCAL, ...forJavaScript(LOCAL), go: { moduleAssignments: true } },
);
