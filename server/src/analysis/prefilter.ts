import { GO_APIS } from './apis/go.js';
import { JAVA_APIS } from './apis/java.js';
import { JAVASCRIPT_APIS } from './apis/javascript.js';
import { PYTHON_APIS } from './apis/python.js';
import { RUBY_APIS } from './apis/ruby.js';
import { MOVED } from './facts/go.js';
import type { LanguageId } from './types.js';

/**
 * Decides from the text alone whether a file can yield a signal, so that a file with nothing to
 * say is neither parsed nor analysed. Every signal starts from a library the file names: an
 * import, a require, a package path or a constant. The facts resolve a call to a canonical API
 * only through such a name, so a text that contains none of them has no signal and no finding.
 *
 * The test is a plain substring search, deliberately coarser than the facts: a name in a comment
 * or a string also passes (the analysis then decides), and a longer word that contains a name
 * passes too. It must never be finer: a unit test runs it over every fixture, book example and
 * fuzz program and fails if a text with a signal, a finding or a suppression would be skipped.
 */

/** Every file that holds a suppression comment is analysed, so its comments keep their hovers. */
const SUPPRESSION_MARKER = 'reliability-ignore-';

/** The library part of a canonical name: Python `requests.Session.get` → `requests`. */
function firstSegment(api: string): string {
  return api.split('.')[0] ?? api;
}

/** Go names an API by its import path: `github.com/hibiken/asynq.Client.Enqueue` → the path. */
function goImportPath(api: string): string {
  const slash = api.lastIndexOf('/');
  const dot = api.indexOf('.', slash + 1);
  return dot < 0 ? api : api.slice(0, dot);
}

/** Java names an API by its package: `java.net.http.HttpClient.send` → `java.net.http`. */
function javaPackage(api: string): string {
  const segments = api.split('.');
  const firstType = segments.findIndex((s) => /^[A-Z]/.test(s));
  return segments.slice(0, firstType < 0 ? segments.length : firstType).join('.');
}

/** Ruby names an API by its constant: `Sidekiq::Job.perform_async` → `Sidekiq`. */
function rubyRoot(api: string): string {
  return api.split(/::|[.#]/)[0] ?? api;
}

/**
 * Names the facts and rules recognise beyond the API tables' roots: Ruby's job and mailer
 * conventions (`class X < ApplicationJob`, `UserMailer.welcome.deliver_later`, `Worker.perform_async`
 * with the worker defined elsewhere), Python's project Celery app (`from proj.celery import app`)
 * and tasks imported from the project's own modules (`send_receipt.delay(...)`),
 * the platform's `fetch` and `setTimeout` in JavaScript, the sleeps of hand-written retry loops
 * (`time.sleep`, `asyncio.sleep`, Go's `time.Sleep`, a Ruby `rescue` that sleeps before `retry`), Active Record's row locks on
 * records of any model (`with_lock`, `lock!`, `Model.lock`), GoodJob's cron entries in Rails configuration
 * (`config.good_job`), whenever's `every` blocks, and the Kubernetes and GitHub Actions schedules in YAML.
 */
const JS_KEYS = ['fetch', 'setTimeout', 'setInterval'];
const EXTRA_KEYS: Readonly<Record<LanguageId, readonly string[]>> = {
  python: ['celery', 'sleep', 'delay', 'apply_async'],
  javascript: JS_KEYS,
  typescript: JS_KEYS,
  tsx: JS_KEYS,
  ruby: ['ApplicationJob', 'ActiveRecord', 'Mailer', 'perform_', 'deliver_', 'sidekiq_', 'retry_on', 'discard_on', 'queue_as', 'after_discard', 'sleep', 'with_lock', 'lock!', '.lock', 'with_advisory_lock', 'good_job', 'every'],
  java: [],
  // robfig/cron's forks are known by their module's last name (`canonicalGoPath`).
  go: ['time', 'cron'],
  // sidekiq-scheduler files may time every job with `every` alone; an Argo CronWorkflow may say neither Job nor cron.
  yaml: ['Job', 'cron', 'every', 'max_retries', 'CronWorkflow'],
};

/** `sleep` → `[sS][lL][eE][eE][pP]`: a word in any case, without making the whole pattern case-insensitive. */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
}

/**
 * A JavaScript retry loop may wait with the project's own helper, `await sleep(ms)`, whose name
 * the loop finder matches in any case (javascript-loops.ts): any identifier spelled so passes.
 */
const JS_SLEEP_HELPERS = `(?<![\\w$])(?:${['sleep', 'delay', 'wait', 'pause', 'snooze'].map(anyCase).join('|')})(?![\\w$])`;
const EXTRA_PATTERNS: Partial<Record<LanguageId, string>> = {
  javascript: JS_SLEEP_HELPERS,
  typescript: JS_SLEEP_HELPERS,
  tsx: JS_SLEEP_HELPERS,
};

/**
 * Python roots that nearly every file of a project imports: such a root lets a file through only
 * beside the name of the module or class whose APIs the table lists. Django's signals are all in
 * `django.core.mail` (`from django.core import mail` and `from django.core.mail import send_mail`
 * both spell `mail`); the standard library's `http` only through `http.client`'s connection classes.
 */
const PYTHON_NARROWED: Readonly<Record<string, readonly (readonly string[])[]>> = {
  django: [['django', 'mail']],
  http: [['HTTPConnection'], ['HTTPSConnection']],
};

/** A key is a name, or names that must all appear. */
type Key = string | readonly string[];

function pythonKeys(): Key[] {
  const roots = new Set([...PYTHON_APIS.keys()].map(firstSegment).concat('airflow'));
  return [...roots].flatMap((root): Key[] => [...(PYTHON_NARROWED[root] ?? [root])]);
}

function tableKeys(language: LanguageId): Key[] {
  switch (language) {
    case 'python': return pythonKeys();
    case 'javascript':
    case 'typescript':
    case 'tsx': return [...JAVASCRIPT_APIS.keys()].map(firstSegment);
    case 'ruby': return [...RUBY_APIS.keys()].map(rubyRoot);
    case 'java': return [...JAVA_APIS.keys()].map(javaPackage);
    case 'go': return [...GO_APIS.keys()].map(goImportPath).concat(Object.keys(MOVED));
    case 'yaml': return [];
  }
}

/**
 * The single names whose presence lets a file of `language` through, shortest first, and the
 * groups of names that let it through together.
 */
export function prefilterKeys(language: LanguageId): { readonly names: readonly string[]; readonly groups: readonly (readonly string[])[] } {
  const keys = [...tableKeys(language), ...EXTRA_KEYS[language], SUPPRESSION_MARKER];
  const single = new Set(keys.filter((k): k is string => typeof k === 'string' && k !== ''));
  // A key that contains a shorter key adds nothing (`urllib3` after `urllib`). Comparing with the
  // kept keys alone is enough (a dropped key contains a kept one, and so does every key that
  // contains it), and keeps this linear in the kept keys: it runs at every start, before the
  // first analysis.
  const sorted = [...single].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const names: string[] = [];
  for (const key of sorted) if (!names.some((shorter) => key.includes(shorter))) names.push(key);
  const groups = keys.filter((k): k is readonly string[] => typeof k !== 'string');
  return { names, groups };
}

interface Filter {
  readonly pattern: RegExp;
  readonly groups: readonly (readonly string[])[];
}

const FILTERS = new Map<LanguageId, Filter>();

function filterFor(language: LanguageId): Filter {
  let filter = FILTERS.get(language);
  if (filter === undefined) {
    const { names, groups } = prefilterKeys(language);
    const escaped = names.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    const extra = EXTRA_PATTERNS[language];
    filter = { pattern: new RegExp([...escaped, ...(extra === undefined ? [] : [extra])].join('|')), groups };
    FILTERS.set(language, filter);
  }
  return filter;
}

/** Whether `text` may hold a signal, a finding or a suppression; false means it certainly holds none. */
export function mayHaveSignals(text: string, language: LanguageId): boolean {
  const { pattern, groups } = filterFor(language);
  if (pattern.test(text) || groups.some((group) => group.every((name) => text.includes(name)))) return true;
  // Java reads a dotted name with the whitespace inside it removed (`org.springfram ework` while an
  // import is being typed, or `org . springframework`): so does the prefilter, for Java files that
  // fail the plain test, so that it never skips a file the analysis would find a signal in.
  return language === 'java' && /[.\w]\s+[.\w]/.test(text) && pattern.test(text.replace(/\s+/g, ''));
}
