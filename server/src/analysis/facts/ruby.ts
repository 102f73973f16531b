import type { Language, Node, Tree } from 'web-tree-sitter';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, linkReceivers, preferredQuote, unquote } from './common.js';
import { goodJobCronEntries, goodJobCronMerge } from './good-job-cron.js';
import { RubyNames, type Typed } from './ruby-names.js';
import { RubyScopes } from './ruby-scopes.js';
import { argumentsFact, keyName, valueFact } from './ruby-values.js';
import type { CallFact, FileFacts, ImportFact, ProjectUse, ValueFact } from './types.js';
import type { RubyClassInfo, RubyView } from '../project/ruby-model.js';

/**
 * Ruby facts. Constants are global in Ruby, so `Net::HTTP.get` names the library wherever it is
 * written (unless the file nests a class or module of that name, which then hides it); local
 * variables and instance variables carry the type of the call that created them, so `http.request`
 * and `conn.get` resolve through `http = Net::HTTP.new(...)` and `@conn ||= Faraday.new(...)`.
 * Class-level DSL calls (`sidekiq_options`, `retry_on`, `include Sidekiq::Job`) and subclasses of
 * `ApplicationJob` become calls too, with canonical names (see ruby-names.ts).
 */

const QUERY = `
(call) @call
(assignment left: (_) @left right: (_) @right) @assign
(operator_assignment left: (_) @left right: (_) @right) @assign
(_ (method_parameters) @left) @params
(_ (block_parameters) @left) @params
(_ (lambda_parameters) @left) @params
(exception_variable (identifier) @left) @local
(for pattern: (_) @left) @local
(class) @class
(module) @class
(string) @string
`;

/** Member assignments on instances (`http.read_timeout = 5`), by the start of the call that created the instance. */
export interface RubyExtras {
  readonly assignments: ReadonlyMap<number, ReadonlyMap<string, ValueFact>>;
  /** What each class's superclass stands for in the project, by the class node's id. */
  readonly inherited: ReadonlyMap<number, RubyClassInfo>;
  /** The project's answers for the constants the file names, and the application's configuration. */
  readonly project?: RubyView;
}

const EXTRAS = new WeakMap<FileFacts, RubyExtras>();

/** The Ruby-only facts of a file the Ruby extractor produced. */
export function rubyExtras(facts: FileFacts): RubyExtras {
  return EXTRAS.get(facts) ?? { assignments: new Map(), inherited: new Map() };
}

type Event = { kind: 'assign'; node: Node; left: Node; right: Node } | { kind: 'params'; node: Node; owner: Node } | { kind: 'local'; node: Node; left: Node };

export function rubyFacts(tree: Tree, language: Language, text: string, project?: RubyView): FileFacts {
  const lines = new LineIndex(text);
  const root = tree.rootNode;
  const scopes = new RubyScopes(root);
  const imports = new Map<string, ImportFact>();
  const constants = new Map<string, ValueFact>();
  const configuredMembers = new Set<string>();
  const instanceConfig = new Map<number, Set<string>>();
  const assignments = new Map<number, Map<string, ValueFact>>();
  const callNodes: Node[] = [];
  const classNodes: Node[] = [];
  const events: Event[] = [];
  /** Calls of `start` and `new` with a block, by the block's id: the blocks whose parameter may be typed. */
  const yieldingCalls = new Map<number, Node>();
  const strings: Node[] = [];
  /** GoodJob cron entries, found among the assignments. */
  const scheduled: CallFact[] = [];

  for (const match of compiledQuery(language, QUERY).matches(root)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const left = match.captures.find((c) => c.name === 'left')?.node;
    const right = match.captures.find((c) => c.name === 'right')?.node;
    switch (first.name) {
      case 'call':
        callNodes.push(first.node);
        break;

      case 'assign':
        if (left !== undefined && right !== undefined) events.push({ kind: 'assign', node: first.node, left, right });
        break;
      case 'params':
        // The query hands over the method, block or lambda with its parameters: asking the
        // parameters for their parent walks down from the root, which costs the nesting depth (a
        // chain of a thousand blocks nests each one deeper).
        if (left !== undefined) events.push({ kind: 'params', node: left, owner: first.node });
        break;
      case 'local':
        if (left !== undefined) events.push({ kind: 'local', node: first.node, left });
        break;
      case 'class':
        classNodes.push(first.node);
        break;
      case 'string':
        if (strings.length < 200) strings.push(first.node);
        break;
    }
  }

  const names = new RubyNames(scopes, classNodes, callNodes, project);
  const resolve = (node: Node): string | undefined => names.typed(node).type;
  const configure = (origin: number, member: string): void => {
    const members = instanceConfig.get(origin) ?? new Set<string>();
    members.add(member);
    instanceConfig.set(origin, members);
  };

  // Calls of `start` and `new` with a block, found from the calls themselves: a query pattern with
  // the call's method and block fields keeps a state open for every call of a chain while it
  // matches, which made a chain of n blocks cost n² in the query alone.
  for (const call of callNodes) {
    const method = call.childForFieldName('method')?.text;
    if (method !== 'start' && method !== 'new') continue;
    const block = call.childForFieldName('block');
    if (block !== null) yieldingCalls.set(block.id, call);
  }

  // Bindings in document order: a variable's type is known from its assignment onwards.
  for (const event of events) {
    if (event.kind === 'params') {
      bindParameters(event.node, event.owner, yieldingCalls.get(event.owner.id), scopes, names);
    } else if (event.kind === 'local') {
      bindPattern(event.left, scopes);
    } else {
      const { node, left, right } = event;
      const typed: Typed = node.type === 'operator_assignment' && node.childForFieldName('operator')?.text !== '||=' ? {} : names.typed(right);
      if (left.type === 'identifier') scopes.bindLocal(node, left.text, typed.type, typed.origin, typed.instance);
      else if (left.type === 'instance_variable') scopes.bindInstanceVariable(node, left.text, typed.type, typed.origin, typed.instance);
      else if (left.type === 'constant' && node.parent?.type === 'program') constants.set(left.text, valueFact(right, resolve, lines));
      else if (left.type === 'call' || left.type === 'element_reference') {
        scheduled.push(...goodJobCronEntries(left, right));
        const target = memberPath(left);
        const origin = target === undefined ? undefined : names.typed(target.object).origin;
        if (target !== undefined && origin !== undefined) {
          configure(origin, target.path);
          const values = assignments.get(origin) ?? new Map<string, ValueFact>();
          values.set(target.path, valueFact(right, resolve, lines));
          assignments.set(origin, values);
        } else if (target !== undefined) {
          const owner = names.typed(target.object).type;
          if (owner !== undefined) configuredMembers.add(`${owner}.${target.path}`);
        }
      } else bindPattern(left, scopes);
    }
  }

  names.settle();
  const calls: CallFact[] = [];
  const projectUses: ProjectUse[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const method = node.childForFieldName('method');
    const receiver = node.childForFieldName('receiver');
    const argsNode = node.childForFieldName('arguments');
    if (method === null) continue;
    if (receiver === null && (method.text === 'require' || method.text === 'require_relative')) {
      const path = argsNode?.namedChild(0);
      if (path?.type === 'string') imports.set(unquote(path.text), { target: unquote(path.text), local: unquote(path.text), node });
      continue;
    }
    // A value passed to code the file cannot see may be configured there.
    for (const arg of argsNode?.namedChildren ?? []) {
      const value = arg?.type === 'pair' ? arg.childForFieldName('value') : arg;
      if (value != null && (value.type === 'identifier' || value.type === 'instance_variable')) {
        const origin = names.typed(value).origin;
        if (origin !== undefined) configure(origin, '*');
      }
    }
    const owner = receiver === null ? undefined : names.typed(receiver);
    if (owner?.origin !== undefined && owner.instance === true) {
      // A per-request block (`conn.get(path) { |req| ... }`) may set the timeout there. The block of
      // `http.start do |http|` receives the connection itself, typed as such, so what it sets is read.
      const opaqueBlock = node.childForFieldName('block') !== null && !(owner.type === 'Net::HTTP' && method.text === 'start');
      configure(owner.origin, opaqueBlock ? '*' : method.text);
    }
    const resolved = names.apiOf(node, owner);
    if (resolved === undefined) {
      scheduled.push(...goodJobCronMerge(node));
      continue;
    }
    // A chain whose receiver spans lines (`UserMailer.digest(\n  user: u\n).deliver_later`) is
    // shown from the method: the line where the call that matters is written, not where the chain starts.
    const multiline = receiver !== null && receiver.startPosition.row !== method.startPosition.row;
    const callee = resolved.callee ?? { start: receiver === null || multiline ? method.startIndex : receiver.startIndex, end: method.endIndex };
    const call: CallFact = {
      api: resolved.api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: callee.start,
      calleeEnd: callee.end,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolve, lines),
      isNew: method.text === 'new',
      decorator: undefined,
      receiver: undefined,
      node,
    };
    calls.push(call);
    // A wrapper of another file's: the hover names it, and its library call is the related place.
    const wrapper = resolved.wrapper;
    if (wrapper !== undefined) {
      projectUses.push({ start: call.calleeStart, end: call.calleeEnd, local: text.slice(call.calleeStart, call.calleeEnd), call, description: `a project method that calls \`${wrapper.api}\``, origin: wrapper.origin });
    }
    const origin = resolved.receiverOrigin ?? owner?.origin;
    if (origin !== undefined) receiverOrigins.set(call, origin);
    if (resolved.configures !== undefined) configure(resolved.configures, method.text);
  }
  for (const job of names.jobClasses()) {
    const call: CallFact = {
      api: job.kind === 'sidekiq' ? 'Sidekiq::Job' : 'ActiveJob::Base',
      start: job.class.startIndex,
      end: job.class.endIndex,
      calleeStart: job.superclass.startIndex,
      calleeEnd: job.superclass.endIndex,
      args: undefined,
      isNew: false,
      decorator: undefined,
      receiver: undefined,
      node: job.class,
    };
    calls.push(call);
    // The base class another file defines: its hover.
    if (job.base !== undefined) {
      // The use covers the superclass alone: a finding in the class body points at the base only where a rule says the base decides it.
      const at = { ...call, start: job.superclass.startIndex, end: job.superclass.endIndex };
      projectUses.push({ start: at.start, end: at.end, local: job.superclass.text, call: at, description: job.base.description, origin: job.base.origin });
    }
  }
  calls.push(...scheduled);
  linkReceivers(calls, receiverOrigins);
  calls.sort((a, b) => a.start - b.start);

  const facts: FileFacts = {
    language: 'ruby',
    text,
    lines,
    calls,
    imports,
    constants,
    configuredMembers,
    instanceConfig,
    quote: preferredQuote(strings),
    root,
    ...(projectUses.length === 0 ? {} : { projectUses }),
  };
  EXTRAS.set(facts, { assignments, inherited: names.inherited, ...(project === undefined ? {} : { project }) });
  return facts;
}

/** `http.read_timeout` gives (`http`, `read_timeout`); `f.options[:timeout]` gives (`f`, `options.timeout`). */
function memberPath(left: Node): { object: Node; path: string } | undefined {
  const path: string[] = [];
  let node: Node | null = left;
  while (node !== null) {
    if (node.type === 'element_reference') {
      const key = node.namedChild(1);
      const name = key === null ? undefined : keyName(key);
      if (name === undefined || node.namedChildCount !== 2) return undefined;
      path.unshift(name);
      node = node.childForFieldName('object');
    } else if (node.type === 'call' && node.childForFieldName('arguments') === null && node.childForFieldName('receiver') !== null) {
      path.unshift(node.childForFieldName('method')?.text ?? '');
      node = node.childForFieldName('receiver');
    } else {
      return path.length === 0 ? undefined : { object: node, path: path.join('.') };
    }
  }
  return undefined;
}

/** Binds the parameters of a method, block or lambda; a block that yields a known instance types its first one. */
function bindParameters(params: Node, owner: Node, yieldingCall: Node | undefined, scopes: RubyScopes, names: RubyNames): void {
  const yielded = yieldingCall === undefined ? undefined : names.yielded(yieldingCall);
  let first = true;
  for (const param of params.namedChildren) {
    if (param === null) continue;
    const name = param.type === 'identifier' ? param : param.childForFieldName('name');
    if (name === null) {
      for (const id of param.descendantsOfType('identifier')) if (id !== null) scopes.bindParameter(owner, id.text);
    } else if (first && yielded !== undefined && param.type === 'identifier') {
      scopes.bindParameter(owner, name.text, yielded.type, yielded.origin, yielded.instance);
    } else {
      scopes.bindParameter(owner, name.text);
    }
    first = false;
  }
}

/** Binds every name of a multiple assignment or loop variable to an unknown value. */
function bindPattern(left: Node, scopes: RubyScopes): void {
  const ids = left.type === 'identifier' ? [left] : left.descendantsOfType('identifier');
  for (const id of ids) if (id !== null) scopes.bindLocal(id, id.text);
}
