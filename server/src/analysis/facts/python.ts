import type { Language, Node, Tree } from 'web-tree-sitter';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, listLayout, linkReceivers, preferredQuote, unquote } from './common.js';
import { patternNames, Scopes, type Lookup, type ScopeRules } from './scopes.js';
import type {
  ArgumentsFact,
  CallFact,
  DecoratorInfo,
  FileFacts,
  ImportFact,
  ObjectFact,
  PropertyFact,
  ValueFact,
  ValueKind,
} from './types.js';

const QUERY = `
(import_statement) @import
(import_from_statement) @import
(decorated_definition) @decorated
(function_definition name: (identifier) @name parameters: (parameters) @params) @def
(lambda parameters: (lambda_parameters) @params) @def
(class_definition name: (identifier) @name) @def
(for_statement left: (_) @left) @for
(for_in_clause left: (_) @left) @for
(assignment left: (_) @left right: (_) @right) @assign
(as_pattern alias: (as_pattern_target) @left) @with
(call) @call
(string) @string
`;

/** Python scopes: functions, lambdas and class bodies; a class body is invisible to its methods. */
const SCOPE_RULES: ScopeRules = {
  isScope: (node) => node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition',
  isOpaque: (node) => node.type === 'class_definition',
  isClass: (node) => node.type === 'class_definition',
};

/** What calling an API returns, where that is not an instance of the API itself. */
const RETURNS: Readonly<Record<string, string>> = {
  'requests.session': 'requests.Session',
  'httpx.AsyncClient': 'httpx.AsyncClient',
};

/** Submodules that re-export into their package: `tenacity.wait.wait_exponential` is `tenacity.wait_exponential`. */
const REEXPORTED = /^(tenacity)\.(?:wait|stop|retry)\.|^(requests)\.(?:api|sessions)\./;

function canonical(name: string): string {
  return name.replace(REEXPORTED, (_, tenacity: string | undefined, requests: string | undefined) => `${tenacity ?? requests ?? ''}.`);
}

/** Decorators that turn a function into a Celery task. */
export function isCeleryTaskDecorator(api: string): boolean {
  return api === 'celery.shared_task' || api === 'celery.Celery.task' || api === 'celery.task';
}

const ENQUEUE_METHODS = new Set(['delay', 'apply_async', 'delay_on_commit', 'apply_async_on_commit']);

/** Reads calls, imports and constants off a Python syntax tree. */
export function pythonFacts(tree: Tree, language: Language, text: string): FileFacts {
  const lines = new LineIndex(text);
  const imports = new Map<string, ImportFact>();
  const scopes = new Scopes(tree.rootNode, SCOPE_RULES);
  const constants = new Map<string, ValueFact>();
  const configuredMembers = new Set<string>();
  const importNodes: Node[] = [];
  const decorated: Node[] = [];
  const definitions: { node: Node; name: Node | undefined; params: Node | undefined }[] = [];
  const loopTargets: Node[] = [];
  const assigns: { left: Node; right: Node | undefined; node: Node }[] = [];
  const callNodes: Node[] = [];
  const strings: Node[] = [];

  for (const match of compiledQuery(language, QUERY).matches(tree.rootNode)) {
    const first = match.captures[0];
    if (first === undefined) continue;
    const capture = (name: string): Node | undefined => match.captures.find((c) => c.name === name)?.node;
    switch (first.name) {
      case 'import':
        importNodes.push(first.node);
        break;
      case 'decorated':
        decorated.push(first.node);
        break;
      case 'def':
        definitions.push({ node: first.node, name: capture('name'), params: capture('params') });
        break;
      case 'for': {
        const left = capture('left');
        if (left !== undefined) loopTargets.push(left);
        break;
      }
      case 'assign': {
        const left = capture('left');
        if (left !== undefined) assigns.push({ left, right: capture('right'), node: first.node });
        break;
      }
      case 'with': {
        const left = capture('left');
        if (left !== undefined) assigns.push({ left, right: first.node.namedChild(0) ?? undefined, node: first.node });
        break;
      }
      case 'call':
        callNodes.push(first.node);
        break;
      case 'string':
        if (strings.length < 200) strings.push(first.node);
        break;
    }
  }

  const resolve = (node: Node | null): string | undefined => {
    if (node === null) return undefined;
    switch (node.type) {
      case 'identifier':
        return typeOf(scopes.lookup(node, node.text));
      case 'attribute': {
        const own = scopes.lookupMember(node, node.text);
        if (own.kind !== 'unbound') return typeOf(own);
        const base = resolve(node.childForFieldName('object'));
        const attr = node.childForFieldName('attribute');
        return base !== undefined && attr !== null ? canonical(`${base}.${attr.text}`) : undefined;
      }
      case 'call': {
        const api = resolve(node.childForFieldName('function'));
        return api === undefined ? undefined : (RETURNS[api] ?? api);
      }
      case 'parenthesized_expression':
        return resolve(node.namedChild(0));
      default:
        return undefined;
    }
  };

  // Imports bind names in the scope they appear in, like any other statement.
  for (const node of importNodes) {
    for (const imp of readImport(node)) {
      imports.set(imp.local, imp);
      scopes.bind(scopes.scopeOf(node), imp.local, canonical(imp.target));
    }
  }

  // Celery task functions defined here: their `.delay()` is an enqueue.
  const decoratorOf = new Map<number, DecoratorInfo>();
  const bareDecorators: { expr: Node; info: DecoratorInfo }[] = [];
  const celeryTasks = new Set<number>();
  for (const def of decorated) {
    const fn = def.childForFieldName('definition');
    const name = fn?.childForFieldName('name');
    if (fn == null || name == null) continue;
    for (const dec of def.namedChildren) {
      if (dec?.type !== 'decorator') continue;
      const expr = dec.namedChild(0);
      if (expr === null) continue;
      const info: DecoratorInfo = { start: expr.startIndex, end: expr.endIndex, functionName: name.text, functionNode: fn };
      if (expr.type === 'call') decoratorOf.set(expr.startIndex, info);
      else bareDecorators.push({ expr, info });
      const api = resolve(expr.type === 'call' ? expr.childForFieldName('function') : expr);
      if (api !== undefined && isCeleryTaskDecorator(api)) celeryTasks.add(fn.id);
    }
  }

  // Definitions and parameters hide outer names; a Celery task's name stands for the task.
  for (const { node, name, params } of definitions) {
    if (name !== undefined) scopes.bind(scopes.scopeOf(node), name.text, celeryTasks.has(node.id) ? 'celery.Task' : undefined);
    for (const param of params?.namedChildren ?? []) {
      if (param !== null) for (const id of patternNames(param)) scopes.bind(node, id.text, undefined);
    }
  }
  for (const target of loopTargets) {
    for (const id of patternNames(target)) scopes.bind(scopes.scopeOf(target), id.text, undefined);
  }

  for (const { left, right, node } of assigns) {
    const value = right?.type === 'call' ? right : undefined;
    const type = value === undefined ? undefined : resolve(value);
    if (left.type === 'identifier' || (left.type === 'as_pattern_target' && left.namedChild(0)?.type === 'identifier')) {
      const name = left.type === 'identifier' ? left.text : (left.namedChild(0)?.text ?? '');
      scopes.bind(scopes.scopeOf(node), name, type, value?.startIndex);
    } else if (left.type === 'attribute' || (left.type === 'as_pattern_target' && left.namedChild(0)?.type === 'attribute')) {
      const target = left.type === 'attribute' ? left : left.namedChild(0);
      if (target !== null) scopes.bindMember(node, target.text, type, value?.startIndex);
    } else {
      for (const id of patternNames(left)) scopes.bind(scopes.scopeOf(node), id.text, undefined);
    }
    if (left.type === 'identifier' && right !== undefined && node.parent?.parent?.type === 'module' && /^[A-Z][A-Z0-9_]*$/.test(left.text)) {
      constants.set(left.text, valueFact(right, resolve, lines));
    }
  }

  /** The call that created the value `node` names, when one call did. */
  const originOf = (node: Node): number | undefined => {
    const found: Lookup = node.type === 'identifier' ? scopes.lookup(node, node.text) : node.type === 'attribute' ? scopes.lookupMember(node, node.text) : { kind: 'unbound' };
    return found.kind === 'bound' ? found.binding.originStart : undefined;
  };

  /**
   * Whether `node` is a value a call returned: calling it (`Retrying()(fn)`, `retryer(fn)`, or a
   * decorator made by `retry(...)`) calls the instance, not the API that created it.
   */
  const isInstance = (node: Node | null): boolean => {
    if (node === null) return false;
    if (node.type === 'call') return true;
    if (node.type === 'parenthesized_expression') return isInstance(node.namedChild(0));
    const found = node.type === 'identifier' ? scopes.lookup(node, node.text) : node.type === 'attribute' ? scopes.lookupMember(node, node.text) : undefined;
    return found?.kind === 'bound' && found.binding.instance;
  };

  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const fn = node.childForFieldName('function');
    let api = resolve(fn);
    if (api === undefined || fn === null) continue;
    if (isInstance(fn)) api = `${api}.__call__`;
    if (api === 'socket.setdefaulttimeout') configuredMembers.add(api);
    const method = api.slice(api.lastIndexOf('.') + 1);
    if (ENQUEUE_METHODS.has(method) && api !== `celery.Task.${method}` && isLocalModule(api, imports)) {
      api = `celery.Task.${method}`;
    }
    const argsNode = node.childForFieldName('arguments');
    const call: CallFact = {
      api,
      start: node.startIndex,
      end: node.endIndex,
      calleeStart: fn.startIndex,
      calleeEnd: fn.endIndex,
      args: argsNode === null ? undefined : argumentsFact(argsNode, resolve, lines),
      isNew: false,
      decorator: decoratorOf.get(node.startIndex),
      receiver: undefined,
      node,
    };
    calls.push(call);
    if (fn.type === 'attribute') {
      const object = fn.childForFieldName('object');
      const origin = object === null ? undefined : originOf(object);
      if (origin !== undefined) receiverOrigins.set(call, origin);
    }
  }
  for (const { expr, info } of bareDecorators) {
    const resolved = resolve(expr);
    if (resolved === undefined) continue;
    const api = isInstance(expr) ? `${resolved}.__call__` : resolved;
    calls.push({
      api,
      start: expr.startIndex,
      end: expr.endIndex,
      calleeStart: expr.startIndex,
      calleeEnd: expr.endIndex,
      args: undefined,
      isNew: false,
      decorator: info,
      receiver: undefined,
      node: expr,
    });
  }
  linkReceivers(calls, receiverOrigins);
  calls.sort((a, b) => a.start - b.start);

  return {
    language: 'python',
    text,
    lines,
    calls,
    imports,
    constants,
    configuredMembers,
    instanceConfig: new Map(),
    quote: preferredQuote(strings),
    root: tree.rootNode,
  };
}

/** A `.delay()` on a name imported from the project's own modules is a Celery enqueue. */
function isLocalModule(api: string, imports: ReadonlyMap<string, ImportFact>): boolean {
  if (api.startsWith('.')) return true;
  const root = api.split('.')[0] ?? '';
  for (const imp of imports.values()) {
    if (imp.target === api.slice(0, api.lastIndexOf('.'))) return !THIRD_PARTY.has(root);
  }
  return false;
}

/** Libraries whose `.delay` or `.apply_async` attributes are not Celery's. */
const THIRD_PARTY = new Set(['requests', 'httpx', 'tenacity', 'backoff', 'time', 'asyncio', 'threading']);

function readImport(node: Node): ImportFact[] {
  const found: ImportFact[] = [];
  if (node.type === 'import_statement') {
    for (const name of node.childrenForFieldName('name')) {
      if (name === null) continue;
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (target !== undefined && alias !== undefined) found.push({ target, local: alias, node });
      } else {
        // `import urllib.request` binds `urllib`; attribute access then spells the full path.
        const root = name.text.split('.')[0] ?? name.text;
        found.push({ target: root, local: root, node });
      }
    }
    return found;
  }
  const moduleNode = node.childForFieldName('module_name');
  if (moduleNode === null) return found;
  const module = moduleNode.text;
  for (const name of node.childrenForFieldName('name')) {
    if (name === null) continue;
    if (name.type === 'aliased_import') {
      const target = name.childForFieldName('name')?.text;
      const alias = name.childForFieldName('alias')?.text;
      if (target !== undefined && alias !== undefined) found.push({ target: joinModule(module, target), local: alias, node });
    } else {
      found.push({ target: joinModule(module, name.text), local: name.text, node });
    }
  }
  return found;
}

/** The type a lookup found, or nothing when the name is unbound or ambiguous. */
function typeOf(found: Lookup): string | undefined {
  return found.kind === 'bound' ? found.binding.type : undefined;
}

function joinModule(module: string, name: string): string {
  return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
}

type Resolver = (node: Node | null) => string | undefined;

const KINDS: Readonly<Record<string, ValueKind>> = {
  none: 'none',
  true: 'true',
  false: 'false',
  integer: 'number',
  float: 'number',
  string: 'string',
  concatenated_string: 'string',
  identifier: 'identifier',
  attribute: 'member',
  call: 'call',
  dictionary: 'object',
  list: 'array',
  tuple: 'array',
  lambda: 'function',
};

export function valueFact(node: Node, resolve: Resolver, lines: LineIndex): ValueFact {
  let kind = KINDS[node.type] ?? 'other';
  if (node.type === 'unary_operator' && node.namedChild(0)?.type.match(/integer|float/)) kind = 'number';
  const base = { kind, text: node.text, start: node.startIndex, end: node.endIndex, node };
  if (kind === 'call' || kind === 'identifier' || kind === 'member') {
    const api = resolve(kind === 'call' ? node.childForFieldName('function') : node);
    return api === undefined ? base : { ...base, api };
  }
  if (kind === 'object') return { ...base, object: dictFact(node, resolve, lines) };
  return base;
}

function dictFact(node: Node, resolve: Resolver, lines: LineIndex): ObjectFact {
  const props = new Map<string, PropertyFact>();
  let hasSpread = false;
  let last: Node | undefined;
  for (const child of node.namedChildren) {
    if (child === null || child.type === 'comment') continue;
    last = child;
    if (child.type === 'dictionary_splat') hasSpread = true;
    else if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key?.type === 'string' && value !== null) {
        const name = unquote(key.text);
        props.set(name, { key: name, value: valueFact(value, resolve, lines), start: child.startIndex, end: child.endIndex });
      } else hasSpread = true;
    }
  }
  return {
    props,
    hasSpread,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, node, last),
  };
}

function argumentsFact(node: Node, resolve: Resolver, lines: LineIndex): ArgumentsFact {
  const positional: ValueFact[] = [];
  const keywords = new Map<string, PropertyFact>();
  let hasSplat = node.type !== 'argument_list';
  let last: Node | undefined;
  if (node.type === 'argument_list') {
    for (const child of node.namedChildren) {
      if (child === null || child.type === 'comment') continue;
      last = child;
      if (child.type === 'keyword_argument') {
        const name = child.childForFieldName('name')?.text;
        const value = child.childForFieldName('value');
        if (name !== undefined && value !== null) {
          keywords.set(name, { key: name, value: valueFact(value, resolve, lines), start: child.startIndex, end: child.endIndex });
        }
      } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') hasSplat = true;
      else positional.push(valueFact(child, resolve, lines));
    }
  }
  return {
    positional,
    keywords,
    hasSplat,
    start: node.startIndex,
    end: node.endIndex,
    ...listLayout(lines, node, last),
  };
}
