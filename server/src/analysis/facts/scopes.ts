import type { Node } from 'web-tree-sitter';
import { compiledQuery } from './common.js';

/**
 * Names bound in the scopes of one file, and what each name is bound to. Detectors resolve a call
 * like `s.get(url)` through these bindings; a name bound to two different things in the same
 * scope (a session here, a dict there) resolves to nothing, because a finding on the wrong object
 * is worse than no finding.
 */

/** What a name resolves to: a canonical type or module, and the call that created the value. */
export interface Binding {
  readonly type: string;
  /** Start offset of the call that created the value, when exactly one did. */
  readonly originStart: number | undefined;
  /** The name holds a value a call returned (an instance), not the API itself (a class or module). */
  readonly instance: boolean;
}

interface TypeInfo {
  readonly origin: number | undefined;
  readonly instance: boolean;
}

interface Entry {
  /** Canonical type → the creating call (undefined when unknown or several) and whether a call made it. */
  readonly types: Map<string, TypeInfo>;
  /** Bound at least once to something no detector recognises. */
  unknown: boolean;
}

export type Lookup = { readonly kind: 'unbound' } | { readonly kind: 'ambiguous' } | { readonly kind: 'bound'; readonly binding: Binding };

export interface ScopeRules {
  /** Nodes that open a scope for names (functions, blocks, classes). */
  isScope(node: Node): boolean;
  /** Scopes whose names nested scopes cannot see (Python class bodies). */
  isOpaque(node: Node): boolean;
  /** Nodes whose `self.x` / `this.x` members belong together (classes). */
  isClass(node: Node): boolean;
}

export class Scopes {
  private readonly names = new Map<number, Map<string, Entry>>();
  private readonly members = new Map<string, Entry>();
  /** The longest member path bound: a longer one (a chain thousands of members long) needs no lookup. */
  private longestMember = 0;

  /** Off only in the test that checks the index against the parent walks it replaces. */
  static useIndex = true;
  private index: ScopeIndex | null | undefined;

  constructor(private readonly root: Node, private readonly rules: ScopeRules) {}

  /** The interval index of scope and class nodes, built on first use; null when it cannot answer. */
  private get scopeIndex(): ScopeIndex | null {
    if (this.index === undefined) this.index = Scopes.useIndex ? ScopeIndex.build(this.root, this.rules) : null;
    return this.index;
  }

  /** The innermost scope that contains `node` (not `node` itself). */
  scopeOf(node: Node): Node {
    const found = this.scopeIndex?.enclosing(node, SCOPE);
    if (found !== undefined) return found ?? this.root;
    for (let n = node.parent; n !== null; n = n.parent) if (this.rules.isScope(n)) return n;
    return this.root;
  }

  /** The innermost enclosing scope that satisfies `accept`, else the file. */
  enclosing(node: Node, accept: (scope: Node) => boolean): Node {
    const index = this.scopeIndex;
    if (index !== null) {
      const first = index.enclosing(node, SCOPE);
      if (first !== undefined) {
        for (let s = first; s !== null; s = index.enclosing(s, SCOPE) ?? null) if (accept(s)) return s;
        return this.root;
      }
    }
    for (let n = node.parent; n !== null; n = n.parent) if (this.rules.isScope(n) && accept(n)) return n;
    return this.root;
  }

  /** Declares `name` in `scope` without a value (`let x;`), so outer bindings are hidden. */
  declare(scope: Node, name: string): void {
    this.entry(this.names, scope.id, name);
  }

  /** Binds `name` in `scope` to `type`, or to an unknown value when `type` is undefined. */
  bind(scope: Node, name: string, type: string | undefined, originStart?: number): void {
    add(this.entry(this.names, scope.id, name), type, originStart);
  }

  /** The scope that declares `name` as seen from `node`, for assignments that do not declare. */
  declaringScope(node: Node, name: string): Node | undefined {
    for (let scope = this.scopeOf(node), first = true; ; scope = this.scopeOf(scope), first = false) {
      if ((first || !this.rules.isOpaque(scope)) && this.names.get(scope.id)?.has(name) === true) return scope;
      if (scope.id === this.root.id) return undefined;
    }
  }

  lookup(node: Node, name: string): Lookup {
    const scope = this.declaringScope(node, name);
    const entry = scope === undefined ? undefined : this.names.get(scope.id)?.get(name);
    return entry === undefined ? { kind: 'unbound' } : resolveEntry(entry);
  }

  /** Binds a member path such as `self.session` or `this.client`, per class. */
  bindMember(node: Node, path: string, type: string | undefined, originStart?: number): void {
    add(this.memberEntry(node, path, true) as Entry, type, originStart);
  }

  lookupMember(node: Node, path: string): Lookup {
    const entry = this.memberEntry(node, path, false);
    return entry === undefined ? { kind: 'unbound' } : resolveEntry(entry);
  }

  private memberEntry(node: Node, path: string, create: boolean): Entry | undefined {
    if (create) this.longestMember = Math.max(this.longestMember, path.length);
    else if (path.length > this.longestMember) return undefined;
    const self = /^(self|this)\./.test(path);
    let owner = this.root;
    if (self) {
      const found = this.scopeIndex?.enclosing(node, CLASS);
      if (found !== undefined) owner = found ?? this.root;
      else for (let n = node.parent; n !== null; n = n.parent) if (this.rules.isClass(n)) { owner = n; break; }
    }
    const key = `${owner.id}:${path}`;
    let entry = this.members.get(key);
    if (entry === undefined && create) {
      entry = { types: new Map(), unknown: false };
      this.members.set(key, entry);
    }
    return entry;
  }

  private entry(table: Map<number, Map<string, Entry>>, scopeId: number, name: string): Entry {
    let scope = table.get(scopeId);
    if (scope === undefined) {
      scope = new Map();
      table.set(scopeId, scope);
    }
    let entry = scope.get(name);
    if (entry === undefined) {
      entry = { types: new Map(), unknown: false };
      scope.set(name, entry);
    }
    return entry;
  }
}

function add(entry: Entry, type: string | undefined, originStart: number | undefined): void {
  if (type === undefined) {
    entry.unknown = true;
    return;
  }
  // The same type bound twice keeps no origin (which call created the value depends on the path
  // taken), unless both bindings name the same one.
  const seen = entry.types.get(type);
  const instance = originStart !== undefined;
  entry.types.set(type, seen === undefined ? { origin: originStart, instance } : { origin: seen.origin === originStart ? originStart : undefined, instance: seen.instance && instance });
}

function resolveEntry(entry: Entry): Lookup {
  // A name declared without a value, bound twice differently, or bound to anything unrecognised
  // still hides the names of outer scopes and globals: it is ambiguous, not unbound.
  if (entry.unknown || entry.types.size !== 1) return { kind: 'ambiguous' };
  const [type, info] = [...entry.types][0] ?? ['', { origin: undefined, instance: false }];
  return { kind: 'bound', binding: { type, originStart: info.origin, instance: info.instance } };
}

/** Identifiers bound by a parameter or a destructuring pattern (not the defaults' expressions). */
export function patternNames(node: Node): Node[] {
  switch (node.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [node];
    case 'assignment_pattern':
    case 'object_assignment_pattern':
    case 'default_parameter':
    case 'typed_default_parameter': {
      const left = node.childForFieldName('left') ?? node.childForFieldName('name');
      return left === null ? [] : patternNames(left);
    }
    case 'pair_pattern': {
      const value = node.childForFieldName('value');
      return value === null ? [] : patternNames(value);
    }
    case 'required_parameter':
    case 'optional_parameter': {
      const pattern = node.childForFieldName('pattern');
      return pattern === null ? [] : patternNames(pattern);
    }
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
    case 'rest_pattern':
    case 'object_pattern':
    case 'array_pattern':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'pattern_list':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'as_pattern_target':
      return node.namedChildren.flatMap((c) => (c === null || c.type === 'type' || c.type === 'type_annotation' ? [] : patternNames(c)));
    default:
      return [];
  }
}

const SCOPE = 1;
const CLASS = 2;

/**
 * Where the scope and class nodes of a tree are, found with one query instead of `node.parent`
 * walks (each step of which marshals a node out of the wasm heap: the walks were most of the
 * analysis time on large files). Scope rules test node types only, so the types they accept are
 * found once per grammar by asking them about each type name; a rule that reads anything else
 * makes the index decline, and the parent walks answer.
 *
 * Intervals come in document order with parents before children. For a node starting strictly
 * inside an interval, the interval is an ancestor (nodes of one tree nest or are disjoint). Where
 * that cannot be told from offsets alone (equal ranges, zero-width nodes), `enclosing` returns
 * undefined and the caller walks parents.
 */
class ScopeIndex {
  private static readonly typesByRules = new WeakMap<ScopeRules, Map<unknown, { scope: Set<string>; cls: Set<string> } | null>>();

  private constructor(
    private readonly starts: readonly number[],
    private readonly ends: readonly number[],
    private readonly nodes: readonly Node[],
    private readonly kinds: readonly number[],
    private readonly parents: readonly number[],
    private readonly ids: ReadonlyMap<number, number>,
  ) {}

  static build(root: Node, rules: ScopeRules): ScopeIndex | null {
    const language = root.tree.language;
    let perRules = ScopeIndex.typesByRules.get(rules);
    if (perRules === undefined) {
      perRules = new Map();
      ScopeIndex.typesByRules.set(rules, perRules);
    }
    let types = perRules.get(language);
    if (types === undefined) {
      types = probeTypes(namedTypes(language), rules);
      perRules.set(language, types);
    }
    if (types === null) return null;
    const all = [...new Set([...types.scope, ...types.cls])];
    if (all.length === 0) return new ScopeIndex([], [], [], [], [], new Map());
    const starts: number[] = [];
    const ends: number[] = [];
    const nodes: Node[] = [];
    const kinds: number[] = [];
    const parents: number[] = [];
    const ids = new Map<number, number>();
    const stack: number[] = [];
    const query = compiledQuery(language, `[${all.map((t) => `(${t})`).join(' ')}] @scope`);
    for (const match of query.matches(root)) {
      const node = match.captures[0]?.node;
      if (node === undefined) continue;
      const start = node.startIndex;
      const end = node.endIndex;
      if (start === end) return null;
      const i = nodes.length;
      while (stack.length > 0) {
        const top = stack[stack.length - 1] as number;
        if ((starts[top] as number) <= start && end <= (ends[top] as number)) break;
        stack.pop();
      }
      parents.push(stack.length > 0 ? (stack[stack.length - 1] as number) : -1);
      if (i > 0 && start < (starts[i - 1] as number)) return null;
      starts.push(start);
      ends.push(end);
      nodes.push(node);
      kinds.push((types.scope.has(node.type) ? SCOPE : 0) | (types.cls.has(node.type) ? CLASS : 0));
      ids.set(node.id, i);
      stack.push(i);
    }
    return new ScopeIndex(starts, ends, nodes, kinds, parents, ids);
  }

  /**
   * The nearest proper ancestor of `node` of `kind`: a node, null for none (the file), or
   * undefined when the offsets cannot tell.
   */
  enclosing(node: Node, kind: number): Node | null | undefined {
    let i = this.ids.get(node.id);
    if (i !== undefined) {
      i = this.parents[i] as number;
    } else {
      const start = node.startIndex;
      // The last interval that starts at or before `node`; its chain of parents holds every candidate.
      let lo = 0;
      let hi = this.starts.length - 1;
      i = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((this.starts[mid] as number) <= start) {
          i = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      let end: number | undefined;
      while (i >= 0) {
        const s = this.starts[i] as number;
        const e = this.ends[i] as number;
        if (s < start && start < e) break;
        if (s === start) {
          end ??= node.endIndex;
          if (end === start) return undefined;
          if (end === e) return undefined;
          if (end < e) break;
        }
        i = this.parents[i] as number;
      }
    }
    while (i >= 0 && ((this.kinds[i] as number) & kind) === 0) i = this.parents[i] as number;
    return i >= 0 ? (this.nodes[i] as Node) : null;
  }
}

/**
 * Finds the innermost node that `rules.isScope` accepts around a node (null at file level), from
 * the interval index of such nodes, built once; a walk up the parents (each step of which
 * tree-sitter answers by descending from the root) only where the offsets cannot tell.
 */
export function scopeFinder(root: Node, rules: ScopeRules): (node: Node) => Node | null {
  const index = Scopes.useIndex ? ScopeIndex.build(root, rules) : null;
  return (node) => {
    const found = index?.enclosing(node, SCOPE);
    if (found !== undefined) return found;
    for (let n = node.parent; n !== null; n = n.parent) if (rules.isScope(n)) return n;
    return null;
  };
}

/** The names of the visible named node types of a grammar: those a query can match and a parent walk can meet. */
function namedTypes(language: Node['tree']['language']): string[] {
  const names: string[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const name = language.nodeTypeForId(id);
    if (name !== null && language.nodeTypeIsNamed(id) && language.nodeTypeIsVisible(id)) names.push(name);
  }
  return names;
}

/** The node types a rule set accepts, or null when a rule reads more of a node than its type. */
function probeTypes(names: readonly string[], rules: ScopeRules): { scope: Set<string>; cls: Set<string> } | null {
  const scope = new Set<string>();
  const cls = new Set<string>();
  try {
    for (const type of new Set(names)) {
      const probe = new Proxy({ type }, {
        get(target, key) {
          if (key !== 'type') throw new Error('not a type-only rule');
          return target.type;
        },
      }) as unknown as Node;
      if (rules.isScope(probe)) scope.add(type);
      if (rules.isClass(probe)) cls.add(type);
    }
  } catch {
    return null;
  }
  return { scope, cls };
}
