import type { Node } from 'web-tree-sitter';
import type { Binding, Lookup } from './scopes.js';

/**
 * Ruby's local variables. `def`, `class` and `module` are scope gates: a method sees none of the
 * locals around it, and the file's locals are invisible inside a method. Blocks and lambdas see
 * the locals of their method, and their parameters are their own. Instance variables (`@conn`)
 * belong to the class and are shared by its methods.
 *
 * As in `Scopes`, a name bound to two different things (or to anything unrecognised) resolves to
 * nothing, and a name bound twice to the same type keeps no creating call.
 */

const GATES = new Set(['method', 'singleton_method', 'class', 'module', 'singleton_class', 'program']);
const BLOCKS = new Set(['block', 'do_block', 'lambda']);
const CLASSES = new Set(['class', 'module']);

interface Entry {
  readonly types: Map<string, { origin: number | undefined; instance: boolean }>;
  unknown: boolean;
}

export class RubyScopes {
  private readonly names = new Map<number, Map<string, Entry>>();

  constructor(private readonly root: Node) {}

  /** The method, class, module or file whose locals `node` sees. */
  gateOf(node: Node): Node {
    for (let n = node.parent; n !== null; n = n.parent) if (GATES.has(n.type)) return n;
    return this.root;
  }

  /** The class or module `node` is written in (for instance variables), or the file. */
  classOf(node: Node): Node {
    for (let n = node.parent; n !== null; n = n.parent) if (CLASSES.has(n.type)) return n;
    return this.root;
  }

  /** Binds a block's or lambda's parameter in that block. */
  bindParameter(block: Node, name: string, type?: string, originStart?: number, instance = false): void {
    add(this.entry(block.id, name), type, originStart, instance);
  }

  /**
   * Binds a local assigned at `node`: in the block that already has it as a parameter, else in
   * the method (or file) around it.
   */
  bindLocal(node: Node, name: string, type?: string, originStart?: number, instance = false): void {
    add(this.entry(this.declaring(node, name)?.id ?? this.gateOf(node).id, name), type, originStart, instance);
  }

  /** Binds `@name` for the class around `node`. */
  bindInstanceVariable(node: Node, name: string, type?: string, originStart?: number, instance = false): void {
    add(this.entry(this.classOf(node).id, name), type, originStart, instance);
  }

  lookup(node: Node, name: string): Lookup {
    const scope = name.startsWith('@') ? this.classOf(node) : this.declaring(node, name);
    const entry = scope === undefined ? undefined : this.names.get(scope.id)?.get(name);
    return entry === undefined ? { kind: 'unbound' } : resolve(entry);
  }

  private declaring(node: Node, name: string): Node | undefined {
    for (let n = node.parent; n !== null; n = n.parent) {
      if ((BLOCKS.has(n.type) || GATES.has(n.type)) && this.names.get(n.id)?.has(name) === true) return n;
      if (GATES.has(n.type)) return undefined;
    }
    return this.names.get(this.root.id)?.has(name) === true ? this.root : undefined;
  }

  private entry(scopeId: number, name: string): Entry {
    let scope = this.names.get(scopeId);
    if (scope === undefined) {
      scope = new Map();
      this.names.set(scopeId, scope);
    }
    let entry = scope.get(name);
    if (entry === undefined) {
      entry = { types: new Map(), unknown: false };
      scope.set(name, entry);
    }
    return entry;
  }
}

function add(entry: Entry, type: string | undefined, origin: number | undefined, instance: boolean): void {
  if (type === undefined) {
    entry.unknown = true;
    return;
  }
  const seen = entry.types.get(type);
  entry.types.set(type, seen === undefined ? { origin, instance } : { origin: undefined, instance: seen.instance && instance });
}

function resolve(entry: Entry): Lookup {
  if (entry.unknown || entry.types.size !== 1) return { kind: 'ambiguous' };
  const [type, info] = [...entry.types][0] ?? ['', { origin: undefined, instance: false }];
  const binding: Binding = { type, originStart: info.origin, instance: info.instance };
  return { kind: 'bound', binding };
}
