import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../../facts/types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { enclosingFunction } from '../common/python.js';

/**
 * sqs-delete-before-process in Python: a boto3 `delete_message` for a message `m` (its
 * `ReceiptHandle` is `m["ReceiptHandle"]` or `m.receipt_handle`), or the resource's `m.delete()`,
 * followed in the same function by the call that processes `m`: a call given `m`, or a value
 * derived from it, other than logging and parsing. A function that processes `m` before the delete
 * is in the right order and is not flagged, whatever it does afterwards.
 */
const DELETES = new Set(['boto3.sqs.Client.delete_message', 'boto3.sqs.Message.delete']);
/** Calls that read or report a message without acting on it. */
const NOT_PROCESSING = /^(?:print|len|str|int|float|bool|dict|list|tuple|set|repr|isinstance|getattr|hasattr|json\.\w+|logging\.\w+)$|^(?:log|logger|_logger|LOGGER|LOG|logging|metrics|statsd)\.|\.(?:debug|info|warning|warn|error|exception|critical)$/;

export function checkPython(context: RuleContext): RawFinding[] {
  return eachCall(context, (_facts, call) => (DELETES.has(call.api) ? checkDelete(call) : undefined));
}

function checkDelete(call: CallFact): RawFinding | undefined {
  const message = messageOf(call);
  const scope = enclosingFunction(call.node);
  if (message === undefined || scope === undefined) return undefined;
  const names = derivedNames(scope, message);
  const deleted = statementOf(call.node, scope).endIndex;
  let before = false;
  let after: Node | undefined;
  // Children first, so that `results.append(handle(body))` names `handle`, the call that acts on the message.
  const visit = (node: Node): void => {
    if (node.type === 'function_definition' || node.type === 'lambda') return;
    for (const child of node.namedChildren) if (child !== null) visit(child);
    if (node.type === 'call' && node.id !== call.node.id && processes(node, names)) {
      if (node.endIndex <= call.node.startIndex) before = true;
      else if (node.startIndex >= deleted && after === undefined) after = node;
    }
  };
  const body = scope.childForFieldName('body');
  if (body !== null) visit(body);
  if (before || after === undefined) return undefined;
  return {
    range: calleeRange(call),
    message: `The message is deleted before it is processed: if \`${(after.childForFieldName('function')?.text ?? 'the handler').slice(0, 40)}\` fails or the process dies, SQS can no longer redeliver it.`,
    fixes: [],
  };
}

/** The message variable: `m` of `ReceiptHandle=m["ReceiptHandle"]`, or of `m.delete()`. */
function messageOf(call: CallFact): string | undefined {
  if (call.api === 'boto3.sqs.Message.delete') {
    const object = call.node.childForFieldName('function')?.childForFieldName('object');
    return object?.type === 'identifier' ? object.text : undefined;
  }
  const handle = call.args?.keywords.get('ReceiptHandle')?.value.node;
  const base = handle?.type === 'subscript' ? handle.childForFieldName('value') : handle?.type === 'attribute' ? handle.childForFieldName('object') : undefined;
  return base?.type === 'identifier' ? base.text : undefined;
}

/** The statement of `scope` that holds `node`. */
function statementOf(node: Node, scope: Node): Node {
  let current = node;
  for (let n = node.parent; n !== null && n.id !== scope.id; n = n.parent) {
    current = n;
    if (n.type.endsWith('_statement')) return n;
  }
  return current;
}

/** The message variable and the variables computed from it (`body = json.loads(m["Body"])`), two levels deep. */
function derivedNames(scope: Node, message: string): Set<string> {
  const names = new Set([message]);
  const assignments = scope.descendantsOfType('assignment');
  for (let round = 0; round < 2; round++) {
    for (const assignment of assignments) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right != null && mentions(right, names)) names.add(left.text);
    }
  }
  return names;
}

/** A call that acts on the message: given it (or a derived value), and neither logging, parsing nor a method of the message itself. */
function processes(call: Node, names: ReadonlySet<string>): boolean {
  const fn = call.childForFieldName('function');
  if (fn === null || NOT_PROCESSING.test(fn.text)) return false;
  if (fn.type === 'attribute' && mentions(fn.childForFieldName('object') ?? fn, names)) return false;
  const args = call.childForFieldName('arguments');
  return args !== null && mentions(args, names);
}

function mentions(node: Node, names: ReadonlySet<string>): boolean {
  if (node.type === 'identifier') return names.has(node.text);
  // `m.body` mentions `m`; the attribute's own name does not count.
  if (node.type === 'attribute') return mentions(node.childForFieldName('object') ?? node, names);
  if (node.type === 'keyword_argument') return mentions(node.childForFieldName('value') ?? node, names);
  return node.namedChildren.some((c) => c !== null && mentions(c, names));
}
