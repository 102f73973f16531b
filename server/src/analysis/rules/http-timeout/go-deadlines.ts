import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { goFunctionOf } from '../common/go.js';

/**
 * An `http.Client` made inside a function and used there only to send requests whose context has
 * a deadline:
 *
 *     client := &http.Client{}
 *     ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
 *     req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
 *     resp, err := client.Do(req)
 *
 * net/http cancels a request when its context is done, so each of these requests is bounded
 * even though the client is not. The context may also be given to a request made by
 * `NewRequest`, with `req.WithContext(ctx)` (or `req.Clone(ctx)`) as `Do`'s argument or assigned
 * before it. Every call on the client must be such a `Do` (or `CloseIdleConnections`, which
 * sends nothing), each request's context must come from `context.WithTimeout` or
 * `context.WithDeadline` in the same function; anything else (a package-level client, a `Get`, a
 * context from a parameter) leaves the client reported.
 *
 * A client stored in a struct field (`svc.client = &http.Client{...}`, or `client:` in the struct's
 * literal) is judged by every use of that field in the file: each must be such a `Do`, made in
 * whichever method sends it, and the field must be read nowhere else (handed on, it may send
 * anything). The other files of the package are not in view; a field they use is their own to
 * answer for.
 */
const DEADLINES = new Set(['context.WithTimeout', 'context.WithDeadline', 'context.WithTimeoutCause', 'context.WithDeadlineCause']);
/** Request methods that return a copy of the request carrying the context they are given. */
const WITH_CONTEXT = new Set(['WithContext', 'Clone']);

export function onlyBoundedRequests(facts: FileFacts, client: CallFact): boolean {
  const fn = goFunctionOf(client.node);
  if (fn === undefined) return false;
  const field = fieldHolding(client);
  const uses = field === undefined
    ? facts.calls.filter((c) => c.receiver === client && !c.api.endsWith('.CloseIdleConnections'))
    : fieldUses(facts, fn, field);
  return uses !== undefined && uses.length > 0 && uses.every((use) => {
    const fn = goFunctionOf(use.node);
    if (!use.api.endsWith('.Do') || fn === undefined) return false;
    const request = use.args?.positional[0];
    if (request === undefined) return false;
    const withDeadline = (context: Node | null | undefined, before: CallFact): boolean =>
      context?.type === 'identifier' && assignedBy(facts, context.text, before, fn, (api) => DEADLINES.has(api)) !== undefined;
    // `client.Do(req.WithContext(ctx))`
    const copied = contextOfCopy(request.node);
    if (copied !== undefined) return withDeadline(copied, use);
    if (request.kind !== 'identifier') return false;
    // `req = req.WithContext(ctx)` before the `Do`.
    const reassigned = lastCopyInto(fn, request.text, use.start);
    if (reassigned !== undefined) return withDeadline(reassigned, use);
    const made = assignedBy(facts, request.text, use, fn, (api) => api === 'net/http.NewRequestWithContext');
    return made !== undefined && withDeadline(made.args?.positional[0]?.node, made);
  });
}

/**
 * A `Do(req)` whose request was made by `http.NewRequest` in the same function and never given a
 * context: nothing bounds it but the client's own `Timeout`.
 */
export function requestWithoutContext(facts: FileFacts, use: CallFact): boolean {
  const fn = goFunctionOf(use.node);
  const request = use.args?.positional[0];
  if (fn === undefined || request?.kind !== 'identifier' || use.args?.positional.length !== 1) return false;
  if (lastCopyInto(fn, request.text, use.start) !== undefined) return false;
  const made = assignedBy(facts, request.text, use, fn, (api) => api === 'net/http.NewRequest' || api === 'net/http.NewRequestWithContext');
  // The request may be given a context between its making and the call (`req = req.WithContext(ctx)` is looked for above).
  return made?.api === 'net/http.NewRequest';
}

/** The context argument of `x.WithContext(ctx)` or `x.Clone(ctx)`, when `node` is such a call. */
function contextOfCopy(node: Node): Node | undefined {
  if (node.type !== 'call_expression') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'selector_expression' || !WITH_CONTEXT.has(callee.childForFieldName('field')?.text ?? '')) return undefined;
  return node.childForFieldName('arguments')?.namedChildren.find((a) => a !== null && a.type !== 'comment') ?? undefined;
}

/** The context of the last `name = x.WithContext(ctx)` (or `:=`) in `fn` before `offset`. */
function lastCopyInto(fn: Node, name: string, offset: number): Node | undefined {
  let found: Node | undefined;
  const stack: Node[] = [fn];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.startIndex >= offset) continue;
    if (node.type === 'short_var_declaration' || node.type === 'assignment_statement') {
      const left = node.childForFieldName('left')?.namedChild(0);
      const right = node.childForFieldName('right')?.namedChild(0);
      const context = right === null || right === undefined ? undefined : contextOfCopy(right);
      if (left?.text === name && context !== undefined && (found === undefined || node.startIndex > found.startIndex)) found = context;
    }
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return found;
}

/** The last call before `use`, in `fn`, whose result's first name is `name`: `name, err := f(...)`. */
function assignedBy(facts: FileFacts, name: string, use: CallFact, fn: Node, matches: (api: string) => boolean): CallFact | undefined {
  return facts.calls.filter((c) => {
    if (!matches(c.api) || c.start >= use.start || goFunctionOf(c.node)?.id !== fn.id) return false;
    const list = c.node.parent;
    const statement = list?.type === 'expression_list' ? list.parent : null;
    if (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement') return false;
    return statement.childForFieldName('left')?.namedChild(0)?.text === name;
  }).at(-1);
}

/** The struct field a client literal is stored in: `x.client = &http.Client{}` or `T{client: &http.Client{}}`. */
function fieldHolding(client: CallFact): string | undefined {
  let value: Node = client.node;
  while (value.parent?.type === 'unary_expression' || value.parent?.type === 'parenthesized_expression' || value.parent?.type === 'literal_element') value = value.parent;
  const parent = value.parent;
  if (parent?.type === 'keyed_element') {
    const key = parent.namedChild(0);
    return key !== null && key.id !== value.id ? key.text.trim() : undefined;
  }
  const list = parent?.type === 'expression_list' ? parent : undefined;
  const statement = list?.parent;
  if (statement?.type !== 'assignment_statement' || statement.childForFieldName('right')?.id !== list?.id) return undefined;
  const left = statement.childForFieldName('left');
  if (left?.namedChildCount !== 1 || list?.namedChildCount !== 1) return undefined;
  const target = left.namedChild(0);
  return target?.type === 'selector_expression' ? target.childForFieldName('field')?.text : undefined;
}

/**
 * The calls made on the field `name` of any value in the file (`s.client.Do(req)`), or undefined
 * when the field is read in any other way (`use(s.client)`, `c := s.client`), save where it is set.
 */
function fieldUses(facts: FileFacts, fn: Node, name: string): CallFact[] | undefined {
  const root = fn.tree.rootNode;
  const byFunction = new Map<number, CallFact>();
  for (const call of facts.calls) {
    const callee = call.node.type === 'call_expression' ? call.node.childForFieldName('function') : null;
    if (callee?.type === 'selector_expression') byFunction.set(callee.childForFieldName('operand')?.id ?? -1, call);
  }
  const uses: CallFact[] = [];
  for (const selector of root.descendantsOfType('selector_expression')) {
    if (selector === null || selector.childForFieldName('field')?.text !== name) continue;
    const parent = selector.parent;
    // Where the field is set: the left of an assignment.
    if (parent?.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.id === parent.id) continue;
    const call = byFunction.get(selector.id);
    if (call === undefined || !call.api.startsWith('net/http.Client.')) return undefined;
    if (!call.api.endsWith('.CloseIdleConnections')) uses.push(call);
  }
  return uses;
}
