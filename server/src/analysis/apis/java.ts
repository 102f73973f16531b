import type { CallFact } from '../facts/types.js';
import type { SignalKind } from '../types.js';
import { JAVA_LIBRARY_APIS } from './java-libraries.js';
import { PROJECT_SENDER } from '../project/types.js';
import { WRAPPED_KINDS } from './wrapped.js';

/**
 * Java APIs (canonical names, as the Java facts resolve them: the class's fully qualified name,
 * then the method) and the signal each one is. Annotations are named by their type alone.
 */
const REST_TEMPLATE = 'org.springframework.web.client.RestTemplate';
const REST_TEMPLATE_METHODS = [
  'getForObject', 'getForEntity', 'postForObject', 'postForEntity', 'postForLocation', 'put', 'patchForObject',
  'delete', 'exchange', 'execute', 'headForHeaders', 'optionsForAllow',
];
const WEB_CLIENT = 'org.springframework.web.reactive.function.client.WebClient';
export const URL_OPEN_CONNECTION = 'java.net.URL.openConnection';
const STRIPE_CREATES = [
  'PaymentIntent', 'Charge', 'Refund', 'Customer', 'Subscription', 'Transfer', 'Payout', 'Invoice', 'SetupIntent', 'checkout.Session',
].map((model) => `com.stripe.model.${model}.create`);

export const JAVA_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  [REST_TEMPLATE, 'http-call'],
  ...REST_TEMPLATE_METHODS.map((m): [string, SignalKind] => [`${REST_TEMPLATE}.${m}`, 'http-call']),
  ['org.springframework.boot.web.client.RestTemplateBuilder', 'http-call'],
  ['org.springframework.boot.restclient.RestTemplateBuilder', 'http-call'],
  [`${WEB_CLIENT}.create`, 'http-call'],
  [`${WEB_CLIENT}.builder`, 'http-call'],
  // A request started on a WebClient, wherever the client was built (an injected bean included).
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'method'].map((m): [string, SignalKind] => [`${WEB_CLIENT}.${m}`, 'http-call']),
  ['org.springframework.web.client.RestClient.create', 'http-call'],
  ['org.springframework.web.client.RestClient.builder', 'http-call'],
  ['java.net.http.HttpClient.newHttpClient', 'http-call'],
  ['java.net.http.HttpClient.newBuilder', 'http-call'],
  ['java.net.http.HttpClient.send', 'http-call'],
  ['java.net.http.HttpClient.sendAsync', 'http-call'],
  ['reactor.netty.http.client.HttpClient.create', 'http-call'],
  // `(HttpURLConnection) url.openConnection()`: the JDK's own HTTP connection (only when cast so, below).
  [URL_OPEN_CONNECTION, 'http-call'],
  ['org.springframework.retry.annotation.Retryable', 'retry'],
  ['org.springframework.retry.annotation.Backoff', 'retry'],
  ['org.springframework.retry.support.RetryTemplate', 'retry'],
  ['org.springframework.retry.support.RetryTemplate.builder', 'retry'],
  ['org.springframework.resilience.annotation.Retryable', 'retry'],
  ['io.github.resilience4j.retry.annotation.Retry', 'retry'],
  ['io.github.resilience4j.retry.Retry.of', 'retry'],
  ['io.github.resilience4j.retry.Retry.ofDefaults', 'retry'],
  ['io.github.resilience4j.retry.RetryConfig.custom', 'retry'],
  ['io.github.resilience4j.core.IntervalFunction.ofExponentialBackoff', 'retry'],
  ['io.github.resilience4j.core.IntervalFunction.ofExponentialRandomBackoff', 'retry'],
  // spring-retry's back-off policies for a RetryTemplate, and spring-kafka's error handler with Spring's BackOff.
  ['org.springframework.retry.backoff.FixedBackOffPolicy', 'retry'],
  ['org.springframework.retry.backoff.ExponentialBackOffPolicy', 'retry'],
  ['org.springframework.retry.backoff.ExponentialRandomBackOffPolicy', 'retry'],
  ['org.springframework.kafka.listener.DefaultErrorHandler', 'retry'],
  ['org.springframework.util.backoff.FixedBackOff', 'retry'],
  ['org.springframework.util.backoff.ExponentialBackOff', 'retry'],
  // An OpenFeign client interface: each of its methods is an HTTP call (a fallback makes it a breaker, below).
  ['org.springframework.cloud.openfeign.FeignClient', 'http-call'],
  ['org.springframework.retry.annotation.CircuitBreaker', 'circuit-breaker'],
  ['io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker', 'circuit-breaker'],
  ['io.github.resilience4j.circuitbreaker.CircuitBreaker.of', 'circuit-breaker'],
  ['io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults', 'circuit-breaker'],
  ['io.github.resilience4j.bulkhead.annotation.Bulkhead', 'circuit-breaker'],
  ['io.github.resilience4j.bulkhead.Bulkhead.of', 'circuit-breaker'],
  ['io.github.resilience4j.bulkhead.Bulkhead.ofDefaults', 'circuit-breaker'],
  ['org.springframework.kafka.annotation.KafkaListener', 'consumer'],
  ['org.springframework.amqp.rabbit.annotation.RabbitListener', 'consumer'],
  ['org.springframework.jms.annotation.JmsListener', 'consumer'],
  ['io.awspring.cloud.sqs.annotation.SqsListener', 'consumer'],
  ['io.awspring.cloud.messaging.listener.annotation.SqsListener', 'consumer'],
  ['org.apache.kafka.clients.consumer.KafkaConsumer', 'consumer'],
  ['org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer', 'consumer'],
  ['org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer', 'consumer'],
  ['org.apache.kafka.clients.consumer.KafkaConsumer.poll', 'consumer'],
  ['org.apache.kafka.clients.consumer.Consumer.poll', 'consumer'],
  ['org.springframework.amqp.core.Queue', 'queue-config'],
  ['org.springframework.amqp.core.QueueBuilder.durable', 'queue-config'],
  ['org.springframework.amqp.core.QueueBuilder.nonDurable', 'queue-config'],
  ['org.apache.kafka.clients.producer.KafkaProducer', 'enqueue'],
  ['org.apache.kafka.clients.producer.KafkaProducer.send', 'enqueue'],
  // A producer held by its interface type (`Producer<K, V> producer`), as most code that injects one does.
  ['org.apache.kafka.clients.producer.Producer.send', 'enqueue'],
  ['org.springframework.kafka.core.KafkaTemplate.send', 'enqueue'],
  ['org.springframework.kafka.core.KafkaTemplate.sendDefault', 'enqueue'],
  ['org.springframework.amqp.rabbit.core.RabbitTemplate.convertAndSend', 'enqueue'],
  ['org.springframework.amqp.rabbit.core.RabbitTemplate.send', 'enqueue'],
  ['org.springframework.amqp.core.AmqpTemplate.convertAndSend', 'enqueue'],
  ['org.springframework.amqp.core.AmqpTemplate.send', 'enqueue'],
  ['org.springframework.jms.core.JmsTemplate.convertAndSend', 'enqueue'],
  ['org.springframework.jms.core.JmsTemplate.send', 'enqueue'],
  ['org.springframework.scheduling.annotation.Scheduled', 'schedule'],
  ['net.javacrumbs.shedlock.spring.annotation.SchedulerLock', 'lock'],
  ['net.javacrumbs.shedlock.core.SchedulerLock', 'lock'],
  ['org.springframework.mail.javamail.JavaMailSender.send', 'notify'],
  ['org.springframework.mail.MailSender.send', 'notify'],
  ['jakarta.mail.Transport.send', 'notify'],
  ['javax.mail.Transport.send', 'notify'],
  ['com.twilio.rest.api.v2010.account.MessageCreator.create', 'notify'],
  ['com.sendgrid.SendGrid.api', 'notify'],
  ...STRIPE_CREATES.map((api): [string, SignalKind] => [api, 'payment']),
  ...JAVA_LIBRARY_APIS,
]);

/**
 * Classes a wildcard import (`import org.springframework.retry.annotation.*;`) can bring in: the
 * classes of the table above, and the types the facts and rules follow (builders, configuration
 * keys). A simple name from a wildcard import resolves only to one of these, so an unrelated class
 * of the same name from another package never becomes a signal.
 */
export const JAVA_KNOWN_CLASSES: ReadonlySet<string> = new Set([
  ...[...JAVA_APIS.keys()].map(classOf),
  'java.net.http.HttpRequest',
  'java.time.Duration',
  'java.util.Properties',
  'java.util.HashMap',
  'java.util.LinkedHashMap',
  'java.util.Map',
  'org.apache.kafka.clients.producer.ProducerConfig',
  'org.springframework.http.client.reactive.ReactorClientHttpConnector',
  'com.stripe.net.RequestOptions',
  'org.springframework.retry.policy.AlwaysRetryPolicy',
  'io.github.resilience4j.retry.RetryConfig',
  'org.springframework.web.client.RestClient',
  'org.springframework.boot.web.client.RestTemplateBuilder',
  'org.apache.kafka.clients.consumer.ConsumerConfig',
  'org.apache.kafka.clients.CommonClientConfigs',
  'org.springframework.amqp.core.AcknowledgeMode',
  'org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory',
  'org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory',
  'org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer',
  'org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer',
  'org.springframework.transaction.annotation.Transactional',
  'org.springframework.transaction.event.TransactionalEventListener',
  'jakarta.transaction.Transactional',
  'javax.transaction.Transactional',
  'jakarta.persistence.EntityManager',
  'javax.persistence.EntityManager',
  'org.springframework.jdbc.core.JdbcTemplate',
  'org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate',
  'java.util.concurrent.ExecutorService',
  'java.util.concurrent.Executor',
  'java.util.concurrent.CompletableFuture',
  'com.twilio.rest.api.v2010.account.Message',
  'org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory',
  'org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory',
  'org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory',
  'org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory',
]);

/** The class part of a canonical name: up to and including the first capitalised segment (nested classes aside). */
function classOf(api: string): string {
  const parts = api.split('.');
  const index = parts.findIndex((p) => /^[A-Z]/.test(p));
  return index < 0 ? api : parts.slice(0, index + 1).join('.');
}

/**
 * The signal a Java call is: the table's, except that an OpenFeign client given a `fallback` (or
 * `fallbackFactory`) is a circuit breaker, whose fallback answers when calls fail or the circuit is open.
 */
export function javaSignalKind(call: CallFact): SignalKind | undefined {
  // A project class's method that wraps a library call (java-senders.ts) is a signal of that call's kind.
  if (call.api.startsWith(PROJECT_SENDER)) {
    const kind = JAVA_APIS.get(call.api.slice(PROJECT_SENDER.length));
    return kind !== undefined && WRAPPED_KINDS.has(kind) ? kind : undefined;
  }
  if (call.api === 'org.springframework.cloud.openfeign.FeignClient' && (call.args?.keywords.has('fallback') === true || call.args?.keywords.has('fallbackFactory') === true)) return 'circuit-breaker';
  if (call.api === URL_OPEN_CONNECTION && !castToHttpConnection(call)) return undefined;
  return JAVA_APIS.get(call.api);
}

/**
 * Whether `url.openConnection()` is cast to `HttpURLConnection` (or `HttpsURLConnection`): a URL
 * may name a file or a jar entry too, and the cast is how code says it opened an HTTP exchange.
 */
export function castToHttpConnection(call: CallFact): boolean {
  let parent = call.node.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  return parent?.type === 'cast_expression' && /(?:^|\.)Https?URLConnection$/.test(parent.childForFieldName('type')?.text ?? '');
}
