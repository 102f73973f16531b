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
    // After error recovery an object can lack its closing brace (tree-sitter adds a zero-width
    // MISSING `}`): then there is no text between the braces, and the edit must not end before it
    // starts (found by fuzzing, issue 7; test/fixtures/crashes/tsx-object-missing-brace.tsx).
    const innerEnd = Math.max(object.start + 1, object.end - 1);
    const inner = facts.text.slice(object.start + 1, innerEnd);
    return [{ start: object.start + 1, end: innerEnd, newText: inner.trim() === '' ? ` ${text} ` : `${inner}${text}` }];
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
 * How to spell a Python name where a fix at offset `at` uses it, with the import edit that makes it
 * available. The fix follows how the code it edits is spelled (`qualified`): `tenacity.retry` gives
 * `tenacity.stop_after_attempt` when the module is imported; a bare `retry` reuses an imported
 * `stop_after_attempt` or adds it to the `from tenacity import ...`. Only module-level imports count.
 * Failing both, a new `from module import member` goes after the last import above `at`, or after
 * the docstring and `__future__` imports, which must stay first.
 */
export function pythonName(facts: FileFacts, module: string, member: string, at: number, qualified: boolean): { name: string; edits: TextEdit[] } {
  // Only module-level imports are visible everywhere a fix may use the name.
  const imports = [...facts.imports.values()].filter((imp) => imp.node.parent?.type === 'module');
  const existing = imports.find((imp) => imp.target === `${module}.${member}`);
  const viaName = existing === undefined ? undefined : { name: existing.local, edits: [] };
  const viaModule = (): { name: string; edits: TextEdit[] } | undefined => {
    const imp = imports.find((i) => i.target === module && i.node.type === 'import_statement');
    return imp === undefined ? undefined : { name: `${imp.local}.${member}`, edits: [] };
  };
  const viaFrom = (): { name: string; edits: TextEdit[] } | undefined => {
    const imp = imports.find((i) => i.node.type === 'import_from_statement' && i.node.childForFieldName('module_name')?.text === module);
    const names = imp?.node.childrenForFieldName('name').filter((n) => n !== null) ?? [];
    const last = names[names.length - 1];
    if (imp === undefined || last == null) return undefined;
    // Only a parenthesised import may list names one per line; a backslash continuation stays on one line.
    const paren = imp.node.children.find((c) => c?.type === '(');
    const layout = paren == null
      ? { insertAt: last.endIndex, isEmpty: false, itemIndent: undefined, trailingCommaEnd: undefined, trailingCommentEnd: undefined }
      : listLayout(facts.lines, paren, last, imp.node);
    return { name: member, edits: appendItem(facts, layout, member) };
  };
  const found = qualified ? (viaModule() ?? viaName ?? viaFrom()) : (viaName ?? viaFrom() ?? viaModule());
  if (found !== undefined) return found;
  const statement = `from ${module} import ${member}`;
  const eol = facts.lines.eol;
  let after = -1;
  for (const imp of imports) if (imp.node.endIndex <= at) after = Math.max(after, imp.node.endIndex);
  if (after < 0) after = headerEnd(facts.root);
  if (after >= 0) return { name: member, edits: [{ start: after, end: after, newText: `${eol}${statement}` }] };
  return { name: member, edits: [{ start: 0, end: 0, newText: `${statement}${eol}` }] };
}

/** The end of a Python module's docstring and `from __future__` imports, or -1 when it has neither. */
function headerEnd(root: FileFacts['root']): number {
  let end = -1;
  for (const child of root.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    const docstring = end < 0 && child.type === 'expression_statement' && child.namedChild(0)?.type === 'string';
    if (!docstring && child.type !== 'future_import_statement') break;
    end = child.endIndex;
  }
  return end;
}

/**
 * A module-level constant whose name says it is an HTTP timeout, for fixes that prefer a name to a
 * number. Only a constant defined before `offset` is reused: JavaScript's `const` cannot be read
 * before its declaration, and a Python module-level call cannot see a name assigned below it.
 */
export function timeoutConstant(facts: FileFacts, offset: number): string | undefined {
  // Python and Ruby timeouts are seconds and JavaScript ones milliseconds: only a name that says so is reused.
  const unit = facts.language === 'python' || facts.language === 'ruby' ? /TIMEOUT(?!.*MS)/ : /TIMEOUT.*MS|MS.*TIMEOUT/;
  for (const [name, value] of facts.constants) {
    if (unit.test(name) && HTTP_NAME.test(name) && value.kind === 'number' && value.end <= offset) return name;
  }
  return undefined;
}

/**
 * A bare `TIMEOUT` (with a unit or `DEFAULT`) or one that names the network; `LOCK_TIMEOUT` or
 * `DB_TIMEOUT` are someone else's limits and must not leak into an HTTP call.
 */
const HTTP_NAME = /^(?:DEFAULT_)?TIMEOUT(?:_MS|_SECONDS|_S)?$|HTTP|REQUEST|FETCH|CLIENT|API|NETWORK|UPSTREAM|REMOTE|CONNECT/;
