import type { LanguageId } from '../types.js';
import type { GoFileSummary } from './go-summary.js';
import type { JavaFileSummary } from './java-summary.js';
import type { SpringConfig } from './spring-config.js';
import type { RubyFileSummary } from './ruby-summary.js';
import type { RubyView } from './ruby-model.js';

/**
 * The project model's plain data. The core reads no files: a host (the language server, the CLI)
 * implements `ModuleResolver`, and the model asks it for the modules a file reaches, one at a
 * time, so only what is reached is ever read.
 */

/** How a host finds and reads the project's own modules, each ecosystem by its own rules. */
export interface ModuleResolver {
  /**
   * The project file that `specifier` names when written in `fromPath` (a Python dotted module,
   * relative or absolute), or undefined when the project has no such module (a library, or a
   * module that is not there: the model then treats the name as unknown or as a library's).
   */
  resolve(fromPath: string, specifier: string, language: LanguageId): string | undefined;
  /** The text of a project file, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /** The path to show for a project file in messages (relative to the project root). */
  display(path: string): string;
  /**
   * A number that changes whenever the file's text may have changed (an open document edited,
   * the disk changed). With it, the model answers again from what it found last time when
   * nothing the answer read has changed; without it, every answer reads the modules again.
   */
  version?(path: string): number;
  /**
   * Go: the source files (not `_test.go`) of the package that `importPath` names, when it is one
   * of the project's own (under `go.mod`'s module path); without `importPath`, of `fromPath`'s own
   * package directory. Undefined for a library's package or a host that cannot list files.
   */
  packageFiles?(fromPath: string, importPath?: string): readonly string[] | undefined;
  /**
   * Java: the file that declares the class `qualified` (`com.acme.http.PartnerTemplate`), found by
   * package under the source root of `fromPath`; undefined for a library's class.
   */
  javaClass?(fromPath: string, qualified: string): string | undefined;
  /** Java: the project's main source files that may declare `@Bean` methods, for the beans a file can be given. */
  javaBeanFiles?(fromPath: string): readonly string[];
  /** Java: the project's main source files that may declare a class implementing the interface of simple name `simple`. */
  javaImplementations?(fromPath: string, simple: string): readonly string[];
  /** Java: the Spring Boot application configuration that applies to a source file, read and flattened by the host. */
  springConfig?(fromPath: string): SpringConfig | undefined;
  /**
   * Ruby: the file that defines the constant `name` (a full name, `Payments::ChargeJob`) as
   * Zeitwerk finds it, under the autoload roots of the Rails application holding `fromPath`
   * (`app/*`, their `concerns`, and `lib/` when `autoloadLib`); undefined when no such file exists.
   * `resolve` answers Ruby's `require_relative` (`./x`) and `require` (`x`) of project files.
   */
  rubyConstant?(fromPath: string, name: string, autoloadLib: boolean): string | undefined;
  /** Ruby: the application's configuration files that apply to `fromPath`, in load order (`config/application.rb`, then `config/environments/production.rb`). */
  rubyConfig?(fromPath: string): readonly string[];
  /**
   * JavaScript: the `name` of the package whose entry file (`main` of its package.json, in the
   * project) `path` is; undefined for any other file. A library's own repository imports itself
   * that way (kafkajs's examples: `require('../index')`).
   */
  packageOf?(path: string): string | undefined;
  /** Ruby: the Rails version the application holding `fromPath` locks (`Gemfile.lock`), as major × 100 + minor (702 for 7.2); undefined when none is locked. */
  railsVersion?(fromPath: string): number | undefined;
}

/** A place in another file: what hovers and related locations point at. Lines and columns are 0-based. */
export interface Origin {
  readonly path: string;
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** A literal a configuration value can hold; `unknown` when the file does not spell one. */
export type Literal = string | number | boolean | null | { readonly unknown: true };

/**
 * What a top-level name of a module is bound to, read from that module alone. References name
 * other bindings by dotted path (`celery.Celery`, `make_app`, `.celeryconf.app`): the first part is
 * one of the module's own names or imports, resolved later against the other modules' summaries.
 */
export type ValueSummary =
  | { readonly kind: 'ref'; readonly ref: string }
  /** `partialOf`: for `functools.partial(f, ...)`, `f` as written; the partial is called as `f` is. */
  | { readonly kind: 'call'; readonly callee: string; readonly arg0?: string; readonly isNew?: boolean; readonly jobDefaults?: JobDefaults; readonly partialOf?: string }
  /**
   * `calls` (Python): the library calls the body makes through the module's imports or
   * instances, as written; `f().m` for a call on a local the body assigned from `f()`; a `#lock`
   * or `#notify` suffix when its arguments make it that kind (`python-summary.ts`, `importedCalls`).
   */
  | { readonly kind: 'function'; readonly returns: readonly ValueSummary[]; readonly celery?: CelerySummary; readonly calls?: readonly string[]; readonly timeoutOption?: TimeoutOption; readonly sends?: readonly CallSummary[] }
  /** `methods` (JavaScript): the class's methods that return a library object or make a library call, by name. */
  | { readonly kind: 'class'; readonly bases: readonly string[]; readonly options: Readonly<Record<string, Literal>>; readonly methods?: Readonly<Record<string, ValueSummary>> }
  | { readonly kind: 'literal'; readonly value: Literal }
  | { readonly kind: 'unknown' };

/**
 * A queue's `defaultJobOptions` as far as a rule reads them at `queue.add(...)` in another file:
 * `attempts` (a number, or `unknown` when not a literal) and the kind of `backoff`; `absent` when
 * the literal does not set it. The whole is `unknown` when the options are not a literal in view.
 */
export type JobDefaults =
  | { readonly attempts: number | 'absent' | 'unknown'; readonly backoff: 'absent' | 'fixed' | 'exponential' | 'unknown' }
  | 'unknown';

/**
 * For a project function that makes an HTTP call: the option (`timeout`) of its argument at
 * `index` that alone bounds that call, the wrapper setting none of its own.
 */
export interface TimeoutOption {
  readonly index: number;
  readonly key: string;
}

/**
 * JavaScript: a call a project function makes that may be a library's (`fetch(url, init)`,
 * `queue.add(...)`, `mailer.sendMail(...)`), for the callers of the function in other modules.
 */
export interface CallSummary {
  /**
   * What is called: with `member` empty, the function itself (`nodeFetch`); otherwise the object
   * the member is called on (an import, a parameter's declared type, a local or field built by a call).
   */
  readonly receiver: ValueSummary;
  /** The member path called on the receiver (`sendMail`, `customers.create`), or empty. */
  readonly member: string;
  /**
   * The index of the wrapper's parameter that the call takes as its options (its second
   * argument): the parameter itself, or spread into an options literal that sets no `signal` or
   * `timeout` of its own. The caller's options then decide whether the request is bounded.
   */
  readonly passes?: number;
  readonly at: Omit<Origin, 'path'>;
}

export interface NameSummary {
  readonly value: ValueSummary;
  readonly at: Omit<Origin, 'path'>;
}

/** Where a Celery app's settings come from, as far as its module shows. */
export interface CelerySummary {
  /** Settings set on the app (`conf.update`, `app.conf.x = ...`), by lowercase setting name. */
  readonly conf: Readonly<Record<string, Literal>>;
  /** `config_from_object(...)`: a module (dotted, or a reference to an imported module) and its namespace. */
  readonly sources: readonly { readonly module?: string; readonly ref?: string; readonly namespace?: string }[];
  /** Settings this module cannot show (`**options`, a dict built elsewhere, a class as the source). */
  readonly opaque: boolean;
  /** The task names of a beat schedule set on the app itself (`app.conf.beat_schedule = {...}`). */
  readonly beat?: readonly string[];
}

/**
 * A module's export summary: plain data, compared by value. An edit that leaves it equal (inside
 * a function body, a comment) changes nothing for the modules that import this one.
 */
export interface ModuleSummary {
  readonly language: LanguageId;
  /** Top-level imports: local name → dotted target as written (`..celeryconf.app`). */
  readonly imports: Readonly<Record<string, string>>;
  /** Top-level definitions; a name bound in two different ways is `unknown`. */
  readonly names: Readonly<Record<string, NameSummary>>;
  /** Celery app settings, per name of the app in this module. */
  readonly celery: Readonly<Record<string, CelerySummary>>;
  /** Module-level settings a rule reads (`task_acks_late`, `CELERY_TASK_ACKS_LATE`), by name. */
  readonly settings: Readonly<Record<string, Literal>>;
  /** `os.environ.setdefault(...)` values, for `DJANGO_SETTINGS_MODULE`. */
  readonly environ: Readonly<Record<string, string>>;
  /** The task names a module-level beat schedule runs (`CELERY_BEAT_SCHEDULE = {...}`), when it has one. */
  readonly beat?: readonly string[];
  /** Settings files a django-split-settings `include(...)` runs in this module, relative to its directory. */
  readonly includes?: readonly string[];
  /** Every import target in the file, at any depth: what the file may reach. */
  readonly reaches: readonly string[];
  /** JavaScript: each import target's module specifier and imported name (none for a namespace or `require`). */
  readonly modules?: Readonly<Record<string, { readonly module: string; readonly name?: string }>>;
  /** JavaScript: modules re-exported whole (`export * from './jobs'`). */
  readonly stars?: readonly string[];
  /** Go: the package-level names of the file (go-summary.ts). */
  readonly go?: GoFileSummary;
  /** Ruby: classes, modules, requires and application configuration of the file (ruby-summary.ts). */
  readonly ruby?: RubyFileSummary;
  /** Java: the file's package, imports, classes and `@Bean` methods (java-summary.ts). */
  readonly java?: JavaFileSummary;
}

/** What a name stands for once resolved across modules. */
export type Resolved =
  | { readonly kind: 'api'; readonly api: string }
  | { readonly kind: 'instance'; readonly type: string; readonly origin: Origin | undefined; readonly celery?: CelerySource; readonly jobDefaults?: JobDefaults }
  | { readonly kind: 'factory'; readonly returns: string; readonly origin: Origin | undefined; readonly celery?: CelerySource; readonly jobDefaults?: JobDefaults; readonly timeoutOption?: TimeoutOption }
  | { readonly kind: 'class'; readonly name: string; readonly bases: readonly Resolved[]; readonly options: Readonly<Record<string, Literal>>; readonly origin: Origin | undefined; readonly methods?: Readonly<Record<string, Resolved>> }
  | { readonly kind: 'module'; readonly path: string }
  /** `timeoutOption`: for an HTTP wrapper that passes its caller's options on, the parameter they come in. */
  | { readonly kind: 'sender'; readonly api: string; readonly origin: Origin | undefined; readonly timeoutOption?: TimeoutOption }
  | { readonly kind: 'unknown' };

/** The Celery settings of an app, and where they were found. */
export interface CelerySource {
  /** `task_acks_late`: true, false, or unknown when a source of settings could not be read. */
  readonly acksLate: boolean | 'unknown';
  /** The task names the beat schedules of the app's settings modules run, as written (`shop.tasks.cleanup`). */
  readonly beat?: readonly string[];
}

/** A name of the analysed file that stands for something another module defines. */
export interface ProjectName {
  readonly type: string;
  readonly instance: boolean;
  readonly origin: Origin | undefined;
  /** One sentence for hovers and related locations: "`app` is the Celery app defined in shop/celeryconf.py:7". */
  readonly description: string;
  readonly celery?: CelerySource;
  /** For a project function that builds and returns a library object: that object's type. */
  readonly returns?: string;
  /**
   * For an instance built in the project: the fields or options it is given a non-zero value
   * (its literal's keys, `init()` assignments), or `unknown` when they cannot all be read.
   */
  readonly configured?: readonly string[] | 'unknown';
  /** For a queue built in the project: its `defaultJobOptions`, as far as its file shows them. */
  readonly jobDefaults?: JobDefaults;
  /** For a project function that makes an HTTP call: the option that alone bounds it. */
  readonly timeoutOption?: TimeoutOption;
}

/** A `@Bean` method of the project, as the files it may be injected into see it. */
export interface JavaBean {
  /** The library type the bean is (`org.springframework.web.client.RestTemplate`), through project subclasses. */
  readonly type: string;
  readonly name: string;
  /** Every name it answers to (`@Bean` names, the method's name, `@Qualifier`). */
  readonly names: readonly string[];
  readonly primary: boolean;
  readonly configured: readonly string[] | 'unknown';
  readonly settings?: Readonly<Record<string, string>> | 'unknown';
  readonly origin: Origin;
  /** "the RestTemplate bean `partnerRestTemplate` defined in src/.../HttpConfig.java:12" */
  readonly description: string;
}

/** The type a project factory's name is bound to: calling it gives the type after the prefix. */
export const PROJECT_FACTORY = 'project:';
/**
 * The type a method of a project class is bound to when it hands out a library object (a
 * singleton's `getInstance()`): calling it gives the type after the prefix, and declares nothing.
 */
export const PROJECT_GETTER = 'project-getter:';
/**
 * The type a project function's name is bound to when its body makes a library call of a
 * kind its callers share (notify, payment, enqueue, lock, http-call; `model.ts`: `sender` for Python, `caller` for JavaScript): that
 * call's API after the prefix, with the kind its arguments gave it after a `#` (`redis.Redis.set#lock`,
 * `requests.post#notify` for a webhook delivery). Java binds it for sending interfaces. What the
 * rules judge at a call of such a function, in another module:
 *  - http-timeout and the other rules that read a call's own arguments judge the library call
 *    inside the wrapper, once, where the fix goes; the caller's call is never theirs;
 *  - notify-in-retried-task, dual-write, task-ack-early-side-effects and the task map judge the
 *    caller's context: a wrapper called from a retried task sends from that task;
 *  - a wrapper whose own body is a retried task is judged there, as its own.
 */
export const PROJECT_SENDER = 'project-sends:';

/**
 * The type a project class's name is bound to when some of its methods return a library object or
 * make a library call (JavaScript): the class's file and name after the prefix. The view names each
 * such method as `<type>.<method>`.
 */
export const PROJECT_CLASS = 'project-class:';

/** What the facts of one file learn from its project. */
export interface ProjectView {
  /** Import targets as the file spells them (`..celeryconf.app`, `shop.celeryconf.app`) → what they stand for. */
  readonly names: ReadonlyMap<string, ProjectName>;
  /** Import targets that name a project module but could not be resolved to anything known. */
  readonly unknown: ReadonlySet<string>;
  /** Go: fields that `init()` functions of the package's other files set on this file's package-level names. */
  readonly initialised?: ReadonlyMap<string, readonly string[]>;
  /**
   * Go: the fields of structs the package's other files declare whose type is a library's, as
   * `Struct.field` → the library type (`stripeAppClient.client` → `.../client.API`).
   */
  readonly structFields?: ReadonlyMap<string, string>;
  /** Go: methods of project types that wrap a library call, `importPath.Type.Method` (empty import path: the file's package) → the library API (go-model.ts). */
  readonly goWrappers?: ReadonlyMap<string, string>;
  /** Java: the Spring Boot configuration of the file's source set. */
  readonly spring?: SpringConfig;
  /** Ruby: what the constants the file names stand for, and the application's Active Job configuration. */
  readonly ruby?: RubyView;
  /**
   * Java: simple type names the file writes that are project classes, and the library class each
   * stands for by extending it (undefined: a class of the project's own, which hides a library's).
   */
  readonly javaTypes?: ReadonlyMap<string, string | undefined>;
  /** Java: the project's `@Bean` methods whose type is a library's, resolved (java-model.ts). */
  readonly beans?: readonly JavaBean[];
  /**
   * Java: project classes and interfaces the file writes whose methods wrap a library call (an
   * HTTP call, a send, a publish...), by simple name: each such method and the library API it calls (java-senders.ts).
   */
  readonly javaSenders?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The project files this view was read from, for the host's dependency graph. */
  readonly dependencies: readonly string[];
}
