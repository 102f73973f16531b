import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';
import type { Literal, ModuleSummary, NameSummary } from './types.js';
import { rowMutexMethods } from './ruby-mutex.js';
import { isApplicationConstant } from '../facts/ruby-names.js';
import { libraryCalls, wrappingMethods, type RubyWrapped } from './ruby-wrappers.js';

/**
 * A Ruby file's export summary: the classes and modules it defines (by full constant name), with
 * their superclass, the modules they include and the class-level options the rules read
 * (`sidekiq_options`, `retry_on`, `discard_on`, `queue_as`, `self.enqueue_after_transaction_commit`,
 * `self.queue_adapter`); the files it requires; and, for the application's configuration files, the
 * Active Job settings (`config.active_job.queue_adapter`, `config.active_job.enqueue_after_transaction_commit`,
 * `config.load_defaults`, `config.autoload_lib`). Method bodies are read only for whether a class
 * method holds a row as a lock (ruby-mutex.ts), so any other edit inside one leaves the summary equal. Plain data: a task map reads it as it is.
 */

export type Position = NameSummary['at'];

export interface RubyRetryOn {
  /** `attempts:` as written; 5 (Active Job's default) when absent. */
  readonly attempts: Literal;
  readonly wait?: Literal;
  readonly jitter?: Literal;
  /** The error classes it names, as written. */
  readonly errors: readonly string[];
  readonly at: Position;
}

export interface RubySetting {
  readonly value: Literal;
  readonly at: Position;
}

export interface RubyClassSummary {
  readonly kind: 'class' | 'module';
  /** The superclass as written (`ApplicationJob`, `::ActiveJob::Base`). */
  readonly superclass?: string;
  /** The full names of the classes and modules the definition sits in, innermost first: where its superclass is looked up. */
  readonly nesting: readonly string[];
  readonly includes: readonly string[];
  /** `sidekiq_options`, merged in order; `opaque` when one of them passes a splat or a variable. */
  readonly sidekiq: Readonly<Record<string, RubySetting>>;
  readonly sidekiqOpaque: boolean;
  readonly retryOn: readonly RubyRetryOn[];
  readonly discardOn: readonly string[];
  readonly queueAs?: RubySetting;
  readonly enqueueAfterCommit?: RubySetting;
  readonly queueAdapter?: RubySetting;
  /** Class methods that hold a database row as a lock (ruby-mutex.ts), by name. */
  readonly mutexMethods?: readonly string[];
  /** Methods that make a library call of a signal's kind, `.name` or `#name` (ruby-wrappers.ts). */
  readonly wraps?: Readonly<Record<string, RubyWrapped>>;
  readonly at: Position;
}

export interface RubyAppConfig {
  readonly queueAdapter?: RubySetting;
  readonly enqueueAfterCommit?: RubySetting;
  /** `config.load_defaults 7.2`: the framework defaults the application runs with. */
  readonly loadDefaults?: RubySetting;
  /** `config.autoload_lib(...)`, or `lib` added to the autoload paths: `lib/` is an autoload root. */
  readonly autoloadLib: boolean;
}

export interface RubyFileSummary {
  /** By full constant name (`Payments::ChargeJob`). A name defined twice in the file keeps the first definition. */
  readonly classes: Readonly<Record<string, RubyClassSummary>>;
  /** `require_relative 'x'` as `./x`, `require 'x'` as `x`. */
  readonly requires: readonly string[];
  readonly config: RubyAppConfig;
  /**
   * The constants the file names where a rule asks what they are (superclasses, receivers of
   * `perform_later` and friends), each as `refKey(nesting, name)`.
   */
  readonly refs: readonly string[];
}

const NO_LITERAL: Literal = { unknown: true };
const ENQUEUE_METHODS = new Set(['perform_later', 'perform_async', 'perform_in', 'perform_at', 'perform_bulk', 'set']);

/** The key under which a view answers for a constant written inside `nesting` (innermost first). */
export function refKey(nesting: readonly string[], name: string): string {
  return `${nesting.join(' ')}|${name}`;
}

/** The full names a constant written inside `nesting` may stand for, in Ruby's lookup order (lexical scopes, then top level). */
export function candidates(nesting: readonly string[], name: string): string[] {
  if (name.startsWith('::')) return [name.slice(2)];
  return [...nesting.map((n) => `${n}::${name}`), name];
}

/** The full names of the classes and modules around `node`, innermost first (`class A::B` adds `A::B`, not `A`). */
export function nestingOf(node: Node): string[] {
  const written: string[] = [];
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type !== 'class' && n.type !== 'module') continue;
    const name = n.childForFieldName('name');
    if (name !== null) written.push(name.text);
  }
  // Each name is relative to the one outside it (`::A` is absolute): join from the outermost.
  const full: string[] = [];
  for (let i = written.length - 1; i >= 0; i--) {
    const name = written[i] as string;
    const outer = full[0];
    full.unshift(name.startsWith('::') || outer === undefined ? name.replace(/^::/, '') : `${outer}::${name}`);
  }
  return full;
}

export function rubySummary(root: Node): ModuleSummary {
  const classes: Record<string, RubyClassSummary> = {};
  const requires: string[] = [];
  const refs = new Set<string>();
  const config: { queueAdapter?: RubySetting; enqueueAfterCommit?: RubySetting; loadDefaults?: RubySetting; autoloadLib: boolean } = { autoloadLib: false };

  // The file's library calls, read only when it defines methods and names a library: what its wrappers pass on.
  const library = libraryCalls(root);
  const visit = (container: Node, nesting: readonly string[]): void => {
    for (const statement of container.namedChildren) {
      if (statement === null) continue;
      switch (statement.type) {
        case 'class':
        case 'module': {
          const nameNode = statement.childForFieldName('name');
          if (nameNode === null) break;
          const written = nameNode.text.replace(/^::/, '');
          const full = nesting.length === 0 || nameNode.text.startsWith('::') ? written : `${nesting[0] as string}::${written}`;
          const superNode = statement.childForFieldName('superclass')?.namedChild(0) ?? null;
          const superclass = superNode !== null && isConstant(superNode) ? superNode.text : undefined;
          if (superclass !== undefined) refs.add(refKey(nesting, superclass));
          const inner = [full, ...nesting];
          const body = statement.childForFieldName('body');
          if (classes[full] === undefined) classes[full] = classSummary(statement.type, superclass, nesting, body, nameNode, library);
          if (body !== null) visit(body, inner);
          break;
        }
        case 'call':
          readCall(statement, nesting);
          break;
        case 'assignment':
        case 'operator_assignment':
          readConfigAssignment(statement);
          break;
        case 'if':
        case 'unless':
        case 'then':
        case 'else':
        case 'begin':
        case 'body_statement':
          visit(statement, nesting);
          break;
        default:
      }
    }
  };

  /** Top-level requires, configuration calls and blocks (`Rails.application.configure do`). */
  const readCall = (call: Node, nesting: readonly string[]): void => {
    const method = call.childForFieldName('method')?.text ?? '';
    const receiver = call.childForFieldName('receiver');
    const first = call.childForFieldName('arguments')?.namedChild(0) ?? null;
    if (receiver === null && (method === 'require' || method === 'require_relative') && first?.type === 'string') {
      const spec = unquote(first.text);
      requires.push(method === 'require_relative' && !spec.startsWith('.') && !spec.startsWith('/') ? `./${spec}` : spec);
      return;
    }
    if (receiver?.text === 'config' && method === 'load_defaults' && first !== null) config.loadDefaults = { value: literal(first), at: at(call) };
    if (receiver?.text === 'config' && method === 'autoload_lib') config.autoloadLib = true;
    const block = call.childForFieldName('block');
    const body = block?.namedChildren.find((c) => c?.type === 'block_body' || c?.type === 'body_statement') ?? null;
    if (body !== null && method === 'configure') visit(body, nesting);
  };

  const readConfigAssignment = (assignment: Node): void => {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left === null || right === null) return;
    const path = left.text.replace(/\s+/g, '');
    if (/(?:^|\.)config\.(?:autoload|eager_load)_paths$/.test(path) && right.descendantsOfType(['string_content']).some((s) => s !== null && /(?:^|\/)lib\/?$/.test(s.text))) config.autoloadLib = true;
    if (assignment.type !== 'assignment') return;
    const m = /(?:^|\.)config\.active_job\.(queue_adapter|enqueue_after_transaction_commit)$/.exec(path);
    if (m === null) return;
    const setting = { value: literal(right), at: at(assignment) };
    if (m[1] === 'queue_adapter') config.queueAdapter = setting;
    else config.enqueueAfterCommit = setting;
  };

  visit(root, []);
  // Receivers of calls anywhere in the file, method bodies included: what the view answers for
  // them (a job's enqueue, a lock of the application's given a block, a wrapper of a library call).
  for (const call of root.descendantsOfType('call')) {
    const method = call?.childForFieldName('method')?.text;
    const receiver = call?.childForFieldName('receiver');
    if (call === null || method === undefined || receiver == null || !isConstant(receiver)) continue;
    // A library's constant is no class of the project, except where an enqueue or a block asks (a job named like a library's stays looked up).
    const block = call.childForFieldName('block') != null;
    if (!(ENQUEUE_METHODS.has(method) || block) && !isApplicationConstant(receiver.text)) continue;
    refs.add(refKey(nestingOf(call), receiver.text));
  }
  const ruby: RubyFileSummary = { classes, requires, config, refs: [...refs].sort() };
  return { language: 'ruby', imports: {}, names: {}, celery: {}, settings: {}, environ: {}, reaches: [], ruby };
}

function classSummary(kind: 'class' | 'module', superclass: string | undefined, nesting: readonly string[], body: Node | null, nameNode: Node, library: ReturnType<typeof libraryCalls>): RubyClassSummary {
  const includes: string[] = [];
  const sidekiq: Record<string, RubySetting> = {};
  let sidekiqOpaque = false;
  const retryOn: RubyRetryOn[] = [];
  const discardOn: string[] = [];
  let queueAs: RubySetting | undefined;
  let enqueueAfterCommit: RubySetting | undefined;
  let queueAdapter: RubySetting | undefined;
  for (const statement of body?.namedChildren ?? []) {
    if (statement === null) continue;
    if (statement.type === 'assignment') {
      const left = statement.childForFieldName('left');
      const right = statement.childForFieldName('right');
      if (left?.type !== 'call' || left.childForFieldName('receiver')?.type !== 'self' || right === null) continue;
      const name = left.childForFieldName('method')?.text;
      if (name === 'enqueue_after_transaction_commit') enqueueAfterCommit = { value: literal(right), at: at(statement) };
      if (name === 'queue_adapter') queueAdapter = { value: literal(right), at: at(statement) };
      continue;
    }
    if (statement.type !== 'call' || statement.childForFieldName('receiver') !== null) continue;
    const method = statement.childForFieldName('method')?.text ?? '';
    const args = (statement.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => a !== null);
    const keywords = new Map<string, Node>();
    const positional: Node[] = [];
    let splat = false;
    for (const arg of args) {
      if (arg.type === 'pair') {
        const key = arg.childForFieldName('key');
        const value = arg.childForFieldName('value');
        const name = key === null ? undefined : key.type === 'simple_symbol' ? key.text.slice(1) : key.text.replace(/:$/, '');
        if (name !== undefined && value !== null) keywords.set(name, value);
      } else if (arg.type === 'hash') {
        for (const pair of arg.namedChildren) {
          const key = pair?.childForFieldName('key');
          const value = pair?.childForFieldName('value');
          if (pair?.type !== 'pair' || key == null || value == null) splat = true;
          else keywords.set(key.type === 'simple_symbol' ? key.text.slice(1) : key.text.replace(/:$/, ''), value);
        }
      } else if (arg.type === 'splat_argument' || arg.type === 'hash_splat_argument' || arg.type === 'block_argument') {
        splat = true;
      } else positional.push(arg);
    }
    switch (method) {
      case 'include':
        for (const arg of positional) if (isConstant(arg)) includes.push(arg.text.replace(/^::/, ''));
        break;
      case 'sidekiq_options':
        if (splat || positional.length > 0) sidekiqOpaque = true;
        for (const [key, value] of keywords) sidekiq[key] = { value: literal(value), at: at(value) };
        break;
      case 'retry_on': {
        const attempts = keywords.get('attempts');
        const wait = keywords.get('wait');
        const jitter = keywords.get('jitter');
        retryOn.push({
          attempts: attempts === undefined ? (splat ? NO_LITERAL : 5) : literal(attempts),
          ...(wait === undefined ? {} : { wait: literal(wait) }),
          ...(jitter === undefined ? {} : { jitter: literal(jitter) }),
          errors: positional.filter(isConstant).map((e) => e.text),
          at: at(statement),
        });
        break;
      }
      case 'discard_on':
        discardOn.push(...positional.filter(isConstant).map((e) => e.text));
        break;
      case 'queue_as':
        if (positional[0] !== undefined) queueAs = { value: literal(positional[0]), at: at(statement) };
        break;
      default:
    }
  }
  const mutexMethods = rowMutexMethods(body).map((m) => m.childForFieldName('name')?.text ?? '').filter((n) => n !== '');
  const wraps = wrappingMethods(body, library);
  return {
    kind, nesting, includes, sidekiq, sidekiqOpaque, retryOn, discardOn,
    ...(mutexMethods.length === 0 ? {} : { mutexMethods }),
    ...(wraps === undefined ? {} : { wraps }),
    ...(superclass === undefined ? {} : { superclass }),
    ...(queueAs === undefined ? {} : { queueAs }),
    ...(enqueueAfterCommit === undefined ? {} : { enqueueAfterCommit }),
    ...(queueAdapter === undefined ? {} : { queueAdapter }),
    at: at(nameNode),
  };
}

function isConstant(node: Node): boolean {
  return node.type === 'constant' || (node.type === 'scope_resolution' && /^(::)?[A-Z]\w*(::[A-Z]\w*)*$/.test(node.text));
}

/** A literal as the rules compare it: symbols and strings by their text, numbers, booleans, nil; anything else unknown. */
function literal(node: Node): Literal {
  switch (node.type) {
    case 'integer':
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : NO_LITERAL;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'nil':
      return null;
    case 'simple_symbol':
      return node.text.slice(1);
    case 'string':
      return node.namedChildren.every((c) => c?.type === 'string_content') ? unquote(node.text) : NO_LITERAL;
    default:
      return NO_LITERAL;
  }
}

function at(node: Node): Position {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}
