import type { Node } from 'web-tree-sitter';

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

  constructor(private readonly root: Node, private readonly rules: ScopeRules) {}

  /** The innermost scope that contains `node` (not `node` itself). */
  scopeOf(node: Node): Node {
    for (let n = node.parent; n !== null; n = n.parent) if (this.rules.isScope(n)) return n;
    return this.root;
  }

  /** The innermost enclosing scope that satisfies `accept`, else the file. */
  enclosing(node: Node, accept: (scope: Node) => boolean): Node {
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
    const self = /^(self|this)\./.test(path);
    let owner = this.root;
    if (self) for (let n = node.parent; n !== null; n = n.parent) if (this.rules.isClass(n)) { owner = n; break; }
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
  // The same type bound twice keeps no origin: which call created the value depends on the path taken.
  const seen = entry.types.get(type);
  const instance = originStart !== undefined;
  entry.types.set(type, seen === undefined ? { origin: originStart, instance } : { origin: undefined, instance: seen.instance && instance });
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
