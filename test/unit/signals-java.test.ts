import { describeSignals, type SignalCase } from '../helpers/signals.js';

/**
 * Every Java framework the server recognises, imported the ways real code imports it (single-type,
 * wildcard and static imports, fully qualified names), and the signals each use must yield (kind
 * and canonical API, in source order). The last cases are traps that must yield nothing: classes
 * of the same name from other packages, names in strings and comments, and local methods.
 */
const CASES: readonly SignalCase[] = [
  {
    name: 'Spring listeners, @Scheduled and ShedLock',
    code: `
package com.example;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.kafka.annotation.*;
import org.springframework.scheduling.annotation.Scheduled;

public class Jobs {
    @KafkaListener(topics = "orders")
    void onOrder(String body) {
    }

    @RabbitListener(queues = "refunds")
    void onRefund(String body) {
    }

    @Scheduled(cron = "0 0 2 * * *")
    @SchedulerLock(name = "nightly", lockAtMostFor = "PT10M")
    void nightly() {
    }
}
`,
    signals: [
      'consumer org.springframework.kafka.annotation.KafkaListener', 'consumer org.springframework.amqp.rabbit.annotation.RabbitListener',
      'schedule org.springframework.scheduling.annotation.Scheduled', 'lock net.javacrumbs.shedlock.spring.annotation.SchedulerLock',
    ],
  },
  {
    name: 'spring-retry, Spring Framework 7 and Resilience4j',
    code: `
package com.example;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.springframework.retry.annotation.*;
import org.springframework.retry.support.RetryTemplate;

public class Clients {
    @Retryable(maxAttempts = 4, backoff = @Backoff(delay = 500, multiplier = 2, random = true))
    void pay() {
    }

    @org.springframework.resilience.annotation.Retryable(maxRetries = 2)
    void refund() {
    }

    @io.github.resilience4j.retry.annotation.Retry(name = "carrier")
    @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "carrier")
    void track() {
    }

    void build() {
        RetryTemplate template = RetryTemplate.builder().maxAttempts(3).build();
        Retry retry = Retry.of("carrier", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(200)).build());
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("carrier");
    }
}
`,
    signals: [
      'retry org.springframework.retry.annotation.Retryable', 'retry org.springframework.retry.annotation.Backoff',
      'retry org.springframework.resilience.annotation.Retryable', 'retry io.github.resilience4j.retry.annotation.Retry',
      'circuit-breaker io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker', 'retry org.springframework.retry.support.RetryTemplate.builder',
      'retry io.github.resilience4j.retry.Retry.of', 'retry io.github.resilience4j.retry.RetryConfig.custom',
      'circuit-breaker io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults',
    ],
  },
  {
    name: 'RestTemplate, WebClient, RestClient and java.net.http',
    code: `
package com.example;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

public class Carrier {
    private final RestTemplate rest = new RestTemplate();
    private final WebClient web = WebClient.builder().baseUrl("https://carrier.example.com").build();
    private final RestClient client = RestClient.create();

    String track(String id) throws Exception {
        rest.getForObject("https://carrier.example.com/{id}", String.class, id);
        web.get().uri("/labels/{id}", id).retrieve();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://carrier.example.com")).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
`,
    signals: [
      'http-call org.springframework.web.client.RestTemplate', 'http-call org.springframework.web.reactive.function.client.WebClient.builder',
      'http-call org.springframework.web.client.RestClient.create', 'http-call org.springframework.web.client.RestTemplate.getForObject',
      'http-call org.springframework.web.reactive.function.client.WebClient.get', 'http-call java.net.http.HttpClient.newBuilder', 'http-call java.net.http.HttpClient.send',
    ],
  },
  {
    name: 'Kafka clients, KafkaTemplate, RabbitTemplate and Spring AMQP queues',
    code: `
package com.example;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.*;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.kafka.core.KafkaTemplate;

public class Messaging {
    void run(Properties props, KafkaTemplate<String, String> template, RabbitTemplate rabbit) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        producer.send(new ProducerRecord<>("orders", "k", "v"));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.poll(Duration.ofSeconds(1));
        template.send("orders", "v");
        rabbit.convertAndSend("orders", "v");
        Queue orders = new Queue("orders");
        Queue refunds = QueueBuilder.durable("refunds").deadLetterExchange("refunds.dlx").build();
    }
}
`,
    signals: [
      'enqueue org.apache.kafka.clients.producer.KafkaProducer', 'enqueue org.apache.kafka.clients.producer.KafkaProducer.send',
      'consumer org.apache.kafka.clients.consumer.KafkaConsumer', 'consumer org.apache.kafka.clients.consumer.KafkaConsumer.poll',
      'enqueue org.springframework.kafka.core.KafkaTemplate.send', 'enqueue org.springframework.amqp.rabbit.core.RabbitTemplate.convertAndSend',
      'queue-config org.springframework.amqp.core.Queue', 'queue-config org.springframework.amqp.core.QueueBuilder.durable',
    ],
  },
  {
    name: 'Amazon SQS clients of the AWS SDK for Java, v1 on a field and v2 on a parameter',
    code: `
package com.example;

import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

public class Queues {
    private final AmazonSQS client;

    Queues(AmazonSQS client) { this.client = client; }

    void poll(String url, SqsClient sqs, Mailbox mailbox) {
        client.sendMessageBatch(batch);
        client.receiveMessage(new ReceiveMessageRequest().withQueueUrl(url));
        client.deleteMessageBatch(deletes);
        sqs.sendMessage(request);
        sqs.createQueue(create);
        // client.receiveMessage(url) in a comment
        mailbox.receiveMessage(url);
    }
}
`,
    signals: [
      'enqueue com.amazonaws.services.sqs.AmazonSQS.sendMessageBatch', 'consumer com.amazonaws.services.sqs.AmazonSQS.receiveMessage',
      'consumer com.amazonaws.services.sqs.AmazonSQS.deleteMessageBatch', 'enqueue software.amazon.awssdk.services.sqs.SqsClient.sendMessage',
      'queue-config software.amazon.awssdk.services.sqs.SqsClient.createQueue',
    ],
  },
  {
    name: 'JavaMailSender, Jakarta Mail, Twilio, SendGrid and Stripe',
    code: `
package com.example;

import com.sendgrid.Request;
import com.sendgrid.SendGrid;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import jakarta.mail.Transport;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

public class Notices {
    void send(JavaMailSender mail, SimpleMailMessage message, jakarta.mail.Message mime, SendGrid sendGrid, Request request,
            PaymentIntentCreateParams params) throws Exception {
        mail.send(message);
        Transport.send(mime);
        Message.creator(new PhoneNumber("+15550100"), new PhoneNumber("+15550101"), "Shipped").create();
        sendGrid.api(request);
        PaymentIntent.create(params, RequestOptions.builder().setIdempotencyKey("order-1").build());
    }
}
`,
    signals: [
      'notify org.springframework.mail.javamail.JavaMailSender.send', 'notify jakarta.mail.Transport.send',
      'notify com.twilio.rest.api.v2010.account.MessageCreator.create', 'notify com.sendgrid.SendGrid.api',
      'payment com.stripe.model.PaymentIntent.create',
    ],
  },
  {
    name: 'OpenFeign clients: an HTTP client, or a breaker when given a fallback',
    code: `
package com.example;

import org.springframework.cloud.openfeign.FeignClient;

@FeignClient(name = "statistics-service", fallback = StatisticsFallback.class)
interface StatisticsClient {
}

@FeignClient(name = "rates", url = "https://rates.example.com")
interface RatesClient {
}
`,
    signals: ['circuit-breaker org.springframework.cloud.openfeign.FeignClient', 'http-call org.springframework.cloud.openfeign.FeignClient'],
  },
  {
    name: 'listener containers, spring-retry back-off policies and spring-kafka error handling',
    code: `
package com.example;

import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.retry.backoff.FixedBackOffPolicy;
import org.springframework.util.backoff.FixedBackOff;

public class Config {
    SimpleMessageListenerContainer container() {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer();
        return container;
    }

    DefaultErrorHandler errorHandler() {
        FixedBackOffPolicy policy = new FixedBackOffPolicy();
        return new DefaultErrorHandler(new FixedBackOff(1000L, 3));
    }
}
`,
    signals: [
      'consumer org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer', 'retry org.springframework.retry.backoff.FixedBackOffPolicy',
      'retry org.springframework.kafka.listener.DefaultErrorHandler', 'retry org.springframework.util.backoff.FixedBackOff',
    ],
  },
  {
    name: 'Eventuate Tram publishers (the outbox) and xxl-job handlers; a project publisher of another library is none',
    code: `
package com.acme.orders;

import io.eventuate.tram.events.publisher.DomainEventPublisher;
import io.eventuate.tram.events.aggregates.AbstractAggregateDomainEventPublisher;
import com.xxl.job.core.handler.annotation.XxlJob;
import com.acme.bus.EventBus;

public class Orders {
    private DomainEventPublisher domainEventPublisher;
    private AbstractAggregateDomainEventPublisher<Order, OrderEvent> orderEvents;
    private EventBus bus;

    void accept(Order order) {
        domainEventPublisher.publish(Order.class, order.getId(), order.events());
        orderEvents.publish(order, order.events());
        bus.publish(order);
    }

    @XxlJob("expireOrders")
    public void expireOrders() {
    }
}
`,
    signals: [
      'enqueue io.eventuate.tram.events.publisher.DomainEventPublisher.publish',
      'enqueue io.eventuate.tram.events.aggregates.AbstractAggregateDomainEventPublisher.publish',
      'task-def com.xxl.job.core.handler.annotation.XxlJob',
    ],
  },
  {
    name: 'a Kafka producer held by its interface, and a URL connection cast to HttpURLConnection (a plain URLConnection is none)',
    code: `
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLConnection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

public class Relay {
    private final Producer<byte[], byte[]> producer;

    Relay(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    void run(String url, URL jar) throws Exception {
        producer.send(new ProducerRecord<>("events", new byte[0]));
        HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();
        URLConnection file = jar.openConnection();
    }
}
`,
    signals: ['enqueue org.apache.kafka.clients.producer.Producer.send', 'http-call java.net.URL.openConnection'],
  },
  {
    name: 'JMS producers (javax and jakarta), spring-kafka\'s producer factory, JavaMailSenderImpl, Firebase and GCM pushes',
    code: `
import com.google.android.gcm.server.Sender;
import com.google.firebase.messaging.FirebaseMessaging;
import jakarta.jms.JMSContext;
import java.util.Map;
import javax.jms.MessageProducer;
import javax.jms.Session;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;

public class Outbound {
    private final JavaMailSenderImpl mailSender = new JavaMailSenderImpl();

    void relay(Session session, MessageProducer producer, JMSContext context, Map<String, Object> config) throws Exception {
        producer.send(session.createTextMessage("event"));
        context.createProducer().send(null, "event");
        new DefaultKafkaProducerFactory<String, byte[]>(config);
    }

    void notify(FirebaseMessaging messaging, com.google.firebase.messaging.Message push, Object message) throws Exception {
        mailSender.send(null);
        messaging.send(push);
        new Sender("key").send(null, "device", 3);
    }
}
`,
    signals: [
      'enqueue javax.jms.MessageProducer.send', 'enqueue jakarta.jms.JMSProducer.send',
      'enqueue org.springframework.kafka.core.DefaultKafkaProducerFactory', 'notify org.springframework.mail.javamail.JavaMailSenderImpl.send',
      'notify com.google.firebase.messaging.FirebaseMessaging.send', 'notify com.google.android.gcm.server.Sender.send',
    ],
  },
  {
    name: 'OkHttp clients and calls, and Spring Cloud CircuitBreaker\'s breakers and Resilience4J config builder',
    code: `
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Mono;

public class Gateway {
    private final OkHttpClient client = new OkHttpClient.Builder().build();

    String fetch(Request request) throws Exception {
        return client.newCall(request).execute().body().string();
    }

    Mono<String> owner(ReactiveCircuitBreakerFactory factory, Mono<String> call) {
        return factory.create("owner").run(call, error -> Mono.just("none"));
    }

    String vets(CircuitBreakerFactory factory) {
        return factory.create("vets").run(() -> "vets", error -> "none");
    }

    Customizer<ReactiveResilience4JCircuitBreakerFactory> defaults() {
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id).build());
    }
}
`,
    signals: [
      'http-call okhttp3.OkHttpClient.Builder', 'http-call okhttp3.OkHttpClient.newCall',
      'circuit-breaker org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker.run',
      'circuit-breaker org.springframework.cloud.client.circuitbreaker.CircuitBreaker.run',
      'circuit-breaker org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder',
    ],
  },
  {
    name: 'Apache HttpClient 4 and 5 clients, and jomon\'s Retryer',
    code: `
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.http.impl.client.HttpClientBuilder;
import org.echocat.jomon.runtime.concurrent.RetryForSpecifiedCountStrategy;
import org.echocat.jomon.runtime.concurrent.Retryer;

public class Clients {
    Object build() throws Exception {
        HttpClientBuilder.create().setMaxConnTotal(10).build();
        HttpClients.createDefault();
        return Retryer.executeWithRetry(() -> "ok", new RetryForSpecifiedCountStrategy<String>(3));
    }
}
`,
    signals: [
      'http-call org.apache.http.impl.client.HttpClientBuilder.create', 'http-call org.apache.hc.client5.http.impl.classic.HttpClients.createDefault',
      'retry org.echocat.jomon.runtime.concurrent.Retryer.executeWithRetry',
    ],
  },
  {
    name: 'traps: a project Sender, a project breaker\'s run, a JMS-looking producer of another package and a mail sender in a string yield nothing',
    code: `
import com.example.push.Sender;
import com.example.messaging.MessageProducer;

public class Lookalikes {
    static final String TEXT = "new JavaMailSenderImpl().send(message); okhttp3.OkHttpClient";

    void run(Sender sender, MessageProducer producer, Runnable breaker) {
        sender.send("device");
        producer.send("event");
        breaker.run();
    }
}
`,
    signals: [],
  },
  {
    name: 'traps: same-named classes of other packages, strings, comments and local methods yield nothing',
    code: `
package com.example;

import com.example.http.RestTemplate;
import com.example.jobs.*;
import com.example.mail.JavaMailSender;
import com.example.retry.Retryable;

/**
 * new org.springframework.web.client.RestTemplate().getForObject(url) in a javadoc.
 */
public class Lookalikes {
    static final String TEXT = "@KafkaListener(topics = \\"orders\\") kafkaTemplate.send(\\"orders\\", v)";

    // @Scheduled(cron = "0 0 2 * * *") in a comment.
    @Retryable
    @KafkaListener(topics = "orders")
    void run(JavaMailSender mail, RestTemplate rest) {
        rest.getForObject("https://example.com");
        mail.send("hello");
        send("orders");
        new Queue("orders");
    }

    void send(String topic) {
    }

    static class Queue {
        Queue(String name) {
        }
    }
}
`,
    signals: [],
  },
];

describeSignals('Java signals', 'java', CASES);
