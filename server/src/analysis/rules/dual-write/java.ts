import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import { annotationsOn, element } from '../common/java.js';
import { JAVA_OUTBOX_PUBLISHERS } from '../../apis/java-libraries.js';
import { calleeRange, callsWithin, type RawFinding, type RuleContext } from '../rule.js';

/**
 * dual-write in Java: a publish (KafkaTemplate, RabbitTemplate/AmqpTemplate, JmsTemplate,
 * KafkaProducer), a RestTemplate call that may write (POST, PUT, PATCH, DELETE) or a notification
 * (mail, SMS; also through a project class that sends, java-senders.ts), inside a transaction that also writes to the
 * database (a Spring Data repository's, a MyBatis mapper's or a project data service's `save`/`update...`/`delete...`, `JdbcTemplate.update`,
 * `EntityManager.persist`/`merge`/`remove`).
 *
 * A transaction is a method annotated `@Transactional` (Spring, Jakarta or javax), a non-private
 * method of a class annotated so, or the callback of `TransactionTemplate.execute`. Not one:
 * `readOnly = true`, propagation `NOT_SUPPORTED` or `NEVER`.
 *
 * Left alone: methods that are `@TransactionalEventListener`s (they run after the commit by
 * default), sends inside an anonymous class (a `TransactionSynchronization.afterCommit`), and
 * transactions that write to an outbox (the outbox pattern itself), which includes a publish
 * through Eventuate Tram, whose publisher writes its outbox table in this transaction. A Kafka
 * transaction does not make the send atomic with the database: Spring synchronises it with the
 * database transaction and commits it after the database's, separately, so the message says so. A repository is
 * recognised by its declared type's name (`...Repository`, `...Repo`, `...Dao`), which is how
 * Spring Data code names them; the interface itself is in another file. Information only; no fix:
 * an outbox or an after-commit publish is a design choice (chapter 11).
 */
const TRANSACTIONAL = new Set([
  'org.springframework.transaction.annotation.Transactional', 'jakarta.transaction.Transactional', 'javax.transaction.Transactional',
]);
const AFTER_COMMIT = 'org.springframework.transaction.event.TransactionalEventListener';
const TEMPLATE_CALLBACK = /^org\.springframework\.transaction\.support\.TransactionTemplate\.(?:execute|executeWithoutResult)$/;
const WRITES = /^(?:org\.springframework\.jdbc\.core\.(?:JdbcTemplate|namedparam\.NamedParameterJdbcTemplate)\.(?:update|batchUpdate)|(?:jakarta|javax)\.persistence\.EntityManager\.(?:persist|merge|remove))$/;
/** Spring Data repositories, DAOs, MyBatis mappers, and the project's own data services (`LitemallOrderService.updateById`), by name. */
const REPOSITORY_TYPE = /(?:Repository|Repo|Dao|DAO|Mapper|Service)$/;
const REPOSITORY_WRITE = /^(?:save|saveAll|saveAndFlush|saveAllAndFlush|delete\w*|insert\w*|update\w*|persist|merge|remove)$/;
const PRODUCER_FACTORIES = new Set(['org.apache.kafka.clients.producer.KafkaProducer']);
/** RestTemplate methods that can change the other side; `exchange` unless its method is GET. */
const HTTP_WRITES = /^org\.springframework\.web\.client\.RestTemplate\.(?:post\w*|put|patch\w*|delete|exchange)$/;

export function checkJava(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const scope of transactions(facts)) {
    const calls = callsWithin(facts, scope).filter((c) => c.decorator === undefined);
    const sends = calls.filter((c) => publishKind(facts, c) !== undefined && !inAnonymousClass(c.node, scope));
    if (sends.length === 0) continue;
    const invocations = scope.descendantsOfType('method_invocation').filter((m): m is Node => m !== null);
    if (invocations.some((m) => /outbox/i.test(receiverType(m) ?? m.childForFieldName('object')?.text ?? ''))) continue;
    const write = calls.find((c) => WRITES.test(c.api))?.node ?? invocations.find(isRepositoryWrite);
    if (write === undefined) continue;
    const written = calleeText(write);
    const name = write.childForFieldName('name') ?? write;
    const where = { start: write.startIndex, end: name.endIndex };
    for (const send of sends) {
      findings.push({
        range: calleeRange(send),
        related: [{ range: where, message: `\`${written}\` writes in the same transaction, which commits only after the send` }],
        message: publishKind(facts, send) === 'notify'
          ? `\`${calleeText(send.node)}\` sends a notification inside the transaction that writes (\`${written}\`): the mail or message goes out even if the transaction rolls back, and again when the failed request is retried. Send it after the commit (a \`@TransactionalEventListener\`), or record it in an outbox table written in this transaction.`
          : publishKind(facts, send) === 'http'
          ? `\`${calleeText(send.node)}\` calls another service inside the transaction that writes (\`${written}\`): the call takes effect even if the transaction rolls back, and the transaction stays open while it waits. Call it after the commit, or record the request in an outbox table.`
          : `\`${calleeText(send.node)}\` publishes inside the transaction that writes (\`${written}\`): unless the template takes part in a broker transaction, the message leaves before the commit (a consumer can find no row) or for a rollback; a broker transaction synchronised with this one still commits separately, after it, so a crash in between loses the message. Publish through an outbox table written in this transaction, or after the commit from a \`@TransactionalEventListener\`.`,
        fixes: [],
      });
    }
  }
  return findings;
}

/** Method bodies and callbacks that run inside a database transaction. */
function transactions(facts: FileFacts): Node[] {
  const scopes: Node[] = [];
  const add = (node: Node | null | undefined): void => {
    if (node != null && !scopes.some((s) => s.id === node.id)) scopes.push(node);
  };
  for (const call of facts.calls) {
    if (TEMPLATE_CALLBACK.test(call.api)) {
      const callback = call.args?.positional[0];
      if (callback?.kind === 'function') add(callback.node);
      continue;
    }
    const declaration = call.decorator?.functionNode;
    if (!TRANSACTIONAL.has(call.api) || declaration === undefined || !opensTransaction(call)) continue;
    if (declaration.type === 'method_declaration') {
      if (!annotationsOn(facts, declaration).some((a) => a.api === AFTER_COMMIT)) add(declaration.childForFieldName('body'));
    } else if (declaration.type === 'class_declaration') {
      for (const method of declaration.childForFieldName('body')?.namedChildren ?? []) {
        if (method?.type !== 'method_declaration' || /\b(?:private|static)\b/.test(modifiers(method))) continue;
        const own = annotationsOn(facts, method);
        if (own.some((a) => TRANSACTIONAL.has(a.api) || a.api === AFTER_COMMIT)) continue;
        add(method.childForFieldName('body'));
      }
    }
  }
  return scopes;
}

/** Whether `@Transactional(...)` starts or joins a read-write transaction. */
function opensTransaction(annotation: CallFact): boolean {
  if (element(annotation.args, 'readOnly')?.value.kind === 'true') return false;
  const propagation = element(annotation.args, 'propagation')?.value.text ?? element(annotation.args, 'value')?.value.text ?? '';
  return !/\b(?:NOT_SUPPORTED|NEVER)$/.test(propagation);
}

function publishKind(facts: FileFacts, call: CallFact): 'message' | 'http' | 'notify' | undefined {
  const kind = signalKindOf(facts.language, call);
  if (kind === 'notify') return 'notify';
  if (kind === 'enqueue' && !(call.isNew && PRODUCER_FACTORIES.has(call.api)) && !JAVA_OUTBOX_PUBLISHERS.has(call.api)) return 'message';
  if (kind === 'http-call' && HTTP_WRITES.test(call.api) && !/\bGET$/.test(call.args?.positional[1]?.text ?? '')) return 'http';
  return undefined;
}

/** A send in an anonymous class (a `TransactionSynchronization`) runs when that class is called back. */
function inAnonymousClass(node: Node, scope: Node): boolean {
  for (let n = node.parent; n !== null && n.id !== scope.id; n = n.parent) if (n.type === 'class_body') return true;
  return false;
}

/** `orders.save(order)` on a field, parameter or local whose declared type is a repository. */
function isRepositoryWrite(invocation: Node): boolean {
  const method = invocation.childForFieldName('name')?.text ?? '';
  if (!REPOSITORY_WRITE.test(method)) return false;
  const type = receiverType(invocation) ?? '';
  // A service's `delete` may remove a file or a cache entry: only its saves, inserts and updates count.
  if (/Service$/.test(type)) return /^(?:save|insert|update)/.test(method);
  return REPOSITORY_TYPE.test(type);
}

/** The simple name of the declared type of a call's receiver (`this.orders`, `orders`), found in the file. */
function receiverType(invocation: Node): string | undefined {
  const object = invocation.childForFieldName('object');
  const isThis = object?.type === 'field_access' && object.childForFieldName('object')?.type === 'this';
  const name = object?.type === 'identifier' ? object.text : isThis ? object.childForFieldName('field')?.text : undefined;
  if (name === undefined) return undefined;
  for (let n = invocation.parent; n !== null; n = n.parent) {
    const declarations = isThis && n.type !== 'class_body' ? [] : declarationsIn(n);
    for (const d of declarations) {
      const names = d.type === 'formal_parameter' ? [d.childForFieldName('name')] : d.childrenForFieldName('declarator').map((v) => v?.childForFieldName('name'));
      if (names.some((id) => id?.text === name)) return simpleType(d.childForFieldName('type'));
    }
    if (n.type === 'class_body') return undefined;
  }
  return undefined;
}

/** The declarations a node introduces for the code inside it. */
function declarationsIn(node: Node): Node[] {
  const kinds = node.type === 'class_body' ? ['field_declaration']
    : node.type === 'block' ? ['local_variable_declaration']
    : node.type === 'method_declaration' || node.type === 'constructor_declaration' ? [] : undefined;
  if (kinds === undefined) return [];
  if (kinds.length === 0) return (node.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => p?.type === 'formal_parameter');
  return node.namedChildren.filter((c): c is Node => c !== null && kinds.includes(c.type));
}

function simpleType(type: Node | null): string | undefined {
  const text = type?.text.replace(/<[\s\S]*$/, '').trim();
  return text === undefined ? undefined : text.slice(text.lastIndexOf('.') + 1);
}

function modifiers(declaration: Node): string {
  return declaration.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
}

function calleeText(node: Node): string {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('name')?.text ?? node.text;
  return object?.type === 'identifier' || object?.type === 'field_access' ? `${object.text}.${name}` : name;
}
