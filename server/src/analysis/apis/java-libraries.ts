import type { SignalKind } from '../types.js';

/**
 * Java libraries beside the Spring and Kafka clients of `java.ts`: Eventuate Tram's domain event
 * publishers and xxl-job's job handlers. Canonical names as the Java facts resolve them.
 */
const EVENTUATE_PUBLISHER = 'io.eventuate.tram.events.publisher';
const EVENTUATE_AGGREGATES = 'io.eventuate.tram.events.aggregates';

/**
 * Eventuate Tram's publishers insert the events into its outbox table inside the caller's
 * database transaction, and a relay publishes them to the broker afterwards: an enqueue, and the
 * transactional outbox itself, never a dual write. `AbstractAggregateDomainEventPublisher` is the
 * typed base class a service extends; `DomainEventPublisherForAggregate` the typed interface of
 * newer releases.
 */
export const JAVA_OUTBOX_PUBLISHERS: ReadonlySet<string> = new Set([
  `${EVENTUATE_PUBLISHER}.DomainEventPublisher.publish`,
  `${EVENTUATE_PUBLISHER}.DomainEventPublisherForAggregate.publish`,
  `${EVENTUATE_PUBLISHER}.DomainEventPublisherForAggregate.publishById`,
  `${EVENTUATE_PUBLISHER}.AbstractDomainEventPublisherForAggregateImpl.publish`,
  `${EVENTUATE_PUBLISHER}.AbstractDomainEventPublisherForAggregateImpl.publishById`,
  `${EVENTUATE_AGGREGATES}.AbstractAggregateDomainEventPublisher.publish`,
]);

/**
 * Amazon SQS clients of the AWS SDK for Java, v1 (`com.amazonaws`) and v2 (`software.amazon.awssdk`):
 * both name their operations alike (`sendMessage`, `receiveMessage`, `deleteMessageBatch`).
 * Deleting a message is the consumer's acknowledgement, so it is a consumer signal, as in boto3.
 */
const SQS_CLIENTS = [
  'com.amazonaws.services.sqs.AmazonSQS', 'com.amazonaws.services.sqs.AmazonSQSClient',
  'com.amazonaws.services.sqs.AmazonSQSAsync', 'com.amazonaws.services.sqs.AmazonSQSAsyncClient',
  'software.amazon.awssdk.services.sqs.SqsClient', 'software.amazon.awssdk.services.sqs.SqsAsyncClient',
];
const SQS_OPERATIONS: readonly (readonly [string, SignalKind])[] = [
  ['sendMessage', 'enqueue'], ['sendMessageBatch', 'enqueue'],
  ['receiveMessage', 'consumer'], ['deleteMessage', 'consumer'], ['deleteMessageBatch', 'consumer'],
  ['changeMessageVisibility', 'consumer'], ['changeMessageVisibilityBatch', 'consumer'],
  ['createQueue', 'queue-config'], ['setQueueAttributes', 'queue-config'],
];

/**
 * Jakarta Messaging (JMS), under both package names: a `MessageProducer` (or the JMS 2.0
 * `JMSProducer` a `JMSContext` creates, or the older `QueueSender` and `TopicPublisher`) sends a
 * message to a queue or topic.
 */
const JMS_SENDS = ['javax.jms', 'jakarta.jms'].flatMap((pkg) => [
  `${pkg}.MessageProducer.send`, `${pkg}.JMSProducer.send`, `${pkg}.QueueSender.send`, `${pkg}.TopicPublisher.publish`,
]);

/**
 * Push notifications: the Firebase Admin SDK's `FirebaseMessaging` (one message, a batch, a
 * multicast, each with its async twin) and the legacy GCM server library's `Sender` (`send` retries
 * on its own, `sendNoRetry` does not).
 */
const FIREBASE_MESSAGING_SENDS = [
  'send', 'sendAsync', 'sendEach', 'sendEachAsync', 'sendEachForMulticast', 'sendEachForMulticastAsync',
  'sendAll', 'sendAllAsync', 'sendMulticast', 'sendMulticastAsync',
].map((m) => `com.google.firebase.messaging.FirebaseMessaging.${m}`);

/**
 * Spring Cloud CircuitBreaker: a breaker made by the factory runs the call (`run`, with a fallback
 * when given one), and Resilience4J's config builder is what a `configureDefault` or `configure`
 * customizer hands the factory.
 */
const SPRING_CLOUD_BREAKERS = [
  'org.springframework.cloud.client.circuitbreaker.CircuitBreaker.run',
  'org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker.run',
  'org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder',
];

const APACHE_HTTP_CLIENTS = ['org.apache.http.impl.client', 'org.apache.hc.client5.http.impl.classic', 'org.apache.hc.client5.http.impl.async'].flatMap((pkg) => [
  ...['custom', 'createDefault', 'createSystem', 'createMinimal'].map((m) => `${pkg}.${pkg.endsWith('async') ? 'HttpAsyncClients' : 'HttpClients'}.${m}`),
  `${pkg}.${pkg.endsWith('async') ? 'HttpAsyncClientBuilder' : 'HttpClientBuilder'}.create`,
]);

export const JAVA_LIBRARY_APIS: readonly (readonly [string, SignalKind])[] = [
  ...JMS_SENDS.map((api): [string, SignalKind] => [api, 'enqueue']),
  // spring-kafka's producer factory: every KafkaTemplate built on it sends with its configuration.
  ['org.springframework.kafka.core.DefaultKafkaProducerFactory', 'enqueue'],
  // Spring's mail sender held by its implementation class rather than its interface.
  ['org.springframework.mail.javamail.JavaMailSenderImpl.send', 'notify'],
  ...FIREBASE_MESSAGING_SENDS.map((api): [string, SignalKind] => [api, 'notify']),
  ['com.google.android.gcm.server.Sender.send', 'notify'],
  ['com.google.android.gcm.server.Sender.sendNoRetry', 'notify'],
  // OkHttp: a client (built or constructed; 10 s connect, read and write timeouts by default) and
  // the call it starts (`newCall(request)`, then `execute()` or `enqueue(callback)`).
  ['okhttp3.OkHttpClient', 'http-call'],
  ['okhttp3.OkHttpClient.Builder', 'http-call'],
  ['okhttp3.OkHttpClient.newCall', 'http-call'],
  ...SPRING_CLOUD_BREAKERS.map((api): [string, SignalKind] => [api, 'circuit-breaker']),
  // jomon: `Retryer.executeWithRetry(callable, strategy)` calls again while the strategy asks for it.
  ['org.echocat.jomon.runtime.concurrent.Retryer.executeWithRetry', 'retry'],
  // Apache HttpClient 4 and 5: a client built (`HttpClients.custom()`, `HttpClientBuilder.create()`)
  // or made with the defaults (`HttpClients.createDefault()`, `createSystem()`, `createMinimal()`).
  ...APACHE_HTTP_CLIENTS.map((api): [string, SignalKind] => [api, 'http-call']),
  ...SQS_CLIENTS.flatMap((client) => SQS_OPERATIONS.map(([op, kind]): [string, SignalKind] => [`${client}.${op}`, kind])),
  ...[...JAVA_OUTBOX_PUBLISHERS].map((api): [string, SignalKind] => [api, 'enqueue']),
  // xxl-job: a method annotated `@XxlJob("name")` is a job handler the scheduling centre triggers by name.
  ['com.xxl.job.core.handler.annotation.XxlJob', 'task-def'],
  // Tencent Cloud SMS: the qcloudsms SDK's senders (`send` a text, `sendWithParam` a template) and
  // the API 3.0 SDK's `SmsClient.SendSms`; Aliyun SMS's dysmsapi client (`sendSms`, `sendSmsWithOptions`).
  ...['SmsSingleSender', 'SmsMultiSender'].flatMap((c) => ['send', 'sendWithParam'].map((m): [string, SignalKind] => [`com.github.qcloudsms.${c}.${m}`, 'notify'])),
  ...['v20190711', 'v20210111'].map((v): [string, SignalKind] => [`com.tencentcloudapi.sms.${v}.SmsClient.SendSms`, 'notify']),
  ['com.aliyun.dysmsapi20170525.Client.sendSms', 'notify'],
  ['com.aliyun.dysmsapi20170525.Client.sendSmsWithOptions', 'notify'],
  // Aliyun's core SDK: one HTTP request to whichever product the request names (`CommonRequest`'s
  // domain and action: SMS, storage, anything), so an HTTP call and no more.
  ['com.aliyuncs.IAcsClient.getCommonResponse', 'http-call'],
  ['com.aliyuncs.IAcsClient.getAcsResponse', 'http-call'],
  ['com.aliyuncs.DefaultAcsClient.getCommonResponse', 'http-call'],
  ['com.aliyuncs.DefaultAcsClient.getAcsResponse', 'http-call'],
];
