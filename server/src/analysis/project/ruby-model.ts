import type { Literal, ModuleResolver, ModuleSummary, Origin } from './types.js';
import { isApplicationConstant } from '../facts/ruby-names.js';
import { candidates, type RubyClassSummary, type RubyFileSummary, type RubySetting } from './ruby-summary.js';
import type { WrappedKind } from './ruby-wrappers.js';

/**
 * Ruby's project view. Constants are global: a file names a class another file defines
 * (`class WebhookJob < ApplicationJob`, `ChargeJob.perform_later`) with no import, and Rails finds
 * that file by Zeitwerk's convention (`Payments::ChargeJob` in `app/jobs/payments/charge_job.rb`);
 * a plain Ruby program finds it through `require_relative`. Each constant the file names where a
 * rule asks is resolved to its class, and up its superclasses (cycles and chains longer than
 * MAX_HOPS end the walk), collecting what a job inherits: whether it is an Active Job or a Sidekiq
 * job, its Sidekiq options, its `retry_on` declarations, its queue adapter and whether its enqueues
 * wait for the commit. The application's configuration comes from the host's configuration files.
 */

const MAX_HOPS = 8;
const SIDEKIQ_MODULES = new Set(['Sidekiq::Job', 'Sidekiq::Worker']);
const ACTIVE_JOB_BASE = 'ActiveJob::Base';
/** Rails' convention for the application's Active Job base class, trusted when no project file defines it. */
const CONVENTIONAL_BASE = 'ApplicationJob';

export interface RubyValue {
  readonly value: Literal;
  readonly origin: Origin;
  /** The class that sets it; undefined for the application's configuration. */
  readonly owner?: string;
}

export interface RubyRetry {
  readonly attempts: Literal;
  readonly wait?: Literal;
  readonly jitter?: Literal;
  readonly origin: Origin;
  /** The class that declares it. */
  readonly owner: string;
}

/** A class of the project as a rule sees it: what it is, and what it inherits. */
export interface RubyClassInfo {
  readonly name: string;
  readonly kind: 'sidekiq' | 'activejob' | undefined;
  readonly origin: Origin;
  /** "an Active Job class defined in app/jobs/application_job.rb:1" */
  readonly description: string;
  /** Sidekiq options, the subclass's over its superclass's, key by key (Sidekiq merges them). */
  readonly sidekiq: Readonly<Record<string, RubyValue>>;
  readonly sidekiqOpaque: boolean;
  /** `retry_on` declarations, the superclass's first. */
  readonly retryOn: readonly RubyRetry[];
  readonly queueAs?: RubyValue;
  readonly enqueueAfterCommit?: RubyValue;
  readonly queueAdapter?: RubyValue;
  /** Class methods of the class itself that hold a database row as a lock (ruby-mutex.ts). */
  readonly mutexMethods?: readonly string[];
  /** Methods that wrap a library call (ruby-wrappers.ts), `.name` or `#name`, the class's own over its superclass's. */
  readonly wraps?: Readonly<Record<string, RubyWrapper>>;
}

export interface RubyWrapper {
  readonly kind: WrappedKind;
  /** `Customer.create` or `SendNotifyEmail#call`: the class that defines the method, and the method. */
  readonly method: string;
  /** The library API it calls, and where. */
  readonly api: string;
  readonly origin: Origin;
}

export interface RubyView {
  /** The file the view is of. */
  readonly path: string;
  /** By `refKey(nesting, name)` of each constant the file names (ruby-summary.ts). */
  readonly classes: Readonly<Record<string, RubyClassInfo>>;
  readonly config: {
    readonly queueAdapter?: RubyValue;
    readonly enqueueAfterCommit?: RubyValue;
    readonly loadDefaults?: RubyValue;
    /** The locked Rails version as major × 100 + minor (702 for 7.2); undefined when the host cannot tell. */
    readonly railsVersion?: number;
  };
  readonly dependencies: readonly string[];
}

export function rubyView(resolver: ModuleResolver, summaryOf: (path: string) => ModuleSummary | undefined, path: string, summary: ModuleSummary): RubyView {
  const own = summary.ruby as RubyFileSummary;
  const read = new Set<string>();
  const rubyOf = (file: string): RubyFileSummary | undefined => {
    if (file === path) return own;
    read.add(file);
    return summaryOf(file)?.ruby;
  };
  const where = (origin: Origin): string => ` defined in ${resolver.display(origin.path)}:${origin.line + 1}`;

  const railsVersion = resolver.railsVersion?.(path);
  const config: { queueAdapter?: RubyValue; enqueueAfterCommit?: RubyValue; loadDefaults?: RubyValue; railsVersion?: number } = railsVersion === undefined ? {} : { railsVersion };
  let autoloadLib = false;
  for (const file of resolver.rubyConfig?.(path) ?? []) {
    const found = rubyOf(file)?.config;
    if (found === undefined) continue;
    // Later files (the production environment) override earlier ones (the application).
    for (const key of ['queueAdapter', 'enqueueAfterCommit', 'loadDefaults'] as const) {
      const setting = found[key];
      if (setting !== undefined) config[key] = value(file, setting);
    }
    autoloadLib ||= found.autoloadLib;
  }

  const infos = new Map<string, RubyClassInfo | undefined>();

  /** The class a constant written in `from` inside `nesting` stands for, as Ruby looks it up. */
  const lookup = (from: string, nesting: readonly string[], name: string, hops: number, visiting: ReadonlySet<string>): RubyClassInfo | undefined => {
    // A library's constant (`ActiveRecord::Base`, `Sidekiq::Job`) is no file of the project: not looked for.
    const names = candidates(nesting, name).filter(isApplicationConstant);
    for (const full of names) {
      // The file itself first: a base class defined beside its subclass.
      const inFile = rubyOf(from)?.classes[full];
      if (inFile !== undefined) return info(from, full, inFile, hops, visiting);
      const file = resolver.rubyConstant?.(from, full, autoloadLib);
      const cls = file === undefined ? undefined : rubyOf(file)?.classes[full];
      if (file !== undefined && cls !== undefined) return info(file, full, cls, hops, visiting);
    }
    // A plain Ruby program: the files this one requires.
    for (const spec of rubyOf(from)?.requires ?? []) {
      const file = resolver.resolve(from, spec, 'ruby');
      const required = file === undefined ? undefined : rubyOf(file);
      for (const full of names) {
        const cls = required?.classes[full];
        if (file !== undefined && cls !== undefined) return info(file, full, cls, hops, visiting);
      }
    }
    return undefined;
  };

  const info = (file: string, name: string, cls: RubyClassSummary, hops: number, visiting: ReadonlySet<string>): RubyClassInfo | undefined => {
    const key = `${file}#${name}`;
    if (infos.has(key)) return infos.get(key);
    if (visiting.has(key) || hops > MAX_HOPS) return undefined;
    const next = new Set(visiting).add(key);
    const superclass = cls.superclass?.replace(/^::/, '');
    const parent = superclass === undefined || superclass === ACTIVE_JOB_BASE ? undefined : lookup(file, cls.nesting, cls.superclass as string, hops + 1, next);
    const origin: Origin = { path: file, ...cls.at };
    const kind = cls.includes.some((m) => SIDEKIQ_MODULES.has(m)) ? 'sidekiq'
      : superclass === ACTIVE_JOB_BASE || (parent === undefined && superclass === CONVENTIONAL_BASE) ? 'activejob'
        : parent?.kind;
    const sidekiq: Record<string, RubyValue> = { ...parent?.sidekiq };
    for (const [option, setting] of Object.entries(cls.sidekiq)) sidekiq[option] = value(file, setting, name);
    const pick = (setting: RubySetting | undefined, inherited: RubyValue | undefined): RubyValue | undefined => (setting === undefined ? inherited : value(file, setting, name));
    const queueAs = pick(cls.queueAs, parent?.queueAs);
    const enqueueAfterCommit = pick(cls.enqueueAfterCommit, parent?.enqueueAfterCommit);
    const queueAdapter = pick(cls.queueAdapter, parent?.queueAdapter);
    const wraps: Record<string, RubyWrapper> = { ...parent?.wraps };
    for (const [key, wrapped] of Object.entries(cls.wraps ?? {})) wraps[key] = { kind: wrapped.kind, method: `${name}${key}`, api: wrapped.api, origin: { path: file, ...wrapped.at } };
    const what = kind === 'sidekiq' ? 'a Sidekiq job class' : kind === 'activejob' ? 'an Active Job class' : 'a class';
    const result: RubyClassInfo = {
      name, kind, origin,
      description: `${what}${where(origin)}`,
      sidekiq,
      sidekiqOpaque: cls.sidekiqOpaque || (parent?.sidekiqOpaque ?? false),
      retryOn: [...(parent?.retryOn ?? []), ...cls.retryOn.map((r) => ({ attempts: r.attempts, ...(r.wait === undefined ? {} : { wait: r.wait }), ...(r.jitter === undefined ? {} : { jitter: r.jitter }), origin: { path: file, ...r.at }, owner: name }))],
      ...(queueAs === undefined ? {} : { queueAs }),
      ...(enqueueAfterCommit === undefined ? {} : { enqueueAfterCommit }),
      ...(queueAdapter === undefined ? {} : { queueAdapter }),
      ...(cls.mutexMethods === undefined ? {} : { mutexMethods: cls.mutexMethods }),
      ...(Object.keys(wraps).length === 0 ? {} : { wraps }),
    };
    infos.set(key, result);
    return result;
  };

  const classes: Record<string, RubyClassInfo> = {};
  for (const ref of own.refs) {
    const bar = ref.indexOf('|');
    const nesting = ref.slice(0, bar) === '' ? [] : ref.slice(0, bar).split(' ');
    const found = lookup(path, nesting, ref.slice(bar + 1), 0, new Set());
    if (found !== undefined) classes[ref] = found;
  }
  return { path, classes, config, dependencies: [...read].sort() };
}

function value(file: string, setting: RubySetting, owner?: string): RubyValue {
  return { value: setting.value, origin: { path: file, ...setting.at }, ...(owner === undefined ? {} : { owner }) };
}
