import type { Node } from 'web-tree-sitter';
import { CARRIED_KINDS, JAVASCRIPT_APIS } from '../apis/javascript.js';
import type { CallSummary, NameSummary, ValueSummary } from './types.js';

/**
 * The calls a project function makes that may be a library's signal, read for its callers in
 * other modules (a `fetch` wrapper, a helper that sends mail or adds a job). The summary names
 * each call by what it can be resolved from across modules: an import or a module-level name, a
 * parameter's declared type, a local or class field built by a call. What the call is, is
 * decided by the project model once those names are resolved; a call on an untyped parameter or
 * a callback is nothing to the function's callers.
 *
 * What the rules judge at a call of such a function: `http-timeout` judges the library call inside
 * the function, once, where the fix goes, unless the function hands its caller's options to
 * `fetch` (`passes`), when the caller's options are judged instead; the rules that read a call's
 * context (`dual-write`, `notify-in-retried-task`) judge the caller's; the rules that read a
 * library call's own arguments (a job's options, a payment's idempotency key) do not judge it,
 * since the caller's arguments are not the library's.
 */

/** The last names of the library calls of those kinds (`add`, `sendMail`, `create`): a member call by any other name is not read. */
const METHODS: ReadonlySet<string> = new Set([...JAVASCRIPT_APIS].filter(([, kind]) => CARRIED_KINDS.has(kind)).map(([api]) => api.slice(api.lastIndexOf('.') + 1)));

/** At most this many calls are kept per function: a wrapper makes its library call early. */
const MAX_SENDS = 12;

/** What a class method's body can see beyond its own locals: the class's name and fields. */
export interface ClassContext {
  readonly name: string | undefined;
  /** `this.x` and `ClassName.x` (fields, constructor parameter properties, assignments), by name. */
  readonly fields: ReadonlyMap<string, ValueSummary>;
}

/** The value a TypeScript type annotation says a name holds: an instance of the type it names (`Queue`, `Queue<T> | null`). */
export function annotatedInstance(annotation: Node | null | undefined): ValueSummary | undefined {
  let type: Node | null | undefined = annotation?.type === 'type_annotation' ? annotation.namedChild(0) : annotation;
  for (let i = 0; i < 4 && type != null; i++) {
    if (type.type === 'union_type') {
      // `Queue | null`: the one member that is not null or undefined.
      const members = type.namedChildren.filter((m): m is Node => m !== null && !/^(null|undefined)$/.test(m.text) && m.type !== 'literal_type');
      type = members.length === 1 ? members[0] : null;
    } else if (type.type === 'generic_type') {
      const name = type.childForFieldName('name');
      // `Promise<Transporter>` is what an async function gives its caller once awaited.
      type = name?.text === 'Promise' ? (type.childForFieldName('type_arguments')?.namedChild(0) ?? null) : name;
    } else if (type.type === 'parenthesized_type') type = type.namedChild(0);
    else break;
  }
  if (type?.type === 'type_identifier') return { kind: 'call', callee: type.text, isNew: true };
  if (type?.type === 'nested_type_identifier') return { kind: 'call', callee: type.text.replace(/\s/g, ''), isNew: true };
  return undefined;
}

/** The parameters of a function: each name it binds, with its index and declared type. */
function parametersOf(fn: Node): Map<string, { index: number; typed: ValueSummary | undefined }> {
  const found = new Map<string, { index: number; typed: ValueSummary | undefined }>();
  const single = fn.childForFieldName('parameter');
  if (single !== null) found.set(single.text, { index: 0, typed: undefined });
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p !== null && p.type !== 'comment') ?? [];
  params.forEach((param, index) => {
    const pattern = param.childForFieldName('pattern') ?? param;
    const typed = annotatedInstance(param.childForFieldName('type'));
    if (pattern.type === 'identifier') found.set(pattern.text, { index, typed });
    else for (const id of pattern.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])) if (id !== null && !inType(id)) found.set(id.text, { index, typed: undefined });
  });
  return found;
}

function inType(node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'type_annotation') return true;
    if (n.type === 'formal_parameters') return false;
  }
  return false;
}

/** The head identifier of a member chain and the names after it (`this.mailer.sendMail` → this, [mailer, sendMail]). */
function chain(node: Node): { head: Node; path: string[] } | undefined {
  const path: string[] = [];
  let n: Node | null = node;
  while (n !== null) {
    if (n.type === 'member_expression') {
      const property = n.childForFieldName('property');
      if (property === null) return undefined;
      path.unshift(property.text);
      n = n.childForFieldName('object');
    } else if (n.type === 'non_null_expression' || n.type === 'parenthesized_expression') n = n.namedChild(0);
    else break;
  }
  return n !== null && (n.type === 'identifier' || n.type === 'this') ? { head: n, path } : undefined;
}

function at(node: Node): NameSummary['at'] {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}

const NESTED = new Set(['function_declaration', 'generator_function_declaration', 'class_declaration', 'class']);

/**
 * The calls of a function's body that may be a library's, in source order. `locals` are the
 * body's own names bound to a value (`const mailer = createMailTransport(url)`).
 */
export function sendsOf(fn: Node, locals: ReadonlyMap<string, ValueSummary>, context: ClassContext | undefined): CallSummary[] {
  const body = fn.childForFieldName('body');
  if (body === null) return [];
  const params = parametersOf(fn);
  const sends: CallSummary[] = [];
  const seen = new Set<string>();
  const visit = (node: Node): void => {
    if (sends.length >= MAX_SENDS) return;
    if (node.type === 'call_expression') {
      const send = sendOf(node, params, locals, context);
      const key = send === undefined ? '' : JSON.stringify([send.receiver, send.member, send.passes]);
      if (send !== undefined && !seen.has(key)) {
        seen.add(key);
        sends.push(send);
      }
    }
    for (const child of node.namedChildren) if (child !== null && !NESTED.has(child.type)) visit(child);
  };
  visit(body);
  return sends;
}

function sendOf(call: Node, params: ReturnType<typeof parametersOf>, locals: ReadonlyMap<string, ValueSummary>, context: ClassContext | undefined): CallSummary | undefined {
  const callee = call.childForFieldName('function');
  if (callee === null) return undefined;
  const found = chain(callee);
  if (found === undefined) return undefined;
  const { head, path } = found;
  const last = path.at(-1);
  if (last !== undefined && !METHODS.has(last)) return undefined;
  // A queue `add` whose options repeat the job (`{ repeat: { pattern } }`) registers a schedule
  // in the wrapper itself; the wrapper's callers enqueue nothing, and the schedule is the add's.
  if (last === 'add' && repeats(call)) return undefined;
  let receiver: ValueSummary | undefined;
  let member = path.join('.');
  if (head.type === 'this' || (context?.name !== undefined && head.text === context.name)) {
    // `this.transporter.sendMail(...)`, `QueueClass.instance.add(...)`: the field's value.
    const [field, ...rest] = path;
    receiver = field === undefined ? undefined : context?.fields.get(field);
    member = rest.join('.');
    if (member === '') return undefined;
  } else if (params.has(head.text)) {
    receiver = params.get(head.text)?.typed;
    if (member === '') return undefined;
  } else if (locals.has(head.text)) {
    receiver = locals.get(head.text);
    if (member === '') return undefined;
  } else if (head.text === 'globalThis' && member === 'fetch') {
    receiver = { kind: 'ref', ref: 'fetch' };
    member = '';
  } else {
    receiver = { kind: 'ref', ref: [head.text, ...path].join('.') };
    member = '';
  }
  if (receiver === undefined || receiver.kind === 'unknown') return undefined;
  const passes = passedOptions(call, params);
  return { receiver, member, ...(passes === undefined ? {} : { passes }), at: at(call) };
}

/**
 * The parameter whose value is the call's second argument (its options, for `fetch`): passed as
 * it is, or spread into a literal that sets no `signal` or `timeout` of its own.
 */
function passedOptions(call: Node, params: ReturnType<typeof parametersOf>): number | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
  const options = args[1];
  if (options === undefined) return undefined;
  const param = (node: Node | null): number | undefined => (node?.type === 'identifier' ? params.get(node.text)?.index : undefined);
  if (options.type === 'identifier') return param(options);
  if (options.type !== 'object') return undefined;
  let spread: number | undefined;
  for (const prop of options.namedChildren) {
    if (prop === null) continue;
    if (prop.type === 'spread_element') {
      const index = param(prop.namedChild(0));
      if (index !== undefined) spread = index;
      // Any other spread may set a signal of the wrapper's own.
      else return undefined;
    }
    const key = prop.type === 'pair' ? prop.childForFieldName('key')?.text : prop.type === 'shorthand_property_identifier' ? prop.text : undefined;
    if (key === 'signal' || key === 'timeout') return undefined;
  }
  return spread;
}

/** Whether a call is given an object literal with a `repeat` key (BullMQ and Bull's repeat options). */
function repeats(call: Node): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some((arg) => arg?.type === 'object' && arg.namedChildren.some((p) => p?.type === 'pair' && /^["']?repeat["']?$/.test(p.childForFieldName('key')?.text ?? '')));
}
