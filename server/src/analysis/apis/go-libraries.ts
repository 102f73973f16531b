import type { CallFact } from '../facts/types.js';
import type { SignalKind } from '../types.js';

/**
 * Go libraries whose APIs sit beside the standard clients of `go.ts`: watermill's router
 * middleware and its Kafka Pub/Sub, confluent-kafka-go, avast/retry-go, stripe-go and ory/x's
 * resilient HTTP client. Canonical names as the Go
 * facts resolve them (a composite literal is named by its type).
 */
const WATERMILL_MIDDLEWARE = 'github.com/ThreeDotsLabs/watermill/message/router/middleware';
export const CONFLUENT_KAFKA = 'github.com/confluentinc/confluent-kafka-go/kafka';
const ORY_HTTPX = 'github.com/ory/x/httpx';
const WATERMILL_KAFKA = 'github.com/ThreeDotsLabs/watermill-kafka/pkg/kafka';
const RETRY_GO = 'github.com/avast/retry-go';
const STRIPE = 'github.com/stripe/stripe-go';
const SVIX = 'github.com/svix/svix-webhooks/go';

/**
 * stripe-go's resources whose creation is a payment signal (money moves, or a customer, invoice
 * or checkout page is made for it): the package that holds each resource's `New`, and its field
 * on `client.API` (the client of releases before the V1 services) and on `stripe.Client` (`V1...`,
 * whose method is `Create`). `Invoices.Pay`, `PaymentIntents.Confirm` and `Capture` move money too.
 */
const STRIPE_RESOURCES: readonly (readonly [pkg: string, field: string])[] = [
  ['paymentintent', 'PaymentIntents'], ['charge', 'Charges'], ['refund', 'Refunds'], ['transfer', 'Transfers'],
  ['payout', 'Payouts'], ['subscription', 'Subscriptions'], ['invoice', 'Invoices'], ['invoiceitem', 'InvoiceItems'],
  ['customer', 'Customers'], ['checkout/session', 'CheckoutSessions'], ['setupintent', 'SetupIntents'],
];
const STRIPE_MONEY_METHODS: readonly (readonly [pkg: string, field: string, method: string])[] = [
  ['invoice', 'Invoices', 'Pay'], ['paymentintent', 'PaymentIntents', 'Confirm'], ['paymentintent', 'PaymentIntents', 'Capture'],
];
const stripeApis = (): [string, SignalKind][] => [
  ...STRIPE_RESOURCES.flatMap(([pkg, field]): [string, SignalKind][] => [
    [`${STRIPE}/${pkg}.New`, 'payment'],
    [`${STRIPE}/${pkg}.Client.New`, 'payment'],
    [`${STRIPE}/client.API.${field}.New`, 'payment'],
    [`${STRIPE}.Client.V1${field}.Create`, 'payment'],
  ]),
  ...STRIPE_MONEY_METHODS.flatMap(([pkg, field, method]): [string, SignalKind][] => [
    [`${STRIPE}/${pkg}.${method}`, 'payment'],
    [`${STRIPE}/${pkg}.Client.${method}`, 'payment'],
    [`${STRIPE}/client.API.${field}.${method}`, 'payment'],
    [`${STRIPE}.Client.V1${field}.${method}`, 'payment'],
  ]),
];

/**
 * Push and mail senders: the Firebase Admin SDK's messaging client (one message, a batch, a
 * multicast), webpush-go's `SendNotification` (a Web Push message to one subscription), and
 * knadh/smtppool's pooled SMTP sender.
 */
const FIREBASE_MESSAGING = 'firebase.google.com/go/messaging';
const PUSH_AND_MAIL: readonly string[] = [
  ...['Send', 'SendAll', 'SendMulticast', 'SendEach', 'SendEachForMulticast'].map((m) => `${FIREBASE_MESSAGING}.Client.${m}`),
  'github.com/SherClockHolmes/webpush-go.SendNotification',
  'github.com/SherClockHolmes/webpush-go.SendNotificationWithContext',
  'github.com/knadh/smtppool.Pool.Send',
];

export const GO_LIBRARY_APIS: readonly (readonly [string, SignalKind])[] = [
  ...PUSH_AND_MAIL.map((api): [string, SignalKind] => [api, 'notify']),
  // watermill: `Retry{...}` retries a failed handler with an exponential backoff built from its
  // fields; `DelayOnError{...}` sends the message back with a growing delay; `PoisonQueue`
  // publishes a message that still fails to a topic of its own.
  [`${WATERMILL_MIDDLEWARE}.Retry`, 'retry'],
  [`${WATERMILL_MIDDLEWARE}.DelayOnError`, 'retry'],
  [`${WATERMILL_MIDDLEWARE}.PoisonQueue`, 'queue-config'],
  [`${WATERMILL_MIDDLEWARE}.PoisonQueueWithFilter`, 'queue-config'],
  [`${CONFLUENT_KAFKA}.NewProducer`, 'enqueue'],
  [`${CONFLUENT_KAFKA}.Producer.Produce`, 'enqueue'],
  [`${CONFLUENT_KAFKA}.NewConsumer`, 'consumer'],
  // A consumer's read loop: `Poll` returns the next event (a message among them), `ReadMessage` the next message.
  [`${CONFLUENT_KAFKA}.Consumer.Poll`, 'consumer'],
  [`${CONFLUENT_KAFKA}.Consumer.ReadMessage`, 'consumer'],
  // watermill-kafka: a Publisher writes messages to Kafka through a sarama producer, a Subscriber
  // reads them through a sarama consumer group.
  [`${WATERMILL_KAFKA}.NewPublisher`, 'enqueue'],
  [`${WATERMILL_KAFKA}.Publisher.Publish`, 'enqueue'],
  [`${WATERMILL_KAFKA}.NewSubscriber`, 'consumer'],
  // avast/retry-go: `Do` and `DoWithData` call the function again while it fails (ten attempts,
  // an exponential delay with random jitter, unless options say otherwise).
  [`${RETRY_GO}.Do`, 'retry'],
  [`${RETRY_GO}.DoWithData`, 'retry'],
  ...stripeApis(),
  // Svix: `Message.Create` sends a webhook message to every endpoint of the application
  // (`CreateWithOptions` in releases before 1.0 took the options separately).
  [`${SVIX}.Svix.Message.Create`, 'notify'],
  [`${SVIX}.Svix.Message.CreateWithOptions`, 'notify'],
  // ory/x: a go-retryablehttp client with a one-minute timeout and four retries unless told otherwise.
  [`${ORY_HTTPX}.NewResilientClient`, 'http-call'],
  [`${ORY_HTTPX}.ResilientClientWithMaxRetry`, 'retry'],
];

/**
 * The signal of a library call whose arguments decide it: `ResilientClientWithMaxRetry(0)` turns
 * the client's retries off, so it is no retry.
 */
export function goLibrarySignalKind(call: CallFact, kind: SignalKind | undefined): SignalKind | undefined {
  if (call.api === `${ORY_HTTPX}.ResilientClientWithMaxRetry` && call.args?.positional[0]?.text === '0') return undefined;
  return kind ?? stripeResourceKind(call.api);
}

/**
 * stripe-go's resource packages (`customer`, `subscription`, `billingportal/session`,
 * `checkout/session`, `invoiceitem`, ... one package per API resource) share one shape: the
 * package functions `New`, `Get`, `Update`, `Del`, `Cancel` and `List`, the same methods on the
 * package's `Client`, and on the resource's field of `client.API`. The writes (`New`, `Update`,
 * `Del`, `Cancel`) are payment signals, whatever the resource: each changes what Stripe bills.
 * Reads (`Get`, `List`) are no payment call here, as in every other language. The packages that
 * are not resources (`form`, request encoding; `webhook`, signature checks done locally) are left out.
 */
const STRIPE_RESOURCE_WRITE = /^github\.com\/stripe\/stripe-go\/(?:client\.API\.[A-Z]\w*|([a-z_]+(?:\/[a-z_]+)?)(?:\.Client)?)\.(?:New|Update|Del|Cancel)$/;
const STRIPE_NOT_RESOURCES: ReadonlySet<string> = new Set(['client', 'form', 'webhook']);

export function stripeResourceKind(api: string): SignalKind | undefined {
  const match = STRIPE_RESOURCE_WRITE.exec(api);
  return match === null || STRIPE_NOT_RESOURCES.has(match[1] ?? '') ? undefined : 'payment';
}

/**
 * Import paths that name the same package: confluent-kafka-go's gopkg.in path and its `/v2`
 * module (the major version sits before the package directory).
 */
export const GO_LIBRARY_MOVED: Readonly<Record<string, string>> = {
  'gopkg.in/confluentinc/confluent-kafka-go.v1/kafka': CONFLUENT_KAFKA,
  'github.com/confluentinc/confluent-kafka-go/v2/kafka': CONFLUENT_KAFKA,
};
