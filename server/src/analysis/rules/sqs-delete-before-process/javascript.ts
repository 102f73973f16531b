import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../../facts/types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { enclosingFunction } from '../common/javascript.js';

/**
 * sqs-delete-before-process in JavaScript: an SQS `deleteMessage` (SDK v2, v3 client or
 * `DeleteMessageCommand`) for a message `m` (its `ReceiptHandle` is `m.ReceiptHandle`) followed,
 * in the same function, by the call that processes `m`: a call given `m`, or a value derived
 * from it, other than logging and parsing. A function that processes `m` before the delete is
 * the right order and is not flagged, whatever it does afterwards.
 */
const DELETES = new Set(['aws-sdk.SQS.deleteMessage', '@aws-sdk/client-sqs.SQS.deleteMessage', '@aws-sdk/client-sqs.DeleteMessageCommand']);
/** Calls that read or report a message without acting on it. */
const NOT_PROCESSING = /^(console|logger|log|JSON|metrics|tracer|span|assert|String|Number|Buffer)\.|^(String|Number|Boolean|parseInt|parseFloat)$|\.(log|info|debug|warn|error|trace)$/;

export function checkJavaScript(context: RuleContext): RawFinding[] {
  return eachCall(context, (_facts, call) => (DELETES.has(call.api) ? checkDelete(call) : undefined));
}

function checkDelete(call: CallFact): RawFinding | undefined {
  const handle = call.args?.positional[0]?.object?.props.get('ReceiptHandle')?.value.node;
  const message = handle?.type === 'member_expression' ? handle.childForFieldName('object') : undefined;
  if (message == null || message.type !== 'identifier') return undefined;
  const scope = enclosingFunction(call.node);
  const names = derivedNames(scope, message.text);
  let before = false;
  let after: Node | undefined;
  const deleted = statementOf(call.node, scope).endIndex;
  // Children first, so that `views.push(show(m.Body))` names `show`, the call that acts on the message.
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) if (child !== null) visit(child);
    if (node.type === 'call_expression' && node.id !== call.node.id && processes(node, names)) {
      if (node.endIndex <= call.node.startIndex) before = true;
      else if (node.startIndex >= deleted && after === undefined) after = node;
    }
  };
  visit(scope);
  if (before || after === undefined) return undefined;
  return {
    range: calleeRange(call),
    message: `The message is deleted before it is processed: if \`${(after.childForFieldName('function')?.text ?? 'the handler').slice(0, 40)}\` fails or the process dies, SQS can no longer redeliver it.`,
    fixes: [],
  };
}

/** The statement of `scope` that holds `node`, so the delete's own `await` and `.promise()` count as the delete. */
function statementOf(node: Node, scope: Node): Node {
  let current = node;
  for (let n = node.parent; n !== null && n.id !== scope.id; n = n.parent) {
    current = n;
    if (n.type.endsWith('_statement') || n.type === 'lexical_declaration' || n.type === 'variable_declaration') return n;
  }
  return current;
}

/** The message variable and the variables computed from it (`const order = JSON.parse(m.Body)`), two levels deep. */
function derivedNames(scope: Node, message: string): Set<string> {
  const names = new Set([message]);
  for (let round = 0; round < 2; round++) {
    const visit = (node: Node): void => {
      if (node.type === 'variable_declarator') {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (name?.type === 'identifier' && value !== null && mentions(value, names)) names.add(name.text);
      }
      for (const child of node.namedChildren) if (child !== null) visit(child);
    };
    visit(scope);
  }
  return names;
}

/** A call that hands the message (or a value derived from it) to code that acts on it. */
function processes(call: Node, names: ReadonlySet<string>): boolean {
  const callee = call.childForFieldName('function')?.text ?? '';
  if (NOT_PROCESSING.test(callee) || /(deleteMessage|deleteMessageBatch|changeMessageVisibility)$/.test(callee)) return false;
  const args = call.childForFieldName('arguments');
  return args !== null && mentions(args, names);
}

/** Whether `node` reads one of `names`, other than through its receipt handle or message id. */
function mentions(node: Node, names: ReadonlySet<string>): boolean {
  if (node.type === 'identifier') return names.has(node.text);
  if (node.type === 'member_expression') {
    const property = node.childForFieldName('property')?.text;
    const object = node.childForFieldName('object');
    if (object?.type === 'identifier' && names.has(object.text)) return property !== 'ReceiptHandle' && property !== 'MessageId';
  }
  return node.namedChildren.some((c) => c !== null && mentions(c, names));
}
