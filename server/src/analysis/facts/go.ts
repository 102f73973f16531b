import type { Language, Node, Tree } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import { GO_LIBRARY_MOVED } from '../apis/go-libraries.js';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, linkReceivers, listLayout, unquote } from './common.js';
import { embeddedInterfaces, fileFunctions, fileMethods, structFields } from './go-declarations.js';
import { Scopes, type ScopeRules } from './scopes.js';
import { PROJECT_SENDER, type ProjectName, type ProjectView } from '../project/types.js';
import type { ArgumentsFact, CallFact, FileFacts, ImportFact, MemberAssignment, ObjectFact, ProjectUse, PropertyFact, ValueFact, ValueKind } from './types.js';

const QUERY = `
(import_spec) @import
(short_var_declaration left: (_) @left right: (_) @right) @declare
(var_spec) @var
(assignment_statement left: (_) @left right: (_) @right) @assign
(parameter_declaration) @param
(variadic_parameter_declaration) @param
(range_clause left: (_) @left) @range
(call_expression) @call
(composite_literal) @call
(argument_list (identifier) @arg)
`;

/** Go scopes: functions, literals and blocks; `if x := ...;` scopes `x` to the statement. */
const SCOPES = new Set([
  'function_declaration', 'method_declaration', 'func_literal', 'block', 'if_statement', 'for_statement',
  'expression_switch_statement', 'type_switch_statement', 'select_statement',
]);
const SCOPE_RULES: ScopeRules = { isScope: (node) => SCOPES.has(node.type), isOpaque: () => false, isClass: () => false };

/** Import paths whose package name is not their last element. */
const PACKAGE_NAMES: Readonly<Record<string, string>> = lookupTable({
  'github.com/hashicorp/go-retryablehttp': 'retryablehttp',
  'github.com/segmentio/kafka-go': 'kafka',
  'github.com/svix/svix-webhooks/go': 'svix',
});

/** Module paths that moved: one canonical name for both (the prefilter keys files by either). */
export const MOVED: Readonly<Record<string, string>> = lookupTable({ 'github.com/Shopify/sarama': 'github.com/IBM/sarama', 'github.com/go-redis/redis': 'github.com/redis/go-redis', ...GO_LIBRARY_MOVED });

/** What a followed function returns, where the `NewX` → `X` convention does not say it. */
const RETURNS: Readonly<Record<string, string>> = lookupTable({
  'github.com/robfig/cron.New': 'github.com/robfig/cron.Cron',
  'github.com/knadh/smtppool.New': 'github.com/knadh/smtppool.Pool',
  'firebase.google.com/go.App.Messaging': 'firebase.google.com/go/messaging.Client',
  'net/http.NewRequestWithContext': 'net/http.Request',
  'github.com/hashicorp/go-retryablehttp.NewRequest': 'github.com/hashicorp/go-retryablehttp.Request',
  'github.com/IBM/sarama.NewSyncProducer': 'github.com/IBM/sarama.SyncProducer',
  'github.com/IBM/sarama.NewAsyncProducer': 'github.com/IBM/sarama.AsyncProducer',
  'github.com/cenkalti/backoff.WithMaxRetries': 'github.com/cenkalti/backoff.BackOff',
  'github.com/cenkalti/backoff.WithContext': 'github.com/cenkalti/backoff.BackOffContext',
  'github.com/go-redsync/redsync.New': 'github.com/go-redsync/redsync.Redsync',
  'github.com/stripe/stripe-go/client.New': 'github.com/stripe/stripe-go/client.API',
  // ory/x's provider interface, which services embed in their dependencies: its client is a go-retryablehttp one.
  'github.com/ory/x/httpx.ClientProvider.HTTPClient': 'github.com/hashicorp/go-retryablehttp.Client',
});

/**
 * The canonical import path: `/vN` major-version suffixes dropped, moved modules under one name.
 * A package inside a module of major version 2 or more carries the version mid-path
 * (`github.com/stripe/stripe-go/v80/client`), which is dropped too.
 */
export function canonicalGoPath(path: string): string {
  const bare = path.replace(/\/v(?:[2-9]|\d{2,})(?=\/)/, '').replace(/\/v\d+$/, '');
  return MOVED[bare] ?? (CRON_FORK.test(bare) ? ROBFIG_CRON : bare);
}

/**
 * robfig/cron's forks keep its API (`cron.New(options...)`, then `AddFunc`, `AddJob`, `Schedule`,
 * and in some forks `Add`, on the `*cron.Cron`) under their own module path: `gdgvda/cron`,
 * `netresearch/go-cron`, and robfig's own `gopkg.in` path. A module whose whole path is an
 * owner's `cron` or `go-cron` repository is read as one of the family; a project's own `cron`
 * package sits deeper in its module's path and keeps its name.
 */
const ROBFIG_CRON = 'github.com/robfig/cron';
const CRON_FORK = /^(?:github\.com\/[\w.-]+\/(?:go-)?cron|gopkg\.in\/robfig\/cron\.v\d+)$/;

/** The name a package is used by when imported without an alias. */
export function packageName(path: string): string {
  const known = PACKAGE_NAMES[path];
  if (known !== undefined) return known;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.replace(/^go-/, '').replace(/-go$/, '').replace(/\W/g, '');
}

/** A resolved Go name: a package (by import path) or a value of a type, with the call or literal that made it. */
interface Resolved {
  readonly api: string;
  readonly isPackage: boolean;
  readonly origin: number | undefined;
}

/**
 * Reads calls, composite literals (`http.Client{...}` as a `new` call whose keywords are its
 * fields), imports and member assignments off a Go syntax tree.
 */
export function goFacts(tree: Tree, language: Language, text: string, project?: ProjectView): FileFacts {
  const lines = new LineIndex(text);
  const imports = new Map<string, ImportFact>();
  const scopes = new Scopes(tree.rootNode, SCOPE_RULES);
  const instanceConfig = new Map<number, Set<string>>();
  const configuredMembers = new Set<string>();
  const memberAssignments: MemberAssignment[] = [];
  const callNodes: Node[] = [];
  const args: Node[] = [];
  const bindings: { kind: string; node: Node; left: Node | undefined; right: Node | undefined }[] = [];

  for (const match of compiledQuery(language, QUERY).matches(tree.rootNode)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const left = match.captures.find((c) => c.name === 'left')?.node;
    const right = match.captures.find((c) => c.name === 'right')?.node;
    if (first.name === 'import') {
      const path = first.node.childForFieldName('path');
      const alias = first.node.childForFieldName('name')?.text;
      if (path === null || alias === '_' || alias === '.') continue;
      const target = canonicalGoPath(unquote(path.text));
      const local = alias ?? packageName(target);
      imports.set(local, { target, local, node: first.node });
    } else if (first.name === 'call') callNodes.push(first.node);
    else if (first.name === 'arg') args.push(first.node);
    else bindings.push({ kind: first.name, node: first.node, left, right });
  }

  const structs = structFields(tree.rootNode);
  const projectStructs = new Set([...(project?.structFields?.keys() ?? [])].map((key) => key.slice(0, key.indexOf('.'))));
  const interfaces = embeddedInterfaces(tree.rootNode);
  const functions = fileFunctions(tree.rootNode);
  const methods = fileMethods(tree.rootNode);

  // Every call of a chain resolves its receiver, which resolves the chain below it again: memoised by
  // node id, a chain of n calls costs n instead of n². The memo is cleared after each binding, the
  // only thing that can change an answer, so it never returns what a fresh walk would not.
  const memo = new Map<number, Resolved | undefined>();
  const resolve = (node: Node | null): Resolved | undefined => {
    if (node === null) return undefined;
    if (memo.has(node.id)) return memo.get(node.id);
    const resolved = resolveNode(node);
    memo.set(node.id, resolved);
    return resolved;
  };
  const resolveNode = (node: Node): Resolved | undefined => {
    switch (node.type) {
      case 'identifier':
      case 'package_identifier': {
        const found = scopes.lookup(node, node.text);
        if (found.kind === 'bound') return { api: found.binding.type, isPackage: false, origin: found.binding.originStart };
        const imp = found.kind === 'unbound' ? imports.get(node.text) : undefined;
        if (imp !== undefined) return { api: imp.target, isPackage: true, origin: undefined };
        // A function of this file declared to return a library type (`getKafkaReader() *kafka.Reader`).
        const own = found.kind === 'unbound' && node.type === 'identifier' ? functions.get(node.text) : undefined;
        if (own !== undefined) {
          const result = resolve(own.result);
          return result === undefined || result.isPackage ? undefined : { api: `${FACTORY}${result.api}`, isPackage: false, origin: own.returned };
        }
        // A package-level name of another file of this package.
        const sibling = found.kind === 'unbound' && node.type === 'identifier' ? project?.names.get(node.text) : undefined;
        return sibling === undefined ? undefined : { api: sibling.type, isPackage: false, origin: undefined };
      }
      case 'type_identifier':
        // A struct of this file: its fields' declared types give `r.client` a type.
        if (structs.has(node.text)) return { api: `${LOCAL_STRUCT}${node.text}`, isPackage: false, origin: undefined };
        // A struct another file of the package declares, whose library-typed fields the project view knows.
        if (projectStructs.has(node.text)) return { api: `${PROJECT_STRUCT}${node.text}`, isPackage: false, origin: undefined };
        return interfaces.has(node.text) ? { api: `${LOCAL_INTERFACE}${node.text}`, isPackage: false, origin: undefined } : undefined;
      case 'selector_expression': {
        const base = resolve(node.childForFieldName('operand'));
        const field = node.childForFieldName('field')?.text;
        if (base === undefined || field === undefined) return undefined;
        if (base.api.startsWith(LOCAL_INTERFACE)) {
          // A method of a library interface the file's interface embeds (`httpx.ClientProvider`), when its result is known.
          for (const embedded of interfaces.get(base.api.slice(LOCAL_INTERFACE.length)) ?? []) {
            const library = resolve(embedded);
            if (library !== undefined && !library.isPackage && RETURNS[`${library.api}.${field}`] !== undefined) return { api: `${library.api}.${field}`, isPackage: false, origin: undefined };
          }
          return undefined;
        }
        // A method of a project type that wraps a library call (go-model.ts): that call, through the project.
        const wrapped = project?.goWrappers?.get(base.api.startsWith(GO_PROJECT_TYPE) ? `${base.api.slice(GO_PROJECT_TYPE.length)}.${field}` : `${base.api}.${field}`);
        if (wrapped !== undefined) return { api: `${PROJECT_SENDER}${wrapped}`, isPackage: false, origin: undefined };
        if (base.api.startsWith(GO_PROJECT_TYPE)) return undefined;
        if (base.api.startsWith(PROJECT_STRUCT)) {
          const type = project?.structFields?.get(`${base.api.slice(PROJECT_STRUCT.length)}.${field}`);
          return type === undefined ? undefined : { api: type, isPackage: false, origin: undefined };
        }
        if (base.api.startsWith(LOCAL_STRUCT)) {
          const struct = base.api.slice(LOCAL_STRUCT.length);
          const type = structs.get(struct)?.get(field);
          if (type === undefined) {
            // A method of the struct declared in this file: calling it gives its declared result.
            const method = methods.get(`${struct}.${field}`);
            const result = method === undefined ? undefined : resolve(method);
            return result === undefined || result.isPackage ? undefined : { api: `${FACTORY}${result.api}`, isPackage: false, origin: undefined };
          }
          const resolved = resolve(type);
          return resolved === undefined || resolved.isPackage ? undefined : { api: resolved.api, isPackage: false, origin: undefined };
        }
        // An exported name of one of the project's own packages stands for what that package defines.
        const exported = base.isPackage ? project?.names.get(`${base.api}.${field}`) : undefined;
        return { api: exported?.type ?? `${base.api}.${field}`, isPackage: false, origin: undefined };
      }
      case 'qualified_type': {
        const pkg = resolve(node.childForFieldName('package'));
        const name = node.childForFieldName('name')?.text;
        return pkg?.isPackage === true && name !== undefined ? { api: `${pkg.api}.${name}`, isPackage: false, origin: undefined } : undefined;
      }
      case 'pointer_type':
      case 'parenthesized_expression':
        return resolve(node.namedChild(0));
      case 'slice_type':
      case 'array_type':
      case 'map_type': {
        // A container of a known type (`[]*Server`, `map[string][]*Server`): indexing it gives an element.
        const element = resolve(node.childForFieldName(node.type === 'map_type' ? 'value' : 'element'));
        return element === undefined || element.isPackage ? undefined : { api: `${ELEMENTS}${element.api}`, isPackage: false, origin: undefined };
      }
      case 'index_expression': {
        const container = resolve(node.childForFieldName('operand'));
        return container?.api.startsWith(ELEMENTS) === true ? { api: container.api.slice(ELEMENTS.length), isPackage: false, origin: undefined } : undefined;
      }
      case 'unary_expression':
        return node.child(0)?.type === '&' ? resolve(node.childForFieldName('operand')) : undefined;
      case 'composite_literal': {
        const type = resolve(node.childForFieldName('type'));
        return type === undefined ? undefined : { api: type.api, isPackage: false, origin: node.startIndex };
      }
      case 'call_expression': {
        const callee = resolve(node.childForFieldName('function'));
        const api = callee?.api;
        const type = api === undefined ? undefined : api.startsWith(FACTORY) ? api.slice(FACTORY.length) : returnType(api);
        // A function of this file that returns one value it builds hands out that value: its
        // configuration (a reader's `GroupID`) is read where it is built.
        const origin = api?.startsWith(FACTORY) === true && callee?.origin !== undefined ? callee.origin : node.startIndex;
        return type === undefined ? undefined : { api: type, isPackage: false, origin };
      }
      default:
        return undefined;
    }
  };

  /** The value of `node` as a binding: a typed instance, or unknown. */
  const bindValue = (scope: Node, name: Node, value: Node | undefined, declaredType: Node | null): void => {
    if (name.type !== 'identifier' || name.text === '_') return;
    const resolved = value === undefined ? undefined : resolve(value);
    const type = resolved !== undefined && !resolved.isPackage ? resolved : declaredType === null ? undefined : resolve(declaredType);
    scopes.bind(scope, name.text, type?.api, value === undefined ? undefined : type?.origin);
  };

  for (const { kind, node, left, right } of bindings) {
    memo.clear();
    if (kind === 'declare' || kind === 'var') {
      const names = kind === 'var' ? node.childrenForFieldName('name') : (left?.namedChildren ?? []);
      const values = (kind === 'var' ? node.childForFieldName('value') : right)?.namedChildren ?? [];
      const scope = scopes.scopeOf(node);
      names.forEach((name, i) => {
        // `r, err := f()` gives the first name the call's value.
        const value = values.length === names.length ? values[i] : i === 0 ? values[0] : undefined;
        if (name !== null) bindValue(scope, name, value ?? undefined, kind === 'var' ? node.childForFieldName('type') : null);
      });
    } else if (kind === 'param') {
      const scope = node.parent?.parent ?? tree.rootNode;
      for (const name of node.childrenForFieldName('name')) if (name !== null) bindValue(scope, name, undefined, node.childForFieldName('type'));
    } else if (kind === 'range') {
      for (const id of left?.namedChildren ?? []) if (id?.type === 'identifier') scopes.bind(scopes.scopeOf(node), id.text, undefined);
    } else if (kind === 'assign') {
      const targets = left?.namedChildren ?? [];
      const values = right?.namedChildren ?? [];
      targets.forEach((target, i) => {
        const value = values.length === targets.length ? values[i] : undefined;
        if (target?.type === 'identifier') {
          bindValue(scopes.declaringScope(node, target.text) ?? tree.rootNode, target, value ?? undefined, null);
        } else if (target?.type === 'selector_expression' && value != null) {
          recordMember(target, value);
        }
      });
    }
  }

  // Fields another file of the package sets on this file's package-level values, in its `init()`.
  for (const [name, fields] of project?.initialised ?? []) {
    const found = scopes.lookup(tree.rootNode, name);
    const origin = found.kind === 'bound' ? found.binding.originStart : undefined;
    if (origin === undefined) continue;
    const members = instanceConfig.get(origin) ?? new Set<string>();
    for (const field of fields) members.add(field);
    instanceConfig.set(origin, members);
  }

  /** `client.Timeout = ...`, `cfg.Producer.Idempotent = true`, `http.DefaultClient.Timeout = ...`. */
  function recordMember(target: Node, value: Node): void {
    const path: string[] = [];
    let root: Node = target;
    while (root.type === 'selector_expression') {
      path.unshift(root.childForFieldName('field')?.text ?? '');
      root = root.childForFieldName('operand') ?? root;
    }
    const base = resolve(root);
    if (base === undefined) return;
    if (base.isPackage) {
      configuredMembers.add(`${base.api}.${path.join('.')}`);
      return;
    }
    if (base.origin === undefined) return;
    const members = instanceConfig.get(base.origin) ?? new Set<string>();
    members.add(path.join('.'));
    instanceConfig.set(base.origin, members);
    memberAssignments.push({ origin: base.origin, path: path.join('.'), value: goValue(value, resolveApi, lines), start: target.startIndex, end: value.endIndex });
  }

  memo.clear();
  function resolveApi(node: Node): string | undefined {
    if (node.type === 'call_expression') return resolve(node.childForFieldName('function'))?.api;
    return resolve(node)?.api;
  }

  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const isNew = node.type === 'composite_literal';
    const fn = node.childForFieldName(isNew ? 'type' : 'function');
    const resolved = resolve(fn);
    if (fn === null || resolved === undefined) continue;
    const argsNode = node.childForFieldName(isNew ? 'body' : 'arguments');
    const call: CallFact = {
      api: resolved.api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: fn.startIndex,
      calleeEnd: fn.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolveApi, lines, (n) => resolve(n)?.origin),
      isNew,
      decorator: undefined,
      receiver: undefined,
      node,
    };
    calls.push(call);
    if (fn.type === 'selector_expression') {
      const origin = resolve(fn.childForFieldName('operand'))?.origin;
      if (origin !== undefined) receiverOrigins.set(call, origin);
    }
  }

  // A value handed to a function this file does not resolve may be configured there.
  const resolvedCalls = new Set(calls.map((c) => c.node.id));
  for (const arg of args) {
    const call = arg.parent?.parent;
    if (call == null || resolvedCalls.has(call.id)) continue;
    const origin = resolve(arg)?.origin;
    if (origin === undefined) continue;
    const members = instanceConfig.get(origin) ?? new Set<string>();
    members.add('*');
    instanceConfig.set(origin, members);
  }

  linkReceivers(calls, receiverOrigins);
  calls.sort((a, b) => a.start - b.start);
  const projectUses = project === undefined || project.names.size === 0 ? [] : goProjectUses(calls, project, (node) => scopes.lookup(node, node.text).kind === 'unbound' && !imports.has(node.text), imports);
  return {
    language: 'go',
    text,
    lines,
    calls,
    imports,
    constants: new Map(),
    configuredMembers,
    instanceConfig,
    memberAssignments,
    ...(projectUses.length === 0 ? {} : { projectUses }),
    quote: '"',
    root: tree.rootNode,
  };
}

/** The type a project function's name is bound to: calling it gives the type after the prefix. */
const FACTORY = 'project:';
/** The type of a value of a project type whose methods wrap library calls, followed by `importPath.Type` (empty import path: the file's own package; project/go-model.ts). */
export const GO_PROJECT_TYPE = 'go-project-type:';
/** The type of a value whose type is a struct declared in this file (`r Lock`), before its fields are read. */
const LOCAL_STRUCT = 'struct:';
/** The type of a value whose type is a struct another file of the package declares. */
const PROJECT_STRUCT = 'project-struct:';
const LOCAL_INTERFACE = 'interface:';
/** A slice, array or map whose elements have the type that follows: never a canonical API itself. */
const ELEMENTS = '[]';

/**
 * The calls whose receiver or callee is a name from another file of the package (`partnerClient`)
 * or an exported name of a project package (`queue.New`), for hovers, related locations and the
 * rules that report through a value built elsewhere.
 */
function goProjectUses(calls: readonly CallFact[], project: ProjectView, isFree: (node: Node) => boolean, imports: ReadonlyMap<string, ImportFact>): ProjectUse[] {
  const uses: ProjectUse[] = [];
  for (const call of calls) {
    if (call.isNew) continue;
    let head: Node | null = call.node.childForFieldName('function');
    let field: string | undefined;
    while (head?.type === 'selector_expression' || head?.type === 'call_expression') {
      if (head.type === 'selector_expression') {
        field = head.childForFieldName('field')?.text;
        head = head.childForFieldName('operand');
      } else head = head.childForFieldName('function');
    }
    if (head?.type !== 'identifier' || !isFree(head)) {
      const pkg = head?.type === 'identifier' ? imports.get(head.text) : undefined;
      const exported = pkg === undefined || field === undefined ? undefined : project.names.get(`${pkg.target}.${field}`);
      if (head != null && exported !== undefined) uses.push(use(head.startIndex, head.endIndex + 1 + (field?.length ?? 0), `${head.text}.${field ?? ''}`, call, exported));
      continue;
    }
    const name = project.names.get(head.text);
    if (name !== undefined) uses.push(use(head.startIndex, head.endIndex, head.text, call, name));
  }
  return uses;
}

function use(start: number, end: number, local: string, call: CallFact, name: ProjectName): ProjectUse {
  return { start, end, local, call, description: name.description, origin: name.origin, ...(name.configured === undefined ? {} : { configured: name.configured }) };
}

/** `pkg.NewX(...)` returns an `X` by Go convention; other followed functions are listed. */
export function returnType(api: string): string | undefined {
  const known = RETURNS[api];
  if (known !== undefined) return known;
  const m = /^(.*)\.New([A-Z]\w*)$/.exec(api);
  return m === null ? undefined : `${m[1] ?? ''}.${m[2] ?? ''}`;
}

type Resolver = (node: Node) => string | undefined;
type OriginOf = (node: Node) => number | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = lookupTable({
  nil: 'none',
  true: 'true',
  false: 'false',
  int_literal: 'number',
  float_literal: 'number',
  interpreted_string_literal: 'string',
  raw_string_literal: 'string',
  identifier: 'identifier',
  selector_expression: 'member',
  call_expression: 'call',
  composite_literal: 'object',
  func_literal: 'function',
});

export function goValue(node: Node, resolve: Resolver, lines: LineIndex, originOf?: OriginOf): ValueFact {
  if (node.type === 'literal_element' || node.type === 'parenthesized_expression') {
    const inner = node.namedChild(0);
    if (inner !== null) return goValue(inner, resolve, lines, originOf);
  }
  const kind = KINDS[node.type] ?? 'other';
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call' || kind === 'identifier' || kind === 'member') {
    const api = resolve(node);
    const origin = originOf?.(node);
    return { ...base, ...(api === undefined ? {} : { api }), ...(origin === undefined ? {} : { origin }) };
  }
  if (kind === 'object') {
    const body = node.childForFieldName('body');
    const api = resolve(node.childForFieldName('type') ?? node);
    const object = body === null ? undefined : objectFact(body, resolve, lines, originOf);
    return { ...base, ...(api === undefined ? {} : { api }), ...(object === undefined ? {} : { object }) };
  }
  return base;
}

/** A literal's keyed elements; an unkeyed element makes the fields unknown. */
function objectFact(body: Node, resolve: Resolver, lines: LineIndex, originOf?: OriginOf): ObjectFact {
  const args = argumentsFact(body, resolve, lines, originOf);
  return { ...args, props: args.keywords, hasSpread: args.positional.length > 0 };
}

/** Call arguments are positional (`xs...` makes the rest unknown); a literal's `Key: value` elements are keywords. */
function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex, originOf?: OriginOf): ArgumentsFact {
  const positional: ValueFact[] = [];
  const keywords = new Map<string, PropertyFact>();
  let hasSplat = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'keyed_element') {
      const key = child.childForFieldName('key')?.text;
      const value = child.childForFieldName('value');
      if (key !== undefined && value !== null) keywords.set(key, { key, value: goValue(value, resolve, lines, originOf), start: child.startIndex, end: child.endIndex });
    } else if (child.type === 'variadic_argument') {
      hasSplat = true;
    } else {
      positional.push(goValue(child, resolve, lines, originOf));
    }
  }
  return { positional, keywords, hasSplat, start: node.startIndex, end: node.endIndex, ...listLayout(lines, node, last) };
}
