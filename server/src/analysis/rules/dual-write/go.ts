import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import { calleeRange, relatedCall, type RawFinding, type RuleContext } from '../rule.js';
import { goCallsIn, goFunctionOf } from '../common/go.js';

/**
 * dual-write in Go: a publish, enqueue or HTTP call the file resolves (asynq `Enqueue`, sarama
 * `SendMessage`, kafka-go `WriteMessages`, net/http) in the same function as a database write,
 * with no outbox:
 * - between `tx, err := db.Begin()` (`BeginTx`, sqlx `Beginx`/`BeginTxx`) and `tx.Commit()`
 *   after a write through `tx` (`Exec`, or a `Query` of an INSERT, UPDATE or DELETE), or inside
 *   a GORM `db.Transaction(func(tx *gorm.DB) error {...})` after a write: the message can leave
 *   before the commit (the consumer finds no row) or for a transaction that rolls back;
 * - elsewhere, after a write (an `Exec` of SQL that writes, or a GORM write): a crash between the
 *   two loses the message.
 * Left alone: functions that name an outbox (the outbox pattern or its relay), and sends after
 * the commit. Information only: whether a failure in between matters is the author's call.
 */
const GORM = 'gorm.io/gorm';
const BEGINS = new Set(['Begin', 'BeginTx', 'Beginx', 'BeginTxx']);
const EXECS = new Set(['Exec', 'ExecContext', 'NamedExec', 'NamedExecContext', 'MustExec', 'MustExecContext']);
const QUERIES = new Set(['Query', 'QueryContext', 'QueryRow', 'QueryRowContext', 'Queryx', 'QueryRowx', 'QueryxContext', 'QueryRowxContext']);
const GORM_WRITES = new Set(['Create', 'CreateInBatches', 'Save', 'Update', 'Updates', 'UpdateColumn', 'UpdateColumns', 'Delete', 'Exec'].map((m) => `${GORM}.DB.${m}`));
const SQL_WRITE = /^[`"]\s*(insert|update|delete|upsert|merge|replace)\b/i;

interface Write { readonly node: Node; readonly tx: Node | undefined }

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  const checked = new Set<number>();
  for (const publish of facts.calls) {
    if (!isPublish(facts, publish)) continue;
    const fn = goFunctionOf(publish.node);
    if (fn === undefined || checked.has(fn.id)) continue;
    checked.add(fn.id);
    if (namesOutbox(fn)) continue;
    const writes = writesIn(facts, fn);
    if (writes.length === 0) continue;
    for (const send of goCallsIn(facts, fn)) {
      if (!isPublish(facts, send)) continue;
      const inTransaction = writes.find((w) => w.tx !== undefined && w.node.endIndex <= send.start && send.end <= w.tx.endIndex);
      const write = inTransaction ?? writes.filter((w) => w.tx === undefined && w.node.endIndex <= send.start).at(-1);
      if (write === undefined) continue;
      const callee = facts.text.slice(send.calleeStart, send.calleeEnd);
      findings.push({
        range: calleeRange(send),
        related: [relatedCall(write.node, inTransaction !== undefined ? 'writes in the same transaction, which commits only after the send' : 'writes before the send, and no outbox ties the two together')],
        message: inTransaction !== undefined
          ? `\`${callee}\` is sent inside the transaction that writes, before it commits: it can leave before the commit (the consumer finds no row) or for a rollback. Send it after the commit, or through an outbox.`
          : `\`${callee}\` is sent after a database write with no outbox: a crash between the two loses the message, and inside a caller's transaction the consumer can find no row.`,
        fixes: [],
      });
    }
  }
  return findings;
}


function isPublish(facts: FileFacts, call: CallFact): boolean {
  const kind = signalKindOf(facts.language, call);
  return (kind === 'enqueue' || kind === 'http-call') && !call.isNew && !/\.New\w*$/.test(call.api);
}

function namesOutbox(fn: Node): boolean {
  return fn.descendantsOfType(['interpreted_string_literal', 'raw_string_literal', 'identifier', 'field_identifier', 'type_identifier'])
    .some((n) => n !== null && /outbox/i.test(n.text));
}

/**
 * The writes of `fn`, each with the span in which it is uncommitted: from the write to the
 * transaction's `Commit()` (or the end of a GORM `Transaction` callback), or none outside one.
 */
function writesIn(facts: FileFacts, fn: Node): Write[] {
  const writes: Write[] = [];
  const transactions = transactionsIn(fn);
  for (const call of fn.descendantsOfType('call_expression')) {
    if (call === null) continue;
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
    const receiver = callee?.childForFieldName('operand')?.text;
    const tx = transactions.find((t) => t.name === receiver && call.startIndex > t.begin.endIndex && call.endIndex <= t.commit.startIndex);
    if (tx !== undefined && method !== undefined && (EXECS.has(method) || (QUERIES.has(method) && writesSql(call)))) {
      writes.push({ node: call, tx: tx.commit });
    } else if (method !== undefined && EXECS.has(method) && writesSql(call)) {
      writes.push({ node: call, tx: undefined });
    }
  }
  for (const call of goCallsIn(facts, fn)) {
    if (!GORM_WRITES.has(call.api)) continue;
    const callback = gormTransaction(facts, call.node);
    writes.push({ node: call.node, tx: callback });
  }
  return writes;
}

/** `tx, err := db.Begin()` with a later `tx.Commit()` in the same function: the transaction's name and span. */
function transactionsIn(fn: Node): { name: string; begin: Node; commit: Node }[] {
  const found: { name: string; begin: Node; commit: Node }[] = [];
  for (const statement of fn.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    const value = statement?.childForFieldName('right')?.namedChild(0);
    const callee = value?.type === 'call_expression' ? value.childForFieldName('function') : undefined;
    const name = statement?.childForFieldName('left')?.namedChild(0);
    if (statement == null || callee?.type !== 'selector_expression' || !BEGINS.has(callee.childForFieldName('field')?.text ?? '') || name?.type !== 'identifier') continue;
    const commit = fn.descendantsOfType('call_expression').find((c) => c !== null && c.startIndex > statement.endIndex
      && c.childForFieldName('function')?.text === `${name.text}.Commit`);
    if (commit != null) found.push({ name: name.text, begin: statement, commit });
  }
  return found;
}

/** The GORM `Transaction` callback a call is made in, if any. */
function gormTransaction(facts: FileFacts, node: Node): Node | undefined {
  const fn = goFunctionOf(node);
  if (fn?.type !== 'func_literal') return undefined;
  const call = fn.parent?.parent;
  const fact = call == null ? undefined : facts.calls.find((c) => c.node.id === call.id);
  return fact?.api === `${GORM}.DB.Transaction` ? fn : undefined;
}

/** The call's first string argument is SQL that writes. */
function writesSql(call: Node): boolean {
  const sql = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'interpreted_string_literal' || a?.type === 'raw_string_literal');
  return sql != null && SQL_WRITE.test(sql.text);
}
