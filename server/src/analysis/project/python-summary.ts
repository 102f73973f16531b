import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';
import { readImport } from '../facts/python/imports.js';
import { isWebhookRequest } from '../facts/webhook.js';
import { splitSettingsIncludes } from './python-layout.js';
import type { Literal, ModuleSummary, NameSummary, ValueSummary } from './types.js';

/**
 * A Python module's export summary, read from its top-level statements only: what each name is
 * bound to (an import, a call, a function and what it returns, a class with its bases and
 * class-level options), how its Celery apps are configured, and the settings a rule reads. Function
 * bodies count only through their `return` statements, so an edit elsewhere in a body leaves the
 * summary equal.
 */

const UNKNOWN: ValueSummary = { kind: 'unknown' };
/** Module-level settings the rules read: Celery's own names and Django's namespaced ones. */
const SETTING_NAMES = /^(?:task_acks_late|CELERY_TASK_ACKS_LATE|CELERY_ACKS_LATE)$/;
/** A beat schedule written as a module-level setting: Celery's own name, its old one, Django's namespaced one. */
const BEAT_SCHEDULE_NAMES = /^(?:beat_schedule|CELERYBEAT_SCHEDULE|[A-Z]+_BEAT_SCHEDULE)$/;
/** The names a class body may set that a Celery task base class carries to its tasks. */
const CLASS_OPTION = /^[a-z_][a-z0-9_]*$/;

interface Builder {
  imports: Record<string, string>;
  names: Map<string, NameSummary | 'conflict'>;
  celery: Record<string, { conf: Record<string, Literal>; sources: { module?: string; ref?: string; namespace?: string }[]; opaque: boolean; beat?: string[] }>;
  settings: Record<string, Literal>;
  environ: Record<string, string>;
  beat: string[];
  /** Settings files the module includes with django-split-settings, relative to its directory. */
  includes: string[];
  /** What the module-level imports import, those a later import of the same name replaced included. */
  reached: string[];
  /** The module-level names assigned a call's result (`session = requests.Session()`): a function body's calls through them are read. */
  instances?: ReadonlySet<string>;
}

/** Names the module's top-level statements assign a call's result to. */
function moduleInstances(statements: readonly Node[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    const expr = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = expr?.type === 'assignment' ? expr.childForFieldName('left') : null;
    if (left?.type === 'identifier' && expr?.childForFieldName('right')?.type === 'call') names.add(left.text);
  }
  return names;
}

export function pythonSummary(root: Node): ModuleSummary {
  const b: Builder = { imports: {}, names: new Map(), celery: {}, settings: {}, environ: {}, beat: [], includes: [], reached: [] };
  const statements = topLevel(root);
  b.instances = moduleInstances(statements);
  for (const statement of statements) readStatement(statement, b);
  const names: Record<string, NameSummary> = {};
  for (const [name, summary] of [...b.names].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))) {
    names[name] = summary === 'conflict' ? { value: UNKNOWN, at: { line: 0, character: 0, endLine: 0, endCharacter: 0 } } : summary;
  }
  const reaches = new Set<string>([...Object.values(b.imports), ...b.reached]);
  if (mayImportElsewhere(root, statements)) {
    for (const node of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
      if (node !== null) for (const imp of readImport(node)) reaches.add(imp.target);
    }
  }
  return { language: 'python', imports: b.imports, names, celery: b.celery, settings: b.settings, environ: b.environ, reaches: [...reaches].sort(), ...(b.beat.length === 0 ? {} : { beat: b.beat }), ...(b.includes.length === 0 ? {} : { includes: b.includes }) };
}

const IMPORT_STATEMENTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Whether the module may have an import statement besides its module-level ones (one in a function
 * body): only then is the whole tree walked for them, which costs about a tenth of a parse. Every
 * import statement holds the word `import`, so a text whose every such word lies in a module-level
 * import has none (a word in a comment or a string only makes the walk happen).
 */
function mayImportElsewhere(root: Node, statements: readonly Node[]): boolean {
  const ranges = statements.filter((s) => IMPORT_STATEMENTS.has(s.type)).map((s) => [s.startIndex, s.endIndex] as const);
  const base = root.startIndex;
  const word = /\bimport\b/g;
  let k = 0;
  for (let m = word.exec(root.text); m !== null; m = word.exec(root.text)) {
    const at = base + m.index;
    while (k < ranges.length && (ranges[k] as readonly [number, number])[1] <= at) k++;
    const range = ranges[k];
    if (range === undefined || at < range[0]) return true;
  }
  return false;
}

/** Statements at module level, looking into `if`, `try` and `with` blocks (`try: import x except ImportError`). */
function topLevel(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (block: Node): void => {
    for (const child of block.namedChildren) {
      if (child === null) continue;
      if (['if_statement', 'try_statement', 'with_statement', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'block'].includes(child.type)) visit(child);
      else out.push(child);
    }
  };
  visit(root);
  return out;
}

function at(node: Node): NameSummary['at'] {
  return { line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}

function define(b: Builder, name: string, summary: NameSummary): void {
  const seen = b.names.get(name);
  if (seen === undefined) b.names.set(name, summary);
  else if (seen === 'conflict' || JSON.stringify(seen.value) !== JSON.stringify(summary.value)) b.names.set(name, 'conflict');
}

function readStatement(statement: Node, b: Builder): void {
  switch (statement.type) {
    case 'import_statement':
    case 'import_from_statement':
      for (const imp of readImport(statement)) {
        b.reached.push(imp.target);
        b.imports[imp.local] = imp.target;
        b.names.delete(imp.local);
      }
      return;
    case 'decorated_definition': {
      const inner = statement.childForFieldName('definition');
      if (inner !== null) readStatement(inner, b);
      return;
    }
    case 'function_definition': {
      const name = statement.childForFieldName('name');
      const body = statement.childForFieldName('body');
      if (name !== null && body !== null) define(b, name.text, { value: functionSummary(body, b.imports, b.instances ?? new Set(), isLockHelper(statement, name.text)), at: at(name) });
      return;
    }
    case 'class_definition': {
      const name = statement.childForFieldName('name');
      if (name !== null) define(b, name.text, { value: classSummary(statement), at: at(name) });
      return;
    }
    case 'expression_statement': {
      const expr = statement.namedChild(0);
      if (expr?.type === 'assignment') readAssignment(expr, b);
      else if (expr?.type === 'call') {
        readCall(expr, b.celery, b.environ);
        b.includes.push(...splitSettingsIncludes(expr, b.imports));
      }
      return;
    }
    default:
  }
}

function readAssignment(node: Node, b: Builder): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left === null || right === null) return;
  if (left.type === 'identifier') {
    define(b, left.text, { value: valueSummary(right), at: at(left) });
    if (SETTING_NAMES.test(left.text)) b.settings[left.text] = literal(right);
    if (BEAT_SCHEDULE_NAMES.test(left.text) && right.type === 'dictionary') b.beat.push(...beatTasks(right));
    return;
  }
  // `app.conf.task_acks_late = True` configures the app named first.
  const path = dotted(left);
  const m = path === undefined ? null : /^(\w+)\.conf\.(\w+)$/.exec(path);
  if (m !== null) {
    const app = celeryOf(b.celery, m[1] as string);
    app.conf[(m[2] as string).toLowerCase()] = literal(right);
    // `app.conf.beat_schedule = {...}`: the tasks the app's own beat runs.
    if (BEAT_SCHEDULE_NAMES.test(m[2] as string) && right.type === 'dictionary') app.beat = beatTasks(right);
  }
}

/** The task names of a beat schedule's entries: `{"cleanup": {"task": "shop.tasks.cleanup", ...}}`. */
function beatTasks(schedule: Node): string[] {
  const names: string[] = [];
  for (const entry of schedule.namedChildren) {
    const value = entry?.type === 'pair' ? entry.childForFieldName('value') : null;
    for (const item of value?.type === 'dictionary' ? value.namedChildren : []) {
      const key = item?.type === 'pair' ? item.childForFieldName('key') : null;
      const task = item?.childForFieldName('value');
      if (key?.type === 'string' && unquote(key.text) === 'task' && task?.type === 'string') names.push(unquote(task.text));
    }
  }
  return names;
}

/** Settings calls on an app: `app.conf.update(...)`, `app.config_from_object(...)`; and `os.environ.setdefault`. */
function readCall(call: Node, celery: Builder['celery'], environ: Record<string, string>): void {
  const callee = dotted(call.childForFieldName('function'));
  const args = call.childForFieldName('arguments');
  if (callee === undefined || args === null) return;
  const positional = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'keyword_argument' && a.type !== 'comment');
  const keyword = (name: string): Node | undefined => args.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
  if (callee === 'os.environ.setdefault') {
    const [key, value] = positional;
    if (key?.type === 'string' && value?.type === 'string') environ[unquote(key.text)] = unquote(value.text);
    return;
  }
  const update = /^(\w+)\.conf\.update$/.exec(callee);
  if (update !== null) {
    const app = celeryOf(celery, update[1] as string);
    for (const arg of args.namedChildren) {
      if (arg === null || arg.type === 'comment') continue;
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (key !== undefined && value !== null) app.conf[key.toLowerCase()] = literal(value);
        if (key !== undefined && value?.type === 'dictionary' && BEAT_SCHEDULE_NAMES.test(key)) app.beat = beatTasks(value);
      } else if (arg.type === 'dictionary') {
        for (const pair of arg.namedChildren) {
          const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
          const value = pair?.childForFieldName('value');
          if (key?.type === 'string' && value != null) app.conf[unquote(key.text).toLowerCase()] = literal(value);
          else if (pair?.type !== 'comment') app.opaque = true;
        }
      } else app.opaque = true;
    }
    return;
  }
  const fromObject = /^(\w+)\.config_from_object$/.exec(callee);
  if (fromObject !== null) {
    const app = celeryOf(celery, fromObject[1] as string);
    const source = positional[0] ?? keyword('obj');
    const namespace = keyword('namespace');
    const ns = namespace?.type === 'string' ? unquote(namespace.text) : undefined;
    if (namespace !== undefined && ns === undefined) app.opaque = true;
    if (source?.type === 'string') app.sources.push({ module: unquote(source.text), ...(ns === undefined ? {} : { namespace: ns }) });
    else if (source !== undefined && dotted(source) !== undefined) app.sources.push({ ref: dotted(source) as string, ...(ns === undefined ? {} : { namespace: ns }) });
    else app.opaque = true;
    return;
  }
  if (/^(\w+)\.config_from_envvar$/.test(callee)) celeryOf(celery, callee.split('.')[0] as string).opaque = true;
}

function celeryOf(celery: Builder['celery'], app: string): Builder['celery'][string] {
  let found = celery[app];
  if (found === undefined) celery[app] = found = { conf: {}, sources: [], opaque: false };
  return found;
}

/** `a.b.c` for a name or attribute chain; undefined for anything else. */
function dotted(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dotted(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute')?.text;
    return object === undefined || attr === undefined ? undefined : `${object}.${attr}`;
  }
  return undefined;
}

function literal(node: Node): Literal {
  switch (node.type) {
    case 'true': return true;
    case 'false': return false;
    case 'none': return null;
    case 'integer':
    case 'float': return Number(node.text.replace(/_/g, ''));
    case 'string': return node.namedChildren.some((c) => c?.type === 'interpolation') ? { unknown: true } : unquote(node.text);
    default: return { unknown: true };
  }
}

function valueSummary(node: Node): ValueSummary {
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChild(0);
    return inner === null ? UNKNOWN : valueSummary(inner);
  }
  const ref = dotted(node);
  if (ref !== undefined) return { kind: 'ref', ref };
  if (node.type === 'call') {
    const callee = dotted(node.childForFieldName('function'));
    if (callee === undefined) return UNKNOWN;
    const first = node.childForFieldName('arguments')?.namedChildren.find((a) => a !== null && a.type !== 'comment');
    if (first?.type === 'string') return { kind: 'call', callee, arg0: unquote(first.text) };
    // `job = partial(rq_job, connection=...)`: whether the callee is functools' is for the model to say.
    const wrapped = /(?:^|\.)partial$/.test(callee) && first !== undefined && first !== null ? dotted(first) : undefined;
    return wrapped === undefined ? { kind: 'call', callee } : { kind: 'call', callee, partialOf: wrapped };
  }
  const value = literal(node);
  return typeof value === 'object' && value !== null ? UNKNOWN : { kind: 'literal', value };
}

/**
 * A function as its callers see it: the values its `return` statements give (a name assigned in
 * the body stands for what it was assigned), and the Celery settings it applies to a local app
 * (`def make_app(): app = Celery(); app.conf.update(...); return app`).
 */
function functionSummary(body: Node, imports: Readonly<Record<string, string>>, instances: ReadonlySet<string>, lockHelper: boolean): ValueSummary {
  const imported = (head: string): boolean => Object.prototype.hasOwnProperty.call(imports, head) || instances.has(head);
  const text = body.text;
  const locals = new Map<string, ValueSummary>();
  const assigned = new Map<string, ValueSummary[]>();
  const celery: Builder['celery'] = {};
  const returns: ValueSummary[] = [];
  const environ: Record<string, string> = {};
  let returnedName: string | undefined;
  const visit = (block: Node): void => {
    for (const child of block.namedChildren) {
      if (child === null) continue;
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'decorated_definition' || child.type === 'lambda') continue;
      if (child.type === 'return_statement') {
        const value = child.namedChild(0);
        if (value !== null) {
          returnedName = value.type === 'identifier' ? value.text : undefined;
          const summary = valueSummary(value);
          // A local assigned in each branch of an `if` (`ri = redis.Redis(...)` / `ri = redis.Redis.from_url(...)`)
          // returns each value it was given: the caller knows the type when they all agree.
          const values = summary.kind === 'ref' && locals.has(summary.ref) ? (assigned.get(summary.ref) ?? [UNKNOWN]) : [summary];
          // Only objects matter to callers: a literal or a computed value is unknown, so editing it changes nothing.
          for (const returned of values) returns.push(returned.kind === 'ref' || returned.kind === 'call' ? returned : UNKNOWN);
        }
        continue;
      }
      if (child.type === 'expression_statement') {
        const expr = child.namedChild(0);
        if (expr?.type === 'assignment') {
          const left = expr.childForFieldName('left');
          const right = expr.childForFieldName('right');
          if (left?.type === 'identifier' && right !== null) {
            locals.set(left.text, locals.has(left.text) ? UNKNOWN : valueSummary(right));
            assigned.set(left.text, [...(assigned.get(left.text) ?? []), valueSummary(right)]);
          }
        } else if (expr?.type === 'augmented_assignment') {
          const left = expr.childForFieldName('left');
          if (left?.type === 'identifier') {
            locals.set(left.text, UNKNOWN);
            assigned.set(left.text, [UNKNOWN]);
          }
        } else if (expr?.type === 'call') readCall(expr, celery, environ);
        continue;
      }
      visit(child);
    }
  };
  // What the walk finds counts only through a `return` (the app it configured, the locals it
  // names): a body without the word has nothing to walk for.
  if (/\breturn\b/.test(text)) visit(body);
  // Settings apply to the caller's app only when the function returns the app it configured.
  const config = returnedName === undefined ? undefined : celery[returnedName];
  // A call through an import names the import: a body that names none has none.
  const calls = [...Object.keys(imports), ...instances].some((local) => text.includes(local)) ? importedCalls(body, imported, lockHelper) : [];
  if (config === undefined && calls.length === 0 && returns.every((r) => r === UNKNOWN)) return opaqueFunction(returns.length);
  return { kind: 'function', returns, ...(config === undefined ? {} : { celery: config }), ...(calls.length === 0 ? {} : { calls }) };
}

/**
 * Most functions of a module return nothing a caller can resolve and call no library through
 * its imports: their summaries are equal, so one frozen object per number of returns stands for
 * all of them. A project index holds every module's summary; this halves what its functions keep.
 */
const OPAQUE_FUNCTIONS: ValueSummary[] = [];
const MAX_SHARED_RETURNS = 8;

/**
 * A Python summary read back from storage, with its opaque functions' values replaced by the
 * shared ones, as a summary read from a tree has them (the JSON says the same either way).
 */
export function sharePythonValues(summary: ModuleSummary): ModuleSummary {
  if (summary.language !== 'python') return summary;
  const names = summary.names as Record<string, NameSummary>;
  for (const [name, entry] of Object.entries(names)) {
    const value = entry.value;
    if (name === '__proto__' || value.kind !== 'function' || Object.keys(value).length !== 2 || !value.returns.every((r) => r.kind === 'unknown' && Object.keys(r).length === 1)) continue;
    names[name] = { value: opaqueFunction(value.returns.length), at: entry.at };
  }
  return summary;
}

function opaqueFunction(returns: number): ValueSummary {
  if (returns > MAX_SHARED_RETURNS) return { kind: 'function', returns: Array.from({ length: returns }, () => UNKNOWN) };
  return (OPAQUE_FUNCTIONS[returns] ??= Object.freeze({ kind: 'function', returns: Object.freeze(Array.from({ length: returns }, () => UNKNOWN)) }));
}

/**
 * The library functions a function body calls through the module's imports or its module-level
 * instances (`send_mail`, `smtplib.SMTP`, `session.post`), as written: what the model reads to
 * tell a function that sends, enqueues, charges, calls out or locks (`def send_email(...):
 * send_mail(...)`) to the modules that call it. A call on a local the body assigned from such a
 * call (`client = redis_instance()`, then `client.set(...)`) is written `redis_instance().set`.
 * A call whose arguments make it a kind its name does not say carries that kind after a `#`: a
 * Redis `SET` with `nx=True` and an expiry, or Django's `cache.add` in a lock helper, is
 * `#lock`; a request to a webhook URL is `#notify`. Sorted, so that an edit that calls the same
 * functions leaves the summary equal.
 */
function importedCalls(body: Node, imported: (head: string) => boolean, lockHelper: boolean): string[] {
  const made = new Map<string, string | null>();
  for (const assignment of body.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    const callee = right?.type === 'call' ? dotted(right.childForFieldName('function')) : undefined;
    if (left?.type !== 'identifier') continue;
    // A local assigned twice stands for no one call.
    made.set(left.text, made.has(left.text) || callee === undefined || !imported(callee.split('.')[0] ?? '') ? null : callee);
  }
  const calls = new Set<string>();
  for (const call of body.descendantsOfType('call')) {
    const callee = call === null ? undefined : dotted(call.childForFieldName('function'));
    if (call === null || callee === undefined) continue;
    const [head = '', ...rest] = callee.split('.');
    const through = rest.length === 0 ? undefined : made.get(head);
    const written = imported(head) ? callee : through != null ? `${through}().${rest.join('.')}` : undefined;
    if (written === undefined) continue;
    const lock = isRedisLockSet(call) || (lockHelper && /(?:^|\.)add$/.test(written));
    calls.add(lock ? `${written}#lock` : isWebhookRequest(call, written) ? `${written}#notify` : written);
  }
  return [...calls].sort().slice(0, MAX_CALLS);
}

/** `client.set(key, value, nx=True, ex=30)`: Redis's `SET NX` with an expiry, the hand-written lock. */
function isRedisLockSet(call: Node): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'set') return false;
  const keywords = new Map<string, string>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument') keywords.set(arg.childForFieldName('name')?.text ?? '', arg.childForFieldName('value')?.type ?? '');
  }
  return keywords.get('nx') === 'true' && ['px', 'ex', 'pxat', 'exat'].some((k) => keywords.has(k));
}

/**
 * A lock helper: a function named for a lock (`acquire_lock`, `memcache_lock`) or a
 * `@contextmanager` (the shape of Celery's own cookbook lock, `with memcache_lock(...) as acquired`).
 */
function isLockHelper(fn: Node, name: string): boolean {
  if (/lock/i.test(name)) return true;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  return decorated?.namedChildren.some((d) => d?.type === 'decorator' && /(?:^|\.)(?:async)?contextmanager$/.test(d.namedChild(0)?.text ?? '')) ?? false;
}

/** A bound on the calls kept per function: a long body's summary stays small. */
const MAX_CALLS = 32;

/** A class: its bases as written, and the literal class-level options it sets (`max_retries = 5`). */
function classSummary(node: Node): ValueSummary {
  const bases: string[] = [];
  for (const arg of node.childForFieldName('superclasses')?.namedChildren ?? []) {
    const base = arg === null || arg.type === 'keyword_argument' ? undefined : dotted(arg);
    if (base !== undefined) bases.push(base);
  }
  const options: Record<string, Literal> = {};
  for (const child of node.childForFieldName('body')?.namedChildren ?? []) {
    const expr = child?.type === 'expression_statement' ? child.namedChild(0) : null;
    if (expr?.type !== 'assignment') continue;
    const left = expr.childForFieldName('left');
    const right = expr.childForFieldName('right');
    if (left?.type === 'identifier' && right !== null && CLASS_OPTION.test(left.text)) {
      const value = literal(right);
      // A tuple of exceptions (`autoretry_for = (IOError,)`) is an option set, not a literal.
      options[left.text] = typeof value === 'object' && value !== null && right.type === 'tuple' ? true : value;
    }
  }
  return { kind: 'class', bases, options };
}
