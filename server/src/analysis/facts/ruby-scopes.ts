import type { Node } from 'web-tree-sitter';
import { ancestorsOf } from './common.js';
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
  /** Every name bound anywhere in the file. */
  private readonly bound = new Set<string>();

  constructor(private readonly root: Node) {}

  /** The method, class, module or file whose locals `node` sees. */
  gateOf(node: Node): Node {
    return this.innermost(node, (n) => GATES.has(n.type)) ?? this.root;
  }

  /** The class or module `node` is written in (for instance variables), or the file. */
  classOf(node: Node): Node {
    return this.innermost(node, (n) => CLASSES.has(n.type)) ?? this.root;
  }

  /** The innermost ancestor of `node` that `accept`s, from one walk down the tree (see ancestorsOf). */
  private innermost(node: Node, accept: (ancestor: Node) => boolean): Node | undefined {
    const chain = ancestorsOf(this.root, node);
    for (let i = chain.length - 1; i >= 0; i--) if (accept(chain[i] as Node)) return chain[i];
    return undefined;
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
    // Most names looked up (methods called without a receiver) are bound nowhere.
    if (!this.bound.has(name)) return undefined;
    const gate = this.innermost(node, (n) => GATES.has(n.type) || (BLOCKS.has(n.type) && this.names.get(n.id)?.has(name) === true));
    if (gate !== undefined) return this.names.get(gate.id)?.has(name) === true ? gate : undefined;
    return this.names.get(this.root.id)?.has(name) === true ? this.root : undefined;
  }

  private entry(scopeId: number, name: string): Entry {
    this.bound.add(name);
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
