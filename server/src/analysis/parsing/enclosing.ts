import type { Node, Tree } from 'web-tree-sitter';

/**
 * The innermost node of some types (functions, say) that encloses a node, found from offsets
 * instead of `Node.parent`. web-tree-sitter finds a parent by walking down from the root, so a walk
 * up from a node n levels deep costs n² steps: a call at the bottom of a thousand nested calls took
 * a quarter of a second to find its function. Here the nodes of those types are listed once per
 * tree (in start order, each with the index of the one around it), and a question costs a binary
 * search plus one step per level of nesting of those types.
 */
interface Span {
  readonly node: Node;
  readonly start: number;
  readonly end: number;
  /** Index of the innermost span around this one, or -1. */
  readonly outer: number;
}

const indexes = new WeakMap<Tree, Map<string, readonly Span[]>>();

function spansOf(root: Node, types: readonly string[]): readonly Span[] {
  const key = types.join(' ');
  let byTypes = indexes.get(root.tree);
  if (byTypes === undefined) indexes.set(root.tree, byTypes = new Map());
  const known = byTypes.get(key);
  if (known !== undefined) return known;
  const nodes = root.tree.rootNode.descendantsOfType([...types]).filter((n): n is Node => n !== null);
  const spans: Span[] = [];
  const open: number[] = [];
  // descendantsOfType lists nodes in document order, so an enclosing node comes before what it holds.
  for (const node of nodes) {
    const start = node.startIndex;
    const end = node.endIndex;
    while (open.length > 0 && (spans[open[open.length - 1] as number] as Span).end <= start) open.pop();
    spans.push({ node, start, end, outer: open.length > 0 ? (open[open.length - 1] as number) : -1 });
    open.push(spans.length - 1);
  }
  byTypes.set(key, spans);
  return spans;
}

/** The innermost node of one of `types` that strictly encloses `node` (not `node` itself). */
export function enclosingOfType(node: Node, types: readonly string[]): Node | undefined {
  const spans = spansOf(node.tree.rootNode, types);
  const start = node.startIndex;
  const end = node.endIndex;
  const id = node.id;
  // The last span that starts at or before the node.
  let lo = 0;
  let hi = spans.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid] as Span).start <= start) {
      at = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // A span that does not hold the node ended before it; whatever holds the node holds that span too.
  for (let i = at; i >= 0;) {
    const span = spans[i] as Span;
    if (span.start <= start && end <= span.end && span.node.id !== id) return span.node;
    i = span.outer;
  }
  return undefined;
}
