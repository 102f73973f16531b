import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import { calleeRange, callsWithin, relatedCall, type RawFinding, type RuleContext } from '../rule.js';
import { enclosingFunction, isFunction, optionsAt, propertyOf, stringValue } from '../common/javascript.js';

/**
 * dual-write in JavaScript: a publish, enqueue or outbound POST in the same function as a database
 * write the file can name (a Prisma model write or `$executeRaw`, a TypeORM repository or manager
 * write, a pg `INSERT`/`UPDATE`/`DELETE`), with no outbox:
 * - inside a `prisma.$transaction(async (tx) => ...)` or `dataSource.transaction(...)` callback
 *   that writes, the message leaves before the commit (or for a rollback);
 * - after the write elsewhere in the function, a crash between the two loses the message.
 * Left alone: sends in an `afterCommit`/`onCommit` callback, and functions that write an outbox
 * (the pattern itself). Clients imported from another module are not resolved, so their writes
 * are not seen: this rule reports only what the file shows, as information.
 */
const PRISMA_WRITE = /^@prisma\/client\.PrismaClient\.([A-Za-z_$][\w$]*\.(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)|\$executeRaw|\$executeRawUnsafe)$/;
const TYPEORM_WRITE = /^typeorm\.(Repository|DataSource\.manager|EntityManager)\.(save|insert|update|upsert|delete|remove|softDelete|softRemove|increment|decrement)$/;
const PG_QUERY = /^pg\.(Pool|Client)\.query$/;
const TRANSACTIONS = new Set(['@prisma/client.PrismaClient.$transaction', 'typeorm.DataSource.transaction', 'typeorm.DataSource.manager.transaction']);
/** Writes through a transaction callback's own client (`tx.order.create`, `manager.save`), matched on the syntax. */
const PARAMETER_WRITE = /\.(create|createMany|update|updateMany|upsert|delete|deleteMany|save|insert|remove|softDelete|\$executeRaw|\$executeRawUnsafe)$/;
const HTTP_POSTS = /^(axios|axios\.Instance|got|got\.Instance)\.(post|put|patch|delete)$/;

export function checkJavaScript(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const sends = facts.calls.filter((c) => isSend(facts, c));
  if (sends.length === 0) return [];
  const transactions = facts.calls.filter((c) => TRANSACTIONS.has(c.api)).flatMap((c) => transactionCallback(c) ?? []);
  const findings: RawFinding[] = [];
  for (const send of sends) {
    const fn = enclosingFunction(send.node);
    if (!isFunction(fn) || isAfterCommit(fn)) continue;
    const transaction = transactions.find((t) => t.callback.id === fn.id);
    const writes = transaction !== undefined ? parameterWrites(transaction) : callsWithin(facts, fn).filter((c) => isWrite(facts, c)).map((c) => c.node);
    if (writes.some((w) => /outbox/i.test(w.text))) continue;
    const inTransaction = transaction !== undefined && writes.length > 0;
    const write = inTransaction ? writes[0] : writes.filter((w) => w.endIndex <= send.start).at(-1);
    if (write === undefined) continue;
    const name = facts.text.slice(send.calleeStart, send.calleeEnd);
    findings.push({
      range: calleeRange(send),
      related: [relatedCall(write, inTransaction ? 'writes in the same transaction, which commits only after the send' : 'writes before the send, and no outbox ties the two together')],
      message: inTransaction
        ? `\`${name}\` is sent inside the transaction that writes: it can leave before the commit (the consumer finds no row) or for a rollback. Send it after the commit, through an outbox.`
        : `\`${name}\` is sent after a database write with no outbox: a crash between the two loses the message, and the database and the receiver disagree.`,
      fixes: [],
    });
  }
  return findings;
}

function isSend(facts: FileFacts, call: CallFact): boolean {
  if (call.api === 'kafkajs.Kafka.producer') return false;
  if (signalKindOf(facts.language, call) === 'enqueue' || HTTP_POSTS.test(call.api)) return true;
  if (call.api !== 'fetch') return false;
  const method = propertyOf(optionsAt(call, 1), 'method');
  const verb = typeof method === 'string' ? undefined : stringValue(facts, method.value)?.toUpperCase();
  return verb === 'POST' || verb === 'PUT' || verb === 'PATCH' || verb === 'DELETE';
}

/** A database write the facts resolve: Prisma, TypeORM, or a pg query whose SQL writes. */
function isWrite(facts: FileFacts, call: CallFact): boolean {
  if (PRISMA_WRITE.test(call.api) || TYPEORM_WRITE.test(call.api)) return true;
  const sql = call.args?.positional[0];
  const text = PG_QUERY.test(call.api) && sql !== undefined ? (stringValue(facts, sql) ?? (sql.node.type === 'template_string' ? sql.text.slice(1) : undefined)) : undefined;
  return text !== undefined && /^\s*(insert|update|delete|merge)\b/i.test(text);
}

interface Transaction {
  readonly callback: Node;
  readonly client: string;
}

/** `prisma.$transaction(async (tx) => ...)`: the callback and the name of the client it receives. */
function transactionCallback(call: CallFact): Transaction | undefined {
  const callback = call.args?.positional.find((a) => a.kind === 'function')?.node;
  const parameter = callback?.childForFieldName('parameter') ?? callback?.childForFieldName('parameters')?.namedChildren.find((c) => c !== null);
  const name = parameter?.type === 'identifier' ? parameter : parameter?.childForFieldName('pattern');
  return callback !== undefined && name?.type === 'identifier' ? { callback, client: name.text } : undefined;
}

function parameterWrites(transaction: Transaction): Node[] {
  const writes: Node[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'call_expression') {
      const callee = node.childForFieldName('function')?.text ?? '';
      if (callee.startsWith(`${transaction.client}.`) && PARAMETER_WRITE.test(callee)) writes.push(node);
    }
    for (const child of node.namedChildren) if (child !== null) visit(child);
  };
  visit(transaction.callback);
  return writes;
}

/** A callback given to `afterCommit` or `onCommit` runs once the transaction committed. */
function isAfterCommit(fn: Node): boolean {
  const call = fn.parent?.type === 'arguments' ? fn.parent.parent : null;
  const property = call?.childForFieldName('function')?.childForFieldName('property')?.text;
  return property !== undefined && /^(afterCommit|onCommit)$/.test(property);
}
