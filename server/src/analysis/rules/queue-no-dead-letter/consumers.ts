import type { Node } from 'web-tree-sitter';
import { unquote } from '../../facts/common.js';
import type { FileFacts } from '../../facts/types.js';

/**
 * Whether the file shows a consumer of the queue `name` and nothing in the file ever rejects a
 * message. RabbitMQ dead-letters a message only when a consumer rejects or nacks it without
 * requeueing, when it expires (a TTL) or when the queue overflows (a length limit); a queue with
 * no TTL and no limit, whose consumers always acknowledge, never sends anything to a dead-letter
 * exchange, so asking for one there points at the wrong fix. Callers check the TTL and limits.
 *
 * Consumers are `basic_consume`/`consume` (pika) and `consume` (amqplib) naming the queue by the
 * same literal. Any call in the file to a method named `nack`, `reject`, `nackAll`, `basic_nack`
 * or `basic_reject`, on whatever object, counts as a rejection: a channel handed to a callback is
 * not always resolved, and a rejection missed here would hide a real finding.
 */
/** Queue arguments under which RabbitMQ dead-letters messages that no consumer rejected. */
export const EXPIRY_ARGUMENTS: ReadonlySet<string> = new Set(['x-message-ttl', 'x-max-length', 'x-max-length-bytes', 'x-delivery-limit']);

const CONSUMERS = new Set(['pika.Channel.basic_consume', 'pika.Channel.consume', 'amqplib.Channel.consume']);
export const REJECTS = /^(nack|nackAll|reject|basic_nack|basic_reject)$/;

export function consumedWithoutReject(facts: FileFacts, name: string): boolean {
  const consumed = facts.calls.some((c) => {
    if (!CONSUMERS.has(c.api)) return false;
    const queue = c.args?.keywords.get('queue')?.value ?? c.args?.positional[0];
    return queue?.kind === 'string' && unquote(queue.text) === name;
  });
  return consumed && !rejectsAnywhere(facts.root);
}

function rejectsAnywhere(root: Node): boolean {
  // An explicit stack: a file can be nested deeper than the call stack allows.
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'call' || node.type === 'call_expression') {
      const callee = node.childForFieldName('function');
      const method = callee?.childForFieldName('attribute') ?? callee?.childForFieldName('property');
      if (method != null && REJECTS.test(method.text)) return true;
    }
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return false;
}
