import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Every Go framework the server recognises, imported the ways real code imports it (aliases,
 * major-version suffixes, moved modules), and the signals each use must yield (kind and canonical
 * API, in source order). Each sample ends with traps that must yield nothing: same-named
 * functions of other packages, local types, and names in strings and comments.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'net/http: package functions, the default client, client literals and their methods',
    code: `
package fetch

import (
	"net/http"
	"time"
)

func Get(url string) {
	http.Get(url)
	http.Post(url, "text/plain", nil)
	http.DefaultClient.Do(nil)
	client := &http.Client{Timeout: 5 * time.Second}
	client.Get(url)
	var other http.Client
	other.Head(url)
	// http.Get(url) in a comment
	_ = "http.Post(url)"
}
`,
    signals: ['http-call net/http.Get', 'http-call net/http.Post', 'http-call net/http.DefaultClient.Do', 'http-call net/http.Client', 'http-call net/http.Client.Get', 'http-call net/http.Client.Head'],
  },
  {
    name: 'net/http under an alias; a local package named http is not net/http',
    code: `
package fetch

import (
	stdhttp "net/http"
	http "example.com/internal/http"
)

func Get(url string) {
	stdhttp.Get(url)
	http.Get(url)
}
`,
    signals: ['http-call net/http.Get'],
  },
  {
    name: 'asynq: client, enqueue, server, handlers and scheduler',
    code: `
package jobs

import (
	"context"

	"github.com/hibiken/asynq"
)

func Run(redis asynq.RedisClientOpt, handle asynq.HandlerFunc) {
	client := asynq.NewClient(redis)
	client.Enqueue(asynq.NewTask("email:welcome", nil))
	client.EnqueueContext(context.Background(), asynq.NewTask("email:digest", nil))
	srv := asynq.NewServer(redis, asynq.Config{Concurrency: 10})
	mux := asynq.NewServeMux()
	mux.HandleFunc("email:welcome", handle)
	mux.Handle("email:digest", handle)
	scheduler := asynq.NewScheduler(redis, nil)
	scheduler.Register("@every 1h", asynq.NewTask("email:digest", nil))
	_ = srv
}
`,
    signals: [
      'enqueue github.com/hibiken/asynq.NewClient', 'enqueue github.com/hibiken/asynq.Client.Enqueue', 'enqueue github.com/hibiken/asynq.Client.EnqueueContext',
      'consumer github.com/hibiken/asynq.NewServer', 'task-def github.com/hibiken/asynq.ServeMux.HandleFunc', 'task-def github.com/hibiken/asynq.ServeMux.Handle',
      'schedule github.com/hibiken/asynq.NewScheduler', 'schedule github.com/hibiken/asynq.Scheduler.Register',
    ],
  },
  {
    name: 'robfig/cron v3 under its module path',
    code: `
package jobs

import "github.com/robfig/cron/v3"

func Schedule(job cron.Job) {
	c := cron.New()
	c.AddFunc("@hourly", func() {})
	c.AddJob("@daily", job)
	c.Schedule(cron.Every(60), job)
}
`,
    signals: ['schedule github.com/robfig/cron.New', 'schedule github.com/robfig/cron.Cron.AddFunc', 'schedule github.com/robfig/cron.Cron.AddJob', 'schedule github.com/robfig/cron.Cron.Schedule'],
  },
  {
    name: 'sarama (old and new module paths) and kafka-go under its package name and an alias',
    code: `
package stream

import (
	"context"

	old "github.com/Shopify/sarama"
	"github.com/IBM/sarama"
	"github.com/segmentio/kafka-go"
	kgo "github.com/segmentio/kafka-go"
)

func Stream(ctx context.Context, brokers []string) {
	producer, _ := sarama.NewSyncProducer(brokers, sarama.NewConfig())
	producer.SendMessage(&sarama.ProducerMessage{Topic: "orders"})
	old.NewAsyncProducer(brokers, nil)
	sarama.NewConsumerGroup(brokers, "billing", nil)
	w := &kafka.Writer{Topic: "orders"}
	w.WriteMessages(ctx, kafka.Message{})
	r := kgo.NewReader(kgo.ReaderConfig{GroupID: "billing"})
	r.ReadMessage(ctx)
	r.FetchMessage(ctx)
}
`,
    signals: [
      'enqueue github.com/IBM/sarama.NewSyncProducer', 'enqueue github.com/IBM/sarama.SyncProducer.SendMessage', 'enqueue github.com/IBM/sarama.NewAsyncProducer',
      'consumer github.com/IBM/sarama.NewConsumerGroup', 'enqueue github.com/segmentio/kafka-go.Writer', 'enqueue github.com/segmentio/kafka-go.Writer.WriteMessages',
      'consumer github.com/segmentio/kafka-go.NewReader', 'consumer github.com/segmentio/kafka-go.Reader.ReadMessage', 'consumer github.com/segmentio/kafka-go.Reader.FetchMessage',
    ],
  },
  {
    name: 'a function of the file declared to return a library type gives its callers that type',
    code: `
package main

import (
	"context"

	kafka "github.com/segmentio/kafka-go"
)

func getKafkaReader(url, groupID string) *kafka.Reader {
	return kafka.NewReader(kafka.ReaderConfig{Brokers: []string{url}, GroupID: groupID})
}

func open() (*kafka.Writer, error) { return &kafka.Writer{Topic: "orders"}, nil }

// A function returning a type of this file: its callers' values stay unknown.
type reader struct{}

func (reader) ReadMessage(ctx context.Context) error { return nil }
func local() *reader                               { return &reader{} }

func main() {
	ctx := context.Background()
	reader := getKafkaReader("kafka:9092", "billing")
	reader.ReadMessage(ctx)
	w, _ := open()
	w.WriteMessages(ctx)
	local().ReadMessage(ctx)
}
`,
    signals: [
      'consumer github.com/segmentio/kafka-go.NewReader', 'enqueue github.com/segmentio/kafka-go.Writer',
      'consumer github.com/segmentio/kafka-go.Reader.ReadMessage', 'enqueue github.com/segmentio/kafka-go.Writer.WriteMessages',
    ],
  },
  {
    name: 'retries, breakers and mail: go-retryablehttp, cenkalti/backoff, gobreaker, net/smtp',
    code: `
package resilient

import (
	"net/smtp"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/sony/gobreaker"
)

func Call(op backoff.Operation) {
	client := retryablehttp.NewClient()
	client.Get("https://example.com")
	backoff.Retry(op, backoff.NewExponentialBackOff())
	gobreaker.NewCircuitBreaker(gobreaker.Settings{Name: "payments"})
	smtp.SendMail("smtp.example.com:587", nil, "a@example.com", nil, nil)
}
`,
    signals: [
      'retry github.com/hashicorp/go-retryablehttp.NewClient', 'http-call github.com/hashicorp/go-retryablehttp.Client.Get', 'retry github.com/cenkalti/backoff.Retry',
      'retry github.com/cenkalti/backoff.NewExponentialBackOff', 'circuit-breaker github.com/sony/gobreaker.NewCircuitBreaker', 'notify net/smtp.SendMail',
    ],
  },
  {
    name: 'retry options: asynq MaxRetry and sarama producer retries',
    code: `
package retries

import (
	"github.com/IBM/sarama"
	"github.com/hibiken/asynq"
)

func Setup(client *asynq.Client, task *asynq.Task) {
	client.Enqueue(task, asynq.MaxRetry(5))
	config := sarama.NewConfig()
	config.Producer.Retry.Max = 5
	config.Producer.Retry.Backoff = 100
	config.Consumer.Return.Errors = true
}
`,
    signals: ['enqueue github.com/hibiken/asynq.Client.Enqueue', 'retry github.com/hibiken/asynq.MaxRetry', 'retry github.com/IBM/sarama.Config.Producer.Retry.Max'],
  },
  {
    name: 'locks: go-redis SetNX (old and new module paths) and redsync; a plain Set is no lock',
    code: `
package locks

import (
	"context"
	"time"

	oldredis "github.com/go-redis/redis/v8"
	"github.com/go-redsync/redsync/v4"
	"github.com/redis/go-redis/v9"
)

func Acquire(ctx context.Context, rs *redsync.Redsync, cluster *oldredis.ClusterClient) {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	rdb.SetNX(ctx, "lock:nightly", "owner", 30*time.Second)
	rdb.Set(ctx, "seen", "1", time.Minute)
	cluster.SetNX(ctx, "lock:nightly", "owner", 30*time.Second)
	rs.NewMutex("nightly")
	redsync.New(nil).NewMutex("hourly")
}
`,
    signals: [
      'lock github.com/redis/go-redis.Client.SetNX', 'lock github.com/redis/go-redis.ClusterClient.SetNX', 'lock github.com/go-redsync/redsync.Redsync.NewMutex',
      'lock github.com/go-redsync/redsync.Redsync.NewMutex',
    ],
  },
  {
    name: 'hand-written retry loops: a counted loop that leaves on success is a retry; a worker loop that logs and sleeps is not',
    code: `
package locks

import (
	"errors"
	"log"
	"time"
)

func (e *Lock) LockWithRetries(key string) error {
	for i := 0; i <= e.retries; i++ {
		err := e.Lock(key)
		if err == nil {
			return nil
		}
		time.Sleep(e.interval)
	}
	return errors.New("no lock")
}

func (w *Worker) Run() {
	for {
		if err := w.poll(); err != nil {
			log.Println(err)
		}
		time.Sleep(time.Second)
	}
}

func Comment() {
	// for { if err := try(); err == nil { return }; time.Sleep(1) }
	_ = "for attempt := 0; attempt < 3; attempt++ { time.Sleep(1) }"
}
`,
    signals: ['retry hand-written retry loop'],
  },
  {
    name: 'a counted loop whose wait doubles with the attempt retries what it found undone; a paced loop is not a retry',
    code: `
package states

import (
	"math"
	"time"
)

func fetchAll(keys []string) {
	for attempt := 0; len(keys) > 0 && attempt < 5; attempt++ {
		keys = batchGet(keys)
		if len(keys) > 0 {
			backoff := time.Duration(math.Pow(2, float64(attempt))) * time.Second
			time.Sleep(backoff)
		}
	}
}

func scan(pages []string) {
	for i := 0; i < len(pages); i++ {
		process(pages[i])
		time.Sleep(time.Duration(i) * time.Second)
	}
}
`,
    signals: ['retry hand-written retry loop'],
  },
  {
    name: 'backoffs without a retry statement: a worker loop resetting its timer by a doubling failure count, and a reschedule computed from the attempt; a helper returning the delay and a timer reset by a constant are neither',
    code: `
package buffer

import "time"

func backoffDelay(failures int) time.Duration {
	d := time.Second << failures
	return d
}

func run(work func() bool, wake chan struct{}) {
	timer := time.NewTimer(time.Hour)
	failures := 0
	for {
		if work() {
			failures = 0
		} else {
			timer.Reset(backoffDelay(failures))
			failures++
		}
		select {
		case <-wake:
		case <-timer.C:
		}
	}
}

func poll(wake chan struct{}) {
	timer := time.NewTimer(time.Hour)
	ticks := 0
	for {
		timer.Reset(time.Minute)
		ticks++
		<-timer.C
	}
}

func reschedule(base int64, attempt int32, save func(int64)) {
	backoff := base << (attempt - 1)
	save(time.Now().UnixMilli() + backoff)
}
`,
    signals: ['retry hand-written retry loop', 'retry hand-written retry loop'],
  },
  {
    name: 'a method a local interface gets from an embedded library interface returns what the library\'s does; a local method does not',
    code: `
package courier

import (
	"context"
	"net/http"

	"github.com/ory/x/httpx"
)

type (
	channel struct {
		d deps
	}
	deps interface {
		httpx.ClientProvider
		Client(ctx context.Context) *http.Client
	}
)

func (c *channel) Dispatch(ctx context.Context, req *http.Request) {
	c.d.HTTPClient(ctx,
		httpx.ResilientClientWithMaxRetry(0),
	).Do(req)
	c.d.Client(ctx).Do(req)
}
`,
    signals: ['http-call github.com/hashicorp/go-retryablehttp.Client.Do'],
  },
  {
    name: 'struct fields: a client kept in a field of a struct of the file is typed by the field; a field of another type is not',
    code: `
package locks

import (
	"context"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

type Lock struct {
	rclient redis.UniversalClient
	retries int
}

type Notifier struct {
	http *http.Client
	log  Logger
}

type Logger struct{}

func (Logger) Do(req *http.Request) {}

func (r Lock) Lock(ctx context.Context, key string) error {
	return r.rclient.SetNX(ctx, key, "owner", 30*time.Second).Err()
}

func (n *Notifier) Send(req *http.Request) {
	n.http.Do(req)
	n.log.Do(req)
	_ = "n.http.Do(req)"
}
`,
    signals: ['lock github.com/redis/go-redis.UniversalClient.SetNX', 'http-call net/http.Client.Do'],
  },
  {
    name: 'an element of a slice or map of the file\'s structs, or of what a method of the struct returns, is typed: its library-typed field is followed; an element of unknown type is not',
    code: `
package email

import (
	"math/rand"

	"github.com/knadh/smtppool/v2"
)

type Server struct {
	pool *smtppool.Pool
}

type Emailer struct {
	pools   map[string][]*Server
	servers []Server
	names   []string
}

func (e *Emailer) routed(key string) []*Server {
	return e.pools[key]
}

func (e *Emailer) name() string {
	return "smtp"
}

func (e *Emailer) Push(em smtppool.Email, key string, other map[string]any) error {
	pool := e.pools[""]
	if srvs := e.routed(key); srvs != nil {
		pool = srvs
	}
	_ = e.name()
	srv := pool[rand.Intn(len(pool))]
	_ = e.servers[0].pool.Send(em)
	_ = other[key]
	_ = e.names[0]
	return srv.pool.Send(em)
}
`,
    signals: ['notify github.com/knadh/smtppool.Pool.Send', 'notify github.com/knadh/smtppool.Pool.Send'],
  },
  {
    name: 'watermill middleware: Retry and DelayOnError literals, the poison queue; a local Retry type is not one',
    code: `
package router

import (
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

type Retry struct{ MaxRetries int }

func Setup(router *message.Router, pub message.Publisher) {
	retry := middleware.Retry{MaxRetries: 3, InitialInterval: time.Second, Multiplier: 2}
	delay := &middleware.DelayOnError{InitialInterval: 10 * time.Second, Multiplier: 2}
	poison, _ := middleware.PoisonQueue(pub, "poison_queue")
	local := Retry{MaxRetries: 3}
	router.AddMiddleware(retry.Middleware, poison, middleware.Recoverer)
	_, _ = delay, local
	_ = "middleware.Retry{MaxRetries: 3}"
}
`,
    signals: [
      'retry github.com/ThreeDotsLabs/watermill/message/router/middleware.Retry',
      'retry github.com/ThreeDotsLabs/watermill/message/router/middleware.DelayOnError',
      'queue-config github.com/ThreeDotsLabs/watermill/message/router/middleware.PoisonQueue',
    ],
  },
  {
    name: 'confluent-kafka-go under its gopkg.in path and its v2 module: producer, produce and consumer',
    code: `
package events

import (
	kafkav1 "gopkg.in/confluentinc/confluent-kafka-go.v1/kafka"
	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

func Run(topic string) {
	p, _ := kafkav1.NewProducer(&kafkav1.ConfigMap{"bootstrap.servers": "localhost"})
	p.Produce(&kafkav1.Message{Value: []byte("x")}, nil)
	c, _ := kafka.NewConsumer(&kafka.ConfigMap{"group.id": "g"})
	_ = c
	// kafka.NewProducer(nil) in a comment
}
`,
    signals: [
      'enqueue github.com/confluentinc/confluent-kafka-go/kafka.NewProducer',
      'enqueue github.com/confluentinc/confluent-kafka-go/kafka.Producer.Produce',
      'consumer github.com/confluentinc/confluent-kafka-go/kafka.NewConsumer',
    ],
  },
  {
    name: 'confluent-kafka-go read loop, watermill-kafka publisher and subscriber, avast/retry-go',
    code: `
package events

import (
	"github.com/ThreeDotsLabs/watermill-kafka/v3/pkg/kafka"
	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"
	"github.com/avast/retry-go/v4"
)

type Sink struct {
	Consumer *ckafka.Consumer
}

func (s *Sink) Run(cfg kafka.PublisherConfig, sub kafka.SubscriberConfig) error {
	ev := s.Consumer.Poll(100)
	_ = ev
	pub, _ := kafka.NewPublisher(cfg, nil)
	_ = pub.Publish("events")
	_, _ = kafka.NewSubscriber(sub, nil)
	_, _ = retry.DoWithData(func() (int, error) { return 0, nil }, retry.Attempts(3))
	// retry.Do(f) in a comment
	return retry.Do(func() error { return nil })
}
`,
    signals: [
      'consumer github.com/confluentinc/confluent-kafka-go/kafka.Consumer.Poll',
      'enqueue github.com/ThreeDotsLabs/watermill-kafka/pkg/kafka.NewPublisher',
      'enqueue github.com/ThreeDotsLabs/watermill-kafka/pkg/kafka.Publisher.Publish',
      'consumer github.com/ThreeDotsLabs/watermill-kafka/pkg/kafka.NewSubscriber',
      'retry github.com/avast/retry-go.DoWithData',
      'retry github.com/avast/retry-go.Do',
    ],
  },
  {
    name: 'stripe-go: package functions, client.API fields and the V1 services of stripe.Client; reads are none',
    code: `
package billing

import (
	"context"

	"github.com/stripe/stripe-go/v80"
	"github.com/stripe/stripe-go/v80/checkout/session"
	"github.com/stripe/stripe-go/v80/client"
	"github.com/stripe/stripe-go/v80/paymentintent"
)

type app struct {
	sc *client.API
}

func (a *app) Bill(ctx context.Context, p *stripe.PaymentIntentParams) {
	_, _ = paymentintent.New(p)
	_, _ = session.New(&stripe.CheckoutSessionParams{})
	_, _ = a.sc.InvoiceItems.New(&stripe.InvoiceItemParams{})
	_, _ = a.sc.Invoices.Pay("in_1", nil)
	_, _ = a.sc.Customers.Get("cus_1", nil)
	api := client.New("sk", nil)
	_, _ = api.Refunds.New(&stripe.RefundParams{})
	sc := stripe.NewClient("sk")
	_, _ = sc.V1Subscriptions.Create(ctx, nil)
}
`,
    signals: [
      'payment github.com/stripe/stripe-go/paymentintent.New',
      'payment github.com/stripe/stripe-go/checkout/session.New',
      'payment github.com/stripe/stripe-go/client.API.InvoiceItems.New',
      'payment github.com/stripe/stripe-go/client.API.Invoices.Pay',
      'payment github.com/stripe/stripe-go/client.API.Refunds.New',
      'payment github.com/stripe/stripe-go.Client.V1Subscriptions.Create',
    ],
  },
  {
    name: 'stripe-go resource packages: every resource\'s New, Update, Del and Cancel, as functions, on the package Client and on client.API; Get and List are reads',
    code: `
package billing

import (
	"github.com/stripe/stripe-go/v74"
	portalsession "github.com/stripe/stripe-go/v74/billingportal/session"
	"github.com/stripe/stripe-go/v74/client"
	"github.com/stripe/stripe-go/v74/customer"
	"github.com/stripe/stripe-go/v74/form"
	"github.com/stripe/stripe-go/v74/price"
	"github.com/stripe/stripe-go/v74/subscription"
)

func Plan(sc *client.API, c *customer.Client, id string, p *stripe.SubscriptionParams) {
	_, _ = portalsession.New(&stripe.BillingPortalSessionParams{})
	_, _ = subscription.Update(id, p)
	_, _ = subscription.Cancel(id, nil)
	_, _ = c.Del(id, nil)
	_, _ = sc.Subscriptions.Update(id, p)
	_, _ = customer.Get(id, nil)
	_ = price.List(&stripe.PriceListParams{})
	_, _ = sc.Customers.Get(id, nil)
	form.AppendTo(nil, p)
}
`,
    signals: [
      'payment github.com/stripe/stripe-go/billingportal/session.New',
      'payment github.com/stripe/stripe-go/subscription.Update',
      'payment github.com/stripe/stripe-go/subscription.Cancel',
      'payment github.com/stripe/stripe-go/customer.Client.Del',
      'payment github.com/stripe/stripe-go/client.API.Subscriptions.Update',
    ],
  },
  {
    name: 'push and mail: Firebase messaging, webpush-go and smtppool, through fields and locals',
    code: `
package push

import (
	"context"

	firebase "firebase.google.com/go/v4"
	"firebase.google.com/go/v4/messaging"
	"github.com/SherClockHolmes/webpush-go"
	"github.com/knadh/smtppool/v2"
)

type sender struct {
	client *messaging.Client
	pool   *smtppool.Pool
}

func (s *sender) Send(ctx context.Context, m *messaging.Message, e smtppool.Email, sub *webpush.Subscription) error {
	if _, err := s.client.Send(ctx, m); err != nil {
		return err
	}
	if _, err := webpush.SendNotification([]byte("hi"), sub, &webpush.Options{}); err != nil {
		return err
	}
	return s.pool.Send(e)
}

func Boot(ctx context.Context, app *firebase.App, opt smtppool.Opt, e smtppool.Email) {
	client, _ := app.Messaging(ctx)
	_, _ = client.SendEachForMulticast(ctx, &messaging.MulticastMessage{})
	pool, _ := smtppool.New(opt)
	_ = pool.Send(e)
}
`,
    signals: [
      'notify firebase.google.com/go/messaging.Client.Send',
      'notify github.com/SherClockHolmes/webpush-go.SendNotification',
      'notify github.com/knadh/smtppool.Pool.Send',
      'notify firebase.google.com/go/messaging.Client.SendEachForMulticast',
      'notify github.com/knadh/smtppool.Pool.Send',
    ],
  },
  {
    name: 'traps: a project Pool and a project messaging package with Send, a webpush call in a string, and stripe-go\'s form package yield nothing',
    code: `
package push

import (
	"github.com/acme/app/internal/messaging"
	"github.com/stripe/stripe-go/v74/form"
)

type Pool struct{}

func (p *Pool) Send(to string) error { return nil }

func Run(p *Pool, c *messaging.Client) {
	_ = p.Send("a@example.com")
	_ = c.Send("topic")
	_ = "webpush.SendNotification(message, sub, opts)"
	_ = form.New()
}
`,
    signals: [],
  },
  {
    name: 'robfig/cron\'s forks keep its API: gdgvda/cron\'s Add, netresearch/go-cron, the gopkg.in path; a project\'s own cron package is none',
    code: `
package jobs

import (
	"github.com/gdgvda/cron"
	gocron "github.com/netresearch/go-cron"
	legacy "gopkg.in/robfig/cron.v2"
	local "github.com/acme/app/internal/cron"
)

func Start() {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DefaultLogger)))
	_, _ = c.Add("0 3 * * *", func() {})
	n := gocron.New()
	_, _ = n.AddFunc("@hourly", func() {})
	l := legacy.New()
	_, _ = l.AddFunc("@daily", func() {})
	own := local.New()
	own.Add("@daily", func() {})
}
`,
    signals: [
      'schedule github.com/robfig/cron.New', 'schedule github.com/robfig/cron.Cron.Add',
      'schedule github.com/robfig/cron.New', 'schedule github.com/robfig/cron.Cron.AddFunc',
      'schedule github.com/robfig/cron.New', 'schedule github.com/robfig/cron.Cron.AddFunc',
    ],
  },
  {
    name: 'ory/x httpx: the resilient client and its retry option; no retries at all is no retry',
    code: `
package courier

import (
	"time"

	"github.com/ory/x/httpx"
)

func Client() {
	httpx.NewResilientClient(
		httpx.ResilientClientWithMaxRetry(2),
		httpx.ResilientClientWithConnectionTimeout(30*time.Second),
	)
	httpx.NewResilientClient(httpx.ResilientClientWithMaxRetry(0))
	_ = "httpx.NewResilientClient()"
}
`,
    signals: [
      'http-call github.com/ory/x/httpx.NewResilientClient',
      'retry github.com/ory/x/httpx.ResilientClientWithMaxRetry',
      'http-call github.com/ory/x/httpx.NewResilientClient',
    ],
  },
  {
    name: 'traps: local types and functions with the frameworks\' names, and a package shadowed by a variable',
    code: `
package traps

type Client struct{}

func (Client) Enqueue(task string) {}
func (Client) Get(url string)      {}

func NewServer() Client { return Client{} }

func Use(http Client) {
	var client Client
	client.Enqueue("email:welcome")
	http.Get("https://example.com")
	NewServer().Get("x")
	_ = "asynq.NewClient(redis)"
}
`,
    signals: [],
  },
];

describeSignals('Go signals', 'go', CASES);
