import { canonical } from '../facts/python/imports.js';
import { returnTypeNamed } from '../facts/python/returns.js';
import { defaultExport, RETURNS as JS_RETURNS, TYPED_PARAMETERS } from '../facts/javascript-modules.js';
import { languageFromPath } from '../languages.js';
import { mayHaveSignals } from '../prefilter.js';
import type { LanguageId, SignalKind } from '../types.js';
import { celerySource } from './celery-settings.js';
import { describe } from './describe.js';
import { topPackage } from './python-layout.js';
import { goView } from './go-model.js';
import { rubyView } from './ruby-model.js';
import { javaView } from './java-model.js';
import type { SummaryCache } from './summary-cache.js';
import { PYTHON_APIS, wrappedKind } from '../apis/python.js';
import { CARRIED_KINDS, JAVASCRIPT_APIS, javascriptApiKind } from '../apis/javascript.js';
import { PROJECT_CLASS, PROJECT_FACTORY, PROJECT_GETTER, PROJECT_SENDER, type CallSummary, type CelerySource, type CelerySummary, type ModuleResolver, type ModuleSummary, type NameSummary, type Origin, type ProjectName, type ProjectView, type Resolved, type TimeoutOption, type ValueSummary } from './types.js';

const UNKNOWN: Resolved = { kind: 'unknown' };

/**
 * A summary's own entry for a name: a module may name `constructor` or `toString`, which a plain
 * object lookup would answer from its prototype.
 */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
/** How many modules a name may pass through: re-exports of re-exports, factories of factories. */
const MAX_HOPS = 8;

/**
 * The project as the rules of one file see it: names imported from the project's own modules,
 * resolved through their summaries to what they stand for. Resolution is per request: the
 * summaries are cached by content, the answers are not, so an edited module is seen at once.
 */
export class ProjectModel {
  constructor(private readonly resolver: ModuleResolver, readonly cache: SummaryCache) {}

  /** The summary of a project file as it is now, or undefined when it cannot be read. */
  summaryOf(path: string, language: LanguageId): ModuleSummary | undefined {
    const text = this.resolver.read(path);
    // A TypeScript file may import a JavaScript one: each module is read in its own language.
    const own = language === 'python' ? language : (languageFromPath(path) ?? language);
    return text === undefined ? undefined : this.cache.get(text, own);
  }

  /** The last view of each file, with the versions of the modules it read. */
  private readonly views = new Map<string, { key: string; versions: readonly number[]; view: ProjectView }>();

  /**
   * What the names a file imports stand for, given that file's own summary. An edit that leaves
   * the file's imports as they were, while none of the modules they reach changed, is answered
   * from the last view: typing in a function body reads no other module.
   */
  viewFor(path: string, summary: ModuleSummary): ProjectView {
    if (summary.go !== undefined) return goView(this.resolver, (file) => this.summaryOf(file, 'go'), describe, path, summary);
    if (summary.language === 'java') {
      const spring = this.resolver.springConfig?.(path);
      return javaView(this.resolver, (file) => this.summaryOf(file, 'java'), path, summary, { dependencies: spring?.files ?? [], ...(spring === undefined ? {} : { spring }) });
    }
    const version = this.resolver.version?.bind(this.resolver);
    // A Ruby file's view depends on its own classes (a base class beside its subclass) and the constants it names.
    const key = summary.ruby === undefined ? JSON.stringify(summary.reaches) : JSON.stringify(summary.ruby);
    const last = this.views.get(path);
    if (version !== undefined && last !== undefined && last.key === key && last.view.dependencies.every((d, i) => version(d) === last.versions[i])) return last.view;
    const view = this.computeView(path, summary);
    if (version !== undefined) this.views.set(path, { key, versions: view.dependencies.map((d) => version(d)), view });
    return view;
  }

  /**
   * The top-level names through which a module binds a library object (an app, a queue, a client,
   * a factory of one, a known library name passed on under a name that does not spell it), read
   * only through the modules `mayRead` allows (the module itself always): what an importer can
   * learn from it. `'any'` for a JavaScript module that re-exports others whole (`export *`),
   * whose names its summary does not list; `default` stands for a default export.
   */
  bindingNames(path: string, language: LanguageId, mayRead: (path: string) => boolean): readonly string[] | 'any' {
    // A library's own entry file stands for the library: whatever an importer takes from it may be an API.
    if (language !== 'python' && this.libraryEntry(path) !== undefined) return 'any';
    const session = new Resolution(this, this.resolver, language, (file) => file === path || mayRead(file));
    if ((this.summaryOf(path, language)?.stars?.length ?? 0) > 0) return 'any';
    // A library name passed on under its own name (`requests`) lets its importers through by itself.
    // An object counts only when it is of a library the analysis knows (a p-queue instance is not).
    return session.members(path).filter(([name, value]) => {
      if (value.kind === 'api') return !mayHaveSignals(name, language) && mayHaveSignals(value.api, language);
      const bound = this.projectName(value);
      return bound !== undefined && (mayHaveSignals(bound.type, language) || bound.type.startsWith(PROJECT_CLASS));
    }).map(([name]) => name);
  }

  /** The JavaScript library whose own entry file `path` is (kafkajs's `index.js` in the kafkajs repository). */
  libraryEntry(path: string): string | undefined {
    const name = this.resolver.packageOf?.(path);
    return name !== undefined && JS_LIBRARIES.has(name) ? name : undefined;
  }

  private computeView(path: string, summary: ModuleSummary): ProjectView {
    if (summary.ruby !== undefined) {
      const ruby = rubyView(this.resolver, (file) => this.summaryOf(file, 'ruby'), path, summary);
      return { names: new Map(), unknown: new Set(), dependencies: ruby.dependencies, ruby };
    }
    const session = new Resolution(this, this.resolver, summary.language);
    const names = new Map<string, ProjectName>();
    const unknown = new Set<string>();
    for (const target of summary.reaches) {
      session.touchedProject = false;
      const parts = own(summary.modules, target);
      const resolved = parts === undefined ? session.dotted(path, target, 0, new Set()) : session.module(path, parts, [], 0, new Set());
      if (resolved.kind === 'module') {
        for (const [member, value] of session.members(resolved.path)) this.addName(names, `${target}.${member}`, value);
        continue;
      }
      // A library's own name (`celery.Celery`) is the facts' business; only names that led into the project are answered here.
      const added = session.touchedProject && this.addName(names, target, resolved);
      if (!added && session.touchedProject) unknown.add(target);
    }
    // A `@shared_task` runs on whichever app the worker loaded: in Celery's Django layout, the one the
    // project's top package imports in its `__init__.py` (`from .celery import app as celery_app`).
    // Its members are in view, so that app's settings and beat schedule are.
    if (summary.language === 'python' && summary.reaches.some((t) => t === 'celery.shared_task' || t === 'celery')) {
      const top = topPackage(path, (init) => session.exists(init));
      if (top !== undefined) for (const [member, value] of session.members(top.init)) this.addName(names, `${top.name}.${member}`, value);
    }
    return { names, unknown, dependencies: [...session.read].sort() };
  }

  /**
   * Names `key` in a view; a project class also names each of its methods that return a library
   * object or make a library call, as `<class type>.<method>`, where the facts look a member up.
   */
  private addName(names: Map<string, ProjectName>, key: string, value: Resolved): boolean {
    const name = this.projectName(value);
    if (name === undefined) return false;
    names.set(key, name);
    if (value.kind === 'class' && name.type.startsWith(PROJECT_CLASS)) {
      for (const [method, resolved] of Object.entries(value.methods ?? {})) {
        const member = this.projectName(resolved);
        // A method that returns a library object hands out one made once; it declares none where it is called.
        const type = resolved.kind === 'factory' ? `${PROJECT_GETTER}${resolved.returns}` : member?.type;
        if (member !== undefined && type !== undefined) names.set(`${name.type}.${method}`, { ...member, type, description: `\`${value.name}.${method}\`, ${member.description}` });
      }
    }
    return true;
  }

  private projectName(value: Resolved): ProjectName | undefined {
    const where = (origin: Origin | undefined): string => (origin === undefined ? '' : ` defined in ${this.resolver.display(origin.path)}:${origin.line + 1}`);
    switch (value.kind) {
      case 'instance':
        return { type: value.type, instance: true, origin: value.origin, description: `${describe(value.type)}${where(value.origin)}`, ...(value.celery === undefined ? {} : { celery: value.celery }), ...(value.jobDefaults === undefined ? {} : { jobDefaults: value.jobDefaults }) };
      case 'factory':
        return { type: `${PROJECT_FACTORY}${value.returns}`, instance: false, origin: value.origin, returns: value.returns, description: `a function that returns ${describe(value.returns)}${where(value.origin)}`, ...(value.celery === undefined ? {} : { celery: value.celery }), ...(value.timeoutOption === undefined ? {} : { timeoutOption: value.timeoutOption }) };
      case 'api':
        return { type: value.api, instance: false, origin: undefined, description: `\`${value.api}\`, re-exported by the project` };
      case 'sender':
        return { type: `${PROJECT_SENDER}${value.api}`, instance: false, origin: value.origin, description: `a function that ${wrappedKind(value.api) === 'notify' ? 'sends with' : 'calls'} \`${value.api.replace(/#\w+$/, '')}\`${where(value.origin)}`, ...(value.timeoutOption === undefined ? {} : { timeoutOption: value.timeoutOption }) };
      case 'class': {
        // A project class that extends a library client whose calls say all a rule reads
        // (`class StripeClient extends Stripe`) is that client: its instances make the same calls.
        const base = value.bases.find((b): b is Extract<Resolved, { kind: 'api' }> => b.kind === 'api' && TYPED_PARAMETERS.has(b.api));
        if (base !== undefined) return { type: base.api, instance: false, origin: value.origin, description: `a subclass of \`${base.api}\`${where(value.origin)}` };
        // A class of the project's own whose methods make library calls (`FetchService.fetch`, `XQueue.getInstance()`).
        if (value.methods === undefined || value.origin === undefined || !Object.values(value.methods).some((m) => this.projectName(m) !== undefined)) return undefined;
        return { type: `${PROJECT_CLASS}${this.resolver.display(value.origin.path)}#${value.name}`, instance: false, origin: value.origin, description: `the class \`${value.name}\`${where(value.origin)}` };
      }
      default:
        return undefined;
    }
  }
}

/**
 * The kinds of signal a Python function passes on to its callers, first preferred: a body that
 * sends a webhook and logs through an HTTP call is a sender of the webhook.
 */
const WRAPPED_KINDS: readonly SignalKind[] = ['notify', 'payment', 'enqueue', 'lock', 'http-call'];
/** Django's `cache.add` (the default cache, or one of `caches`): it stores only a key that is absent and says whether it did. */
const DJANGO_CACHE_ADD = /^django\.core\.cache\.(?:cache|caches)(?:\.\w+)*\.add$/;

/** The JavaScript libraries the API tables name, by package name. */
const JS_LIBRARIES: ReadonlySet<string> = new Set([...JAVASCRIPT_APIS.keys()].map((api) => api.split('.')[0] ?? api));

/** One resolution pass: the modules it read, and whether a name led into the project. */
class Resolution {
  readonly read = new Set<string>();
  touchedProject = false;
  /** What a module's `export *` search found for a name (and the members after it), this pass. */
  private readonly starSearches = new Map<string, Resolved>();

  /** `mayRead`: the modules this pass reads; any other is unknown to it. */
  constructor(private readonly model: ProjectModel, private readonly resolver: ModuleResolver, private readonly language: LanguageId, private readonly mayRead?: (path: string) => boolean) {}

  /** Whether a project file exists, read as a dependency of the view (an `__init__.py` added later changes it). */
  exists(path: string): boolean {
    return this.summary(path) !== undefined;
  }

  private summary(path: string): ModuleSummary | undefined {
    if (this.mayRead?.(path) === false) return undefined;
    this.read.add(path);
    this.touchedProject = true;
    return this.model.summaryOf(path, this.language);
  }

  /** A dotted target written in `from` (`..celeryconf.app`, `shop.tasks`): the longest prefix that is a project module wins. */
  dotted(from: string, target: string, hops: number, visiting: Set<string>): Resolved {
    const m = /^(\.*)(.*)$/.exec(target);
    const dots = m?.[1] ?? '';
    const parts = (m?.[2] ?? '') === '' ? [] : (m?.[2] ?? '').split('.');
    for (let i = parts.length; i >= (dots === '' ? 1 : 0); i--) {
      const path = this.resolver.resolve(from, dots + parts.slice(0, i).join('.'), this.language);
      if (path !== undefined) return this.member({ kind: 'module', path }, parts.slice(i), hops, visiting);
    }
    if (dots !== '') {
      this.touchedProject = true;
      return UNKNOWN;
    }
    return { kind: 'api', api: canonical(target) };
  }

  /** A JavaScript import: the project module its specifier names, else the library's name. */
  module(from: string, parts: { readonly module: string; readonly name?: string }, rest: readonly string[], hops: number, visiting: Set<string>): Resolved {
    const file = this.resolver.resolve(from, parts.module, this.language);
    // The entry file of a library's own package (its examples and tests import it by path) is that library.
    const library = file === undefined ? undefined : this.model.libraryEntry(file);
    // Reached through a project file, the library's name is the project's answer, not the facts' own.
    if (library !== undefined) this.touchedProject = true;
    const module = library ?? (file === undefined ? parts.module : undefined);
    if (module !== undefined) {
      const base = parts.name === undefined ? module : parts.name === 'default' ? defaultExport(module) : `${module}.${parts.name}`;
      return { kind: 'api', api: [base, ...rest].join('.') };
    }
    return this.member({ kind: 'module', path: file as string }, parts.name === undefined ? rest : [parts.name, ...rest], hops, visiting);
  }

  /** Every top-level name of a module, resolved. */
  members(path: string): [string, Resolved][] {
    const summary = this.summary(path);
    if (summary === undefined) return [];
    const names = [...Object.keys(summary.names), ...(summary.modules === undefined ? Object.keys(summary.imports) : [])];
    return names.map((name) => [name, this.member({ kind: 'module', path }, [name], 0, new Set())]);
  }

  private member(base: Resolved, rest: readonly string[], hops: number, visiting: Set<string>): Resolved {
    if (rest.length === 0) return base;
    const [name, ...more] = rest as [string, ...string[]];
    switch (base.kind) {
      case 'module': {
        const summary = this.summary(base.path);
        if (summary === undefined) return UNKNOWN;
        const key = `${base.path}#${name}`;
        if (visiting.has(key) || hops > MAX_HOPS) return UNKNOWN;
        const next = new Set(visiting).add(key);
        const def = own(summary.names, name);
        if (def !== undefined) return this.member(this.evaluate(base.path, summary, name, def, hops + 1, next), more, hops, visiting);
        if (summary.modules !== undefined) {
          // JavaScript exports only what it names; `export * from` passes on another module's names.
          // A barrel re-exports barrels (a package index of a hundred `export *`, each of more), so
          // each module's search for a name is made once per pass: searched afresh along every
          // path, it grows with the number of paths, not of modules.
          const searched = `${key}#${more.join('.')}`;
          const known = this.starSearches.get(searched);
          if (known !== undefined) return known;
          let result: Resolved = UNKNOWN;
          for (const star of summary.stars ?? []) {
            const found = this.module(base.path, { module: star, name }, more, hops + 1, next);
            if (found.kind !== 'unknown' && found.kind !== 'api') {
              result = found;
              break;
            }
          }
          this.starSearches.set(searched, result);
          return result;
        }
        const imported = own(summary.imports, name);
        if (imported !== undefined) return this.member(this.dotted(base.path, imported, hops + 1, next), more, hops, visiting);
        return UNKNOWN;
      }
      case 'api':
        return { kind: 'api', api: this.language === 'python' ? canonical(`${base.api}.${rest.join('.')}`) : `${base.api}.${rest.join('.')}` };
      case 'instance':
        return { kind: 'api', api: `${base.type}.${rest.join('.')}` };
      case 'class': {
        // A static method of a project class (`PrismaClientSingleton.getInstance`).
        const method = own(base.methods, name);
        return method === undefined || more.length > 0 ? UNKNOWN : method;
      }
      default:
        return UNKNOWN;
    }
  }

  /** A reference written in module `path`: its first part is one of the module's names or imports. */
  private ref(path: string, summary: ModuleSummary, ref: string, hops: number, visiting: Set<string>): Resolved {
    const [head, ...rest] = ref.split('.') as [string, ...string[]];
    const local = own(summary.names, head);
    // `export { Stripe }` of an imported name is a name of the module that refers to itself: the
    // import says what it is.
    const reexported = local?.value.kind === 'ref' && local.value.ref === head;
    if (local !== undefined && !reexported) return this.member({ kind: 'module', path }, [head, ...rest], hops, visiting);
    const imported = own(summary.imports, head);
    if (imported === undefined) return UNKNOWN;
    const parts = own(summary.modules, imported);
    if (parts !== undefined) return this.module(path, parts, rest, hops + 1, visiting);
    return this.dotted(path, [imported, ...rest].join('.'), hops + 1, visiting);
  }

  private evaluate(path: string, summary: ModuleSummary, name: string, def: NameSummary, hops: number, visiting: Set<string>): Resolved {
    const origin: Origin = { path, ...def.at };
    const value = this.value(path, summary, def.value, hops, visiting);
    switch (value.kind) {
      case 'instance': {
        // The app's settings live where the app is named: `app.conf.update(...)` beside `app = Celery()`.
        const celery = value.type === 'celery.Celery' ? this.celerySettings(path, summary, own(summary.celery, name), value.celery, hops, visiting) : undefined;
        return { kind: 'instance', type: value.type, origin: def.value.kind === 'call' ? origin : value.origin, ...(celery === undefined ? {} : { celery }), ...(value.jobDefaults === undefined ? {} : { jobDefaults: value.jobDefaults }) };
      }
      case 'factory':
        return { ...value, origin };
      case 'class':
        return { ...value, origin, name };
      case 'sender':
        // A JavaScript sender points at its library call inside the function.
        return { ...value, origin: value.origin ?? origin };
      default:
        return value;
    }
  }

  private value(path: string, summary: ModuleSummary, value: ValueSummary, hops: number, visiting: Set<string>): Resolved {
    switch (value.kind) {
      case 'ref':
        return this.ref(path, summary, value.ref, hops, visiting);
      case 'call': {
        const callee = this.ref(path, summary, value.callee, hops, visiting);
        if (callee.kind === 'api' && callee.api === 'functools.partial' && value.partialOf !== undefined) return this.partial(this.ref(path, summary, value.partialOf, hops, visiting));
        if (callee.kind === 'api') {
          const type = this.language === 'python' ? returnTypeNamed(callee.api, value.arg0) : value.isNew === true ? callee.api : (JS_RETURNS[callee.api] ?? callee.api);
          return { kind: 'instance', type, origin: undefined, ...(value.jobDefaults === undefined ? {} : { jobDefaults: value.jobDefaults }) };
        }
        if (callee.kind === 'factory') return { kind: 'instance', type: callee.returns, origin: callee.origin, ...(callee.celery === undefined ? {} : { celery: callee.celery }), ...(callee.jobDefaults === undefined ? {} : { jobDefaults: callee.jobDefaults }) };
        return UNKNOWN;
      }
      case 'function': {
        const types = value.returns.map((r) => this.value(path, summary, r, hops, visiting));
        const first = types[0];
        // A function that returns what a request or a send gave back (`return session.post(...)`) wraps that call: it is no factory.
        const wrapped = first?.kind === 'instance' && this.language === 'python' && wrappedKind(first.type) !== undefined && WRAPPED_KINDS.includes(wrappedKind(first.type) as SignalKind);
        if (first?.kind !== 'instance' || wrapped || types.some((t) => t.kind !== 'instance' || t.type !== first.type)) {
          return this.language === 'python' ? this.sender(path, summary, value.calls, hops, visiting) : this.caller(path, summary, value.sends, hops, visiting);
        }
        const celery = first.type === 'celery.Celery' ? this.celerySettings(path, summary, value.celery, first.celery, hops, visiting) : undefined;
        // Every return must build the queue with the same defaults for them to be known.
        const same = types.every((t) => t.kind === 'instance' && JSON.stringify(t.jobDefaults) === JSON.stringify(first.jobDefaults));
        const defaults = same ? first.jobDefaults : 'unknown';
        // A `fetch` wrapper that hands its caller's options to the request is bounded by them.
        const timeoutOption = value.timeoutOption ?? (JAVASCRIPT_APIS.get(first.type) === 'http-call' ? this.passedTimeout(path, summary, value.sends, hops, visiting) : undefined);
        return { kind: 'factory', returns: first.type, origin: undefined, ...(celery === undefined ? {} : { celery }), ...(defaults === undefined ? {} : { jobDefaults: defaults }), ...(timeoutOption === undefined ? {} : { timeoutOption }) };
      }
      case 'class': {
        const methods: Record<string, Resolved> = {};
        for (const [name, method] of Object.entries(value.methods ?? {})) {
          const resolved = this.value(path, summary, method, hops, visiting);
          if (resolved.kind === 'factory' || resolved.kind === 'sender') methods[name] = resolved;
        }
        return { kind: 'class', name: '', bases: value.bases.map((b) => this.ref(path, summary, b, hops, visiting)), options: value.options, origin: undefined, ...(Object.keys(methods).length === 0 ? {} : { methods }) };
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * What a `functools.partial` of `wrapped` is when called: the library API itself, or the API a
   * project class derives from (`class RecordingJob(rq.decorators.job)`, a decorator that keeps
   * its base's behaviour), so that `@job("emails")` with `job = partial(RecordingJob, ...)` is RQ's
   * `job` decorator.
   */
  private partial(wrapped: Resolved): Resolved {
    if (wrapped.kind === 'api') return wrapped;
    if (wrapped.kind !== 'class') return UNKNOWN;
    for (const base of wrapped.bases) {
      const api = this.partial(base);
      if (api.kind === 'api') return api;
    }
    return UNKNOWN;
  }

  /**
   * A Python function that returns no library object but makes, through one of its module's
   * imports or instances, a call that is a signal of a kind a caller shares (`send_mail(...)` in
   * `def send_email`, `requests.post` in `def post_webhook`, `cache.add` in a lock helper, a
   * task's `.delay`): calling it does the same. The kinds and their order, when a body makes
   * several, are `WRAPPED_KINDS`; a wrapper of a wrapper imported from another module passes on a
   * send, a charge or an enqueue (within `MAX_HOPS`).
   */
  private sender(path: string, summary: ModuleSummary, calls: readonly string[] | undefined, hops: number, visiting: Set<string>): Resolved {
    if (this.language !== 'python') return UNKNOWN;
    let best: { api: string; rank: number } | undefined;
    for (const call of calls ?? []) {
      const api = this.wrappedCall(path, summary, call, hops, visiting);
      const rank = api === undefined ? -1 : WRAPPED_KINDS.indexOf(wrappedKind(api) ?? 'retry');
      if (api !== undefined && rank >= 0 && (best === undefined || rank < best.rank)) best = { api, rank };
    }
    return best === undefined ? UNKNOWN : { kind: 'sender', api: best.api, origin: undefined };
  }

  /**
   * The API a call of a function body stands for (`redis_instance().set#lock` → `redis.Redis.set#lock`),
   * with the kind its arguments gave it after a `#`; undefined when it is no library call.
   */
  private wrappedCall(path: string, summary: ModuleSummary, call: string, hops: number, visiting: Set<string>): string | undefined {
    const [written = '', tag] = call.split('#');
    const made = /^([\w.]+)\(\)\.([\w.]+)$/.exec(written);
    let api: string | undefined;
    if (made !== null) {
      const callee = this.ref(path, summary, made[1] as string, hops, visiting);
      const type = callee.kind === 'factory' ? callee.returns : callee.kind === 'api' ? returnTypeNamed(callee.api, undefined) : undefined;
      api = type === undefined ? undefined : `${type}.${made[2] as string}`;
    } else {
      const callee = this.ref(path, summary, written, hops, visiting);
      if (callee.kind === 'api') api = callee.api;
      // A wrapper of a wrapper passes on a send, a charge or an enqueue; an HTTP call or a lock
      // several modules down is that module's business (every caller up the graph would otherwise
      // become an HTTP call).
      else if (callee.kind === 'sender') return ['notify', 'payment', 'enqueue'].includes(wrappedKind(callee.api) ?? '') ? callee.api : undefined;
      else if (/\.(?:delay|apply_async)$/.test(written) && callee.kind === 'unknown' && this.ref(path, summary, written.replace(/\.\w+$/, ''), hops, visiting).kind !== 'api') {
        // `send_email_task.delay(...)` on a function of the project: the task's enqueue, as the facts read it in a file.
        api = `celery.Task.${written.slice(written.lastIndexOf('.') + 1)}`;
      }
    }
    if (api === undefined) return undefined;
    if (tag === 'lock' && (/^redis\.(?:asyncio\.)?Redis\.set$/.test(api) || DJANGO_CACHE_ADD.test(api))) return `${api}#lock`;
    if (tag === 'notify' && PYTHON_APIS.get(api) === 'http-call') return `${api}#notify`;
    return api;
  }

  /**
   * A JavaScript function that returns no library object but makes a library call of a kind its
   * callers carry (`CARRIED_KINDS`: an HTTP request, a send, an enqueue, a payment, a schedule, a
   * lock), directly or through another project function: calling it makes that call. The first
   * such call in the body decides; the origin points at it.
   */
  private caller(path: string, summary: ModuleSummary, sends: readonly CallSummary[] | undefined, hops: number, visiting: Set<string>): Resolved {
    for (const send of sends ?? []) {
      const callee = this.callee(path, summary, send, hops, visiting);
      const origin: Origin = { path, ...send.at };
      if (callee.kind === 'api') {
        const api = callee.api === 'node-fetch' ? 'fetch' : callee.api;
        const kind = javascriptApiKind(api);
        if (kind === undefined || !CARRIED_KINDS.has(kind)) continue;
        const passes = (api === 'fetch' || api === 'undici.fetch') && send.passes !== undefined ? { index: send.passes, key: 'signal' } : undefined;
        return { kind: 'sender', api, origin, ...(passes === undefined ? {} : { timeoutOption: passes }) };
      }
      // Through another project function: a `fetch` wrapper (a factory of a response) or a sender.
      const api = callee.kind === 'factory' && JAVASCRIPT_APIS.get(callee.returns) === 'http-call' ? callee.returns : callee.kind === 'sender' ? callee.api : undefined;
      if (api === undefined) continue;
      const inner = callee.kind === 'factory' || callee.kind === 'sender' ? callee.timeoutOption : undefined;
      const passes = inner?.index === 1 && send.passes !== undefined ? { index: send.passes, key: inner.key } : undefined;
      return { kind: 'sender', api, origin, ...(passes === undefined ? {} : { timeoutOption: passes }) };
    }
    return UNKNOWN;
  }

  /** What a call of a function's body is: the function it calls, or the member of what it is called on. */
  private callee(path: string, summary: ModuleSummary, send: CallSummary, hops: number, visiting: Set<string>): Resolved {
    if (send.member === '') {
      const ref = send.receiver.kind === 'ref' ? send.receiver.ref : undefined;
      if (ref === undefined) return UNKNOWN;
      const resolved = this.ref(path, summary, ref, hops, visiting);
      // The platform's `fetch`, when the module binds no name of its own to it.
      if (resolved.kind === 'unknown' && ref === 'fetch' && own(summary.names, 'fetch') === undefined && own(summary.imports, 'fetch') === undefined) return { kind: 'api', api: 'fetch' };
      return resolved;
    }
    const base = this.value(path, summary, send.receiver, hops, visiting);
    if (base.kind === 'instance') return { kind: 'api', api: `${base.type}.${send.member}` };
    if (base.kind === 'api') return { kind: 'api', api: `${base.api}.${send.member}` };
    return UNKNOWN;
  }

  /** The option of a `fetch` wrapper's caller that bounds its request: the options the wrapper passes on. */
  private passedTimeout(path: string, summary: ModuleSummary, sends: readonly CallSummary[] | undefined, hops: number, visiting: Set<string>): TimeoutOption | undefined {
    const found = this.caller(path, summary, sends, hops, visiting);
    return found.kind === 'sender' ? found.timeoutOption : undefined;
  }

  /** A Celery app's `task_acks_late` and beat schedules (`celerySource`), its `config_from_object` sources resolved. */
  private celerySettings(path: string, summary: ModuleSummary, config: CelerySummary | undefined, inherited: CelerySource | undefined, hops: number, visiting: Set<string>): CelerySource {
    const modules = (config?.sources ?? []).map((source) => ({ source, module: this.sourceModule(path, summary, source, hops, visiting) }));
    return celerySource(config, inherited, modules, (read) => this.summary(read));
  }

  /** The module a `config_from_object` source names, resolved. */
  private sourceModule(path: string, summary: ModuleSummary, source: CelerySummary['sources'][number], hops: number, visiting: Set<string>): Resolved {
    let module: Resolved = UNKNOWN;
    if (source.module === 'django.conf:settings') {
      const settings = summary.environ['DJANGO_SETTINGS_MODULE'];
      if (settings !== undefined) module = this.dotted(path, settings, hops + 1, visiting);
    } else if (source.module !== undefined && !source.module.includes(':')) {
      module = this.dotted(path, source.module, hops + 1, visiting);
    } else if (source.ref !== undefined) {
      module = this.ref(path, summary, source.ref, hops, visiting);
    }
    return module;
  }
}
