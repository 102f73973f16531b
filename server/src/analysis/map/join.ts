import type { LanguageId } from '../types.js';
import type { BaseClassFact, EffectFact, EnqueueFact, FunctionFact, MapFileFacts, MapRef, QueueFact, ScheduleFact, SettingFact, TaskFact } from './facts.js';
import type { MapEnqueueSite, MapFindingRef, MapRetry, MapSchedule, MapSettingSource, MapSideEffect, MapTask, TaskMap } from './types.js';

/**
 * The join: the project's task map from its files' map facts, without reading any file again.
 * Names resolve the way each language binds them: Python and JavaScript through the file's
 * imports (a host resolver turns a module specifier into a project file), Ruby constants
 * project-wide, Go functions within a package (one folder), and queues, topics and task types by
 * the string both sides spell. Side effects are followed through helper functions to a bounded
 * depth, each function once per path, so cycles end.
 */

export interface MapFileInput {
  /** The file's key: what the resolver returns for it. */
  readonly path: string;
  readonly language: LanguageId;
  readonly map: MapFileFacts;
  readonly findings: readonly { readonly rule: string; readonly line: number }[];
}

export interface MapResolver {
  /** The input path that a module specifier written in `fromPath` names, or undefined (a library, or nothing). */
  resolve(fromPath: string, specifier: string, language: LanguageId): string | undefined;
}

export interface JoinOptions {
  readonly resolver?: MapResolver;
  /** How a path is shown in the map (relative to the root, forward slashes). */
  readonly display?: (path: string) => string;
}

/** How many imports and helper calls the join follows from one place. */
const MAX_DEPTH = 6;

type Definition =
  | { readonly kind: 'task'; readonly file: MapFileInput; readonly task: TaskFact }
  | { readonly kind: 'queue'; readonly file: MapFileInput; readonly queue: QueueFact }
  | { readonly kind: 'function'; readonly file: MapFileInput; readonly fn: FunctionFact }
  | { readonly kind: 'base'; readonly file: MapFileInput; readonly base: BaseClassFact };

const languageFamily = (language: LanguageId): string => (language === 'typescript' || language === 'tsx' ? 'javascript' : language);

export function joinTaskMap(files: readonly MapFileInput[], options: JoinOptions = {}): TaskMap {
  return joinProject(files, options).map;
}

/** An enqueue of the project with the tasks it reaches, for the rules that read the join. */
export interface JoinedSite {
  /** The input path of the file the enqueue is in. */
  readonly path: string;
  readonly site: EnqueueFact;
  /** The rules of the file's own findings on the enqueue's line, so a project rule can leave a site they cover alone. */
  readonly lineRules: readonly string[];
  /** Each task reached, and whether its body guards its first side effect (a claimed marker, an early return). */
  readonly tasks: readonly { readonly task: MapTask; readonly guarded: boolean }[];
}

/** A task of the map with the input path of its file and its facts, for the rules that read the join. */
export interface JoinedTask {
  readonly path: string;
  readonly fact: TaskFact;
  readonly task: MapTask;
  /** An idempotency guard before the first side effect of the body (or of the handler function that runs it). */
  readonly guarded: boolean;
  /** The body (or its handler function) takes a lock: two runs do not overlap. */
  readonly locked: boolean;
}

/** A schedule of the map with the input path of its file and the tasks it runs. */
export interface JoinedSchedule {
  readonly path: string;
  readonly fact: ScheduleFact;
  readonly schedule: MapSchedule;
  readonly tasks: readonly JoinedTask[];
  /** The rules of the schedule's file's own findings, anywhere in it (a scheduler made on another line than its entries). */
  readonly fileRules: readonly string[];
}

/** What the project rules read: the map, each enqueue site and schedule joined to its tasks. */
export interface ProjectJoin {
  readonly map: TaskMap;
  readonly sites: readonly JoinedSite[];
  readonly tasks: readonly JoinedTask[];
  readonly schedules: readonly JoinedSchedule[];
  /** The input path of a file as the map shows it. */
  pathOf(display: string): string | undefined;
}

/** The map, and each enqueue site joined to its tasks. */
export function joinProject(files: readonly MapFileInput[], options: JoinOptions = {}): ProjectJoin {
  return new Join(files, options).build();
}

class Join {
  private readonly byPath = new Map<string, MapFileInput>();
  private readonly byDisplay = new Map<string, MapFileInput>();
  private readonly constants = new Map<string, Definition[]>();
  private readonly channels = new Map<string, { file: MapFileInput; task: TaskFact }[]>();
  private readonly queues = new Map<string, { file: MapFileInput; queue: QueueFact }>();
  /** Java methods by `Class.method`, project-wide. */
  private readonly javaMethods = new Map<string, Definition[]>();
  private readonly display: (path: string) => string;

  constructor(private readonly files: readonly MapFileInput[], private readonly options: JoinOptions) {
    this.display = options.display ?? ((p) => p);
    for (const file of files) {
      this.byPath.set(file.path, file);
      this.byDisplay.set(this.display(file.path), file);
      for (const task of file.map.tasks) {
        for (const ref of task.names) {
          if (ref.kind !== 'channel') continue;
          const key = `${ref.family}:${ref.channel}`;
          this.channels.set(key, [...(this.channels.get(key) ?? []), { file, task }]);
        }
      }
      for (const queue of file.map.queues) this.queues.set(`${queue.family}:${queue.channel}`, { file, queue });
      if (file.language === 'java') for (const fn of file.map.functions) this.javaMethods.set(fn.name, [...(this.javaMethods.get(fn.name) ?? []), { kind: 'function', file, fn }]);
      if (file.language !== 'ruby') continue;
      const defs: Definition[] = [...file.map.tasks.map((task): Definition => ({ kind: 'task', file, task })), ...file.map.bases.map((base): Definition => ({ kind: 'base', file, base }))];
      for (const def of defs) {
        const name = def.kind === 'task' ? def.task.name : def.kind === 'base' ? def.base.name : '';
        this.constants.set(name, [...(this.constants.get(name) ?? []), def]);
      }
    }
  }

  build(): ProjectJoin {
    const sites = new Map<TaskFact, { file: MapFileInput; site: EnqueueFact }[]>();
    const joined: { file: MapFileInput; site: EnqueueFact; targets: TaskFact[] }[] = [];
    for (const file of this.files) {
      for (const site of file.map.enqueues) {
        const targets = this.targets(file, site.target).map((t) => t.task);
        joined.push({ file, site, targets });
        for (const task of targets) sites.set(task, [...(sites.get(task) ?? []), { file, site }]);
      }
    }
    const tasks: MapTask[] = [];
    const built = new Map<TaskFact, JoinedTask>();
    for (const file of this.files) {
      for (const task of file.map.tasks) {
        const mapped = this.task(file, task, sites.get(task) ?? []);
        const handlers = this.handlers(file, task);
        built.set(task, {
          path: file.path,
          fact: task,
          task: mapped,
          guarded: task.guarded === true || handlers.some((h) => h.fn.guarded === true),
          locked: task.locked === true || handlers.some((h) => h.fn.locked === true),
        });
        tasks.push(mapped);
      }
    }
    const schedules: MapSchedule[] = [];
    const joinedSchedules: JoinedSchedule[] = [];
    for (const file of this.files) {
      for (const schedule of file.map.schedules) {
        const target = schedule.task === null ? [] : this.targets(file, schedule.task);
        // A function that resolves to no task (a plain cron callback) runs no task of the map.
        const named = schedule.task === null || schedule.task.kind === 'name' ? null : schedule.task.kind === 'channel' ? schedule.task.channel : schedule.task.name;
        const mapped: MapSchedule = {
          name: schedule.name,
          framework: schedule.framework,
          file: this.display(file.path),
          line: schedule.line,
          schedule: schedule.schedule,
          task: target[0]?.task.name ?? named,
          findings: this.findingsIn(file, schedule.line, schedule.endLine),
        };
        schedules.push(mapped);
        // A schedule that runs a plain function (a node-cron or robfig/cron callback) runs the tasks that function enqueues.
        const through = target.length > 0 || schedule.task?.kind !== 'name' ? [] : this.resolve(file, schedule.task.name, 0, new Set()).flatMap((def) => def.kind !== 'function' ? []
          : joined.filter((j) => j.file === def.file && j.site.line >= def.fn.line && j.site.line <= def.fn.endLine).flatMap((j) => j.targets));
        const runs = [...new Set([...target.map((t) => t.task), ...through])];
        joinedSchedules.push({ path: file.path, fact: schedule, schedule: mapped, tasks: runs.flatMap((t) => built.get(t) ?? []), fileRules: [...new Set(file.findings.map((f) => f.rule))] });
      }
    }
    const order = (a: { file: string; line: number; name: string }, b: { file: string; line: number; name: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      map: { version: 1, tasks: tasks.sort(order), schedules: schedules.sort(order) },
      tasks: [...built.values()],
      schedules: joinedSchedules,
      pathOf: (display) => this.byDisplay.get(display)?.path,
      sites: joined.map(({ file, site, targets }) => ({
        path: file.path,
        site,
        lineRules: file.findings.filter((f) => f.line === site.line).map((f) => f.rule),
        tasks: targets.flatMap((t) => {
          const joinedTask = built.get(t);
          return joinedTask === undefined ? [] : [{ task: joinedTask.task, guarded: joinedTask.guarded }];
        }),
      })),
    };
  }

  /** The tasks a reference names from `file`. */
  private targets(file: MapFileInput, ref: MapRef): { file: MapFileInput; task: TaskFact }[] {
    if (ref.kind === 'channel') return this.channels.get(`${ref.family}:${ref.channel}`) ?? [];
    if (ref.kind === 'registered') return this.registered(ref.name);
    const found: { file: MapFileInput; task: TaskFact }[] = [];
    for (const def of this.resolve(file, ref.name, 0, new Set())) {
      if (def.kind === 'task') found.push({ file: def.file, task: def.task });
      // `emailQueue.add(...)` names the queue; its worker is the task.
      if (def.kind === 'queue') found.push(...(this.channels.get(`${def.queue.family}:${def.queue.channel}`) ?? []));
    }
    return found;
  }

  /** A Celery task by its registered name: `shop.tasks.send_email` is `send_email` in `shop/tasks.py`. */
  private registered(name: string): { file: MapFileInput; task: TaskFact }[] {
    const last = name.split('.').pop() ?? name;
    const module = name.split('.').slice(0, -1).join('/');
    const candidates = this.files.flatMap((file) => file.map.tasks.filter((t) => t.names.some((r) => (r.kind === 'registered' && r.name === name) || (r.kind === 'name' && r.name === last))).map((task) => ({ file, task })));
    const exact = candidates.filter((c) => c.task.names.some((r) => r.kind === 'registered' && r.name === name));
    if (exact.length > 0) return exact;
    const inModule = candidates.filter((c) => module !== '' && c.file.path.replace(/\.py$/, '').endsWith(module));
    return inModule.length > 0 ? inModule : candidates.length === 1 ? candidates : [];
  }

  /** What a name written in `file` stands for: its own definitions, then its imports, per language. */
  private resolve(file: MapFileInput, name: string, depth: number, visiting: Set<string>): Definition[] {
    const key = `${file.path}#${name}`;
    if (depth > MAX_DEPTH || visiting.has(key)) return [];
    visiting.add(key);
    const [head, ...rest] = name.split('.') as [string, ...string[]];
    const language = languageFamily(file.language);
    if (rest.length === 0) {
      const own = this.defined(file, head);
      if (own.length > 0) return own;
    }
    // Java names a method by its class, which any file of the project may declare.
    if (language === 'java') return this.javaMethods.get(name) ?? [];
    // A sidekiq-cron schedule file names its job class as Ruby code would.
    if (language === 'ruby' || language === 'yaml') return /^[A-Z]/.test(name) ? this.constant(name) : [];
    if (language === 'go') {
      const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
      return this.files.filter((f) => f.language === 'go' && f.path.slice(0, f.path.lastIndexOf('/') + 1) === folder && f !== file).flatMap((f) => this.defined(f, name));
    }
    const imported = file.map.imports[head];
    const resolver = this.options.resolver;
    if (imported === undefined || resolver === undefined) return [];
    if (language === 'python') {
      // `from .tasks import send_email` is `.tasks.send_email`: the longest prefix that is a module wins.
      const target = [imported.module, ...rest].join('.');
      const dots = /^\.*/.exec(target)?.[0] ?? '';
      const parts = target.slice(dots.length).split('.').filter((p) => p !== '');
      for (let i = parts.length; i >= (dots === '' ? 1 : 0); i--) {
        const path = resolver.resolve(file.path, dots + parts.slice(0, i).join('.'), file.language);
        // Only the files mapped are known: a module outside them (a library's, or one left out) is skipped.
        const module = path === undefined ? undefined : this.byPath.get(path);
        if (module === undefined) continue;
        const remaining = parts.slice(i);
        return remaining.length === 0 ? [] : this.resolve(module, remaining.join('.'), depth + 1, visiting);
      }
      return [];
    }
    const path = resolver.resolve(file.path, imported.module, file.language);
    const module = path === undefined ? undefined : this.byPath.get(path);
    if (module === undefined) return [];
    const member = imported.name === undefined ? rest.join('.') : [imported.name, ...rest].join('.');
    return member === '' || member === 'default' ? [] : this.resolve(module, member, depth + 1, visiting);
  }

  private defined(file: MapFileInput, name: string): Definition[] {
    const map = file.map;
    const tasks = map.tasks.filter((t) => t.names.some((r) => r.kind === 'name' && r.name === name));
    if (tasks.length > 0) return tasks.map((task) => ({ kind: 'task', file, task }));
    const queues = map.queues.filter((q) => q.variable === name);
    if (queues.length > 0) return queues.map((queue) => ({ kind: 'queue', file, queue }));
    const bases = map.bases.filter((b) => b.name === name);
    if (bases.length > 0) return bases.map((base) => ({ kind: 'base', file, base }));
    return map.functions.filter((f) => f.name === name).map((fn) => ({ kind: 'function', file, fn }));
  }

  /** A Ruby constant: classes are global, whichever file defines them. */
  private constant(name: string): Definition[] {
    return this.constants.get(name.replace(/^::/, '')) ?? [];
  }

  private task(file: MapFileInput, task: TaskFact, sites: readonly { file: MapFileInput; site: EnqueueFact }[]): MapTask {
    const sources: MapSettingSource[] = [];
    const source = (name: string, fact: SettingFact<unknown> | undefined, where: MapFileInput): void => {
      if (fact !== undefined) sources.push({ setting: name, from: fact.from, file: this.display(fact.file ?? where.path), line: fact.line });
    };
    const chain = this.baseChain(file, task);
    const pick = <T>(own: SettingFact<T> | undefined, key: 'retry' | 'queue' | 'acksLate'): { fact: SettingFact<T>; file: MapFileInput } | undefined => {
      // A task's own option wins; a base class wins over the app's configuration and the framework's default.
      if (own !== undefined && !((own.from === 'framework default' || own.from === 'app configuration') && chain.some((b) => b.base[key] !== undefined))) return { fact: own, file };
      const inherited = chain.find((b) => b.base[key] !== undefined);
      return inherited === undefined ? (own === undefined ? undefined : { fact: own, file }) : { fact: inherited.base[key] as unknown as SettingFact<T>, file: inherited.file };
    };
    let retry = pick(task.retry, 'retry');
    const queueDefaults = task.names.map((r) => (r.kind === 'channel' ? this.queues.get(`${r.family}:${r.channel}`) : undefined)).find((q) => q?.queue.retry !== undefined);
    const siteRetries = sites.map((s) => s.site.retry).filter((r): r is SettingFact<MapRetry> => r !== undefined);
    if (siteRetries.length > 0 && siteRetries.length === sites.length && siteRetries.every((r) => JSON.stringify(r.value) === JSON.stringify(siteRetries[0]?.value))) {
      const first = sites[0];
      if (first !== undefined && siteRetries[0] !== undefined) retry = { fact: siteRetries[0], file: first.file };
    } else if (retry === undefined && queueDefaults?.queue.retry !== undefined) {
      retry = { fact: queueDefaults.queue.retry, file: queueDefaults.file };
    } else if (retry === undefined && (task.framework === 'bullmq' || task.framework === 'bull')) {
      retry = { fact: { value: { maxAttempts: 1, backoff: 'none', jitter: null }, from: 'framework default', line: task.line }, file };
    }
    const queue = pick(task.queue, 'queue');
    const acks = pick(task.acksLate, 'acksLate');
    if (retry !== undefined) source('retry', retry.fact, retry.file);
    if (acks !== undefined) source('acksLate', acks.fact, acks.file);
    if (task.timeLimit !== undefined) source('timeLimit', task.timeLimit, file);
    if (queue !== undefined) source('queue', queue.fact, queue.file);
    const handler = this.handlers(file, task);
    const effects: FollowedEffect[] = task.effects.map((e) => this.effect(file, e, []));
    const seen = new Set<string>();
    for (const fn of handler) {
      effects.push(...fn.fn.effects.map((e) => this.effect(fn.file, e, [])));
      effects.push(...this.through(fn.file, fn.fn.calls, [], seen));
    }
    effects.push(...this.through(file, task.calls, [], seen));
    const findings = [
      ...this.findingsIn(file, task.line, task.endLine),
      ...handler.flatMap((fn) => this.findingsIn(fn.file, fn.fn.line, fn.fn.endLine)),
      ...sites.flatMap(({ file: f, site }) => this.findingsIn(f, site.line, site.line)),
      // A finding on a side effect reached through a helper (a payment with no key) is this task's too.
      ...effects.flatMap((e) => {
        const input = this.byDisplay.get(e.file);
        return input === undefined ? [] : this.findingsIn(input, e.line, e.line);
      }),
    ];
    return {
      name: task.name,
      framework: task.framework,
      file: this.display(file.path),
      line: task.line,
      queue: queue?.fact.value ?? null,
      retry: retry?.fact.value ?? null,
      acksLate: acks?.fact.value ?? null,
      ...(task.timeLimit === undefined ? {} : { timeLimit: task.timeLimit.value }),
      sources,
      sideEffects: dedupe(preferFollowed(effects)),
      enqueuedFrom: sites.map(({ file: f, site }): MapEnqueueSite => ({
        file: this.display(f.path),
        line: site.line,
        inTransaction: site.inTransaction,
        afterCommit: site.afterCommit,
        idempotencyKey: site.idempotencyKey,
        fromHandler: site.fromHandler,
      })),
      findings: dedupe(findings),
    };
  }

  /** The functions of the project that run a task (an asynq handler, a Worker's processor named by reference). */
  private handlers(file: MapFileInput, task: TaskFact): Extract<Definition, { kind: 'function' }>[] {
    return task.handler?.kind !== 'name' ? [] : this.resolve(file, task.handler.name, 0, new Set()).filter((d): d is Extract<Definition, { kind: 'function' }> => d.kind === 'function');
  }

  /** The base classes a task inherits settings from, nearest first, across files where the language allows. */
  private baseChain(file: MapFileInput, task: TaskFact): { file: MapFileInput; base: BaseClassFact }[] {
    const chain: { file: MapFileInput; base: BaseClassFact }[] = [];
    let frontier: { file: MapFileInput; names: readonly string[] }[] = [{ file, names: task.bases ?? [] }];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const next: { file: MapFileInput; names: readonly string[] }[] = [];
      for (const { file: from, names } of frontier) {
        for (const name of names) {
          for (const def of this.resolve(from, name, 0, new Set())) {
            if (def.kind !== 'base' || chain.some((c) => c.base === def.base)) continue;
            chain.push({ file: def.file, base: def.base });
            next.push({ file: def.file, names: def.base.bases });
          }
        }
      }
      frontier = next;
    }
    return chain;
  }

  /** Side effects reached through the helper functions `calls` names, outermost helper first in `via`. */
  private through(file: MapFileInput, calls: readonly string[], via: readonly string[], seen: Set<string>): FollowedEffect[] {
    if (via.length >= MAX_DEPTH) return [];
    const effects: FollowedEffect[] = [];
    for (const name of calls) {
      for (const def of this.resolve(file, name, 0, new Set())) {
        if (def.kind !== 'function') continue;
        const key = `${def.file.path}#${def.fn.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const path = [...via, def.fn.name];
        effects.push(...def.fn.effects.map((e) => this.effect(def.file, e, path)));
        effects.push(...this.through(def.file, def.fn.calls, path, seen));
      }
    }
    return effects;
  }

  private effect(file: MapFileInput, effect: EffectFact, via: readonly string[]): FollowedEffect {
    return { kind: effect.kind, api: effect.api, file: this.display(file.path), line: effect.line, ...(via.length === 0 ? {} : { via }), ...(effect.wrapper === true ? { wrapper: true as const } : {}) };
  }

  private findingsIn(file: MapFileInput, from: number, to: number): MapFindingRef[] {
    return file.findings.filter((f) => f.line >= from && f.line <= to).map((f) => ({ rule: f.rule, file: this.display(file.path), line: f.line }));
  }
}

/** A side effect as the join collects it: `wrapper` marks the call of a project wrapper, seen from outside. */
type FollowedEffect = MapSideEffect & { readonly wrapper?: true };

/**
 * The effects with a project wrapper's call left out where following the wrapper found the same
 * effect inside it (with the helpers it goes through); a wrapper the map could not follow keeps
 * its call as the effect.
 */
function preferFollowed(effects: readonly FollowedEffect[]): MapSideEffect[] {
  const key = (e: MapSideEffect): string => `${e.kind} ${e.api}`;
  const followed = new Set(effects.filter((e) => e.wrapper !== true && e.via !== undefined).map(key));
  return effects.filter((e) => e.wrapper !== true || !followed.has(key(e))).map(({ wrapper: _wrapper, ...effect }) => effect);
}

function dedupe<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
