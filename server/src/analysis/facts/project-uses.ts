import type { Node } from 'web-tree-sitter';
import type { ProjectName } from '../project/types.js';
import type { Lookup, Scopes } from './scopes.js';
import type { CallFact, ProjectUse } from './types.js';

/**
 * The calls whose receiver chain starts at a name imported from the project (`app.task(...)`,
 * `emailQueue.add(...)`), for hovers and related locations. The name must still be bound to what
 * the import gave it where the call is: a local of the same name hides it.
 */
export function projectUsesOf(
  calls: readonly CallFact[],
  imported: ReadonlyMap<string, ProjectName>,
  scopes: Scopes,
  inner: (node: Node) => Node | null,
): ProjectUse[] {
  if (imported.size === 0) return [];
  const uses: ProjectUse[] = [];
  for (const call of calls) {
    let head: Node | null = call.node;
    for (let next = inner(call.node); next !== null; next = inner(next)) head = next;
    if (head === null || head.type !== 'identifier') continue;
    const name = imported.get(head.text);
    const found: Lookup = scopes.lookup(head, head.text);
    if (name === undefined || found.kind !== 'bound' || found.binding.type !== name.type) continue;
    uses.push({ start: head.startIndex, end: head.endIndex, local: head.text, call, description: name.description, origin: name.origin, ...(name.jobDefaults === undefined ? {} : { jobDefaults: name.jobDefaults }), ...(name.timeoutOption === undefined ? {} : { timeoutOption: name.timeoutOption }) });
  }
  return uses;
}
