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

export const JAVA_LIBRARY_APIS: readonly (readonly [string, SignalKind])[] = [
  ...[...JAVA_OUTBOX_PUBLISHERS].map((api): [string, SignalKind] => [api, 'enqueue']),
  // xxl-job: a method annotated `@XxlJob("name")` is a job handler the scheduling centre triggers by name.
  ['com.xxl.job.core.handler.annotation.XxlJob', 'task-def'],
];
