import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { sendsNotification, signalKindOf } from '../../signals.js';
import { guarded, type GuardSyntax } from '../common/guards.js';
import { element, hasElement, javaNumber } from '../common/java.js';
import { calleeRange, callsWithin, type RawFinding, type RuleContext } from '../rule.js';

/**
 * notify-in-retried-task in Java: an email, SMS or webhook sent from a method that runs again
 * after a failure, with no idempotency guard before the send.
 *
 * Retried: spring-retry `@Retryable` (3 attempts by default; not `maxAttempts = 1`), Spring
 * Framework 7 `@Retryable` (not `maxRetries = 0`), Resilience4j `@Retry`, the callback of a
 * `RetryTemplate.execute`, and listeners whose container redelivers by default: `@KafkaListener`
 * (Spring Kafka's `DefaultErrorHandler` tries a record 10 times) and `@RabbitListener` (a listener
 * that throws has its message rejected and requeued), unless `ackMode = "NONE"`, or the listener
 * names its own `containerFactory` or `errorHandler`, whose retries the file cannot show. The
 * default factory can be configured elsewhere too, which is one reason this is information only.
 *
 * Sends: `JavaMailSender`/`MailSender.send`, Jakarta Mail `Transport.send`, Twilio
 * `Message.creator(...).create()`, SendGrid `api(...)`, and an HTTP request that delivers a webhook
 * (`isWebhookRequest`: its URL is named for a webhook, or it is made in a webhook sender). A guard,
 * as in the Python check, is an `if` before the send (or around it) whose condition reads a
 * sent-marker (`existsBy...`, `setIfAbsent`, `putIfAbsent`, `add`, or a name such as
 * `alreadySent`) and whose body returns or throws. No fix (chapter 12).
 */
const GUARD_METHODS = /^(?:exists|setIfAbsent|putIfAbsent|add|tryLock|tryAcquire|insertIfAbsent)/;

export function checkJava(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const { scope, what: code, why } of retriedScopes(facts)) {
    for (const send of callsWithin(facts, scope)) {
      if (send.decorator !== undefined) continue;
      const what = sendKind(facts, send);
      if (what === undefined || guarded(JAVA_GUARDS, scope, send.node)) continue;
      findings.push({
        range: calleeRange(send),
        message: `\`${callee(send)}\` sends ${what} from ${code} that is retried (${why}) with no idempotency guard before it: a retry after the send notifies again.`,
        fixes: [],
      });
    }
  }
  return findings;
}

function sendKind(facts: FileFacts, call: CallFact): string | undefined {
  if (signalKindOf(facts.language, call) === 'notify') return call.api.startsWith('com.twilio.') ? 'an SMS' : 'an email';
  // A request that delivers a webhook, read off the tree as every language reads it: a URL that
  // only mentions hooks inside a string, or a comment, is no delivery.
  return sendsNotification(facts.language, call) ? 'a webhook' : undefined;
}

/** The code of this file that runs again after a failure: method bodies and retry callbacks, with the reason. */
function retriedScopes(facts: FileFacts): { scope: Node; what: string; why: string }[] {
  const found: { scope: Node; what: string; why: string }[] = [];
  for (const call of facts.calls) {
    const method = call.decorator?.functionNode;
    const body = method?.type === 'method_declaration' ? method.childForFieldName('body') : null;
    const why = body == null ? undefined : retryReason(call);
    // A method with several retrying annotations is one scope, reported once.
    if (body != null && why !== undefined && !found.some((f) => f.scope.id === body.id)) found.push({ scope: body, what: 'a method', why });
    if (call.api === 'org.springframework.retry.support.RetryTemplate.execute') {
      const callback = call.args?.positional[0];
      if (callback?.kind === 'function') found.push({ scope: callback.node, what: 'a callback', why: '`RetryTemplate.execute`' });
    }
  }
  return found;
}

function retryReason(annotation: CallFact): string | undefined {
  switch (annotation.api) {
    case 'org.springframework.retry.annotation.Retryable':
      return (javaNumber(element(annotation.args, 'maxAttempts')?.value) ?? 3) > 1 ? '`@Retryable`' : undefined;
    case 'org.springframework.resilience.annotation.Retryable':
      return javaNumber(element(annotation.args, 'maxRetries')?.value) === 0 ? undefined : '`@Retryable`';
    case 'io.github.resilience4j.retry.annotation.Retry':
      return 'Resilience4j `@Retry`';
    case 'org.springframework.kafka.annotation.KafkaListener':
      return configuredElsewhere(annotation) ? undefined : '`@KafkaListener`: the default error handler delivers a failed record 10 times';
    case 'org.springframework.amqp.rabbit.annotation.RabbitListener':
      return configuredElsewhere(annotation) || element(annotation.args, 'ackMode')?.value.text === '"NONE"'
        ? undefined : '`@RabbitListener`: a listener that throws has its message requeued';
    default:
      return undefined;
  }
}

/** A listener that names its own container factory or error handler: what a failure does is decided there. */
function configuredElsewhere(listener: CallFact): boolean {
  return hasElement(listener.args, 'containerFactory', 'errorHandler');
}

/** Java's guards: a call that claims or looks up a marker (`existsByOrderId`, `setIfAbsent`). */
export const JAVA_GUARDS: GuardSyntax = {
  isMarkerCheck: (n) => n.type === 'method_invocation' && GUARD_METHODS.test(n.childForFieldName('name')?.text ?? ''),
  leaving: new Set(['return_statement', 'throw_statement']),
  nested: new Set(['lambda_expression', 'class_body']),
};

/** `mailSender.send`, `this.mailSender.send`, or `Message.creator(...).create` for a chain. */
function callee(call: CallFact): string {
  const object = call.node.childForFieldName('object');
  const name = call.node.childForFieldName('name')?.text ?? call.api;
  if (object?.type === 'identifier' || object?.type === 'field_access') return `${object.text}.${name}`;
  return object?.type === 'method_invocation' ? `${callee({ ...call, node: object })}(...).${name}` : name;
}
