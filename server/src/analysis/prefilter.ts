import { GO_APIS } from './apis/go.js';
import { JAVA_APIS } from './apis/java.js';
import { JAVASCRIPT_APIS } from './apis/javascript.js';
import { PYTHON_APIS } from './apis/python.js';
import { RUBY_APIS } from './apis/ruby.js';
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
 * with the worker defined elsewhere), Python's project Celery app (`from proj.celery import app`),
 * the platform's `fetch` and `setTimeout` in JavaScript, the sleeps of hand-written retry loops
 * (`time.sleep`, `asyncio.sleep`, Go's `time.Sleep`), and the Kubernetes and GitHub Actions
 * schedules in YAML.
 */
const JS_KEYS = ['fetch', 'setTimeout'];
const EXTRA_KEYS: Readonly<Record<LanguageId, readonly string[]>> = {
  python: ['celery', 'sleep'],
  javascript: JS_KEYS,
  typescript: JS_KEYS,
  tsx: JS_KEYS,
  ruby: ['ApplicationJob', 'ActiveRecord', 'Mailer', 'perform_', 'deliver_', 'sidekiq_', 'retry_on', 'discard_on', 'queue_as', 'after_discard'],
  java: [],
  go: ['time'],
  yaml: ['Job', 'cron'],
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

function tableKeys(language: LanguageId): string[] {
  switch (language) {
    case 'python': return [...PYTHON_APIS.keys()].map(firstSegment).concat('airflow');
    case 'javascript':
    case 'typescript':
    case 'tsx': return [...JAVASCRIPT_APIS.keys()].map(firstSegment);
    case 'ruby': return [...RUBY_APIS.keys()].map(rubyRoot);
    case 'java': return [...JAVA_APIS.keys()].map(javaPackage);
    case 'go': return [...GO_APIS.keys()].map(goImportPath);
    case 'yaml': return [];
  }
}

/** The names whose presence lets a file of `language` through, shortest first. */
export function prefilterKeys(language: LanguageId): readonly string[] {
  const keys = new Set([...tableKeys(language), ...EXTRA_KEYS[language], SUPPRESSION_MARKER]);
  // A key that contains a shorter key adds nothing (`urllib3` after `urllib`).
  const sorted = [...keys].filter((k) => k !== '').sort((a, b) => a.length - b.length || a.localeCompare(b));
  return sorted.filter((k, i) => !sorted.slice(0, i).some((shorter) => k.includes(shorter)));
}

const PATTERNS = new Map<LanguageId, RegExp>();

function patternFor(language: LanguageId): RegExp {
  let pattern = PATTERNS.get(language);
  if (pattern === undefined) {
    const escaped = prefilterKeys(language).map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    const extra = EXTRA_PATTERNS[language];
    pattern = new RegExp([...escaped, ...(extra === undefined ? [] : [extra])].join('|'));
    PATTERNS.set(language, pattern);
  }
  return pattern;
}

/** Whether `text` may hold a signal, a finding or a suppression; false means it certainly holds none. */
export function mayHaveSignals(text: string, language: LanguageId): boolean {
  return patternFor(language).test(text);
}
