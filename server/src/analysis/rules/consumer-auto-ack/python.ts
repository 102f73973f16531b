import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { isSideEffect, moduleFunction } from '../common/python.js';
import { consumesPrivateQueue } from './private-queue.js';

/**
 * consumer-auto-ack in Python: pika `basic_consume`, `consume` and `basic_get` with
 * `auto_ack=True` (`no_ack=True` before pika 1.0), kombu consumers with `no_ack=True`, and
 * confluent-kafka consumers that keep auto-commit and the automatic offset store on while the
 * loop that polls them has side effects: librdkafka stores a message's offset when `poll()` hands
 * it out and commits it from a background thread, so a crash mid-message loses it.
 *
 * kafka-python is not flagged: it commits from inside `poll()` (and the iterator), which a loop
 * that handles each message before polling again reaches only after the handler ran.
 *
 * Not reported: `auto_ack=True` on a reply queue that dies with the connection (server-named,
 * exclusive or auto-delete, or `amq.rabbitmq.reply-to`; `private-queue.ts`).
 */
const PIKA_CONSUMERS = new Set(['pika.Channel.basic_consume', 'pika.Channel.consume', 'pika.Channel.basic_get']);
const KOMBU_CONSUMERS = new Set(['kombu.Consumer', 'kombu.Connection.Consumer']);
const CONFLUENT_CONSUMERS = new Set(['confluent_kafka.Consumer', 'confluent_kafka.DeserializingConsumer']);

export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    let finding: RawFinding | undefined;
    if (PIKA_CONSUMERS.has(call.api)) finding = autoAck(facts, call, call.args?.keywords.get('auto_ack') ?? call.args?.keywords.get('no_ack'));
    else if (KOMBU_CONSUMERS.has(call.api)) finding = autoAck(facts, call, call.args?.keywords.get('no_ack'));
    else if (CONFLUENT_CONSUMERS.has(call.api)) finding = confluentAutoCommit(facts, call);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function autoAck(facts: FileFacts, call: CallFact, flag: PropertyFact | undefined): RawFinding | undefined {
  if (flag?.value.kind !== 'true') return undefined;
  if (call.api.startsWith('pika.') && consumesPrivateQueue(facts, call.args?.keywords.get('queue')?.value ?? call.args?.positional[0])) return undefined;
  return {
    range: { start: flag.start, end: flag.end },
    message: `\`${flag.key}=True\`: the broker forgets each message as soon as it is delivered, so a crash while handling it loses the message.`,
    fixes: call.api === 'pika.Channel.basic_consume' ? manualAckFix(facts, call, flag) : [],
  };
}

/**
 * `auto_ack=False` with `ch.basic_ack(delivery_tag=method.delivery_tag)` as the callback's last
 * statement, when that is unambiguous: the callback is a plain function of this module taking
 * `(channel, method, properties, body)`, named only here, with no `return` and no ack, nack or
 * reject of its own. Unsafe: a callback that raises now leaves its message unacked until the
 * channel closes, and the author must choose what a failure does (nack, dead-letter).
 */
function manualAckFix(facts: FileFacts, call: CallFact, flag: PropertyFact): Fix[] {
  const callback = call.args?.keywords.get('on_message_callback')?.value ?? call.args?.positional[1];
  if (callback?.kind !== 'identifier') return [];
  const fn = moduleFunction(facts, callback.text);
  const params = fn?.childForFieldName('parameters')?.namedChildren.filter((p) => p !== null && p.type !== 'comment') ?? [];
  const body = fn?.childForFieldName('body');
  if (fn === undefined || body == null || params.length !== 4 || !params.every((p) => p?.type === 'identifier')) return [];
  if (references(facts.root, callback.text) !== 2 || hasAny(body, /^(return_statement|yield)$/) || /\.basic_(ack|nack|reject)\s*\(/.test(body.text)) return [];
  const statements = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment');
  const last = statements.at(-1);
  if (last === undefined || facts.lines.lineOf(body.startIndex) === facts.lines.lineOf(fn.startIndex)) return [];
  const indent = facts.lines.indentAt(last.startIndex);
  const ack = `${facts.lines.eol}${indent}${params[0]?.text ?? 'ch'}.basic_ack(delivery_tag=${params[1]?.text ?? 'method'}.delivery_tag)`;
  const edits: TextEdit[] = [replaceRange(flag.value.start, flag.value.end, 'False'), { start: last.endIndex, end: last.endIndex, newText: ack }];
  return [{ title: 'Acknowledge after the callback has run', edits, safe: false }];
}

/** How many identifiers spell `name` in the module (its definition plus its uses). */
function references(root: Node, name: string): number {
  return root.descendantsOfType('identifier').filter((n) => n?.text === name).length;
}

function hasAny(node: Node, types: RegExp): boolean {
  if (types.test(node.type)) return true;
  if (node.type === 'function_definition' || node.type === 'lambda') return false;
  return node.namedChildren.some((c) => c !== null && hasAny(c, types));
}

/** confluent-kafka consumer with `enable.auto.commit` and `enable.auto.offset.store` left on, polled in a loop with side effects. */
function confluentAutoCommit(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const first = call.args?.positional[0];
  const config = first?.object ?? (first?.kind === 'identifier' ? facts.constants.get(first.text)?.object : undefined);
  if (config === undefined || config.hasSpread) return undefined;
  const off = (key: string): boolean => {
    const value = config.props.get(key)?.value;
    return value !== undefined && (value.kind === 'false' || /^['"]false['"]$/i.test(value.text));
  };
  if (off('enable.auto.commit') || off('enable.auto.offset.store')) return undefined;
  const polls = facts.calls.filter((c) => c.receiver === call && /\.(poll|consume)$/.test(c.api));
  if (!polls.some((poll) => loopHasSideEffect(facts, poll))) return undefined;
  return {
    range: calleeRange(call),
    message: 'confluent-kafka consumer with auto-commit on: the offset of each message is stored when `poll()` returns it and committed in the background, so a crash while handling it loses the message.',
    fixes: [],
  };
}

/** The loop around a poll (in the same function) makes a call with side effects after it. */
function loopHasSideEffect(facts: FileFacts, poll: CallFact): boolean {
  let loop: Node | undefined;
  for (let n = poll.node.parent; n !== null; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') break;
    if (n.type === 'while_statement' || n.type === 'for_statement') { loop = n; break; }
  }
  if (loop === undefined) return false;
  const end = loop.endIndex;
  return facts.calls.some((c) => c.start > poll.end && c.end <= end && isSideEffect(facts, c));
}
