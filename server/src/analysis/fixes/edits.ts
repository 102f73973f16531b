import type { ArgumentsFact, FileFacts, ListLayout, ObjectFact } from '../facts/types.js';
import type { LineIndex } from '../parsing/positions.js';
import { listLayout } from '../facts/common.js';
import type { TextEdit } from '../types.js';

/** Appends an argument, on its own line when the call already lists one argument per line. */
export function appendArgument(facts: FileFacts, args: ArgumentsFact, text: string): TextEdit[] {
  return appendItem(facts, args, text);
}

/** Appends a property to an object literal or dict, following its layout. */
export function appendProperty(facts: FileFacts, object: ObjectFact, text: string): TextEdit[] {
  if (object.isEmpty) {
    const inner = facts.text.slice(object.start + 1, object.end - 1);
    return [{ start: object.start + 1, end: object.end - 1, newText: inner.trim() === '' ? ` ${text} ` : `${inner}${text}` }];
  }
  return appendItem(facts, object, text);
}

/**
 * Appends an item to a list. One item per line gets a new line at the same indentation, and keeps
 * the list's trailing comma and any comment on the last item's line where they were.
 */
export function appendItem(facts: { readonly lines: LineIndex }, list: ListLayout, text: string): TextEdit[] {
  const at = list.insertAt;
  if (list.isEmpty) return [{ start: at, end: at, newText: text }];
  if (list.itemIndent === undefined) return [{ start: at, end: at, newText: `, ${text}` }];
  const line = `${facts.lines.eol}${list.itemIndent}${text}`;
  if (list.trailingCommaEnd !== undefined) {
    const end = list.trailingCommentEnd ?? list.trailingCommaEnd;
    return [{ start: end, end, newText: `${line},` }];
  }
  if (list.trailingCommentEnd !== undefined) {
    return [{ start: at, end: at, newText: ',' }, { start: list.trailingCommentEnd, end: list.trailingCommentEnd, newText: line }];
  }
  return [{ start: at, end: at, newText: `,${line}` }];
}

export function replaceRange(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

/**
 * How to spell a Python name at a fix's location, with the import edit that makes it available:
 * an existing import is reused (`tenacity.stop_after_attempt` when the module is imported,
 * the bare name when it is), otherwise the name is added to a `from module import ...`.
 */
export function pythonName(facts: FileFacts, module: string, member: string): { name: string; edits: TextEdit[] } {
  const canonical = `${module}.${member}`;
  for (const imp of facts.imports.values()) {
    if (imp.target === canonical) return { name: imp.local, edits: [] };
  }
  for (const imp of facts.imports.values()) {
    if (imp.target === module && imp.node.type === 'import_statement') return { name: `${imp.local}.${member}`, edits: [] };
  }
  for (const imp of facts.imports.values()) {
    if (imp.node.type !== 'import_from_statement' || imp.node.childForFieldName('module_name')?.text !== module) continue;
    const names = imp.node.childrenForFieldName('name').filter((n) => n !== null);
    const last = names[names.length - 1];
    if (last == null) continue;
    // Only a parenthesised import may list names one per line; a backslash continuation stays on one line.
    const paren = imp.node.children.find((c) => c?.type === '(');
    const layout = paren == null
      ? { insertAt: last.endIndex, isEmpty: false, itemIndent: undefined, trailingCommaEnd: undefined, trailingCommentEnd: undefined }
      : listLayout(facts.lines, paren, last);
    return { name: member, edits: appendItem(facts, layout, member) };
  }
  const eol = facts.lines.eol;
  let lastImportEnd = -1;
  for (const imp of facts.imports.values()) lastImportEnd = Math.max(lastImportEnd, imp.node.endIndex);
  if (lastImportEnd >= 0) return { name: member, edits: [{ start: lastImportEnd, end: lastImportEnd, newText: `${eol}from ${module} import ${member}` }] };
  return { name: member, edits: [{ start: 0, end: 0, newText: `from ${module} import ${member}${eol}` }] };
}

/**
 * A module-level constant whose name says it is a timeout, for fixes that prefer a name to a
 * number. Only a constant defined before `offset` is reused: JavaScript's `const` cannot be read
 * before its declaration, and a Python module-level call cannot see a name assigned below it.
 */
export function timeoutConstant(facts: FileFacts, offset: number): string | undefined {
  // Python timeouts are seconds and JavaScript ones milliseconds: only a name that says so is reused.
  const unit = facts.language === 'python' ? /TIMEOUT(?!.*MS)/ : /TIMEOUT.*MS|MS.*TIMEOUT/;
  for (const [name, value] of facts.constants) {
    if (unit.test(name) && value.kind === 'number' && value.end <= offset) return name;
  }
  return undefined;
}
