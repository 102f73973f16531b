import type { Node, Tree } from 'web-tree-sitter';
import { isCeleryTaskDecorator } from '../../facts/python.js';
import { scopeFinder, Scopes, type ScopeRules } from '../../facts/scopes.js';
import type { ArgumentsFact, CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { pythonName, replaceRange } from '../../fixes/edits.js';
import { signalKindOf } from '../../signals.js';
import { isStripeRead } from '../../apis/python.js';
import type { Fix } from '../../types.js';

/**
 * What several Python rules read the same way: the function a call runs in, the Celery tasks of a
 * file, which calls have side effects, and which values are constants. Indexes are built once per
 * analysis and shared through a WeakMap keyed by the file's facts.
 */

const FUNCTIONS = new Set(['function_definition', 'lambda']);

const FUNCTION_SCOPES: ScopeRules = {
  isScope: (node) => FUNCTIONS.has(node.type),
  isOpaque: () => false,
  isClass: () => false,
};
/** Per tree, the finder of enclosing functions, and whether it was built with the index (see Scopes.useIndex). */
const functionFinders = new WeakMap<Tree, { indexed: boolean; find: (node: Node) => Node | null }>();

/** The innermost function or lambda around `node`, or undefined at module level. */
export function enclosingFunction(node: Node): Node | undefined {
  let finder = functionFinders.get(node.tree);
  if (finder === undefined || finder.indexed !== Scopes.useIndex) {
    finder = { indexed: Scopes.useIndex, find: scopeFinder(node.tree.rootNode, FUNCTION_SCOPES) };
    functionFinders.set(node.tree, finder);
  }
  return finder.find(node) ?? undefined;
}

/** A function defined at module level under `name`, once (a name defined twice is ambiguous). */
export function moduleFunction(facts: FileFacts, name: string): Node | undefined {
  const found = facts.root.namedChildren.filter((c) => c?.type === 'function_definition' && c.childForFieldName('name')?.text === name);
  return found.length === 1 ? (found[0] ?? undefined) : undefined;
}

const callsByFunction = new WeakMap<FileFacts, Map<number, CallFact[]>>();

/** The calls that run in `fn` itself, not in a function nested in it (module level: `fn` undefined). */
export function callsIn(facts: FileFacts, fn: Node | undefined): readonly CallFact[] {
  let index = callsByFunction.get(facts);
  if (index === undefined) {
    index = new Map();
    for (const call of facts.calls) {
      // A decorator runs where the function is defined, not inside it.
      const key = call.decorator !== undefined ? (enclosingFunction(call.decorator.functionNode)?.id ?? -1) : (enclosingFunction(call.node)?.id ?? -1);
      const list = index.get(key);
      if (list === undefined) index.set(key, [call]);
      else list.push(call);
    }
    callsByFunction.set(facts, index);
  }
  return index.get(fn?.id ?? -1) ?? [];
}

export interface CeleryTask {
  /** The decorator (`app.task(...)`, bare `shared_task`). */
  readonly decorator: CallFact;
  readonly fn: Node;
  /** The decorator's options; undefined for a bare decorator. */
  readonly options: ArgumentsFact | undefined;
  /** The name of the task parameter of a bound task (`bind=True`), usually `self`. */
  readonly self: string | undefined;
}

const tasksCache = new WeakMap<FileFacts, readonly CeleryTask[]>();

/** The Celery tasks defined in a file. */
export function celeryTasks(facts: FileFacts): readonly CeleryTask[] {
  let tasks = tasksCache.get(facts);
  if (tasks === undefined) {
    tasks = facts.calls.flatMap((call): CeleryTask[] => {
      if (call.decorator === undefined || !isCeleryTaskDecorator(call.api)) return [];
      const fn = call.decorator.functionNode;
      const bound = call.args?.keywords.get('bind')?.value.kind === 'true';
      const first = fn.childForFieldName('parameters')?.namedChildren.find((p) => p?.type === 'identifier');
      return [{ decorator: call, fn, options: call.args, self: bound && first != null ? first.text : undefined }];
    });
    tasksCache.set(facts, tasks);
  }
  return tasks;
}

/**
 * A class of a `models` module, or of a module of a `models` package (`shop.models.Order`,
 * `bookwyrm.models.status.Status`): Django's place for model classes.
 */
export const MODEL_CLASS = /(?:^|\.)models(?:\.[a-z_][a-z0-9_]*)?\.[A-Z]/;

/** Django model methods and managers that write; `.models.` in the name marks a model class. */
const ORM_WRITES = new Set(['save', 'delete', 'create', 'update', 'bulk_create', 'bulk_update', 'get_or_create', 'update_or_create']);
const SESSION_WRITES = new Set(['add', 'add_all', 'merge', 'delete', 'flush', 'bulk_save_objects', 'bulk_insert_mappings']);
const WRITE_SQL = /^\s*(?:insert|update|delete|merge|replace|upsert)\b/i;

/**
 * A database write: a Django model saved or created (`Order(...).save()`,
 * `Order.objects.create(...)`, for a class imported from a `models` module), a SQLAlchemy session
 * write, or an `execute` whose SQL literal starts with a write statement.
 */
export function isDbWrite(call: CallFact): boolean {
  const dot = call.api.lastIndexOf('.');
  const method = call.api.slice(dot + 1);
  const receiver = call.api.slice(0, dot);
  if (ORM_WRITES.has(method) && MODEL_CLASS.test(receiver)) return true;
  const sqlalchemy = receiver.startsWith('sqlalchemy.') || receiver.startsWith('flask_sqlalchemy.');
  if (sqlalchemy && SESSION_WRITES.has(method)) return true;
  if (method === 'execute' || method === 'executemany') {
    const sql = call.args?.positional[0];
    if (sql?.kind === 'string' && WRITE_SQL.test(sql.text.replace(/^[rRbBuUfF]*['"]{1,3}/, ''))) return true;
    if (sql?.api !== undefined && /^sqlalchemy\.(?:insert|update|delete)\b/.test(sql.api)) return true;
  }
  return false;
}

/** Django's default file storage: files it saves or deletes outlive the task. */
const DJANGO_STORAGE = /^django\.core\.files\.storage\.(?:default_storage|storages\.\w+|storages\[[^\]]*\])\.(\w+)$/;

/**
 * A write to Django's file storage: `save` and `delete`, or `open` with a mode that writes
 * (`default_storage.open(path, mode="wb")`); `open` for reading, `url` and `exists` change nothing.
 */
export function isStorageWrite(call: CallFact): boolean {
  const method = DJANGO_STORAGE.exec(call.api)?.[1];
  if (method === 'save' || method === 'delete') return true;
  if (method !== 'open') return false;
  const mode = call.args?.keywords.get('mode')?.value ?? call.args?.positional[1];
  return mode?.kind === 'string' && /[wax+]/.test(mode.text.replace(/^[rRbBuUfF]*['"]{1,3}/, ''));
}

/** A commit that ends a unit of work: SQLAlchemy `session.commit()`, or a DB-API connection's `commit()`. */
export function isCommit(call: CallFact): boolean {
  return call.api.endsWith('.commit') && /^(?:sqlalchemy|flask_sqlalchemy|psycopg2?|psycopg|sqlite3|pymysql|MySQLdb)\./.test(call.api);
}

/** HTTP methods that read: a lost read is retried harmlessly. */
const READS = /\.(?:get|head|options)$/;

/**
 * How much a call changes the world, for choosing the one a message names: a payment (4), a
 * notification (3), a database write (2), an HTTP call that may write (1); 0 is no side effect.
 */
export function sideEffectRank(facts: FileFacts, call: CallFact): number {
  const kind = signalKindOf(facts.language, call);
  // A Stripe read (`Customer.retrieve`) is a payment signal but changes nothing.
  if (kind === 'payment') return isStripeRead(call.api) ? 0 : 4;
  if (kind === 'notify') return 3;
  if (isDbWrite(call) || isStorageWrite(call)) return 2;
  return kind === 'http-call' && !READS.test(call.api) ? 1 : 0;
}

/** A call whose effect outlives the process: a payment, a notification, a database write, or an HTTP call that may write. */
export function isSideEffect(facts: FileFacts, call: CallFact): boolean {
  return sideEffectRank(facts, call) > 0;
}

/** The number a constant expression stands for: a literal, a module constant, or arithmetic of them. */
export function constantNumber(facts: FileFacts, node: Node): number | undefined {
  switch (node.type) {
    case 'integer':
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : undefined;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChild(0);
      return inner === null ? undefined : constantNumber(facts, inner);
    }
    case 'unary_operator': {
      const inner = node.childForFieldName('argument');
      const value = inner === null ? undefined : constantNumber(facts, inner);
      return value === undefined ? undefined : node.text.trimStart().startsWith('-') ? -value : value;
    }
    case 'identifier': {
      const value: ValueFact | undefined = facts.constants.get(node.text);
      return value === undefined || value.node.id === node.id ? undefined : constantNumber(facts, value.node);
    }
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text;
      const a = left === null ? undefined : constantNumber(facts, left);
      const b = right === null ? undefined : constantNumber(facts, right);
      if (a === undefined || b === undefined) return undefined;
      if (op === '+') return a + b;
      if (op === '-') return a - b;
      if (op === '*') return a * b;
      if (op === '/' || op === '//') return b === 0 ? undefined : op === '/' ? a / b : Math.floor(a / b);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a call in `[start, end)` draws a random number (`random.uniform`, `secrets.randbelow`). */
export function drawsRandom(facts: FileFacts, start: number, end: number): boolean {
  return facts.calls.some((c) => c.start >= start && c.end <= end && /^(?:random|secrets|numpy\.random)\./.test(c.api));
}

/** A fix that replaces a wait with `random.uniform(0, upper)` (full jitter), importing `random` as the file does. */
export function randomUniform(facts: FileFacts, target: Node, upper: string, title: string): Fix {
  const uniform = pythonName(facts, 'random', 'uniform', target.startIndex, true);
  return { title, edits: [replaceRange(target.startIndex, target.endIndex, `${uniform.name}(0, ${upper})`), ...uniform.edits], safe: true };
}

/** The canonical names of the classes in an `autoretry_for` tuple or list; undefined when one is not a name the file resolves. */
export function exceptionClasses(facts: FileFacts, value: Node): string[] | undefined {
  if (value.type !== 'tuple' && value.type !== 'list') return undefined;
  const names: string[] = [];
  for (const item of value.namedChildren) {
    if (item === null) continue;
    const root = item.type === 'identifier' ? item.text : item.type === 'attribute' ? item.text.split('.')[0] : undefined;
    const target = root === undefined ? undefined : facts.imports.get(root)?.target;
    if (target === undefined) return undefined;
    names.push(item.type === 'identifier' ? target : `${target}${item.text.slice(root?.length ?? 0)}`);
  }
  return names;
}

/** A Celery task option's `autoretry_for` when it names at least one class: `()`, `[]` and `tuple()` retry nothing. */
export function autoretryFor(options: ArgumentsFact | undefined): PropertyFact | undefined {
  const autoretry = options?.keywords.get('autoretry_for');
  return autoretry === undefined || /^(?:\(\s*\)|\[\s*\]|tuple\(\s*\))$/.test(autoretry.value.text) ? undefined : autoretry;
}
