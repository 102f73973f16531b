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
 * even though the client is not. Every call on the client must be such a `Do`, each request must
 * come from `NewRequestWithContext` in the same function, and its context from
 * `context.WithTimeout` or `context.WithDeadline` there too; anything else (a package-level
 * client, a `Get`, a context from a parameter) leaves the client reported.
 */
const DEADLINES = new Set(['context.WithTimeout', 'context.WithDeadline', 'context.WithTimeoutCause', 'context.WithDeadlineCause']);

export function onlyBoundedRequests(facts: FileFacts, client: CallFact): boolean {
  const fn = goFunctionOf(client.node);
  if (fn === undefined) return false;
  const uses = facts.calls.filter((c) => c.receiver === client);
  return uses.length > 0 && uses.every((use) => {
    if (!use.api.endsWith('.Do')) return false;
    const request = use.args?.positional[0];
    if (request?.kind !== 'identifier') return false;
    const made = assignedBy(facts, request.text, use, fn, (api) => api === 'net/http.NewRequestWithContext');
    const context = made?.args?.positional[0];
    return context?.kind === 'identifier' && assignedBy(facts, context.text, made ?? use, fn, (api) => DEADLINES.has(api)) !== undefined;
  });
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
