import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import type { Fix } from '../../types.js';
import { calleeRange, relatedCall, type RawFinding, type RuleContext } from '../rule.js';
import { callsIn, enclosingFunction, isCommit, isDbWrite, MODEL_CLASS } from '../common/python.js';

/**
 * dual-write in Python: a publish or enqueue (Celery `.delay`/`.apply_async`, RQ, dramatiq, pika,
 * kombu, Kafka, SQS) in the same function as a database write (Django ORM, SQLAlchemy, an INSERT
 * or UPDATE), with no outbox and no on-commit hook:
 * - inside `transaction.atomic()` (or SQLAlchemy `session.begin()`) that writes, the message can
 *   leave before the commit (the worker finds no row) or for a transaction that rolls back;
 * - elsewhere, after a write that nothing has committed yet (a SQLAlchemy session or a DB-API
 *   connection with no `commit()` before the send), the message can leave for a row the consumer
 *   cannot see, or for a write that is never committed.
 * Not reported: a Django ORM write outside `transaction.atomic()`. Django's autocommit has
 * committed it before the send, which is the on-commit order, and the message leaves for a row
 * that exists; only ATOMIC_REQUESTS or a caller's atomic could hold it back, which the file cannot
 * show. The window between the commit and the send is every enqueue's, not a dual write's.
 * Left alone: sends inside `transaction.on_commit(...)` (a lambda runs later, in its own scope),
 * `delay_on_commit`, and functions that read or write an outbox table (the relay, or the outbox
 * pattern itself). Information only: whether a failure in between matters is the author's call.
 *
 * Fix (unsafe): in a Django `transaction.atomic()` block, wrap the send in
 * `transaction.on_commit(lambda: ...)`, when it is a statement of its own and not in a loop (a
 * lambda in a loop would see only the last value of the loop's variables).
 */
const PRODUCER_FACTORIES = new Set(['kafka.KafkaProducer', 'confluent_kafka.Producer', 'confluent_kafka.SerializingProducer', 'confluent_kafka.avro.AvroProducer']);
const ON_COMMIT = new Set(['celery.Task.delay_on_commit', 'celery.Task.apply_async_on_commit']);

export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  // Only functions that publish are read, so a file with no publish costs one pass over its calls.
  const checked = new Set<number>();
  for (const publish of facts.calls) {
    if (!isPublish(facts, publish)) continue;
    const fn = enclosingFunction(publish.node);
    if (fn?.type !== 'function_definition' || checked.has(fn.id)) continue;
    checked.add(fn.id);
    const calls = callsIn(facts, fn);
    if (calls.some((c) => /outbox/i.test(c.api))) continue;
    const writes = calls.filter(isDbWrite);
    if (writes.length === 0) continue;
    const commits = calls.filter(isCommit);
    const atomicDecorated = facts.calls.some((c) => c.decorator?.functionNode.id === fn.id && c.api === 'django.db.transaction.atomic');
    for (const send of calls) {
      if (!isPublish(facts, send)) continue;
      const block = atomicDecorated ? fn : transactionBlock(facts, send.node, fn);
      const written = block === undefined ? undefined : writes.find((w) => w.start >= block.startIndex && w.end <= block.endIndex);
      const inTransaction = written !== undefined;
      const write = written ?? writes.find((w) => !isDjangoWrite(w) && uncommittedBefore(facts, w, send, commits, fn));
      if (write === undefined) continue;
      findings.push({
        related: [relatedCall(write.node, inTransaction ? 'writes in the same transaction, which commits only after the send' : 'writes before the send, and nothing commits it first')],
        range: calleeRange(send),
        message: inTransaction
          ? `\`${callee(send)}\` is sent inside the transaction that writes: it can leave before the commit (the consumer finds no row) or for a rollback. Send it from \`transaction.on_commit\` or through an outbox.`
          : `\`${callee(send)}\` is sent after a database write that nothing has committed yet: the consumer can find no row, or the write may never be committed. Commit first, or send through an outbox.`,
        fixes: inTransaction && !atomicDecorated && block !== undefined ? onCommitFix(facts, send, block, fn) : [],
      });
    }
  }
  return findings;
}

/**
 * A write before the send that nothing has committed yet: no `commit()` between them, and not in
 * a `with transaction.atomic():` block that closed before the send (that is the on-commit order).
 */
function uncommittedBefore(facts: FileFacts, write: CallFact, send: CallFact, commits: readonly CallFact[], fn: Node): boolean {
  if (write.end > send.start || commits.some((c) => c.start >= write.end && c.end <= send.start)) return false;
  for (let n = write.node.parent; n !== null && n.id !== fn.id; n = n.parent) {
    if (n.type === 'with_statement' && n.endIndex <= send.start && isTransaction(facts, n)) return false;
  }
  return true;
}

/** A Django ORM write (`Model.objects.create`, `instance.save`), which autocommit commits at once outside atomic(). */
function isDjangoWrite(call: CallFact): boolean {
  return MODEL_CLASS.test(call.api) && !call.api.startsWith('sqlalchemy.') && !call.api.startsWith('flask_sqlalchemy.');
}

function isPublish(facts: FileFacts, call: CallFact): boolean {
  return signalKindOf(facts.language, call) === 'enqueue' && !PRODUCER_FACTORIES.has(call.api) && !ON_COMMIT.has(call.api);
}

/** The `with transaction.atomic():` (or SQLAlchemy `with session.begin():`) block around `node`, within `fn`. */
function transactionBlock(facts: FileFacts, node: Node, fn: Node): Node | undefined {
  for (let n = node.parent; n !== null && n.id !== fn.id; n = n.parent) {
    if (n.type === 'with_statement' && isTransaction(facts, n)) return n;
  }
  return undefined;
}

function isTransaction(facts: FileFacts, withStatement: Node): boolean {
  const clause = withStatement.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).some((item) => {
    const value = item?.namedChild(0);
    const call = value?.type === 'as_pattern' ? value.namedChild(0) : value;
    const api = call?.type === 'call' ? facts.calls.find((c) => c.node.id === call.id)?.api : undefined;
    return api === 'django.db.transaction.atomic' || (api !== undefined && /^(?:sqlalchemy|flask_sqlalchemy)\..*\.begin$/.test(api));
  });
}

/** `transaction.on_commit(lambda: send(...))`, spelled with the name the file's `atomic()` uses. */
function onCommitFix(facts: FileFacts, send: CallFact, block: Node, fn: Node): Fix[] {
  const statement = send.node.parent;
  if (statement?.type !== 'expression_statement' || statement.namedChildCount !== 1) return [];
  for (let n = statement.parent; n !== null && n.id !== fn.id; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement') return [];
  }
  const atomic = block.descendantsOfType('call').find((c) => c !== null && facts.calls.some((f) => f.node.id === c.id && f.api === 'django.db.transaction.atomic'));
  const module = atomic?.childForFieldName('function');
  if (module?.type !== 'attribute') return [];
  const name = module.childForFieldName('object')?.text;
  if (name === undefined) return [];
  return [{
    title: `Send from ${name}.on_commit`,
    edits: [{ start: send.start, end: send.end, newText: `${name}.on_commit(lambda: ${send.node.text})` }],
    safe: false,
  }];
}

function callee(call: CallFact): string {
  return call.node.childForFieldName('function')?.text ?? call.api;
}
