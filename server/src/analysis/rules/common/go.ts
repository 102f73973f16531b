import type { CallFact, FileFacts } from '../../facts/types.js';
import type { TextEdit } from '../../types.js';

/**
 * Reading Go code the way the rules need it, and the edit that adds an import. Fixes that need a
 * package the file does not import add it in gofmt's place: inside the parenthesised import list,
 * in order among the standard-library paths, indented like its neighbours.
 */

/** The local name of an imported package, when the file imports it. */
export function goPackage(facts: FileFacts, path: string): string | undefined {
  for (const imp of facts.imports.values()) if (imp.target === path) return imp.local;
  return undefined;
}

/**
 * How to spell package `path` (a standard-library path such as `time`) in a fix, with the import
 * edit that makes it available; undefined when its name is taken by another import.
 */
export function goImport(facts: FileFacts, path: string): { name: string; edits: TextEdit[] } | undefined {
  const local = goPackage(facts, path);
  if (local !== undefined) return { name: local, edits: [] };
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (facts.imports.has(name)) return undefined;
  const eol = facts.lines.eol;
  const declarations = facts.root.namedChildren.filter((c) => c?.type === 'import_declaration');
  const list = declarations.map((d) => d?.namedChildren.find((c) => c?.type === 'import_spec_list')).find((l) => l != null);
  if (list != null) {
    const specs = list.namedChildren.filter((c) => c?.type === 'import_spec');
    const first = specs[0];
    if (first == null) return { name, edits: [{ start: list.startIndex + 1, end: list.startIndex + 1, newText: `${eol}\t"${path}"${eol}` }] };
    const indent = facts.lines.indentAt(first.startIndex);
    // Standard-library paths have no dot; they come first and sorted.
    const std = specs.filter((s) => s !== null && !(s.childForFieldName('path')?.text ?? '').includes('.'));
    const next = std.find((s) => (s?.childForFieldName('path')?.text ?? '') > `"${path}"`);
    if (next != null) return { name, edits: [{ start: next.startIndex, end: next.startIndex, newText: `"${path}"${eol}${indent}` }] };
    const last = std[std.length - 1];
    if (last != null) return { name, edits: [{ start: last.endIndex, end: last.endIndex, newText: `${eol}${indent}"${path}"` }] };
    return { name, edits: [{ start: first.startIndex, end: first.startIndex, newText: `"${path}"${eol}${eol}${indent}` }] };
  }
  const lastDecl = declarations[declarations.length - 1];
  if (lastDecl != null) return { name, edits: [{ start: lastDecl.endIndex, end: lastDecl.endIndex, newText: `${eol}import "${path}"` }] };
  const pkg = facts.root.namedChildren.find((c) => c?.type === 'package_clause');
  if (pkg == null) return undefined;
  return { name, edits: [{ start: pkg.endIndex, end: pkg.endIndex, newText: `${eol}${eol}import "${path}"` }] };
}

/** The function a call names, as written (`http.Get`, `client.Do`), for messages. */
export function written(facts: FileFacts, call: CallFact): string {
  return facts.text.slice(call.calleeStart, call.calleeEnd);
}
