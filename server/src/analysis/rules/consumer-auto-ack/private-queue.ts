import type { Node } from 'web-tree-sitter';
import { unquote } from '../../facts/common.js';
import type { CallFact, FileFacts, ValueFact } from '../../facts/types.js';

/**
 * A queue that lives and dies with its consumer's connection, where automatic acknowledgement
 * loses nothing an ack would have saved: if the consumer dies, the queue and every message in it
 * are deleted with the connection, so there is no one to redeliver to. This is RabbitMQ's RPC
 * reply pattern, where the caller also waits for its reply with a timeout of its own.
 *
 * Recognised, for the queue a consumer names (its first argument, or `queue=`):
 *
 * - the direct reply-to pseudo-queue `amq.rabbitmq.reply-to`, which RabbitMQ requires to be
 *   consumed in no-ack mode;
 * - a queue declared in the same file as server-named (`assertQueue('')`, `queue_declare(queue='')`),
 *   `exclusive` or auto-delete (`autoDelete: true`, `auto_delete=True`), when the consumer names
 *   it by the same literal or variable, or by the declaration's result: `q.queue` or a
 *   destructured `queue` (amqplib), `result.method.queue` (pika), directly or through one
 *   assignment (`self.callback_queue = result.method.queue`).
 *
 * A durable, shared queue stays reported, however it is named.
 */
const REPLY_TO = 'amq.rabbitmq.reply-to';
const DECLARES = new Set(['amqplib.Channel.assertQueue', 'pika.Channel.queue_declare']);

export function consumesPrivateQueue(facts: FileFacts, queue: ValueFact | undefined): boolean {
  if (queue === undefined) return false;
  if (queue.kind === 'string' && unquote(queue.text) === REPLY_TO) return true;
  const named = queue.text;
  for (const declare of facts.calls) {
    if (!DECLARES.has(declare.api) || !isPrivate(declare)) continue;
    const declared = declaredName(declare);
    if (declared !== undefined && unquote(declared.text) !== '' && declared.text === named) return true;
    for (const result of resultNames(declare)) {
      const forms = declare.api.startsWith('pika.') ? [`${result}.method.queue`] : [`${result}.queue`, result === 'queue' ? 'queue' : ''];
      if (forms.includes(named) || forms.some((form) => form !== '' && assignedNames(facts.root, form).includes(named))) return true;
    }
  }
  return false;
}

function declaredName(call: CallFact): ValueFact | undefined {
  return call.args?.keywords.get('queue')?.value ?? call.args?.positional[0];
}

function isPrivate(call: CallFact): boolean {
  const args = call.args;
  if (args === undefined) return false;
  const name = declaredName(call);
  // pika's `queue_declare()` with no queue asks the server for a name, as `queue=''` does.
  if ((name === undefined && call.api.startsWith('pika.')) || (name?.kind === 'string' && unquote(name.text) === '')) return true;
  const options = call.api.startsWith('pika.') ? args.keywords : args.positional[1]?.object?.props;
  const flag = (key: string): boolean => options?.get(key)?.value.kind === 'true';
  return flag('exclusive') || flag('autoDelete') || flag('auto_delete');
}

/** `q = ...`, `const q = await ...`, `self.q = ...`, `const { queue } = await ...`: the names the result is held in. */
function resultNames(call: CallFact): string[] {
  let node: Node = call.node;
  while (node.parent !== null && (node.parent.type === 'await_expression' || node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  const parent = node.parent;
  if (parent === null) return [];
  if (parent.type === 'variable_declarator' && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name');
    if (name?.type === 'object_pattern') return name.namedChildren.some((c) => c?.text === 'queue') ? ['queue'] : [];
    return name === null ? [] : [name.text];
  }
  if ((parent.type === 'assignment' || parent.type === 'assignment_expression') && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    return left === null ? [] : [left.text];
  }
  return [];
}

/** Names assigned exactly `value` (by its text) anywhere in the file: `callback_queue = result.method.queue`. */
function assignedNames(root: Node, value: string): string[] {
  const out: string[] = [];
  // An explicit stack: a file can be nested deeper than the call stack allows.
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'assignment' || node.type === 'assignment_expression') {
      if (node.childForFieldName('right')?.text === value) out.push(node.childForFieldName('left')?.text ?? '');
    } else if (node.type === 'variable_declarator' && node.childForFieldName('value')?.text === value) {
      out.push(node.childForFieldName('name')?.text ?? '');
    }
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return out.filter((n) => n !== '');
}
