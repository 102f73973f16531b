import type { Node } from 'web-tree-sitter';
import { JAVA_KNOWN_CLASSES } from '../apis/java.js';
import { lookupTable } from '../lookup.js';
import type { ImportFact } from './types.js';

/**
 * Java names: imports (single-type, wildcard, static, static wildcard) and what calling a method
 * of a followed type returns. Canonical names are fully qualified class names, nested classes
 * joined with dots (`java.net.http.HttpClient.Builder`).
 */

/** Types whose methods return the same object (builders), except those named in `RETURNS`. */
export const FLUENT_TYPES: ReadonlySet<string> = new Set([
  'java.net.http.HttpClient.Builder',
  'java.net.http.HttpRequest.Builder',
  'org.springframework.boot.web.client.RestTemplateBuilder',
  'org.springframework.boot.restclient.RestTemplateBuilder',
  'org.springframework.web.reactive.function.client.WebClient.Builder',
  'reactor.netty.http.client.HttpClient',
  'com.stripe.net.RequestOptions.RequestOptionsBuilder',
  'org.springframework.retry.support.RetryTemplateBuilder',
  'io.github.resilience4j.retry.RetryConfig.Builder',
  'org.springframework.amqp.core.QueueBuilder',
  'okhttp3.OkHttpClient.Builder',
  'javax.jms.JMSProducer',
  'jakarta.jms.JMSProducer',
]);

const WEB_CLIENT = 'org.springframework.web.reactive.function.client.WebClient';
const REST_TEMPLATE = 'org.springframework.web.client.RestTemplate';
const CLOUD_BREAKER = 'org.springframework.cloud.client.circuitbreaker';
const CLOUD_RESILIENCE4J = 'org.springframework.cloud.circuitbreaker.resilience4j';

/** What a followed method returns, where that is not the type it is called on. */
export const RETURNS: Readonly<Record<string, string>> = lookupTable({
  'java.net.http.HttpClient.newBuilder': 'java.net.http.HttpClient.Builder',
  'java.net.http.HttpClient.newHttpClient': 'java.net.http.HttpClient',
  'java.net.http.HttpClient.Builder.build': 'java.net.http.HttpClient',
  'java.net.http.HttpRequest.newBuilder': 'java.net.http.HttpRequest.Builder',
  'java.net.http.HttpRequest.Builder.build': 'java.net.http.HttpRequest',
  'org.springframework.boot.web.client.RestTemplateBuilder.build': REST_TEMPLATE,
  'org.springframework.boot.restclient.RestTemplateBuilder.build': REST_TEMPLATE,
  [`${WEB_CLIENT}.builder`]: `${WEB_CLIENT}.Builder`,
  [`${WEB_CLIENT}.create`]: WEB_CLIENT,
  [`${WEB_CLIENT}.Builder.build`]: WEB_CLIENT,
  'reactor.netty.http.client.HttpClient.create': 'reactor.netty.http.client.HttpClient',
  'com.stripe.net.RequestOptions.builder': 'com.stripe.net.RequestOptions.RequestOptionsBuilder',
  'com.stripe.net.RequestOptions.RequestOptionsBuilder.build': 'com.stripe.net.RequestOptions',
  'com.stripe.net.RequestOptions.getDefault': 'com.stripe.net.RequestOptions',
  'org.springframework.retry.support.RetryTemplate.builder': 'org.springframework.retry.support.RetryTemplateBuilder',
  'org.springframework.retry.support.RetryTemplateBuilder.build': 'org.springframework.retry.support.RetryTemplate',
  'io.github.resilience4j.retry.RetryConfig.custom': 'io.github.resilience4j.retry.RetryConfig.Builder',
  'io.github.resilience4j.retry.RetryConfig.Builder.build': 'io.github.resilience4j.retry.RetryConfig',
  'io.github.resilience4j.retry.Retry.of': 'io.github.resilience4j.retry.Retry',
  'io.github.resilience4j.retry.Retry.ofDefaults': 'io.github.resilience4j.retry.Retry',
  'io.github.resilience4j.circuitbreaker.CircuitBreaker.of': 'io.github.resilience4j.circuitbreaker.CircuitBreaker',
  'io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults': 'io.github.resilience4j.circuitbreaker.CircuitBreaker',
  'org.springframework.amqp.core.QueueBuilder.durable': 'org.springframework.amqp.core.QueueBuilder',
  'org.springframework.amqp.core.QueueBuilder.nonDurable': 'org.springframework.amqp.core.QueueBuilder',
  'org.springframework.amqp.core.QueueBuilder.build': 'org.springframework.amqp.core.Queue',
  'com.twilio.rest.api.v2010.account.Message.creator': 'com.twilio.rest.api.v2010.account.MessageCreator',
  // JMS: a session or a JMS 2.0 context makes the producer that sends (under both package names).
  ...Object.fromEntries(['javax.jms', 'jakarta.jms'].flatMap((pkg) => [
    [`${pkg}.Session.createProducer`, `${pkg}.MessageProducer`],
    [`${pkg}.JMSContext.createProducer`, `${pkg}.JMSProducer`],
  ])),
  'okhttp3.OkHttpClient.newBuilder': 'okhttp3.OkHttpClient.Builder',
  'okhttp3.OkHttpClient.Builder.build': 'okhttp3.OkHttpClient',
  // Spring Cloud CircuitBreaker: a factory (the abstract one or Resilience4J's) makes the breaker that runs calls.
  [`${CLOUD_BREAKER}.CircuitBreakerFactory.create`]: `${CLOUD_BREAKER}.CircuitBreaker`,
  [`${CLOUD_BREAKER}.ReactiveCircuitBreakerFactory.create`]: `${CLOUD_BREAKER}.ReactiveCircuitBreaker`,
  [`${CLOUD_RESILIENCE4J}.Resilience4JCircuitBreakerFactory.create`]: `${CLOUD_BREAKER}.CircuitBreaker`,
  [`${CLOUD_RESILIENCE4J}.ReactiveResilience4JCircuitBreakerFactory.create`]: `${CLOUD_BREAKER}.ReactiveCircuitBreaker`,
});

/** The type a call of `api` on a value of type `receiver` returns, when followed. */
export function returnType(api: string, receiver: string | undefined): string | undefined {
  const known = RETURNS[api];
  if (known !== undefined) return known;
  return receiver !== undefined && FLUENT_TYPES.has(receiver) ? receiver : undefined;
}

/** The names a file's imports bring in. */
export class JavaImports {
  /** Simple name → fully qualified class (`import a.b.C;`). */
  readonly types = new Map<string, string>();
  /** Member name → fully qualified member (`import static a.b.C.m;`). */
  readonly members = new Map<string, string>();
  /** Packages imported with `.*`, and classes whose static members are imported with `.*`. */
  readonly wildcards: string[] = [];
  readonly staticWildcards: string[] = [];
  readonly facts = new Map<string, ImportFact>();

  /**
   * @param project Simple names of project classes (imported or of the file's package), and the
   * library class each extends (undefined: a class of the project's own, which hides any other).
   */
  constructor(private readonly project?: ReadonlyMap<string, string | undefined>) {}

  add(node: Node): void {
    const name = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
    if (name == null) return;
    const isStatic = node.children.some((c) => c?.type === 'static');
    const isWildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
    const path = name.text.replace(/\s+/g, '');
    const local = path.slice(path.lastIndexOf('.') + 1);
    if (isWildcard) {
      (isStatic ? this.staticWildcards : this.wildcards).push(path);
      this.facts.set(`${path}.*`, { target: `${path}.*`, local: '*', node });
    } else if (isStatic) {
      this.members.set(local, path);
      this.facts.set(local, { target: path, local, node });
    } else {
      this.types.set(local, path);
      this.facts.set(local, { target: path, local, node });
    }
  }

  /**
   * The class a simple type name stands for: an explicit import first, then a class of the
   * project's, then a known class of a wildcard. With `extended`, a project class stands for the
   * library class it extends (for typing values); without, for itself (for `new`, whose
   * constructor may configure what the library's leaves unset).
   */
  type(simple: string, extended = true): string | undefined {
    if (this.project?.has(simple) === true) return extended ? this.project.get(simple) : undefined;
    const explicit = this.types.get(simple);
    if (explicit !== undefined) return explicit;
    for (const pkg of this.wildcards) {
      if (JAVA_KNOWN_CLASSES.has(`${pkg}.${simple}`)) return `${pkg}.${simple}`;
    }
    return undefined;
  }

  /** The class member a bare method name stands for (`import static ...RetryConfig.custom`). */
  member(simple: string): string | undefined {
    const explicit = this.members.get(simple);
    if (explicit !== undefined) return explicit;
    for (const owner of this.staticWildcards) {
      if (JAVA_KNOWN_CLASSES.has(owner)) return `${owner}.${simple}`;
    }
    return undefined;
  }

  /**
   * A type node's class: `RestTemplate`, `HttpClient.Builder` (nested in an imported class),
   * `java.net.http.HttpClient` (fully qualified), or the raw type of `KafkaProducer<K, V>`.
   */
  typeOf(node: Node | null, extended = true): string | undefined {
    if (node === null) return undefined;
    switch (node.type) {
      case 'type_identifier':
      case 'identifier':
        return this.type(node.text, extended);
      case 'generic_type':
        return this.typeOf(node.namedChild(0), extended);
      case 'scoped_type_identifier':
      case 'scoped_identifier':
        return this.qualified(node.text.replace(/\s+/g, ''));
      default:
        return undefined;
    }
  }

  /** A dotted name whose first part is an imported class, or a fully qualified one. */
  qualified(path: string): string | undefined {
    const dot = path.indexOf('.');
    if (dot < 0) return this.type(path);
    const head = this.type(path.slice(0, dot));
    if (head !== undefined) return `${head}${path.slice(dot)}`;
    // `java.net.http.HttpClient`: lower-case packages, then a class.
    return /^[a-z][\w]*(\.[a-z_][\w]*)*\.[A-Z][\w]*(\.[A-Z][\w]*)*$/.test(path) ? path : undefined;
  }
}
