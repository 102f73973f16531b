import { Query, type Language, type Node, type QueryCapture, type QueryMatch, type QueryOptions, type Tree } from 'web-tree-sitter';
import type { LineIndex } from '../parsing/positions.js';
import type { CallFact, ListLayout } from './types.js';

/**
 * One compiled query per language and source, compiled on first use and kept for the process.
 *
 * Every pass of a query over a tree costs about the same whatever the query asks for: on a 10k-line
 * file, a query that matches nothing takes a third of a parse, while one query made of every
 * source takes little more than the slowest of them alone. So the sources of a language are run
 * together: the first whole-tree `matches` of a tree runs one query made of every source seen so
 * far, and its matches are split by source and kept for that tree, for the other sources to take
 * without a pass of their own. Only a source first seen after the tree's pass runs alone (once per
 * process: the next tree's pass includes it). A source's matches are the same, in the same order,
 * as running it alone: patterns match independently, and a subset of patterns keeps its order.
 */
export interface SharedQuery {
  matches(node: Node, options?: QueryOptions): QueryMatch[];
  captures(node: Node, options?: QueryOptions): QueryCapture[];
}

const hubs = new WeakMap<Language, QueryHub>();

export function compiledQuery(language: Language, source: string): SharedQuery {
  let hub = hubs.get(language);
  if (hub === undefined) {
    hub = new QueryHub(language);
    hubs.set(language, hub);
  }
  return hub.query(source);
}

class QueryHub {
  private readonly sources = new Map<string, SourceQuery>();
  /** The query of every source so far, and where each source's patterns start in it. */
  private combined: { query: Query; firsts: number[]; members: SourceQuery[] } | undefined;
  /** Per tree: the combined query that ran, and each member's matches. */
  private readonly done = new WeakMap<Tree, { members: SourceQuery[]; results: QueryMatch[][] }>();

  constructor(private readonly language: Language) {}

  /**
   * While set, the matches of an empty tree are not computed: the language's warm-up (see
   * `warmQueries`) only learns which sources an analysis asks for, and its result is thrown away.
   */
  registering = false;

  query(source: string): SourceQuery {
    let query = this.sources.get(source);
    if (query === undefined) {
      query = new SourceQuery(this, source);
      this.sources.set(source, query);
    }
    return query;
  }

  /** The language, for a source's own query. */
  get grammar(): Language {
    return this.language;
  }

  /** The matches of `member` over the whole of `tree`, from the tree's one shared pass when it can. */
  matchesOfTree(tree: Tree, root: Node, member: SourceQuery): QueryMatch[] {
    // An empty text (the worker's warm-up of a language) is matched source by source: its pass is
    // free, and building the combined query for it would build it twice, since the first real
    // file's analysis meets sources the empty one never asked for.
    if (root.endIndex === 0) return this.registering ? [] : member.query.matches(root);
    let done = this.done.get(tree);
    if (done === undefined) {
      const combined = this.combinedQuery();
      const results = combined.members.map((): QueryMatch[] => []);
      const firsts = combined.firsts;
      for (const match of combined.query.matches(root)) {
        let k = firsts.length - 1;
        while (k > 0 && (firsts[k] as number) > match.patternIndex) k--;
        match.patternIndex -= firsts[k] as number;
        results[k]?.push(match);
      }
      done = { members: combined.members, results };
      this.done.set(tree, done);
    }
    const k = done.members.indexOf(member);
    return k >= 0 ? (done.results[k] as QueryMatch[]) : member.query.matches(root);
  }

  combinedQuery(): { query: Query; firsts: number[]; members: SourceQuery[] } {
    if (this.combined === undefined || this.combined.members.length !== this.sources.size) {
      const members = [...this.sources.values()];
      const query = new Query(this.language, members.map((m) => m.source).join('\n'));
      // Where each source's patterns start, read from where each pattern starts in the joined
      // source: no source is compiled alone to count its patterns, which cost more than the
      // combined query itself at a worker's start.
      const starts: number[] = [];
      let at = 0;
      for (const m of members) {
        starts.push(at);
        at += m.source.length + 1;
      }
      // A source's first pattern is the number of patterns that start before it (a source without a pattern has the next one's).
      const firsts: number[] = [];
      const count = query.patternCount();
      let pattern = 0;
      for (const start of starts) {
        while (pattern < count && query.startIndexForPattern(pattern) < start) pattern++;
        firsts.push(pattern);
      }
      this.combined?.query.delete();
      this.combined = { query, firsts, members };
    }
    return this.combined;
  }
}

/**
 * Runs a language's warm-up analysis (of an empty text, whose result is thrown away): the sources
 * it asks for are registered without being compiled alone, and the combined query of them all is
 * compiled once at its end, for the first real file's pass.
 */
export function warmQueries<T>(language: Language, run: () => T): T {
  let hub = hubs.get(language);
  if (hub === undefined) {
    hub = new QueryHub(language);
    hubs.set(language, hub);
  }
  hub.registering = true;
  try {
    return run();
  } finally {
    hub.registering = false;
    hub.combinedQuery();
  }
}

class SourceQuery implements SharedQuery {
  private compiled: Query | undefined;

  constructor(private readonly hub: QueryHub, readonly source: string) {}

  /** The source's own query, compiled when first needed: most sources only ever run in the combined one. */
  get query(): Query {
    this.compiled ??= new Query(this.hub.grammar, this.source);
    return this.compiled;
  }

  matches(node: Node, options?: QueryOptions): QueryMatch[] {
    const tree = node.tree;
    if (options !== undefined || node.id !== tree.rootNode.id) return this.query.matches(node, options);
    return this.hub.matchesOfTree(tree, node, this);
  }

  captures(node: Node, options?: QueryOptions): QueryCapture[] {
    return this.query.captures(node, options);
  }
}

/**
 * The layout of a bracketed list whose opening token is `open` and last item `lastItem`. Rows come
 * from the line index, not the tree, so that every kind of line break counts the same way.
 * `list` is the node whose children hold `lastItem` (the list itself unless `open` is its bracket
 * token): the tokens after the item are read from its children, because tree-sitter finds a
 * node's next sibling by walking down from the root, which costs the nesting depth every time.
 */
export function listLayout(lines: LineIndex, open: Node, lastItem: Node | undefined, list: Node = open): ListLayout {
  if (lastItem === undefined) {
    return { insertAt: open.startIndex + 1, isEmpty: true, itemIndent: undefined, trailingCommaEnd: undefined, trailingCommentEnd: undefined };
  }
  const row = lines.lineOf(lastItem.startIndex);
  let itemIndent: string | undefined;
  if (row !== lines.lineOf(open.startIndex)) {
    const indent = lines.indentAt(lastItem.startIndex);
    if (lines.lineStart(row) + indent.length === lastItem.startIndex) itemIndent = indent;
  }
  const siblings = list.children;
  const at = siblings.findIndex((c) => c?.id === lastItem.id);
  let next = at >= 0 ? (siblings[at + 1] ?? null) : lastItem.nextSibling;
  let trailingCommaEnd: number | undefined;
  if (next?.type === ',') {
    trailingCommaEnd = next.endIndex;
    next = at >= 0 ? (siblings[at + 2] ?? null) : next.nextSibling;
  }
  const lastRow = lines.lineOf(lastItem.endIndex);
  const trailingCommentEnd = next !== null && next.type === 'comment' && lines.lineOf(next.startIndex) === lastRow ? next.endIndex : undefined;
  return { insertAt: lastItem.endIndex, isEmpty: false, itemIndent, trailingCommaEnd, trailingCommentEnd };
}

/** Strips the quotes (and Python prefixes) from a string literal's text. */
export function unquote(text: string): string {
  const m = /^[rRbBuUfF]*("""|'''|"|'|`)([\s\S]*)\1$/.exec(text);
  return m?.[2] ?? text;
}

/** Links each call to the call that created its receiver, once all calls are known. */
export function linkReceivers(calls: CallFact[], receiverOrigins: Map<CallFact, number>): void {
  const byStart = new Map<number, CallFact>();
  for (const call of calls) if (!byStart.has(call.start)) byStart.set(call.start, call);
  for (const [call, originStart] of receiverOrigins) {
    const origin = byStart.get(originStart);
    if (origin !== undefined) (call as { receiver: CallFact | undefined }).receiver = origin;
  }
}

/** Counts quote characters of string literals to pick the file's preferred quote. */
export function preferredQuote(strings: readonly Node[]): "'" | '"' {
  let single = 0;
  let double = 0;
  for (const s of strings) {
    const first = s.text.replace(/^[rRbBuUfF]+/, '')[0];
    if (first === "'") single++;
    else if (first === '"') double++;
  }
  return single > double ? "'" : '"';
}

/**
 * One step of resolving an expression: either the answer for `node`, or the inner node to resolve
 * first (a member's object, a call's callee) and how the inner answer becomes the answer for `node`.
 */
export type ChainStep<T> = { readonly value: T | undefined } | { readonly inner: Node | null; readonly then: (inner: T | undefined) => T | undefined };

/**
 * Longer than any API name the tables know: a member path past this (a chain thousands of members
 * long) names nothing, and is not built, since every table lookup of it would hash it whole.
 */
const MAX_API_LENGTH = 256;

/** `base.member`, or nothing when there is no base or the path is past any API's length. */
export function memberPath(base: string | undefined, member: string | undefined): string | undefined {
  return base === undefined || member === undefined || base.length + member.length >= MAX_API_LENGTH ? undefined : `${base}.${member}`;
}

/** The `then` of a step that answers what its inner node answers (parentheses, `await`). */
export const same = <T>(inner: T): T => inner;

/**
 * Resolves `node` step by step with a list instead of recursion, so that a member chain or call
 * nested 10,000 levels deep neither exhausts the stack nor costs more than its length. With `memo`,
 * every node on the way keeps its answer (by node id): resolving each call of a long chain then
 * costs one step, not the chain below it again. Only pass `memo` once the answers cannot change.
 */
export function resolveChain<T>(node: Node | null, step: (node: Node) => ChainStep<T>, memo?: Map<number, T | undefined>): T | undefined {
  const pending: { readonly id: number; readonly then: (inner: T | undefined) => T | undefined }[] = [];
  let value: T | undefined;
  for (let current = node; ;) {
    if (current === null) break;
    if (memo?.has(current.id) === true) {
      value = memo.get(current.id);
      break;
    }
    const next = step(current);
    if ('value' in next) {
      value = next.value;
      memo?.set(current.id, value);
      break;
    }
    pending.push({ id: current.id, then: next.then });
    current = next.inner;
  }
  for (let i = pending.length - 1; i >= 0; i--) {
    const { id, then } = pending[i] as (typeof pending)[number];
    value = then(value);
    memo?.set(id, value);
  }
  return value;
}

/**
 * Builds the fact of `root`, a value whose literals nest (objects in objects), deepest first from an
 * explicit list instead of recursion: literals nested 10,000 deep neither exhaust the stack nor get
 * skipped. `inner` names the nodes whose facts `build` will ask for; `build` gets each of them
 * through `built` (a node `inner` did not name is built on the spot, so it must not nest).
 */
export function buildBottomUp<F>(root: Node, inner: (node: Node) => readonly Node[], build: (node: Node, built: (child: Node) => F) => F): F {
  const order: Node[] = [];
  for (const stack = [root]; stack.length > 0;) {
    const node = stack.pop() as Node;
    order.push(node);
    stack.push(...inner(node));
  }
  // In depth-first order every node comes after its parent: built backwards, children come first.
  const facts = new Map<number, F>();
  const built = (child: Node): F => facts.get(child.id) ?? build(child, built);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as Node;
    facts.set(node.id, build(node, built));
  }
  return facts.get(root.id) as F;
}

/**
 * The ancestors of `node` from `root` down to its parent. tree-sitter finds a node's parent by
 * walking down from the root, so climbing `parent` by `parent` costs the depth squared (a name
 * 10,000 brackets deep); one cursor walking down costs the depth once. Falls back to the parent
 * walk when the descent misses the node (a zero-width node where another ends).
 */
export function ancestorsOf(root: Node, node: Node): Node[] {
  const chain: Node[] = [];
  const cursor = root.walk();
  try {
    for (let current = cursor.currentNode; current.id !== node.id; current = cursor.currentNode) {
      chain.push(current);
      let found = cursor.gotoFirstChildForIndex(node.startIndex);
      while (found && !(cursor.startIndex <= node.startIndex && cursor.endIndex >= node.endIndex)) found = cursor.gotoNextSibling();
      if (!found) return parentWalk(node);
    }
    return chain;
  } finally {
    cursor.delete();
  }
}

function parentWalk(node: Node): Node[] {
  const chain: Node[] = [];
  for (let n = node.parent; n !== null; n = n.parent) chain.push(n);
  return chain.reverse();
}
