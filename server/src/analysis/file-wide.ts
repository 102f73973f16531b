import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './facts/types.js';
import { FILE_WIDE_CALL_NAMES } from './rules/common/file-wide-names.js';

/**
 * What a file's facts give all of its declarations, without places: the APIs it calls, its imports
 * and constants, the library settings it assigns (`http.DefaultClient.Timeout = ...` in a Go
 * `init`, `axios.defaults.timeout` in a function), its beat schedule. A rule may read any of these
 * for a declaration the context does not hold, so an edit that changes them takes a whole analysis.
 */
export function fileWide(facts: FileFacts, start: number, end: number): string {
  const sorted = (values: Iterable<string>): string[] => [...values].sort();
  const watched = watchedCallNames(facts.root, start, end);
  // A call on a value the declaration made itself (`response.json()` after `response = requests.post(...)`)
  // reaches nothing outside it: renaming such a value must not cost a whole analysis.
  const own = (call: FileFacts['calls'][number]): boolean => call.receiver !== undefined && call.receiver.start >= start && call.receiver.start < end;
  return JSON.stringify([
    sorted(facts.calls.filter((call) => !own(call)).map((call) => `${call.decorator === undefined ? '' : '@'}${call.api}`)),
    sorted([...facts.imports].map(([local, fact]) => `${local}=${fact.target}`)),
    sorted([...facts.constants].map(([name, value]) => `${name}=${value.text}`)),
    sorted(facts.configuredMembers),
    sorted([...facts.instanceConfig.values()].map((members) => sorted(members).join(','))),
    sorted((facts.memberAssignments ?? []).map((a) => `${a.path}=${a.value.text}`)),
    sorted(facts.celeryBeat ?? []),
    facts.quote,
    sorted(watched),
  ]);
}

/**
 * The called method names of the declaration at [start, end) that rules read anywhere in the file
 * (`FILE_WIDE_CALL_NAMES`): they are not library calls, so `facts.calls` does not hold them.
 */
function watchedCallNames(root: Node, start: number, end: number): string[] {
  let node: Node | null = root.descendantForIndex(start, Math.max(start, end - 1));
  while (node !== null && (node.startIndex > start || node.endIndex < end)) node = node.parent;
  const names: string[] = [];
  const stack: Node[] = node === null ? [] : [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.type === 'call' || n.type === 'call_expression') {
      const callee = n.childForFieldName('function');
      const method = callee?.childForFieldName('field') ?? callee?.childForFieldName('attribute') ?? callee?.childForFieldName('property');
      const name = method?.text;
      if (name !== undefined && FILE_WIDE_CALL_NAMES.some((pattern) => pattern.test(name))) names.push(name);
    }
    for (const child of n.namedChildren) if (child !== null) stack.push(child);
  }
  return names;
}
