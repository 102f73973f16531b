import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './facts/types.js';
import { RULES } from './rules/index.js';
import type { FileWideReads } from './rules/rule.js';
import type { LanguageId } from './types.js';

/** What the rules of one language read outside a finding's declaration, merged (see `FileWideReads`). */
interface MergedReads {
  readonly calls: readonly RegExp[];
  readonly importUses: boolean;
  readonly moduleAssignments: boolean;
  readonly readers: readonly string[];
  readonly wholeText: boolean;
}

const merged = new Map<LanguageId, MergedReads>();

/** The rules' declared reads for `language`, merged once. */
export function readsOf(language: LanguageId): MergedReads {
  let reads = merged.get(language);
  if (reads !== undefined) return reads;
  const all = RULES.map((rule) => rule.reads[language]).filter((r): r is FileWideReads => r !== undefined);
  reads = {
    calls: all.flatMap((r) => r.calls ?? []),
    importUses: all.some((r) => r.importUses === true),
    moduleAssignments: all.some((r) => r.moduleAssignments === true),
    readers: all.flatMap((r) => r.readers ?? []),
    wholeText: all.some((r) => r.wholeText === true),
  };
  merged.set(language, reads);
  return reads;
}

/** What a declaration gives the rest of the file, and whether one of its calls reads the rest (see `FileWideReads.readers`). */
export interface FileWide {
  readonly key: string;
  /** The API of a call in the declaration whose finding reads other declarations, if any. */
  readonly reader: string | undefined;
}

/**
 * What a file's facts give all of its declarations, without places: the APIs it calls, its imports
 * and constants, the library settings it assigns (`http.DefaultClient.Timeout = ...` in a Go
 * `init`, `axios.defaults.timeout` in a function), its beat schedule, and what the rules declare
 * they read in every declaration (`FileWideReads`: method names of calls, uses of imports,
 * assignments of module-level names), read in the declaration at [start, end). A rule may read any
 * of these for a declaration the context does not hold, so an edit that changes them takes a whole
 * analysis.
 */
export function fileWide(facts: FileFacts, language: LanguageId, start: number, end: number): FileWide {
  const sorted = (values: Iterable<string>): string[] => [...values].sort();
  const reads = readsOf(language);
  const declared = declaredReads(facts, reads, start, end);
  // A call on a value the declaration made itself (`response.json()` after `response = requests.post(...)`)
  // reaches nothing outside it: renaming such a value must not cost a whole analysis.
  const own = (call: FileFacts['calls'][number]): boolean => call.receiver !== undefined && call.receiver.start >= start && call.receiver.start < end;
  const isReader = (api: string): boolean => reads.readers.some((reader) => api === reader || (reader.endsWith('.') && api.startsWith(reader)));
  const reader = reads.readers.length === 0 ? undefined : facts.calls.find((call) => call.start >= start && call.end <= end && isReader(call.api))?.api;
  const key = JSON.stringify([
    sorted(facts.calls.filter((call) => !own(call)).map((call) => `${call.decorator === undefined ? '' : '@'}${call.api}`)),
    sorted([...facts.imports].map(([local, fact]) => `${local}=${fact.target}`)),
    sorted([...facts.constants].map(([name, value]) => `${name}=${value.text}`)),
    sorted(facts.configuredMembers),
    sorted([...facts.instanceConfig.values()].map((members) => sorted(members).join(','))),
    sorted((facts.memberAssignments ?? []).map((a) => `${a.path}=${a.value.text}`)),
    sorted(facts.celeryBeat ?? []),
    facts.quote,
    declared,
  ]);
  return { key, reader };
}

const ASSIGNMENTS = new Set(['assignment_statement', 'inc_statement', 'dec_statement', 'assignment', 'augmented_assignment', 'operator_assignment', 'assignment_expression', 'augmented_assignment_expression']);
const IDENTIFIERS = new Set(['identifier', 'package_identifier', 'constant']);

/**
 * What the rules declare they read in the declaration at [start, end): the called method names
 * they look for anywhere, the imports it uses, the module-level names it assigns. One walk of its
 * subtree; the lists are sorted, so that only a change of what they hold counts.
 */
function declaredReads(facts: FileFacts, reads: MergedReads, start: number, end: number): string[][] {
  if (reads.calls.length === 0 && !reads.importUses && !reads.moduleAssignments) return [];
  let node: Node | null = facts.root.descendantForIndex(start, Math.max(start, end - 1));
  while (node !== null && (node.startIndex > start || node.endIndex < end)) node = node.parent;
  const imports = reads.importUses ? new Set(facts.imports.keys()) : new Set<string>();
  const moduleNames = reads.moduleAssignments ? moduleBindings(facts.root) : new Set<string>();
  const calls: string[] = [];
  const used = new Set<string>();
  const assigned = new Set<string>();
  const stack: Node[] = node === null ? [] : [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (reads.calls.length > 0 && (n.type === 'call' || n.type === 'call_expression' || n.type === 'method_invocation')) {
      const callee = n.childForFieldName('function');
      const method = callee?.childForFieldName('field') ?? callee?.childForFieldName('attribute') ?? callee?.childForFieldName('property') ?? n.childForFieldName('method') ?? n.childForFieldName('name');
      const name = method?.text;
      if (name !== undefined && reads.calls.some((pattern) => pattern.test(name))) calls.push(name);
    }
    if (imports.size > 0 && IDENTIFIERS.has(n.type) && imports.has(n.text)) used.add(n.text);
    if (moduleNames.size > 0 && ASSIGNMENTS.has(n.type)) {
      const target = n.childForFieldName('left') ?? n.namedChild(0);
      const names = target === null ? [] : target.type === 'expression_list' ? target.namedChildren : [target];
      for (const name of names) if (name !== null && moduleNames.has(name.text)) assigned.add(name.text);
    }
    for (const child of n.namedChildren) if (child !== null) stack.push(child);
  }
  return [calls.sort(), [...used].sort(), [...assigned].sort()];
}

/** The names the file's module-level variable and constant declarations bind (a Go `var`/`const`, a Python assignment). */
function moduleBindings(root: Node): Set<string> {
  const names = new Set<string>();
  for (const top of root.namedChildren) {
    if (top === null) continue;
    if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const spec of top.descendantsOfType(['var_spec', 'const_spec'])) {
        for (const name of spec?.childrenForFieldName('name') ?? []) if (name !== null) names.add(name.text);
      }
    } else if (top.type === 'expression_statement' && top.namedChild(0)?.type === 'assignment') {
      const left = top.namedChild(0)?.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
    }
  }
  return names;
}
