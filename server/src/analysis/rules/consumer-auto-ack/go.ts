import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { blockStatements, goFunctionOf, goSideEffect, isGoFunction } from '../common/go.js';

/**
 * consumer-auto-ack in Go:
 * - segmentio/kafka-go: `reader.ReadMessage` on a reader whose `ReaderConfig` (in the file) sets a
 *   `GroupID`, followed by processing with side effects. With a consumer group, ReadMessage
 *   commits the message's offset before it returns, so a crash while handling it loses the
 *   message. A reader whose configuration the file does not show is not reported.
 *   Fix (unsafe): `FetchMessage`, and `CommitMessages` after the handler, where the read is a
 *   statement of a loop body that has no `continue` after it and the function returns `error`;
 *   a handler that fails now leaves the offset behind, and what a failure does next is the
 *   author's choice.
 * - sarama: `session.MarkMessage(msg, ...)` before the message is processed. Marked offsets are
 *   committed in the background (auto-commit is on by default, every second), so a crash after
 *   the commit loses the message. Not reported when the file commits by hand (`session.Commit()`)
 *   or turns auto-commit off.
 */
const KAFKA_GO = 'github.com/segmentio/kafka-go';
const SARAMA = 'github.com/IBM/sarama';
const MARKS = new Set([`${SARAMA}.ConsumerGroupSession.MarkMessage`, `${SARAMA}.ConsumerGroupSession.MarkOffset`]);

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const manualCommit = facts.calls.some((c) => c.api === `${SARAMA}.ConsumerGroupSession.Commit`)
    || (facts.memberAssignments ?? []).some((a) => a.path === 'Consumer.Offsets.AutoCommit.Enable' && a.value.kind === 'false');
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    let finding: RawFinding | undefined;
    if (call.api === `${KAFKA_GO}.Reader.ReadMessage`) finding = readMessage(facts, call);
    else if (MARKS.has(call.api) && !manualCommit) finding = markBefore(facts, call);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function readMessage(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const reader = call.receiver;
  if (reader?.api !== `${KAFKA_GO}.NewReader` || !inGroup(facts, reader)) return undefined;
  const statement = call.node.parent?.parent;
  const message = statement?.type === 'short_var_declaration' || statement?.type === 'assignment_statement'
    ? statement.childForFieldName('left')?.namedChild(0) : undefined;
  if (statement == null || message?.type !== 'identifier' || message.text === '_') return undefined;
  const scope = loopBody(statement) ?? goFunctionOf(statement)?.childForFieldName('body');
  if (scope == null || goSideEffect(facts, scope, statement.endIndex, message.text) === undefined) return undefined;
  return {
    range: calleeRange(call),
    message: 'kafka-go `ReadMessage` on a consumer group commits the offset before it returns: a crash while handling the message loses it. Use `FetchMessage` and `CommitMessages` after the handler.',
    fixes: fetchThenCommit(facts, call, statement, message.text),
  };
}

/** The reader's `ReaderConfig` names a consumer group: a literal in the call, or a variable made in the file. */
function inGroup(facts: FileFacts, reader: CallFact): boolean {
  const config = reader.args?.positional[0];
  if (config === undefined || reader.args?.hasSplat === true) return false;
  let group: PropertyFact | undefined;
  if (config.kind === 'object' && config.object !== undefined) {
    if (config.object.hasSpread) return false;
    group = config.object.props.get('GroupID');
  } else if (config.origin !== undefined) {
    const made = facts.calls.find((c) => c.start === config.origin && c.api === `${KAFKA_GO}.ReaderConfig`);
    if (made?.args === undefined || made.args.positional.length > 0 || facts.instanceConfig.get(made.start)?.has('*') === true) return false;
    const assigned = (facts.memberAssignments ?? []).find((a) => a.origin === made.start && a.path === 'GroupID');
    group = made.args.keywords.get('GroupID') ?? (assigned === undefined ? undefined : { key: 'GroupID', value: assigned.value, start: assigned.start, end: assigned.end });
  }
  return group !== undefined && !/^(""|``)$/.test(group.value.text);
}

/** The body of the `for` loop a statement belongs to directly. */
function loopBody(statement: Node): Node | undefined {
  for (let n = statement.parent; n !== null; n = n.parent) {
    if (isGoFunction(n)) return undefined;
    if (n.type === 'for_statement') return n.childForFieldName('body') ?? undefined;
  }
  return undefined;
}

/**
 * `FetchMessage` in place of `ReadMessage`, and `if err := r.CommitMessages(ctx, m); err != nil {
 * return err }` as the loop body's last statement.
 */
function fetchThenCommit(facts: FileFacts, call: CallFact, statement: Node, message: string): Fix[] {
  const body = statement.parent?.type === 'statement_list' ? statement.parent.parent : statement.parent;
  const loop = body?.parent;
  const fn = goFunctionOf(statement);
  const field = call.node.childForFieldName('function')?.childForFieldName('field');
  const reader = call.node.childForFieldName('function')?.childForFieldName('operand')?.text;
  const ctx = call.args?.positional[0]?.text;
  if (loop?.type !== 'for_statement' || body?.id !== loop.childForFieldName('body')?.id || fn === undefined || field == null || reader === undefined || ctx === undefined) return [];
  if (fn.childForFieldName('result')?.text !== 'error') return [];
  const statements = blockStatements(body);
  const last = statements.at(-1);
  if (last === undefined || last.id === statement.id || /^(return|break|continue|goto)_statement$/.test(last.type)) return [];
  if (statements.some((s) => s.startIndex > statement.startIndex && leavesIteration(s))) return [];
  const indent = facts.lines.indentAt(last.startIndex);
  const unit = indent.startsWith('\t') ? '\t' : '    ';
  const eol = facts.lines.eol;
  const commit = `${eol}${indent}if err := ${reader}.CommitMessages(${ctx}, ${message}); err != nil {${eol}${indent}${unit}return err${eol}${indent}}`;
  return [{
    title: 'Fetch the message, and commit it after the handler',
    edits: [replaceRange(field.startIndex, field.endIndex, 'FetchMessage'), { start: last.endIndex, end: last.endIndex, newText: commit }],
    safe: false,
  }];
}

/** A `continue` (or `goto`) that skips the rest of this loop's body, outside nested loops and functions. */
function leavesIteration(node: Node): boolean {
  if (node.type === 'continue_statement' || node.type === 'goto_statement') return true;
  if (isGoFunction(node) || node.type === 'for_statement') return false;
  return node.namedChildren.some((c) => c !== null && leavesIteration(c));
}

/** `session.MarkMessage(msg, "")` followed by processing of `msg`. */
function markBefore(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const message = call.args?.positional[0];
  if (message?.kind !== 'identifier') return undefined;
  const statement = call.node.parent;
  const scope = (statement === null ? undefined : loopBody(statement)) ?? goFunctionOf(call.node)?.childForFieldName('body');
  if (scope == null || goSideEffect(facts, scope, call.end, message.text) === undefined) return undefined;
  return {
    range: calleeRange(call),
    message: `\`${call.node.childForFieldName('function')?.text ?? 'MarkMessage'}\` before the message is processed: sarama commits marked offsets in the background, so a crash while handling the message loses it. Mark it after the handler.`,
    fixes: [],
  };
}
