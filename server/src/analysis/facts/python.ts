import type { Language, Node, Tree } from 'web-tree-sitter';
import { LineIndex } from '../parsing/positions.js';
import { compiledQuery, linkReceivers, memberPath, preferredQuote, resolveChain, same, unquote, type ChainStep } from './common.js';
import { canonical, isProjectCeleryApp, readImport } from './python/imports.js';
import { itemType, returnType } from './python/returns.js';
import { localFactoryType } from './python/local-factories.js';
import { decoratedType, firstParameterType, FLASK_CONFIG, readCeleryAssignment, readCeleryConfig, SCHEDULE_MEMBERS } from './python/tasks.js';
import { argumentsFact, valueFact } from './python/values.js';
import { patternNames, Scopes, type Lookup, type ScopeRules } from './scopes.js';
import { PROJECT_FACTORY, PROJECT_SENDER, type ProjectName, type ProjectView } from '../project/types.js';
import { projectUsesOf } from './project-uses.js';
import { CELERY_ACKS_LATE, CELERY_EXTERNAL_CONFIG } from './python/tasks.js';
import { shapeDecorator } from './python/shapes.js';
import { beatEntryCalls, isBeatTableTarget } from './python/beat.js';
import { annotatedType, typeExpression } from './python/annotations.js';
import type { CallFact, DecoratorInfo, FileFacts, ImportFact, ValueFact } from './types.js';
import { PYTHON_APIS } from '../apis/python.js';

export { isCeleryTaskDecorator } from './python/tasks.js';
export { valueFact } from './python/values.js';

const QUERY = `
(import_statement) @import
(import_from_statement) @import
(decorated_definition) @decorated
(function_definition name: (identifier) @name parameters: (parameters) @params) @def
(lambda parameters: (lambda_parameters) @params) @def
(class_definition name: (identifier) @name) @def
(for_statement left: (_) @left right: (_) @right) @for
(for_in_clause left: (_) @left right: (_) @right) @for
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

const ENQUEUE_METHODS = new Set(['delay', 'apply_async', 'delay_on_commit', 'apply_async_on_commit']);

/** Reads calls, imports and constants off a Python syntax tree. */
export function pythonFacts(tree: Tree, language: Language, text: string, project?: ProjectView): FileFacts {
  const lines = new LineIndex(text);
  const imports = new Map<string, ImportFact>();
  const scopes = new Scopes(tree.rootNode, SCOPE_RULES);
  const constants = new Map<string, ValueFact>();
  const configuredMembers = new Set<string>();
  // The beat schedules of the Celery apps the file reaches, imported by name (`from .celeryconf import
  // app`) or through their module (`celeryconf.app.task`).
  const celeryBeat = [...new Set([...(project?.names.values() ?? [])].flatMap((name) => name.celery?.beat ?? []))];
  const importNodes: Node[] = [];
  const decorated: Node[] = [];
  const definitions: { node: Node; name: Node | undefined; params: Node | undefined }[] = [];
  const loopTargets: { left: Node; right: Node | undefined }[] = [];
  const assigns: { left: Node; right: Node | undefined; node: Node }[] = [];
  const callNodes: Node[] = [];
  const memberUses: { api: string; node: Node }[] = [];
  const strings: Node[] = [];
  const beatTables: Node[] = [];

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
        if (left !== undefined) loopTargets.push({ left, right: capture('right') });
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

  const step = (node: Node): ChainStep<string> => {
    switch (node.type) {
      case 'identifier':
        return { value: typeOf(scopes.lookup(node, node.text)) };
      case 'attribute': {
        const own = scopes.lookupMember(node, node.text);
        if (own.kind !== 'unbound') return { value: typeOf(own) };
        const attr = node.childForFieldName('attribute');
        return {
          inner: node.childForFieldName('object'),
          then: (base) => {
            const path = memberPath(base, attr?.text);
            if (path === undefined) return undefined;
            // `current_app.task_queue` in a file that imports rq: the queue the Flask app factory set
            // on the app (`app.task_queue = rq.Queue(...)`), which no import leads to.
            if (FLASK_APP_QUEUE.test(path) && importsRq()) return 'rq.Queue';
            return project?.names.get(path)?.type ?? canonical(path);
          },
        };
      }
      case 'call':
        return { inner: node.childForFieldName('function'), then: (api) => (api === undefined ? undefined : api.startsWith(PROJECT_FACTORY) ? api.slice(PROJECT_FACTORY.length) : returnType(api, node)) };
      case 'parenthesized_expression':
        return { inner: node.namedChild(0), then: same };
      default:
        return { value: undefined };
    }
  };
  const importsRq = (): boolean => [...imports.values()].some((imp) => imp.target === 'rq' || imp.target.startsWith('rq.'));
  // Set once every name is bound: from then on an expression's answer cannot change.
  let memo: Map<number, string | undefined> | undefined;
  const resolve = (node: Node | null): string | undefined => resolveChain(node, step, memo);

  // Imports bind names in the scope they appear in, like any other statement.
  // A name imported from the project stands for what its module defines; one the project could
  // not resolve keeps its spelling, and no guess from its name (`proj.celery.app`) is made.
  const projectImports = new Map<string, ProjectName>();
  for (const node of importNodes) {
    for (const imp of readImport(node)) {
      imports.set(imp.local, imp);
      const external = project?.names.get(imp.target);
      if (external !== undefined) {
        scopes.bind(scopes.scopeOf(node), imp.local, external.type, external.instance ? node.startIndex : undefined);
        projectImports.set(imp.local, external);
        if (external.celery?.acksLate === true) configuredMembers.add(CELERY_ACKS_LATE);
        else if (external.celery?.acksLate === 'unknown') configuredMembers.add(CELERY_EXTERNAL_CONFIG);
        continue;
      }
      const guess = project === undefined && isProjectCeleryApp(imp.target);
      scopes.bind(scopes.scopeOf(node), imp.local, guess ? 'celery.Celery' : canonical(imp.target));
    }
  }

  // Definitions and parameters hide outer names. A decorated function's name and first parameter
  // wait until the decorator can be resolved, after the assignments (`app = Celery()`) are bound.
  const decoratedFunctions = new Set<number>();
  for (const def of decorated) {
    const fn = def.childForFieldName('definition');
    if (fn != null) decoratedFunctions.add(fn.id);
  }
  const selfParams: { fn: Node; param: Node; owner: Node }[] = [];
  for (const { node, name, params } of definitions) {
    const deferred = decoratedFunctions.has(node.id);
    if (name !== undefined && !deferred) {
      // A function of this file that builds and returns a library object is a factory of it.
      const made = localFactoryType(node, (call) => resolve(call));
      scopes.bind(scopes.scopeOf(node), name.text, made === undefined ? undefined : `${PROJECT_FACTORY}${made}`);
    }
    // A method's `self` waits until its class's bases can be resolved (a Celery task class).
    const owner = deferred ? undefined : classOf(node);
    let first = deferred;
    let index = 0;
    for (const param of params?.namedChildren ?? []) {
      if (param === null || param.type === 'comment') continue;
      if (index++ === 0 && owner !== undefined && param.type === 'identifier') {
        selfParams.push({ fn: node, param, owner });
        first = false;
        continue;
      }
      if (!first) {
        const annotated = annotatedType(param, (n) => resolve(n));
        for (const id of patternNames(param)) scopes.bind(node, id.text, annotated);
      }
      first = false;
    }
  }
  // Loop variables over a call's result are typed once the call's receiver is bound (below).
  const typedLoops: { left: Node; right: Node }[] = [];
  for (const { left, right } of loopTargets) {
    if (right?.type === 'call' && left.type === 'identifier') typedLoops.push({ left, right });
    else for (const id of patternNames(left)) scopes.bind(scopes.scopeOf(left), id.text, undefined);
  }

  for (const { left, right, node } of assigns) {
    const value = right?.type === 'call' ? right : undefined;
    // An annotated assignment (`status: Status = form.save(commit=False)`) declares the type, which
    // a call's own name (`ModelForm.save`) only guesses at.
    const annotation = node.type === 'assignment' ? node.childForFieldName('type') : null;
    const type = (annotation === null ? undefined : typeExpression(annotation, (n) => resolve(n))) ?? (value === undefined ? undefined : resolve(value));
    const moduleLevel = node.parent?.parent?.type === 'module';
    // The member an assignment sets, resolved before the assignment binds it.
    const member = node.type === 'assignment' && left.type === 'attribute' ? resolve(left) : undefined;
    if (left.type === 'identifier' || (left.type === 'as_pattern_target' && left.namedChild(0)?.type === 'identifier')) {
      const name = left.type === 'identifier' ? left.text : (left.namedChild(0)?.text ?? '');
      scopes.bind(scopes.scopeOf(node), name, type, value?.startIndex);
    } else if (left.type === 'attribute' || (left.type === 'as_pattern_target' && left.namedChild(0)?.type === 'attribute')) {
      const target = left.type === 'attribute' ? left : left.namedChild(0);
      if (target !== null) scopes.bindMember(node, target.text, type, value?.startIndex);
    } else {
      for (const id of patternNames(left)) scopes.bind(scopes.scopeOf(node), id.text, undefined);
    }
    if (left.type === 'identifier' && right !== undefined && moduleLevel && /^[A-Z][A-Z0-9_]*$/.test(left.text)) {
      constants.set(left.text, valueFact(right, resolve, lines));
    }
    // `app.config["CELERY_TASK_ACKS_LATE"] = True` on a Flask app: a setting its Celery app may be given.
    if (node.type === 'assignment' && right !== undefined && left.type === 'subscript') {
      const key = left.childForFieldName('subscript');
      const object = left.childForFieldName('value');
      if (key?.type === 'string' && object !== null && resolve(object) === FLASK_CONFIG) readCeleryAssignment(undefined, unquote(key.text), true, right, configuredMembers);
    }
    if (node.type === 'assignment' && right !== undefined && (left.type === 'attribute' || moduleLevel)) {
      readCeleryAssignment(member, left.type === 'identifier' ? left.text : undefined, moduleLevel, right, configuredMembers);
      if (member !== undefined && SCHEDULE_MEMBERS.has(member)) memberUses.push({ api: member, node: left });
    }
    if (node.type === 'assignment' && right !== undefined && isBeatTableTarget(left)) beatTables.push(right);
  }

  // A Celery task written as a class (`class UpdateDocsTask(Task)`, `class Base(app.Task)`): its
  // methods' `self` is the task (`self.retry(...)` retries), and its `autoretry_for` attribute
  // is a retry policy, as the decorator's keyword is.
  const taskClasses = new Set<number>();
  for (const { fn, param, owner } of selfParams) {
    let task = taskClasses.has(owner.id);
    if (!task && (owner.childForFieldName('superclasses')?.namedChildren ?? []).some((b) => b !== null && b.type !== 'keyword_argument' && CELERY_TASK_BASES.has(resolve(b) ?? ''))) {
      taskClasses.add(owner.id);
      task = true;
    }
    scopes.bind(fn, param.text, task ? 'celery.Task' : undefined);
  }
  for (const cls of definitions.map((d) => d.node).filter((n) => n.type === 'class_definition')) {
    const known = taskClasses.has(cls.id) || (cls.childForFieldName('superclasses')?.namedChildren ?? []).some((b) => b !== null && b.type !== 'keyword_argument' && CELERY_TASK_BASES.has(resolve(b) ?? ''));
    if (!known) continue;
    for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      if (left?.type === 'identifier' && left.text === 'autoretry_for') memberUses.push({ api: 'celery.Task.autoretry_for', node: left });
    }
  }

  // Task functions defined here stand for their task (a Celery task's `.delay()` is an enqueue),
  // and some decorators say what the first parameter is (`self` of a bound task).
  const decoratorOf = new Map<number, DecoratorInfo>();
  const shapeApis = new Map<number, string>();
  const bareDecorators: { expr: Node; info: DecoratorInfo }[] = [];
  for (const def of decorated) {
    const fn = def.childForFieldName('definition');
    if (fn == null) continue;
    const name = fn.childForFieldName('name');
    let functionType: string | undefined;
    let firstType: string | undefined;
    for (const dec of def.namedChildren) {
      if (dec?.type !== 'decorator' || name === null) continue;
      const expr = dec.namedChild(0);
      if (expr === null) continue;
      const info: DecoratorInfo = { start: expr.startIndex, end: expr.endIndex, functionName: name.text, functionNode: fn };
      if (expr.type === 'call') decoratorOf.set(expr.startIndex, info);
      else bareDecorators.push({ expr, info });
      let api = resolve(expr.type === 'call' ? expr.childForFieldName('function') : expr);
      const shape = shapeDecorator(expr, api, imports, project);
      if (shape !== undefined) {
        shapeApis.set(expr.startIndex, (api = shape));
        // The app is defined where this file cannot see: its settings (acks_late) are unknown.
        if (shape.startsWith('celery.')) configuredMembers.add(CELERY_EXTERNAL_CONFIG);
      }
      if (api === undefined) continue;
      functionType ??= decoratedType(api);
      firstType ??= firstParameterType(api, expr.type === 'call' ? expr : undefined);
    }
    if (name !== null) scopes.bind(scopes.scopeOf(fn), name.text, functionType);
    const first = fn.childForFieldName('parameters')?.namedChildren.find((p) => p !== null && p.type !== 'comment');
    if (first != null) for (const id of patternNames(first)) scopes.bind(fn, id.text, firstType);
  }
  for (const { left, right } of typedLoops) {
    const api = resolve(right.childForFieldName('function'));
    scopes.bind(scopes.scopeOf(left), left.text, api === undefined ? undefined : itemType(api));
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
  const isInstance = (outer: Node | null): boolean => {
    let node = outer;
    while (node?.type === 'parenthesized_expression') node = node.namedChild(0);
    if (node === null) return false;
    if (node.type === 'call') return true;
    const found = node.type === 'identifier' ? scopes.lookup(node, node.text) : node.type === 'attribute' ? scopes.lookupMember(node, node.text) : undefined;
    return found?.kind === 'bound' && found.binding.instance;
  };

  /**
   * `partial(queue.enqueue, func, ...)` (handed to `transaction.on_commit`, netbox's jobs) enqueues
   * where it is eventually called, with the arguments bound here: it stands as a call of the
   * enqueue, on the wrapped callee, with the partial's other arguments as its own.
   */
  const partialEnqueue = (node: Node, partial: CallFact): CallFact | undefined => {
    const first = partial.args?.positional[0];
    if (first === undefined || (first.node.type !== 'attribute' && first.node.type !== 'identifier')) return undefined;
    const api = resolve(first.node);
    if (api === undefined || PYTHON_APIS.get(api) !== 'enqueue' || partial.args === undefined) return undefined;
    const args = { ...partial.args, positional: partial.args.positional.slice(1) };
    return { ...partial, api, calleeStart: first.node.startIndex, calleeEnd: first.node.endIndex, args, node };
  };

  memo = new Map();
  const calls: CallFact[] = [];
  const receiverOrigins = new Map<CallFact, number>();
  for (const node of callNodes) {
    const fn = node.childForFieldName('function');
    let api = shapeApis.get(node.startIndex) ?? resolve(fn);
    if (api === undefined || fn === null) continue;
    if (isInstance(fn)) api = `${api}.__call__`;
    if (api === 'socket.setdefaulttimeout') configuredMembers.add(api);
    const method = api.slice(api.lastIndexOf('.') + 1);
    // A project function that sends is still a task when it has `.delay`: enqueued, not sent here.
    if (ENQUEUE_METHODS.has(method) && api !== `celery.Task.${method}` && (isLocalModule(api, imports) || (api.startsWith(PROJECT_SENDER) && fn.type === 'attribute'))) {
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
    const wrapped = api === 'functools.partial' ? partialEnqueue(node, call) : undefined;
    if (wrapped !== undefined) calls.push(wrapped);
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
  calls.push(...beatEntryCalls(beatTables, calls));
  // The functions a task decorator makes into tasks: where a call of a sending function of this file is a send of the task.
  const taskFunctions = new Set(calls.flatMap((c) => (c.decorator !== undefined && decoratedType(c.api) !== undefined ? [c.decorator.functionNode.id] : [])));
  calls.push(...localSenderCalls(tree.rootNode, callNodes, calls, taskFunctions, (node) => scopes.declaringScope(node, node.text)));
  // A settings assignment that configures a schedule is recorded as a use of that member.
  for (const { api, node } of memberUses) {
    calls.push({ api, start: node.startIndex, end: node.endIndex, calleeStart: node.startIndex, calleeEnd: node.endIndex, args: undefined, isNew: false, decorator: undefined, receiver: undefined, node });
  }
  linkReceivers(calls, receiverOrigins);
  // The callee chain of a call (`app.task` in `app.task(...)`), down to its first name.
  const projectUses = projectUsesOf(calls, projectImports, scopes, (node) => (node.type === 'call' ? node.childForFieldName('function') : node.type === 'attribute' ? node.childForFieldName('object') : null));

  calls.sort((a, b) => a.start - b.start);
  readCeleryConfig(calls, configuredMembers);

  return {
    language: 'python',
    text,
    lines,
    calls,
    imports,
    constants,
    configuredMembers,
    instanceConfig: new Map(),
    ...(projectUses.length === 0 ? {} : { projectUses }),
    ...(celeryBeat.length === 0 ? {} : { celeryBeat }),
    quote: preferredQuote(strings),
    root: tree.rootNode,
  };
}

/**
 * Calls of a function of this file that sends a notification itself (`def send_email(...):
 * client.send(message)`), made in the body of a task: each is a send of that task (retried with
 * it, lost with it), as a call of such a function imported from another module is
 * (`PROJECT_SENDER`). Only module-level functions named by a bare name that no inner scope
 * rebinds, and sends written in the function's own body (not a nested function). A call outside
 * any task (a view that mails at once) runs the send in place: the signal on the send itself, in
 * this same file, already says it.
 */
function localSenderCalls(root: Node, callNodes: readonly Node[], calls: readonly CallFact[], taskFunctions: ReadonlySet<number>, declaringScope: (name: Node) => Node | undefined): CallFact[] {
  const senders = new Map<string, string>();
  for (const child of root.namedChildren) {
    const fn = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
    const body = fn?.childForFieldName('body');
    if (name === undefined || body == null || senders.has(name)) continue;
    const send = calls.find((c) => c.start >= body.startIndex && c.end <= body.endIndex && PYTHON_APIS.get(c.api) === 'notify' && ownFunction(c.node)?.id === fn?.id);
    if (send !== undefined) senders.set(name, send.api);
  }
  if (senders.size === 0) return [];
  const found: CallFact[] = [];
  for (const node of callNodes) {
    const fn = node.childForFieldName('function');
    const api = fn?.type === 'identifier' ? senders.get(fn.text) : undefined;
    if (fn == null || api === undefined || declaringScope(fn)?.id !== root.id || !inTask(node, taskFunctions)) continue;
    found.push({ api: `${PROJECT_SENDER}${api}`, start: node.startIndex, end: node.endIndex, calleeStart: fn.startIndex, calleeEnd: fn.endIndex, args: undefined, isNew: false, decorator: undefined, receiver: undefined, node });
  }
  return found;
}

/** Whether a call sits in the body of one of the task functions, at any depth. */
function inTask(node: Node, taskFunctions: ReadonlySet<number>): boolean {
  for (let n = node.parent; n !== null; n = n.parent) if (taskFunctions.has(n.id)) return true;
  return false;
}

function ownFunction(node: Node): Node | undefined {
  for (let n = node.parent; n !== null; n = n.parent) if (n.type === 'function_definition' || n.type === 'lambda') return n;
  return undefined;
}

/** A queue the Flask app carries as an attribute, read through `current_app`. */
const FLASK_APP_QUEUE = /^flask\.current_app\.\w*queue$/i;

/** The Celery task base class, as imported (`from celery import Task`) or from an app (`app.Task`). */
const CELERY_TASK_BASES = new Set(['celery.Task', 'celery.app.task.Task', 'celery.Celery.Task']);

/** The class a function is a method of: defined directly in the class body. */
function classOf(fn: Node): Node | undefined {
  const parent = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return parent?.type === 'block' && parent.parent?.type === 'class_definition' ? parent.parent : undefined;
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

/** The type a lookup found, or nothing when the name is unbound or ambiguous. */
function typeOf(found: Lookup): string | undefined {
  return found.kind === 'bound' ? found.binding.type : undefined;
}
