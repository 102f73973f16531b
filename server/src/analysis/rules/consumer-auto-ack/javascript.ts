import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { Fix, TextEdit } from '../../types.js';
import { eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { isFunction } from '../common/javascript.js';
import { consumesPrivateQueue } from './private-queue.js';

/**
 * consumer-auto-ack in JavaScript: amqplib `consume` and `get` with `noAck: true`.
 *
 * kafkajs is deliberately not flagged: with its default `autoCommit`, an offset is resolved only
 * after `eachMessage` resolves (kafkajs 2.2.4, `runner.js`), so a crash mid-message re-delivers
 * it. What would be early (an `eachMessage` that starts work without awaiting it) is not visible
 * from the syntax tree, because nothing says which calls return promises.
 *
 * Not reported: `noAck: true` on a reply queue that dies with the connection (server-named,
 * exclusive or auto-delete, or `amq.rabbitmq.reply-to`; `private-queue.ts`).
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    if (call.api !== 'amqplib.Channel.consume' && call.api !== 'amqplib.Channel.get') return undefined;
    const index = call.api === 'amqplib.Channel.consume' ? 2 : 1;
    const noAck = call.args?.positional[index]?.object?.props.get('noAck');
    if (noAck === undefined || noAck.value.kind !== 'true') return undefined;
    if (consumesPrivateQueue(facts, call.args?.positional[0])) return undefined;
    return {
      range: { start: noAck.start, end: noAck.end },
      message: '`noAck: true`: the broker forgets each message as soon as it is delivered, so a crash while handling it loses the message.',
      fixes: call.api === 'amqplib.Channel.consume' ? manualAckFix(facts, call, noAck) : [],
    };
  });
}

/**
 * `noAck: false` with `channel.ack(msg)` as the handler's last statement, when that placement is
 * unambiguous: an inline handler with one parameter and a block body, no early `return`, and no
 * ack, nack or reject of its own. Unsafe: a handler that throws now leaves its message unacked
 * until the channel closes, and the author must choose what a failure does (nack, dead-letter).
 */
function manualAckFix(facts: FileFacts, call: CallFact, noAck: PropertyFact): Fix[] {
  const handler = call.args?.positional[1]?.node;
  const channel = call.node.childForFieldName('function')?.childForFieldName('object');
  if (handler === undefined || channel == null || !/^(this\.)?[\w$]+$/.test(channel.text)) return [];
  if (handler.type !== 'arrow_function' && handler.type !== 'function_expression' && handler.type !== 'function') return [];
  const parameter = onlyParameter(handler);
  const message = parameter?.name;
  const body = handler.childForFieldName('body');
  if (message === undefined || body?.type !== 'statement_block' || acknowledges(body)) return [];
  const statements = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  // `if (!msg) return;` first (the broker cancelled the consumer) is the one early return allowed.
  const guarded = statements[0] !== undefined && isNullGuard(statements[0], message);
  if (statements.slice(guarded ? 1 : 0).some(returnsEarly)) return [];
  const last = statements.at(-1);
  if (last === undefined || (guarded && statements.length === 1)) return [];
  // amqplib types the message as `ConsumeMessage | null`: TypeScript needs the null check before acking.
  const typed = facts.language !== 'javascript' && !guarded && (parameter?.type === undefined || parameter.type.includes('null'));
  const ack = typed ? `if (${message}) ${channel.text}.ack(${message});` : `${channel.text}.ack(${message});`;
  const sameLine = facts.lines.lineOf(last.startIndex) === facts.lines.lineOf(body.startIndex);
  const insert: TextEdit = sameLine
    ? { start: last.endIndex, end: last.endIndex, newText: ` ${ack}` }
    : { start: last.endIndex, end: last.endIndex, newText: `${facts.lines.eol}${facts.lines.indentAt(last.startIndex)}${ack}` };
  return [{ title: `Acknowledge after the handler: noAck: false and ${channel.text}.ack(${message})`, edits: [replaceRange(noAck.value.start, noAck.value.end, 'false'), insert], safe: false }];
}

/** The handler's one parameter: its name and, in TypeScript, its type annotation. */
function onlyParameter(handler: Node): { name: string; type: string | undefined } | undefined {
  const single = handler.childForFieldName('parameter');
  if (single !== null) return single.type === 'identifier' ? { name: single.text, type: undefined } : undefined;
  const params = handler.childForFieldName('parameters')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  const only = params.length === 1 ? params[0] : undefined;
  const name = only?.type === 'identifier' ? only : only?.childForFieldName('pattern');
  if (name?.type !== 'identifier') return undefined;
  return { name: name.text, type: only?.childForFieldName('type')?.text };
}

/** `if (!msg) return;`, `if (msg === null) return;` or `if (msg == null) return;`. */
function isNullGuard(statement: Node, message: string): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative') !== null) return false;
  const condition = statement.childForFieldName('condition')?.text.replace(/[()\s]/g, '');
  const consequence = statement.childForFieldName('consequence')?.text.replace(/[{}\s;]/g, '');
  return consequence === 'return' && (condition === `!${message}` || condition === `${message}===null` || condition === `${message}==null`);
}

function returnsEarly(node: Node): boolean {
  if (node.type === 'return_statement') return true;
  if (isFunction(node)) return false;
  return node.namedChildren.some((c) => c !== null && returnsEarly(c));
}

/** Any `ack`, `nack`, `reject` or `ackAll` call in the handler: the author already acknowledges. */
function acknowledges(node: Node): boolean {
  if (node.type === 'call_expression') {
    const property = node.childForFieldName('function')?.childForFieldName('property')?.text;
    if (property !== undefined && /^(ack|nack|reject|ackAll|nackAll)$/.test(property)) return true;
  }
  return node.namedChildren.some((c) => c !== null && acknowledges(c));
}
