import type { Language, Node, Tree } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, listLayout } from './common.js';
import { JavaImports, returnType } from './java-names.js';
import { Scopes, type Lookup, type ScopeRules } from './scopes.js';
import type { JavaBean, ProjectView } from '../project/types.js';
import type { ArgumentsFact, CallFact, DecoratorInfo, FileFacts, ProjectUse, PropertyFact, ValueFact, ValueKind } from './types.js';
import { injectedBean } from './java-beans.js';
import { JAVA_SENDER_TYPE } from '../project/java-senders.js';
import { PROJECT_SENDER } from '../project/types.js';

const QUERY = `
(import_declaration) @import
(field_declaration) @field
(local_variable_declaration) @local
(resource name: (identifier)) @local
(formal_parameter) @param
(spread_parameter) @param
(catch_formal_parameter) @param
(enhanced_for_statement) @foreach
(lambda_expression) @lambda
(assignment_expression left: (_) @left right: (_) @right) @assign
(method_invocation) @call
(object_creation_expression) @call
(annotation) @annotation
(marker_annotation) @annotation
(argument_list (identifier) @arg)
`;

const CLASSES = new Set(['class_declaration', 'enum_declaration', 'record_declaration', 'interface_declaration']);

/** Java scopes: class bodies, methods, lambdas and blocks; a method sees its class's fields. */
const SCOPE_RULES: ScopeRules = {
  isScope: (node) => node.type === 'class_body' || node.type === 'enum_body' || node.type === 'interface_body' || node.type === 'block'
    || node.type === 'method_declaration' || node.type === 'constructor_declaration' || node.type === 'lambda_expression'
    || node.type === 'for_statement' || node.type === 'enhanced_for_statement' || node.type === 'catch_clause'
    || node.type === 'try_with_resources_statement',
  isOpaque: () => false,
  isClass: (node) => CLASSES.has(node.type),
};

/** A value's type and the call that created it (for builders: the call that started the chain). */
interface Typed {
  readonly type: string | undefined;
  readonly origin: number | undefined;
}

/**
 * Reads calls, annotations and imports off a Java syntax tree. Declared types make resolution
 * reliable: `RestTemplate rt` is a RestTemplate whatever its initialiser, and an injected
 * `WebClient.Builder builder` is a builder configured elsewhere (no origin, so no finding).
 */
export function javaFacts(tree: Tree, language: Language, text: string, project?: ProjectView): FileFacts {
  const lines = new LineIndex(text);
  const imports = new JavaImports(senderTypes(project));
  /** Beans injected into this file's fields and parameters; a value given one has origin `-(index + 1)`. */
  const injected: JavaBean[] = [];
  const inject = (declaration: Node, type: string | undefined, name: string): number | undefined => {
    const bean = injectedBean(project?.beans, declaration, type, name);
    if (bean === undefined) return undefined;
    // One bean, one origin: a field assigned its constructor's parameter keeps the bean it names.
    if (!injected.includes(bean)) injected.push(bean);
    return -(injected.indexOf(bean) + 1);
  };
  const scopes = new Scopes(tree.rootNode, SCOPE_RULES);
  const instanceConfig = new Map<number, Set<string>>();
  /** `?.name` records a method called on a value the file does not resolve. */
  const configuredMembers = new Set<string>();
  const callNodes: Node[] = [];
  const annotations: Node[] = [];
  const args: Node[] = [];
  const declarations: { node: Node; kind: string; left?: Node; right?: Node }[] = [];

  for (const match of compiledQuery(language, QUERY).matches(tree.rootNode)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const left = match.captures.find((c) => c.name === 'left')?.node;
    const right = match.captures.find((c) => c.name === 'right')?.node;
    switch (first.name) {
      case 'import':
        imports.add(first.node);
        break;
      case 'call':
        callNodes.push(first.node);
        break;
      case 'annotation':
        annotations.push(first.node);
        break;
      case 'arg':
        args.push(first.node);
        break;
      default:
        declarations.push({ node: first.node, kind: first.name, ...(left === undefined ? {} : { left }), ...(right === undefined ? {} : { right }) });
    }
  }

  const lookup = (node: Node): Lookup => {
    if (node.type === 'identifier') return scopes.lookup(node, node.text);
    if (node.type === 'field_access' && node.childForFieldName('object')?.type === 'this') {
      return scopes.lookupMember(node, `this.${node.childForFieldName('field')?.text ?? ''}`);
    }
    return { kind: 'unbound' };
  };

  /** A class named by an expression (`HttpClient`, `java.net.http.HttpClient`), unless a variable hides it. */
  const classNamed = (node: Node): string | undefined => {
    if (node.type === 'identifier') return lookup(node).kind === 'unbound' ? imports.type(node.text) : undefined;
    if (node.type !== 'field_access' || !/^[\w.\s]+$/.test(node.text)) return undefined;
    let head: Node = node;
    while (head.type === 'field_access') head = head.childForFieldName('object') ?? head;
    return head.type === 'identifier' && lookup(head).kind === 'unbound' ? imports.qualified(node.text.replace(/\s+/g, '')) : undefined;
  };

  // Typing a chain asks for the type of each receiver, and every call of the chain asks again for
  // its own receiver: without memoising, a builder chain of n calls costs 2^n. The memo is keyed by
  // node id and cleared whenever a binding may have changed (between declarations), so a cached
  // answer is always the one a fresh walk would give.
  const typedMemo = new Map<number, Typed>();
  const apiMemo = new Map<number, string | undefined>();
  const forgetTypes = (): void => {
    typedMemo.clear();
    apiMemo.clear();
  };

  /** The canonical API a method invocation or `new` calls. */
  const apiOf = (node: Node): string | undefined => {
    if (apiMemo.has(node.id)) return apiMemo.get(node.id);
    const api = computeApi(node);
    apiMemo.set(node.id, api);
    return api;
  };
  const computeApi = (node: Node): string | undefined => {
    if (node.type === 'object_creation_expression') return imports.typeOf(node.childForFieldName('type'), false);
    const name = node.childForFieldName('name')?.text;
    if (name === undefined) return undefined;
    const object = node.childForFieldName('object');
    if (object === null) return imports.member(name);
    const owner = classNamed(object) ?? typed(object).type;
    return owner === undefined ? undefined : `${owner}.${name}`;
  };

  /** The type of an expression and the call that created its value, as far as the file shows. */
  const typed = (node: Node | null): Typed => {
    if (node === null) return { type: undefined, origin: undefined };
    const known = typedMemo.get(node.id);
    if (known !== undefined) return known;
    const result = computeTyped(node);
    typedMemo.set(node.id, result);
    return result;
  };
  const computeTyped = (node: Node): Typed => {
    switch (node.type) {
      case 'identifier':
      case 'field_access': {
        const found = lookup(node);
        if (found.kind === 'bound') return { type: found.binding.type, origin: found.binding.originStart };
        if (node.type === 'field_access') {
          const owner = classNamed(node.childForFieldName('object') ?? node);
          const field = node.childForFieldName('field')?.text;
          return { type: owner === undefined || field === undefined ? undefined : `${owner}.${field}`, origin: undefined };
        }
        return { type: undefined, origin: undefined };
      }
      case 'object_creation_expression':
        return { type: imports.typeOf(node.childForFieldName('type')), origin: originKey(node) };
      case 'method_invocation': {
        const api = apiOf(node);
        const object = node.childForFieldName('object');
        const receiver = object === null ? undefined : typed(object);
        const type = api === undefined ? undefined : returnType(api, receiver?.type);
        // A builder's methods return the builder: the chain is one object, created where it started.
        const fluent = receiver?.type !== undefined && type === receiver.type && receiver.origin !== undefined;
        return { type, origin: fluent ? receiver.origin : originKey(node) };
      }
      case 'parenthesized_expression':
        return typed(node.namedChild(0));
      case 'cast_expression':
        return { type: imports.typeOf(node.childForFieldName('type')), origin: typed(node.childForFieldName('value')).origin };
      default:
        return { type: undefined, origin: undefined };
    }
  };

  /** A declared type wins over the initialiser's; `var` takes the initialiser's. */
  const declared = (typeNode: Node | null, value: Node | null): Typed => {
    const fromValue = typed(value);
    if (typeNode === null || typeNode.text === 'var') return fromValue;
    return { type: imports.typeOf(typeNode), origin: fromValue.origin };
  };

  // Declarations in document order, so that `var b = ...; var c = b.build();` resolves.
  for (const { node, kind, left, right } of declarations) {
    forgetTypes();
    if (kind === 'local' || kind === 'field') {
      const typeNode = node.childForFieldName('type');
      const declarators = node.type === 'resource' ? [node] : node.childrenForFieldName('declarator');
      for (const d of declarators) {
        const name = d?.childForFieldName('name');
        if (d == null || name == null) continue;
        const value = d.childForFieldName('value');
        const typedValue = declared(typeNode, value);
        const type = typedValue.type;
        const origin = typedValue.origin ?? (kind === 'field' && value === null ? inject(node, type, name.text) ?? assignedBean(node, name.text, (p, n) => inject(p, type, n)) : undefined);
        scopes.bind(scopes.scopeOf(node), name.text, type, origin);
        if (kind === 'field') scopes.bindMember(node, `this.${name.text}`, type, origin);
      }
    } else if (kind === 'param' || kind === 'foreach') {
      const name = node.childForFieldName('name') ?? node.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'variable_declarator');
      const id = name?.type === 'variable_declarator' ? name.childForFieldName('name') : name;
      if (id == null) continue;
      const type = imports.typeOf(node.childForFieldName('type') ?? node.namedChildren.find((c) => c !== null && /type/.test(c.type)) ?? null);
      const origin = kind === 'param' ? inject(node, type, id.text) : undefined;
      scopes.bind(kind === 'foreach' ? node : scopes.scopeOf(node), id.text, type, origin);
    } else if (kind === 'lambda') {
      const params = node.childForFieldName('parameters');
      const ids = params?.type === 'identifier' ? [params] : (params?.type === 'inferred_parameters' ? params.namedChildren : []);
      for (const id of ids) if (id?.type === 'identifier') scopes.bind(node, id.text, undefined);
    } else if (kind === 'assign' && left !== undefined && right !== undefined) {
      const { type, origin } = typed(right);
      if (left.type === 'identifier') {
        scopes.bind(scopes.declaringScope(node, left.text) ?? tree.rootNode, left.text, type, origin);
      } else if (left.type === 'field_access' && left.childForFieldName('object')?.type === 'this') {
        const field = left.childForFieldName('field')?.text ?? '';
        scopes.bindMember(node, `this.${field}`, type, origin);
        // The bare name means the same field inside the class's methods.
        const body = scopes.enclosing(node, (s) => s.type === 'class_body' || s.type === 'enum_body');
        scopes.bind(body, field, type, origin);
      }
    }
  }

  forgetTypes();
  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  const configure = (origin: number, member: string): void => {
    const members = instanceConfig.get(origin) ?? new Set<string>();
    members.add(member);
    instanceConfig.set(origin, members);
  };
  const resolveValue = (node: Node): string | undefined => {
    if (node.type === 'method_invocation' || node.type === 'object_creation_expression') return apiOf(node);
    if (node.type === 'annotation' || node.type === 'marker_annotation') return imports.typeOf(node.childForFieldName('name'));
    return classNamed(node) ?? typed(node).type;
  };

  const originOf = (node: Node): number | undefined => typed(node).origin;
  for (const node of callNodes) {
    const api = sentThrough(project, apiOf(node));
    const isNew = node.type === 'object_creation_expression';
    const callee = isNew ? node.childForFieldName('type') : node.childForFieldName('name');
    const object = isNew ? null : node.childForFieldName('object');
    const receiver = object === null ? undefined : typed(object);
    const name = node.childForFieldName('name')?.text;
    if (receiver?.origin !== undefined && name !== undefined) configure(receiver.origin, name);
    // Reactor's `.timeout(...)` on a Mono or Flux bounds a WebClient call wherever the client came from.
    if (api === undefined && name === 'timeout') configuredMembers.add('?.timeout');
    if (api === undefined || callee === null) continue;
    const argsNode = node.childForFieldName('arguments');
    const call: CallFact = {
      api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: callee.startIndex,
      calleeEnd: callee.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolveValue, lines, originOf),
      isNew,
      decorator: undefined,
      receiver: undefined,
      node,
    };
    calls.push(call);
    if (receiver?.origin !== undefined) receiverOrigins.set(call, receiver.origin);
  }

  for (const node of annotations) {
    const nameNode = node.childForFieldName('name');
    const api = imports.typeOf(nameNode);
    if (api === undefined || nameNode === null) continue;
    const argsNode = node.childForFieldName('arguments');
    calls.push({
      api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: nameNode.startIndex,
      calleeEnd: nameNode.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolveValue, lines, originOf),
      isNew: false,
      decorator: annotated(node),
      receiver: undefined,
      node,
    });
  }

  // A builder or instance handed to code this file does not resolve may be configured there.
  const resolvedCalls = new Set(calls.map((c) => c.node.id));
  for (const arg of args) {
    const call = arg.parent?.parent;
    if (call == null || resolvedCalls.has(call.id)) continue;
    const origin = typed(arg).origin;
    if (origin !== undefined) configure(origin, '*');
  }

  // Chained calls share their start offset: receivers are linked by callee, which is unique.
  const byCallee = new Map(calls.map((c) => [c.calleeStart, c]));
  for (const [call, origin] of receiverOrigins) {
    const creator = byCallee.get(origin);
    if (creator !== undefined) (call as { receiver: CallFact | undefined }).receiver = creator;
  }
  calls.sort((a, b) => a.start - b.start);
  const projectUses: ProjectUse[] = [];
  for (const [call, origin] of receiverOrigins) {
    const bean = origin < 0 ? injected[-origin - 1] : undefined;
    const object = call.node.childForFieldName('object');
    if (bean === undefined || object === null) continue;
    projectUses.push({ start: object.startIndex, end: object.endIndex, local: object.text, call, description: bean.description, origin: bean.origin, configured: bean.configured });
  }
  return {
    ...(projectUses.length === 0 ? {} : { projectUses: projectUses.sort((a, b) => a.start - b.start) }),
    ...(project?.beans === undefined ? {} : { beans: project.beans }),
    language: 'java',
    text,
    lines,
    calls,
    imports: imports.facts,
    constants: new Map(),
    configuredMembers,
    instanceConfig,
    quote: '"',
    root: tree.rootNode,
  };
}

/**
 * The bean a field without initialiser holds when every constructor of its class assigns it one
 * of its parameters (`this.client = client;`) and all of them name the same bean.
 */
function assignedBean(field: Node, name: string, inject: (param: Node, name: string) => number | undefined): number | undefined {
  const constructors = field.parent?.namedChildren.filter((c): c is Node => c?.type === 'constructor_declaration') ?? [];
  const origins = constructors.map((ctor) => {
    const params = ctor.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => p?.type === 'formal_parameter') ?? [];
    for (const assign of ctor.descendantsOfType('assignment_expression')) {
      const left = assign?.childForFieldName('left');
      const right = assign?.childForFieldName('right');
      const target = left?.type === 'field_access' && left.childForFieldName('object')?.type === 'this' ? left.childForFieldName('field')?.text : left?.type === 'identifier' ? left.text : undefined;
      if (target !== name || right?.type !== 'identifier') continue;
      const param = params.find((p) => p.childForFieldName('name')?.text === right.text);
      return param === undefined ? undefined : inject(param, right.text);
    }
    return undefined;
  });
  const first = origins[0];
  return first !== undefined && origins.every((o) => o === first) ? first : undefined;
}

/**
 * The key of the call that created a value: its callee's start (the method name, or the type after
 * `new`). Calls of one chain share their start offset, so Java origins, `instanceConfig` and
 * `ValueFact.origin` use this key; rules compare it with `CallFact.calleeStart`.
 */
function originKey(node: Node): number {
  const callee = node.type === 'object_creation_expression' ? node.childForFieldName('type') : node.childForFieldName('name');
  return callee?.startIndex ?? node.startIndex;
}

/** The declaration an annotation belongs to (a method, class or field), for rules that read its siblings. */
function annotated(annotation: Node): DecoratorInfo | undefined {
  const modifiers = annotation.parent;
  const declaration = modifiers?.type === 'modifiers' ? modifiers.parent : undefined;
  if (declaration == null) return undefined;
  const name = declaration.childForFieldName('name')?.text ?? '';
  return { start: annotation.startIndex + 1, end: annotation.endIndex, functionName: name, functionNode: declaration };
}

type Resolver = (node: Node) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = lookupTable({
  null_literal: 'none',
  true: 'true',
  false: 'false',
  decimal_integer_literal: 'number',
  hex_integer_literal: 'number',
  octal_integer_literal: 'number',
  binary_integer_literal: 'number',
  decimal_floating_point_literal: 'number',
  string_literal: 'string',
  identifier: 'identifier',
  field_access: 'member',
  method_invocation: 'call',
  object_creation_expression: 'call',
  annotation: 'call',
  marker_annotation: 'call',
  lambda_expression: 'function',
  method_reference: 'function',
  array_initializer: 'array',
  element_value_array_initializer: 'array',
});

export function javaValue(node: Node, resolve: Resolver, originOf?: (node: Node) => number | undefined): ValueFact {
  let kind = KINDS[node.type] ?? 'other';
  if (node.type === 'unary_expression' && /literal$/.test(node.namedChild(0)?.type ?? '')) kind = 'number';
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call' || kind === 'identifier' || kind === 'member') {
    const api = resolve(node);
    const origin = originOf?.(node);
    return { ...base, ...(api === undefined ? {} : { api }), ...(origin === undefined ? {} : { origin }) };
  }
  return base;
}

/** Call arguments are positional; annotation `key = value` pairs are keywords, a lone value is `value`. */
function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex, originOf: (node: Node) => number | undefined): ArgumentsFact {
  const positional: ValueFact[] = [];
  const keywords = new Map<string, PropertyFact>();
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'line_comment' || child.type === 'block_comment') continue;
    last = child;
    if (child.type === 'element_value_pair') {
      const key = child.childForFieldName('key')?.text;
      const value = child.childForFieldName('value');
      if (key !== undefined && value !== null) keywords.set(key, { key, value: javaValue(value, resolve, originOf), start: child.startIndex, end: child.endIndex });
    } else {
      positional.push(javaValue(child, resolve, originOf));
    }
  }
  return { positional, keywords, hasSplat: false, start: node.startIndex, end: node.endIndex, ...listLayout(lines, node, last) };
}

/** The project's types, a sending interface standing for a type of its own (`JAVA_SENDER_TYPE` and its name). */
function senderTypes(project: ProjectView | undefined): ReadonlyMap<string, string | undefined> | undefined {
  const senders = project?.javaSenders;
  if (senders === undefined || project?.javaTypes === undefined) return project?.javaTypes;
  return new Map([...project.javaTypes].map(([simple, type]) => [simple, senders.has(simple) ? `${JAVA_SENDER_TYPE}${simple}` : type]));
}

/**
 * A call of a sending interface's method is the send its implementation makes
 * (`PROJECT_SENDER` and the library API); its other methods are no API at all.
 */
function sentThrough(project: ProjectView | undefined, api: string | undefined): string | undefined {
  if (api === undefined || !api.startsWith(JAVA_SENDER_TYPE)) return api;
  const rest = api.slice(JAVA_SENDER_TYPE.length);
  const dot = rest.indexOf('.');
  const methods = dot < 0 ? undefined : project?.javaSenders?.get(rest.slice(0, dot));
  const method = rest.slice(dot + 1);
  const sent = methods !== undefined && Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
  return sent === undefined ? undefined : `${PROJECT_SENDER}${sent}`;
}
