import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../facts/types.js';
import type { TextRange } from '../types.js';

/**
 * An application's own lock held in a database row (solidus' `Spree::OrderMutex.with_lock!`): a
 * class method that inserts a row, treats `ActiveRecord::RecordNotUnique` (the unique index saying
 * another process holds the row) as failing to acquire, and runs the caller's block while the row
 * exists. The shape is read, not the name: an insert rescued for uniqueness, and a `yield`.
 */

const INSERTS = new Set(['create', 'create!', 'insert', 'insert!']);
const NOT_UNIQUE = /(?:^|::)RecordNotUnique$/;

/** The class methods of a class body (`def self.x`, or `def x` inside `class << self`) that are such a lock. */
export function rowMutexMethods(body: Node | null): Node[] {
  const found: Node[] = [];
  for (const member of body?.namedChildren ?? []) {
    if (member?.type === 'singleton_method' && isRowMutex(member)) found.push(member);
    if (member?.type === 'singleton_class') {
      const inner = member.childForFieldName('body');
      for (const m of inner?.namedChildren ?? []) if (m?.type === 'method' && isRowMutex(m)) found.push(m);
    }
  }
  return found;
}

function isRowMutex(method: Node): boolean {
  if (method.descendantsOfType('yield').length === 0) return false;
  return method.descendantsOfType('rescue').some((rescue) => {
    const exceptions = rescue?.childForFieldName('exceptions')?.namedChildren ?? [];
    if (!exceptions.some((e) => e !== null && NOT_UNIQUE.test(e.text.replace(/\s+/g, '')))) return false;
    // The statements the rescue guards: those of its `begin` (or method body) before the rescue.
    const guarded = (rescue?.parent?.namedChildren ?? []).filter((s): s is Node => s !== null && s.endIndex <= (rescue?.startIndex ?? 0));
    return guarded.some((s) => [s, ...s.descendantsOfType('call')].some((c) => c !== null && c.type === 'call' && INSERTS.has(c.childForFieldName('method')?.text ?? '')));
  });
}

/** The names of the file's row-lock methods, where each is defined: a lock signal of its own. */
export function rowMutexRanges(facts: FileFacts): TextRange[] {
  const ranges: TextRange[] = [];
  for (const cls of facts.root.descendantsOfType(['class', 'module'])) {
    for (const method of rowMutexMethods(cls?.childForFieldName('body') ?? null)) {
      const name = method.childForFieldName('name');
      if (name !== null) ranges.push({ start: name.startIndex, end: name.endIndex });
    }
  }
  return ranges;
}
