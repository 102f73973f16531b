import type { Language, Node, Tree } from 'web-tree-sitter';
import { LineIndex } from '../parsing/positions.js';
import type { LanguageId } from '../types.js';
import { PROJECT_CLASS, PROJECT_FACTORY, PROJECT_GETTER, type ProjectName, type ProjectView } from '../project/types.js';
import { projectUsesOf } from './project-uses.js';
import { compiledQuery, linkReceivers, memberPath, preferredQuote, resolveChain, same, type ChainStep } from './common.js';
import { CALLBACK_RESULTS, defaultExport, readImport, readRequire, requiredModule, RETURNS, TYPED_PARAMETERS } from './javascript-modules.js';
import { patternNames, Scopes, type Lookup, type ScopeRules } from './scopes.js';
import type { CallFact, FileFacts, ImportFact, ProjectUse, ValueFact } from './types.js';
import { argumentsFact, valueFact } from './javascript-values.js';

const COMMON_QUERY = `
(import_statement) @import
(variable_declarator name: (_) @left) @declare
(assignment_expression left: (_) @left right: (_) @right) @assign
(function_declaration name: (identifier) @name) @def
(generator_function_declaration name: (identifier) @name) @def
(class_declaration name: (_) @name) @def
(_ (formal_parameters) @left) @params
(arrow_function parameter: (identifier) @left) @param
(catch_clause parameter: (_) @left) @param
(for_in_statement left: (_) @left) @param
(call_expression) @call
(new_expression) @call
(string) @string
`;

/** Class fields are `field_definition` in the JavaScript grammar and `public_field_definition` in TypeScript's. */
const QUERY: Readonly<Record<'javascript' | 'typescript', string>> = {
  javascript: `${COMMON_QUERY}(field_definition property: (_) @left value: (_) @right) @field\n`,
  typescript: `${COMMON_QUERY}(public_field_definition name: (_) @left value: (_) @right) @field\n(method_definition name: (property_identifier) @left return_type: (type_annotation) @right) @method\n`,
};

/** The last names of the APIs in CALLBACK_RESULTS: `connect`, `createChannel`, ... */
const CALLBACK_METHODS = new Set(Object.keys(CALLBACK_RESULTS).map((api) => api.slice(api.lastIndexOf('.') + 1)));

const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self']);
/** Global functions of the platform whose calls are facts of their own. */
const PLATFORM_FUNCTIONS = new Set(['fetch', 'setInterval']);

const FUNCTIONS = new Set([
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function', 'class_static_block',
]);

/** `let` and `const` live in blocks, `var` and parameters in functions; `this.x` belongs to a class. */
const SCOPE_RULES: ScopeRules = {
  isScope: (node) => FUNCTIONS.has(node.type) || node.type === 'statement_block' || node.type === 'for_statement'
    || node.type === 'for_in_statement' || node.type === 'catch_clause',
  isOpaque: () => false,
  isClass: (node) => node.type === 'class_declaration' || node.type === 'class' || node.type === 'abstract_class_declaration',
};

/**
 * The calls made through a method of a project class (`this.fetchService.fetch(url)`,
 * `XQueue.getInstance()?.add(...)`): the method's name in the chain, nearest the call first.
 */
function methodUsesOf(calls: readonly CallFact[], memberNames: ReadonlyMap<number, ProjectName>, found: readonly ProjectUse[], inner: (node: Node) => Node | null): ProjectUse[] {
  const done = new Set(found.map((u) => u.call));
  const uses: ProjectUse[] = [];
  for (const call of calls) {
    if (done.has(call)) continue;
    for (let next = inner(call.node); next !== null; next = inner(next)) {
      const name = memberNames.get(next.id);
      if (name === undefined) continue;
      const property = next.childForFieldName('property') ?? next;
      uses.push({ start: property.startIndex, end: property.endIndex, local: next.text, call, description: name.description, origin: name.origin, ...(name.jobDefaults === undefined ? {} : { jobDefaults: name.jobDefaults }), ...(name.timeoutOption === undefined ? {} : { timeoutOption: name.timeoutOption }) });
      break;
    }
  }
  return uses;
}

/** Reads calls, imports and constants off a JavaScript, TypeScript or TSX syntax tree. */
export function javascriptFacts(tree: Tree, language: Language, languageId: LanguageId, text: string, project?: ProjectView): FileFacts {
  const lines = new LineIndex(text);
  const imports = new Map<string, ImportFact>();
  const scopes = new Scopes(tree.rootNode, SCOPE_RULES);
  const constants = new Map<string, ValueFact>();
  const configuredMembers = new Set<string>();
  const instanceConfig = new Map<number, Set<string>>();
  const importNodes: Node[] = [];
  const declarations: Node[] = [];
  /** Each parameter with its function, and whether it is the function's second parameter. */
  const parameters: { scope: Node; pattern: Node; second: boolean }[] = [];
  const bindings: { left: Node; right: Node; node: Node }[] = [];
  const callNodes: Node[] = [];
  const strings: Node[] = [];
  /** TypeScript methods with their declared return type (`getStripeClient(): Promise<StripeClient>`). */
  const methods: { node: Node; name: Node; returns: Node }[] = [];

  for (const match of compiledQuery(language, QUERY[languageId === 'javascript' ? 'javascript' : 'typescript']).matches(tree.rootNode)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const left = match.captures.find((c) => c.name === 'left')?.node;
    const right = match.captures.find((c) => c.name === 'right')?.node;
    switch (first.name) {
      case 'import':
        importNodes.push(first.node);
        break;
      case 'declare':
        declarations.push(first.node);
        break;
      case 'assign':
      case 'field':
        if (left !== undefined && right !== undefined) bindings.push({ left, right, node: first.node });
        break;
      case 'def':
        declarations.push(first.node);
        break;
      case 'method':
        if (left !== undefined && right !== undefined) methods.push({ node: first.node, name: left, returns: right });
        break;
      case 'params':
        // The query hands over the function with its parameters: asking a node for its parent walks
        // down from the root, which costs the nesting depth (10,000 nested arrow functions).
        (left?.namedChildren ?? []).filter((c) => c !== null && c.type !== 'comment').forEach((param, i) => {
          if (param !== null) parameters.push({ scope: first.node, pattern: param, second: i === 1 });
        });
        break;
      case 'param':
        if (left !== undefined) parameters.push({ scope: first.node, pattern: left, second: false });
        break;
      case 'call':
        callNodes.push(first.node);
        break;
      case 'string':
        if (strings.length < 200) strings.push(first.node);
        break;
    }
  }

  /** Member expressions that name a method of a project class, by node id. */
  const memberNames = new Map<number, ProjectName>();
  // Set once every name is bound: from then on an expression's answer cannot change.
  let memo: Map<number, string | undefined> | undefined;
  const step = (node: Node): ChainStep<string> => {
    switch (node.type) {
      case 'identifier': {
        const found = scopes.lookup(node, node.text);
        if (found.kind === 'bound') return { value: found.binding.type };
        // Only an unbound `fetch` or `setInterval` is the platform's: a local function or parameter of that name is not.
        return { value: found.kind === 'unbound' && PLATFORM_FUNCTIONS.has(node.text) ? node.text : undefined };
      }
      case 'member_expression': {
        const own = scopes.lookupMember(node, node.text);
        if (own.kind !== 'unbound') return { value: typeOf(own) };
        const object = node.childForFieldName('object');
        const property = node.childForFieldName('property');
        // `globalThis.fetch(url)` and `window.fetch(url)` are the platform's fetch, unless shadowed.
        if (property?.text === 'fetch' && object?.type === 'identifier' && GLOBAL_OBJECTS.has(object.text) && scopes.lookup(object, object.text).kind === 'unbound') return { value: 'fetch' };
        return { inner: object, then: (base) => {
          const path = memberPath(base, property?.text);
          const name = path === undefined ? undefined : project?.names.get(path);
          // A method of a project class (`fetchService.fetch`, `XQueue.getInstance`): kept for hovers and the rules that read through it.
          if (name !== undefined && base?.startsWith(PROJECT_CLASS) === true) memberNames.set(node.id, name);
          return path === undefined ? undefined : (name?.type ?? path);
        } };
      }
      case 'call_expression': {
        const fn = unwrap(node.childForFieldName('function'));
        // `require('stripe')` is the module's default export, so `require('stripe')(key)` calls it.
        if (fn?.type === 'identifier' && fn.text === 'require') {
          const required = requiredModule(node);
          return { value: required !== undefined && scopes.lookup(fn, 'require').kind === 'unbound' ? defaultExport(required) : undefined };
        }
        return { inner: fn, then: (api) => (api === undefined ? undefined : api.startsWith(PROJECT_FACTORY) ? api.slice(PROJECT_FACTORY.length) : api.startsWith(PROJECT_GETTER) ? api.slice(PROJECT_GETTER.length) : (RETURNS[api] ?? api)) };
      }
      case 'new_expression':
        return { inner: node.childForFieldName('constructor'), then: same };
      case 'await_expression':
      case 'parenthesized_expression':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression':
        return { inner: node.namedChild(0), then: same };
      default:
        return { value: undefined };
    }
  };
  const resolve = (node: Node | null): string | undefined => resolveChain(node, step, memo);

  /** The call a value expression comes from, looking through `await` and parentheses. */
  const creatingCall = (node: Node): Node | undefined => {
    // A type assertion (`agenda.create(...) as WebhookJob`) names the same value.
    let value = node.type === 'as_expression' || node.type === 'satisfies_expression' ? (node.namedChild(0) ?? node) : node;
    // `env.REDIS ? new Queue(...) : null` holds the queue when it holds anything.
    if (value.type === 'ternary_expression') {
      const empty = (n: Node | null): boolean => n === null || n.type === 'null' || n.type === 'undefined';
      const consequence = value.childForFieldName('consequence');
      const alternative = value.childForFieldName('alternative');
      const held = empty(alternative) ? consequence : empty(consequence) ? alternative : null;
      if (held === null) return undefined;
      value = held;
    }
    const inner = value.type === 'await_expression' || value.type === 'parenthesized_expression' ? value.namedChild(0) : value;
    return inner !== null && (inner.type === 'call_expression' || inner.type === 'new_expression') ? inner : undefined;
  };

  // A name imported from the project stands for what its module exports (a queue, an axios instance).
  const projectImports = new Map<string, ProjectName>();
  const bindImport = (scope: Node, imp: ImportFact): void => {
    imports.set(imp.local, imp);
    const external = project?.names.get(imp.target);
    if (external === undefined) scopes.bind(scope, imp.local, imp.target);
    else {
      scopes.bind(scope, imp.local, external.type, external.instance ? imp.node.startIndex : undefined);
      projectImports.set(imp.local, external);
    }
  };
  for (const node of importNodes) {
    for (const imp of readImport(node)) bindImport(tree.rootNode, imp);
  }
  /**
   * The class of `TYPED_PARAMETERS` a type annotation names through an import: the library's own
   * class, or a project class that extends it (`class StripeClient extends Stripe` in another
   * file). With `awaited`, `Promise<X>` names X, as an async method's return type does.
   */
  const typedClass = (node: Node | null, awaited: boolean): string | undefined => {
    let type = node;
    if (awaited && type?.type === 'generic_type' && type.childForFieldName('name')?.text === 'Promise') type = type.childForFieldName('type_arguments')?.namedChild(0) ?? null;
    // `Producer | undefined`: an optional instance is an instance where it is used.
    if (type?.type === 'union_type') {
      const members = type.namedChildren.filter((m): m is Node => m !== null && !/^(?:null|undefined)$/.test(m.text) && m.type !== 'literal_type');
      type = members.length === 1 ? (members[0] ?? null) : null;
    }
    if (type?.type === 'generic_type') type = type.childForFieldName('name') ?? type.namedChild(0);
    if (type?.type !== 'type_identifier') return undefined;
    const found = scopes.lookup(type, type.text);
    if (found.kind !== 'bound') return undefined;
    const imported = imports.get(type.text)?.target === found.binding.type || projectImports.get(type.text)?.type === found.binding.type;
    const typed = imported ? found.binding.type : undefined;
    // A project class whose methods make library calls (`fetchService: FetchService`) is typed as well.
    return typed !== undefined && (TYPED_PARAMETERS.has(typed) || typed.startsWith(PROJECT_CLASS)) ? typed : undefined;
  };
  // A method declared to return such a class hands out an instance of it: `this.getClient()` is one.
  for (const { node, name, returns } of methods) {
    const typed = typedClass(returns.namedChild(0), true);
    if (typed !== undefined) scopes.bindMember(node, `this.${name.text}`, `${PROJECT_FACTORY}${typed}`);
  }
  // Parameters typed as a library class are bound before the declarations, which may use them:
  // `const job = agenda.create(...)` in `function (agenda: Agenda)`.
  for (const { scope, pattern } of parameters) {
    if (pattern.type !== 'required_parameter' && pattern.type !== 'optional_parameter') continue;
    const typed = typedClass(pattern.childForFieldName('type')?.namedChild(0) ?? null, false);
    if (typed !== undefined) for (const id of patternNames(pattern)) scopes.bind(scope, id.text, typed);
  }
  const aliases: { scope: Node; name: string; value: Node }[] = [];
  for (const node of declarations) {
    if (node.type !== 'variable_declarator') {
      const name = node.childForFieldName('name');
      if (name !== null) scopes.bind(scopes.scopeOf(node), name.text, undefined);
      continue;
    }
    // `var` is scoped to its function; `let` and `const` to their block.
    const scope = node.parent?.type === 'variable_declaration' ? scopes.enclosing(node, (s) => FUNCTIONS.has(s.type)) : scopes.scopeOf(node);
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (name === null) continue;
    const required = value === null ? undefined : readRequire(name, value, node);
    if (required !== undefined) {
      for (const imp of required) bindImport(scope, imp);
    } else if (name.type !== 'identifier') {
      const awaited = name.type === 'array_pattern' && value !== null ? promiseAllItems(value) : undefined;
      for (const id of patternNames(name)) {
        // `const [client, order] = await Promise.all([getClient(), load()])`: each name takes its item's value.
        const index = awaited === undefined || id.parent?.id !== name.id ? -1 : name.namedChildren.findIndex((c) => c?.id === id.id);
        const call = index < 0 ? undefined : awaited?.[index] === undefined ? undefined : creatingCall(awaited[index] as Node);
        scopes.bind(scope, id.text, call === undefined ? undefined : resolve(call), call?.startIndex);
      }
    } else if (value === null) {
      // `let agenda: Agenda;` set later: the annotation says what the name will hold.
      const typed = typedClass(node.childForFieldName('type')?.namedChild(0) ?? null, false);
      if (typed === undefined) scopes.declare(scope, name.text);
      else scopes.bind(scope, name.text, typed);
    } else if (value.type === 'identifier' || (value.type === 'member_expression' && value.childForFieldName('object')?.type === 'this')) {
      // `const client = this.stripe` names what the field holds, known once parameters and fields are bound.
      aliases.push({ scope, name: name.text, value });
    } else {
      const call = creatingCall(value);
      scopes.bind(scope, name.text, call === undefined ? undefined : resolve(call), call?.startIndex);
      if (/^[A-Z][A-Z0-9_]*$/.test(name.text) && scope.id === tree.rootNode.id) constants.set(name.text, valueFact(value, resolve, lines));
    }
  }
  /**
   * The library class a TypeScript parameter is declared as (`transporter: Mail`), when the type's
   * name is imported from that library and the class is one whose calls say all a rule needs
   * (`TYPED_PARAMETERS`): the parameter then holds an instance of it. A queue or an HTTP client
   * passed in is configured elsewhere, so its calls stay unresolved; a local interface of the same
   * name is not bound as an import and gives nothing.
   */
  const annotatedType = (pattern: Node): string | undefined => {
    if (pattern.type !== 'required_parameter' && pattern.type !== 'optional_parameter') return undefined;
    return typedClass(pattern.childForFieldName('type')?.namedChild(0) ?? null, false);
  };
  /** The type of a callback's second parameter, when the callback is passed to a call that `CALLBACK_RESULTS` lists. */
  // Only a second parameter can be typed, and only when the callee's name is one that
  // CALLBACK_RESULTS lists: both are checked before anything asks a node for its parent (which
  // walks down from the root) or resolves the callee (which follows its whole chain), so a chain of
  // a thousand `.then((r) => ...)` stays linear.
  const callbackResult = (fn: Node, second: boolean): string | undefined => {
    if (!second) return undefined;
    const call = fn.parent?.type === 'arguments' ? fn.parent.parent : null;
    if (call?.type !== 'call_expression') return undefined;
    const callee = unwrap(call.childForFieldName('function'));
    const name = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
    if (name === undefined || !CALLBACK_METHODS.has(name)) return undefined;
    const api = resolve(callee);
    return api === undefined ? undefined : CALLBACK_RESULTS[api];
  };

  // In source order, so that an outer callback's parameters are typed before an inner call uses them.
  for (const { scope, pattern, second } of parameters) {
    const result = callbackResult(scope, second) ?? annotatedType(pattern);
    for (const id of patternNames(pattern)) scopes.bind(scope, id.text, result);
    // A constructor parameter with a modifier (`private readonly queue: Queue`) is also a field of the class.
    if (result !== undefined && isParameterProperty(pattern)) {
      const name = pattern.childForFieldName('pattern');
      if (name?.type === 'identifier') scopes.bindMember(scope, `this.${name.text}`, result);
    }
  }

  /** The call that created the value `node` names, when one call did. */
  const originOf = (node: Node): number | undefined => {
    const found: Lookup = node.type === 'identifier' ? scopes.lookup(node, node.text) : node.type === 'member_expression' ? scopes.lookupMember(node, node.text) : { kind: 'unbound' };
    return found.kind === 'bound' ? found.binding.originStart : undefined;
  };

  for (const { left, right, node } of bindings) {
    const call = creatingCall(right);
    // `agenda = ag` copies what `ag` holds: a typed parameter handed to a module-level variable.
    const type = call === undefined ? (right.type === 'identifier' ? typeOf(scopes.lookup(right, right.text)) : undefined) : resolve(call);
    if (left.type === 'identifier') {
      // Assignments do not declare: they write to the scope that declared the name.
      scopes.bind(scopes.declaringScope(node, left.text) ?? tree.rootNode, left.text, type, call?.startIndex);
    } else if (left.type === 'property_identifier' || left.type === 'private_property_identifier') {
      scopes.bindMember(node, `this.${left.text}`, type, call?.startIndex);
    } else if (left.type === 'member_expression') {
      const member = resolve(left);
      if (member !== undefined) configuredMembers.add(member);
      recordInstanceConfig(left, originOf, instanceConfig);
      scopes.bindMember(node, left.text, type, call?.startIndex);
    } else {
      for (const id of patternNames(left)) scopes.bind(scopes.declaringScope(node, id.text) ?? tree.rootNode, id.text, undefined);
    }
  }

  for (const { scope, name, value } of aliases) {
    const found = value.type === 'identifier' ? scopes.lookup(value, value.text) : scopes.lookupMember(value, value.text);
    scopes.bind(scope, name, typeOf(found), found.kind === 'bound' ? found.binding.originStart : undefined);
  }

  memo = new Map();
  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const isNew = node.type === 'new_expression';
    const fn = unwrap(node.childForFieldName(isNew ? 'constructor' : 'function'));
    if (fn === null) continue;
    let api = resolve(fn);
    if (api === undefined) continue;
    if (api === 'node-fetch') api = 'fetch';
    const argsNode = node.childForFieldName('arguments');
    const call: CallFact = {
      api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: fn.startIndex,
      calleeEnd: fn.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolve, lines),
      isNew,
      decorator: undefined,
      receiver: undefined,
      node,
    };
    calls.push(call);
    if (fn.type === 'member_expression') {
      const object = fn.childForFieldName('object');
      const origin = object === null ? undefined : originOf(object);
      if (origin !== undefined) receiverOrigins.set(call, origin);
    }
  }
  linkReceivers(calls, receiverOrigins);
  // The callee chain of a call or `new` (`emailQueue.add` in `emailQueue.add(...)`), down to its first name.
  const inner = (node: Node): Node | null => {
    const next = node.type === 'call_expression' ? node.childForFieldName('function') : node.type === 'new_expression' ? node.childForFieldName('constructor') : node.type === 'member_expression' ? node.childForFieldName('object') : null;
    return unwrap(next);
  };
  const projectUses = projectUsesOf(calls, projectImports, scopes, inner);
  if (memberNames.size > 0) projectUses.push(...methodUsesOf(calls, memberNames, projectUses, inner));

  return {
    language: languageId,
    text,
    lines,
    calls,
    imports,
    constants,
    configuredMembers,
    instanceConfig,
    ...(projectUses.length === 0 ? {} : { projectUses }),
    quote: preferredQuote(strings),
    root: tree.rootNode,
  };
}

/** A TypeScript constructor parameter that declares a field: it carries `private`, `public`, `protected` or `readonly`. */
function isParameterProperty(pattern: Node): boolean {
  return pattern.children.some((c) => c?.type === 'accessibility_modifier' || c?.type === 'readonly');
}

/** tree-sitter-typescript parses `await axios.get<T>(u)` with the await inside the callee. */
function unwrap(node: Node | null): Node | null {
  return node?.type === 'await_expression' ? node.namedChild(0) : node;
}

/**
 * `api.defaults.timeout = 5000` configures the instance `api` names: records `defaults.timeout`
 * under the call that created it, so rules can see an instance configured after its creation.
 */
function recordInstanceConfig(left: Node, originOf: (node: Node) => number | undefined, config: Map<number, Set<string>>): void {
  const path: string[] = [];
  for (let node: Node | null = left; node?.type === 'member_expression'; ) {
    const property = node.childForFieldName('property');
    if (property === null) return;
    path.unshift(property.text);
    const object: Node | null = node.childForFieldName('object');
    if (object === null) return;
    const origin = originOf(object);
    if (origin !== undefined) {
      const members = config.get(origin) ?? new Set<string>();
      members.add(path.join('.'));
      config.set(origin, members);
      return;
    }
    node = object;
  }
}

/** The type a lookup found, or nothing when the name is unbound or ambiguous. */
function typeOf(found: Lookup): string | undefined {
  return found.kind === 'bound' ? found.binding.type : undefined;
}

/** The items of `await Promise.all([...])`, in order; undefined for any other value. */
function promiseAllItems(value: Node): (Node | null)[] | undefined {
  if (value.type !== 'await_expression') return undefined;
  const call = value.namedChild(0);
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'Promise.all') return undefined;
  const array = call.childForFieldName('arguments')?.namedChild(0);
  return array?.type === 'array' ? array.namedChildren.filter((c) => c?.type !== 'comment') : undefined;
}
