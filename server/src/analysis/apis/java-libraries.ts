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

export const JAVA_LIBRARY_APIS: readonly (readonly [string, SignalKind])[] = [
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
