import type { Node } from 'web-tree-sitter';

/**
 * The idempotency guard before a send, as notify rules read it in any tree-sitter language whose
 * `if` has `condition` and `consequence` fields: an `if` before the send (or around it) whose
 * condition reads a sent-marker and whose body leaves the function.
 */
export interface GuardSyntax {
  /** A node of a condition that claims or looks up a marker (`setnx(...)`, `nx=True`, `existsBy...(...)`). */
  readonly isMarkerCheck: (node: Node) => boolean;
  /** Statements that leave the function (`return`, `raise`, `throw`). */
  readonly leaving: ReadonlySet<string>;
  /** Nodes whose bodies run elsewhere (nested functions, lambdas, classes). */
  readonly nested: ReadonlySet<string>;
}

/** Names that say a condition is about a record of the send (the Go check reads its guards with them too). */
export const GUARD_WORDS = /sent|notified|delivered|already|claim|idempot|dedup|marker|processed|seen|created/i;

/** Whether `send`, inside `scope`, is preceded or enclosed by a guard. */
export function guarded(syntax: GuardSyntax, scope: Node, send: Node): boolean {
  const isGuard = (condition: Node | null): boolean => condition !== null && mentionsMarker(syntax, condition);
  for (let n = send.parent; n !== null && n.id !== scope.id; n = n.parent) {
    if (n.type === 'if_statement' && isGuard(n.childForFieldName('condition'))) return true;
  }
  return scope.descendantsOfType('if_statement').some((stmt) => stmt !== null && stmt.endIndex <= send.startIndex
    && isGuard(stmt.childForFieldName('condition')) && leaves(syntax, stmt.childForFieldName('consequence')));
}

function mentionsMarker(syntax: GuardSyntax, n: Node): boolean {
  if (n.type === 'identifier' && GUARD_WORDS.test(n.text)) return true;
  if (syntax.isMarkerCheck(n)) return true;
  return n.namedChildren.some((c) => c !== null && mentionsMarker(syntax, c));
}

/** The block leaves the function (the guard stops the send). */
function leaves(syntax: GuardSyntax, block: Node | null): boolean {
  if (block === null) return false;
  if (syntax.leaving.has(block.type)) return true;
  if (syntax.nested.has(block.type)) return false;
  return block.namedChildren.some((c) => c !== null && leaves(syntax, c));
}
