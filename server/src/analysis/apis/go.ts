import type { SignalKind } from '../types.js';
import { GO_LIBRARY_APIS } from './go-libraries.js';

/**
 * Go APIs (canonical names, as the Go facts resolve them: the import path without its `/vN`
 * suffix, then the function, or the type and its method) and the signal each one is. Composite
 * literals are named by their type (`net/http.Client`).
 */
const HTTP = 'net/http';
const CLIENT_METHODS = ['Do', 'Get', 'Post', 'Head', 'PostForm'];
const ASYNQ = 'github.com/hibiken/asynq';
const SARAMA = 'github.com/IBM/sarama';
const KAFKA_GO = 'github.com/segmentio/kafka-go';
const RETRYABLE = 'github.com/hashicorp/go-retryablehttp';
const BACKOFF = 'github.com/cenkalti/backoff';
const GOBREAKER = 'github.com/sony/gobreaker';
const CRON = 'github.com/robfig/cron';
const GO_REDIS = 'github.com/redis/go-redis';
const REDSYNC = 'github.com/go-redsync/redsync';

export const GO_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  ...['Get', 'Post', 'Head', 'PostForm'].map((f): [string, SignalKind] => [`${HTTP}.${f}`, 'http-call']),
  ...CLIENT_METHODS.flatMap((m): [string, SignalKind][] => [
    [`${HTTP}.DefaultClient.${m}`, 'http-call'],
    [`${HTTP}.Client.${m}`, 'http-call'],
    [`${RETRYABLE}.Client.${m}`, 'http-call'],
  ]),
  [`${HTTP}.Client`, 'http-call'],
  [`${RETRYABLE}.NewClient`, 'retry'],
  [`${RETRYABLE}.Client`, 'retry'],
  [`${BACKOFF}.NewExponentialBackOff`, 'retry'],
  [`${BACKOFF}.NewConstantBackOff`, 'retry'],
  [`${BACKOFF}.Retry`, 'retry'],
  [`${BACKOFF}.RetryNotify`, 'retry'],
  [`${GOBREAKER}.NewCircuitBreaker`, 'circuit-breaker'],
  [`${ASYNQ}.NewClient`, 'enqueue'],
  [`${ASYNQ}.Client.Enqueue`, 'enqueue'],
  [`${ASYNQ}.Client.EnqueueContext`, 'enqueue'],
  [`${ASYNQ}.NewServer`, 'consumer'],
  [`${ASYNQ}.ServeMux.HandleFunc`, 'task-def'],
  [`${ASYNQ}.ServeMux.Handle`, 'task-def'],
  // `asynq.MaxRetry(n)` is a task option: the task is retried up to n times (25 when no option is given).
  [`${ASYNQ}.MaxRetry`, 'retry'],
  [`${ASYNQ}.NewScheduler`, 'schedule'],
  [`${ASYNQ}.Scheduler.Register`, 'schedule'],
  [`${CRON}.New`, 'schedule'],
  [`${CRON}.Cron.AddFunc`, 'schedule'],
  [`${CRON}.Cron.AddJob`, 'schedule'],
  [`${CRON}.Cron.Schedule`, 'schedule'],
  // `Add(spec, func())`: the forks' name for `AddFunc` (gdgvda/cron), read as one family with robfig's.
  [`${CRON}.Cron.Add`, 'schedule'],
  [`${SARAMA}.NewSyncProducer`, 'enqueue'],
  [`${SARAMA}.NewAsyncProducer`, 'enqueue'],
  [`${SARAMA}.SyncProducer.SendMessage`, 'enqueue'],
  [`${SARAMA}.SyncProducer.SendMessages`, 'enqueue'],
  [`${SARAMA}.NewConsumerGroup`, 'consumer'],
  [`${SARAMA}.NewConsumer`, 'consumer'],
  [`${KAFKA_GO}.Writer`, 'enqueue'],
  [`${KAFKA_GO}.NewWriter`, 'enqueue'],
  [`${KAFKA_GO}.Writer.WriteMessages`, 'enqueue'],
  [`${KAFKA_GO}.NewReader`, 'consumer'],
  [`${KAFKA_GO}.Reader.ReadMessage`, 'consumer'],
  [`${KAFKA_GO}.Reader.FetchMessage`, 'consumer'],
  ['net/smtp.SendMail', 'notify'],
  // Locks: a hand-written Redis lock (`SET key value NX` with a TTL) and redsync's Redlock mutex.
  ...['Client', 'ClusterClient', 'UniversalClient', 'Ring'].map((c): [string, SignalKind] => [`${GO_REDIS}.${c}.SetNX`, 'lock']),
  [`${REDSYNC}.Redsync.NewMutex`, 'lock'],
  ...GO_LIBRARY_APIS,
]);
