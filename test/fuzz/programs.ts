import fc from 'fast-check';
import type { LanguageId } from '../../server/src/analysis/types.js';

/**
 * Generators of programs around the APIs the analyzer recognises, one per language. They mix
 * imports, calls with and without the options the rules look for, decorators, nested blocks,
 * comments and strings that name the APIs (traps), suppression comments, odd layouts and every
 * kind of line break, so that most generated files reach the detectors and the fixes, and many
 * are broken in the ways a file being typed is.
 */

type Arb = fc.Arbitrary<string>;

const EOL = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const INDENT = fc.constantFrom('    ', '  ', '\t', '        ');
const NOISE = fc.constantFrom('é', '中文', '🚀', '\u200b', '\t', ' ', '\\', '"', "'", '`', '(', ')', '{', '}', '[', ']', ':', ',', '\ud800', '\ufeff');

/** Short identifiers, with a few that collide with the APIs' own names. */
const IDENT = fc.constantFrom('url', 'u', 's', 'session', 'client', 'api', 'queue', 'job', 'retry', 'get', 'fetch', 'requests', 'axios', 'x', 'data', 'résumé');

/** A list of arguments joined on one line or one per line, with an optional trailing comma and comments. */
function argumentList(items: Arb, comment: string): fc.Arbitrary<(eol: string, indent: string) => string> {
  return fc.record({
    args: fc.array(items, { maxLength: 4 }),
    multiline: fc.boolean(),
    trailing: fc.boolean(),
    commentAt: fc.option(fc.nat(3), { nil: undefined }),
  }).map(({ args, multiline, trailing, commentAt }) => (eol: string, indent: string) => {
    if (!multiline || args.length === 0) return args.join(', ');
    const lines = args.map((a, i) => `${indent}${indent}${a}${i < args.length - 1 || trailing ? ',' : ''}${i === commentAt ? ` ${comment} note` : ''}`);
    return `${eol}${lines.join(eol)}${eol}${indent}`;
  });
}

interface Pieces {
  readonly imports: Arb;
  readonly statement: (depth: number) => fc.Arbitrary<(eol: string, indent: string, level: string) => string>;
  readonly prologue?: Arb;
}

function program(pieces: Pieces): Arb {
  return fc.record({
    eol: EOL,
    indent: INDENT,
    bom: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    prologue: pieces.prologue ?? fc.constant(''),
    imports: fc.array(pieces.imports, { maxLength: 6 }),
    body: fc.array(pieces.statement(2), { minLength: 1, maxLength: 8 }),
    noise: fc.option(fc.tuple(fc.nat(), NOISE), { nil: undefined }),
    finalEol: fc.boolean(),
  }).map(({ eol, indent, bom, prologue, imports, body, noise, finalEol }) => {
    let text = (bom ? '\ufeff' : '') + [prologue, ...imports, '', ...body.map((s) => s(eol, indent, ''))].filter((l, i) => i > 0 || l !== '').join(eol);
    if (finalEol) text += eol;
    if (noise !== undefined) {
      const at = noise[0] % (text.length + 1);
      text = text.slice(0, at) + noise[1] + text.slice(at);
    }
    return text;
  });
}

// Python: requests, httpx, urllib, tenacity, backoff, Celery.

const PY_IMPORTS = fc.constantFrom(
  'import requests', 'import requests as rq', 'from requests import get, post, Session', 'import httpx', 'import urllib.request',
  'from urllib.request import urlopen', 'import socket', 'import tenacity', 'import backoff', 'import time',
  'from tenacity import retry, stop_after_attempt, stop_never, wait_exponential, wait_random, wait_combine, Retrying',
  'from tenacity import (\n    retry,\n    wait_exponential,  # comment\n)', 'from tenacity.wait import wait_exponential',
  'from celery import Celery, shared_task', 'app = Celery("proj")', 'from .tasks import send_email', 'from __future__ import annotations',
  'import requests, httpx', 'from backoff import on_exception, expo', 'TIMEOUT = 5', 'TIMEOUT = None', 'from requests import *',
);
const PY_CALLEES = fc.constantFrom(
  'requests.get', 'requests.post', 'requests.request', 'requests.Session().get', 'rq.put', 'get', 'post', 's.get', 'self.session.post',
  'httpx.get', 'httpx.Client', 'httpx.AsyncClient', 'urllib.request.urlopen', 'urlopen', 'tenacity.retry', 'retry', 'Retrying',
  'tenacity.Retrying', 'backoff.on_exception', 'backoff.on_predicate', 'on_exception', 'wait_exponential', 'tenacity.wait_exponential',
  'send_email.delay', 'task.apply_async', 'app.task', 'shared_task', 'socket.setdefaulttimeout', 'print', 'time.sleep',
);
const PY_ARGS = fc.oneof(
  fc.constantFrom(
    'url', '"https://example.com"', "'https://é.example'", 'f"{base}/x"', 'timeout=5', 'timeout=None', 'timeout=TIMEOUT', 'timeout=(3, 10)',
    '**kwargs', '*args', 'json={"a": 1}', 'data=b"x"', 'stop=stop_after_attempt(3)', 'stop=stop_never', 'stop=tenacity.stop_never',
    'wait=wait_exponential(multiplier=1)', 'wait=wait_exponential() + wait_random(0, 1)', 'wait=wait_combine(wait_exponential(), wait_random(0, 1))',
    'max_tries=None', 'max_tries=3', 'max_time=30', 'jitter=None', 'max_retries=None', 'max_retries=3', 'retry_backoff=True',
    'retry_jitter=False', 'autoretry_for=(Exception,)', 'retry_kwargs={"max_retries": None}', 'backoff.expo', 'expo', 'IOError',
    'lambda: requests.get(url)', 'bind=True', 'acks_late=True', '3', 'None', '[1, 2,]', '(x for x in y)',
  ),
  IDENT,
);
const PY_CALL = fc.tuple(PY_CALLEES, argumentList(PY_ARGS, '#')).map(([callee, args]) => (eol: string, indent: string) => `${callee}(${args(eol, indent)})`);

function pyStatement(depth: number): fc.Arbitrary<(eol: string, indent: string, level: string) => string> {
  const simple = fc.oneof(
    { weight: 6, arbitrary: PY_CALL.map((call) => (eol: string, indent: string, level: string) => `${level}${call(eol, indent)}`) },
    { weight: 3, arbitrary: fc.tuple(IDENT, PY_CALL).map(([name, call]) => (eol: string, indent: string, level: string) => `${level}${name} = ${call(eol, indent)}`) },
    { weight: 1, arbitrary: fc.constantFrom('s = requests.Session()', 'self.session = requests.Session()', 'session = httpx.Client(timeout=None)', 'socket.setdefaulttimeout(5)', 'return requests.get(url)', 'pass', 'await client.get(url)').map((t) => (_: string, __: string, level: string) => `${level}${t}`) },
    { weight: 2, arbitrary: fc.constantFrom('# requests.get(url)', '"""requests.post(url) in a docstring"""', 'x = "requests.get(url)"', '# reliability-ignore-next-line http-timeout -- tested', '# reliability-ignore-file retry-unbounded', '# reliability-ignore-next-line http-timeout, retry-no-jitter', '# -*- coding: utf-8 -*-', '#!/usr/bin/env python').map((t) => (_: string, __: string, level: string) => `${level}${t}`) },
  );
  if (depth <= 0) return simple;
  const block = fc.array(pyStatement(depth - 1), { minLength: 1, maxLength: 4 });
  return fc.oneof(
    { weight: 5, arbitrary: simple },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.array(fc.oneof(PY_CALL.map((c) => ({ call: c })), fc.constantFrom('retry', 'tenacity.retry', 'app.task', 'shared_task', 'staticmethod').map((n) => ({ bare: n }))), { maxLength: 3 }), IDENT, fc.boolean(), block)
        .map(([decorators, name, isAsync, body]) => (eol: string, indent: string, level: string) => [
          ...decorators.map((d) => `${level}@${'call' in d ? d.call(eol, indent) : d.bare}`),
          `${level}${isAsync ? 'async ' : ''}def ${name}(url, *args, **kwargs):`,
          ...body.map((s) => s(eol, indent, level + indent)),
        ].join(eol)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('with requests.Session() as s:', 'with httpx.Client() as client:', 'while True:', 'for attempt in Retrying(stop=stop_never):', 'try:', 'if x:', 'class Worker:', 'class Worker(Task):'), block)
        .map(([head, body]) => (eol: string, indent: string, level: string) => [
          `${level}${head}`, ...body.map((s) => s(eol, indent, level + indent)),
          ...(head === 'try:' ? [`${level}except Exception:`, `${level}${indent}time.sleep(1)`] : []),
        ].join(eol)),
    },
  );
}

// JavaScript and TypeScript: axios, fetch, got, p-retry, async-retry, BullMQ.

const JS_IMPORTS = fc.constantFrom(
  "import axios from 'axios';", "const axios = require('axios');", "import * as ax from 'axios';", "import got from 'got';",
  "import pRetry from 'p-retry';", "const retry = require('async-retry');", "import { Queue, Worker } from 'bullmq';",
  "import fetch from 'node-fetch';", "const { fetch } = require('undici');", "import { default as http } from 'axios';",
  "const got = require('got').default;", "const TIMEOUT_MS = 5000;", "'use strict';", "axios.defaults.timeout = 1000;",
  "const api = axios.create({ baseURL: url });", "api.defaults.timeout = 5000;", 'import pRetry, { AbortError } from "p-retry"',
);
const JS_CALLEES = fc.constantFrom(
  'axios.get', 'axios.post', 'axios.request', 'axios', 'axios.create', 'ax.put', 'http.get', 'api.get', 'fetch', 'globalThis.fetch', 'got',
  'got.post', 'got.extend', 'pRetry', 'retry', 'new Queue', 'queue.add', 'queue.addBulk', 'new Worker', 'this.client.get', 'await axios.get',
  'console.log', 'setTimeout',
);
const JS_ARGS = fc.oneof(
  fc.constantFrom(
    'url', "'https://example.com'", '`${base}/x`', '"https://é.example"', '{ timeout: 5000 }', '{ timeout: 0 }', '{ timeout: TIMEOUT_MS }',
    '{}', '{ signal: AbortSignal.timeout(1000) }', '{ retries: Infinity }', '{ retries: Number.POSITIVE_INFINITY }', '{ forever: true }',
    '{ forever: true, retries: 3 }', '{ randomize: false }', '{ retries: 5, randomize: true }', '{ retries: 0 }', '...opts', '{ ...opts }',
    '() => fetch(url)', 'async () => { await axios.get(u); }', "{ method: 'POST', }", 'undefined', '{ attempts: 3 }', "{ jobId: 'x' }",
    "{ timeout: { request: 1000 } }", "{ 'timeout': 5 }", '{ [key]: 1 }', '{ get() { return 1; } }', '{ timeout }', 'null', '42',
    '{ timeout: 5_000 } as const', 'opts!', '(x)', '[1, 2,]', '/* comment */ url',
  ),
  IDENT,
);

function jsLike(typescript: boolean, jsx: boolean): Pieces {
  const generic = typescript ? fc.constantFrom('', '', '<Data>', '<unknown>') : fc.constant('');
  const call = fc.tuple(JS_CALLEES, generic, argumentList(JS_ARGS, '//')).map(([callee, g, args]) => (eol: string, indent: string) => `${callee}${callee.startsWith('new ') || callee === 'fetch' ? '' : g}(${args(eol, indent)})`);
  const typeDecls = typescript ? ['interface Data { id: string }', 'type Opts = { timeout?: number };', 'declare const url: string;', 'enum E { A = 1 }'] : [];
  const jsxLines = jsx ? ['<button onClick={() => fetch(url)}>Go</button>;', '<div>{/* reliability-ignore-next-line http-timeout */}</div>;', 'const el = <A b={axios.get(u)} />;', '<>text fetch(u)</>;'] : [];
  const statement = (depth: number): fc.Arbitrary<(eol: string, indent: string, level: string) => string> => {
    const simple = fc.oneof(
      { weight: 6, arbitrary: call.map((c) => (eol: string, indent: string, level: string) => `${level}${c(eol, indent)};`) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('const', 'let', 'var'), IDENT, fc.boolean(), call).map(([kw, name, wait, c]) => (eol: string, indent: string, level: string) => `${level}${kw} ${name} = ${wait ? 'await ' : ''}${c(eol, indent)};`) },
      { weight: 2, arbitrary: fc.constantFrom("// axios.get(url)", "const s = 'fetch(url)';", '/* got(url) */', '// reliability-ignore-next-line http-timeout -- tested', '// reliability-ignore-file retry-no-jitter', '/** @type {number} */', 'return;', ...typeDecls, ...jsxLines).map((t) => (_: string, __: string, level: string) => `${level}${t}`) },
    );
    if (depth <= 0) return simple;
    const block = fc.array(statement(depth - 1), { minLength: 1, maxLength: 4 });
    return fc.oneof(
      { weight: 5, arbitrary: simple },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom(
          'async function run(url) {', `export async function load(url${typescript ? ': string' : ''}) {`, 'const f = async () => {', 'while (true) {',
          'for (let i = 0; i < n; i++) {', 'try {', 'class Client {\n  async run() {', 'if (x) {', 'function* gen() {',
          jsx ? 'export function A({ url }) {\n  return (<div>' : 'switch (x) { case 1: {',
        ), block).map(([head, body]) => (eol: string, indent: string, level: string) => {
          const closers = head.includes('class') ? `}${eol}${level}}` : head.includes('return (<div>') ? `</div>);${eol}${level}}` : head.includes('switch') ? '} }' : head.startsWith('const f') ? '};' : head === 'try {' ? '} catch (e) { await sleep(1000); }' : '}';
          return [`${level}${head}`, ...body.map((s) => s(eol, indent, level + indent)), `${level}${closers}`].join(eol);
        }),
      },
    );
  };
  return { imports: JS_IMPORTS, statement, prologue: fc.constantFrom('', '', '#!/usr/bin/env node', '"use strict";') };
}

// YAML: Kubernetes CronJobs (documents, lists, flow maps, anchors) and GitHub Actions schedules.

const SCHEDULE = fc.constantFrom('"*/5 * * * *"', "'0 2 * * *'", '"* * * * *"', '@hourly', '"*/0 * * * *"', '""', '~', '*sched', '"0 */2 * * *" # every two hours');
const POLICY = fc.constantFrom('Allow', 'Forbid', 'Replace', '', '~', 'null', '*policy', '"Allow"', '{{ .Values.policy }}', '[Allow]');
const DEADLINE = fc.constantFrom('300', '', 'null', '~', '"30"', '-1', '*deadline', '1e3');

const CRONJOB: Arb = fc.record({
  apiVersion: fc.constantFrom('apiVersion: batch/v1', 'apiVersion: batch/v1beta1', ''),
  kind: fc.constantFrom('kind: CronJob', 'kind: CronJob', 'kind: Job', 'kind: "CronJob"', 'kind: cronjob', 'kind: CronJob # comment', 'kind:'),
  indent: fc.constantFrom('  ', '    ', ' '),
  schedule: fc.option(SCHEDULE, { nil: undefined }),
  policy: fc.option(POLICY, { nil: undefined }),
  deadline: fc.option(DEADLINE, { nil: undefined }),
  order: fc.shuffledSubarray(['schedule', 'policy', 'deadline', 'template', 'suspend', 'comment', 'block'], { minLength: 0 }),
  flow: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
  anchor: fc.boolean(),
}).map(({ apiVersion, kind, indent, schedule, policy, deadline, order, flow, anchor }) => {
  const entries: string[] = [];
  for (const key of order) {
    if (key === 'schedule' && schedule !== undefined) entries.push(`schedule: ${schedule}`);
    if (key === 'policy' && policy !== undefined) entries.push(`concurrencyPolicy: ${policy}`);
    if (key === 'deadline' && deadline !== undefined) entries.push(`startingDeadlineSeconds: ${deadline}`);
    if (key === 'template') entries.push(flow ? 'jobTemplate: {}' : `jobTemplate:\n${indent}${indent}spec:\n${indent}${indent}${indent}template: {}`);
    if (key === 'suspend') entries.push('suspend: false');
    if (key === 'comment') entries.push('# concurrencyPolicy: Forbid');
    if (key === 'block') entries.push(`description: |\n${indent}${indent}schedule: "* * * * *"\n${indent}${indent}kind: CronJob`);
  }
  const spec = flow
    ? `spec: {${entries.filter((e) => !e.startsWith('#') && !e.includes('\n')).join(', ')}}`
    : `spec:${anchor ? ' &spec' : ''}\n${entries.map((e) => `${indent}${e}`).join('\n')}`;
  return [apiVersion, kind, 'metadata:', `${indent}name: job`, spec].filter((l) => l !== '').join('\n');
});

const YAML_DOC: Arb = fc.oneof(
  { weight: 6, arbitrary: CRONJOB },
  { weight: 1, arbitrary: fc.array(CRONJOB, { minLength: 1, maxLength: 3 }).map((items) => `apiVersion: v1\nkind: List\nitems:\n${items.map((i) => `- ${i.split('\n').join('\n  ')}`).join('\n')}`) },
  { weight: 1, arbitrary: fc.constantFrom('on:\n  schedule:\n    - cron: "*/5 * * * *"\njobs:\n  build:\n    runs-on: ubuntu-latest', 'policy: &policy Allow\nsched: &sched "* * * * *"\ndeadline: &deadline 30', 'base: &base\n  concurrencyPolicy: Forbid\nspec:\n  <<: *base', '- a\n- b', 'just a scalar', '{kind: CronJob, spec: {schedule: "* * * * *"}}', '%YAML 1.2\n---', '!!map {kind: CronJob}', 'kind: !custom CronJob', '? kind\n: CronJob') },
);

const YAML_PROGRAM: Arb = fc.record({
  docs: fc.array(YAML_DOC, { minLength: 1, maxLength: 4 }),
  eol: EOL,
  start: fc.boolean(),
  end: fc.constantFrom('', '\n', '\n...\n', '\n---\n'),
  noise: fc.option(fc.tuple(fc.nat(), fc.constantFrom('\t', ': ', '- ', '&a ', '*a', '"', "'", '{', '[', '|', '>', '#', '\ud800', '\u0000', '\ufeff')), { nil: undefined }),
}).map(({ docs, eol, start, end, noise }) => {
  let text = `${start ? '---\n' : ''}${docs.join('\n---\n')}${end}`;
  if (noise !== undefined) {
    const at = noise[0] % (text.length + 1);
    text = text.slice(0, at) + noise[1] + text.slice(at);
  }
  return eol === '\n' ? text : text.replace(/\n/g, eol);
});

// Ruby, Java and Go: generated once those languages are listed in SUPPORTED_LANGUAGES.

function linesOf(head: Arb, calls: Arb, comment: string): Pieces {
  const stmt = (depth: number): fc.Arbitrary<(eol: string, indent: string, level: string) => string> => {
    const simple = fc.oneof(
      { weight: 5, arbitrary: calls.map((c) => (_: string, __: string, level: string) => `${level}${c}`) },
      { weight: 1, arbitrary: fc.constantFrom(`${comment} Net::HTTP.get(uri) http.Get(url) new RestTemplate()`, `${comment} reliability-ignore-next-line http-timeout -- tested`, `${comment} reliability-ignore-file cron-overlap`).map((t) => (_: string, __: string, level: string) => `${level}${t}`) },
    );
    if (depth <= 0) return simple;
    return fc.oneof({ weight: 3, arbitrary: simple }, { weight: 1, arbitrary: fc.array(stmt(depth - 1), { minLength: 1, maxLength: 3 }).map((body) => (eol: string, indent: string, level: string) => body.map((s) => s(eol, indent, level + indent)).join(eol)) });
  };
  return { imports: head, statement: stmt };
}

const RUBY = linesOf(
  fc.constantFrom("require 'net/http'", "require 'faraday'", "require 'httparty'", 'require "sidekiq"', 'class HardJob', '  include Sidekiq::Job', '  sidekiq_options retry: 5', 'end', 'class Mailer < ApplicationJob', '  retry_on Net::OpenTimeout, wait: :exponentially_longer'),
  fc.constantFrom('Net::HTTP.get(URI(url))', 'http = Net::HTTP.new(host, 443)', 'http.read_timeout = 5', 'Net::HTTP.start(host, port) { |h| h.get("/") }', 'Faraday.new(url: url)', 'conn = Faraday.new(url) do |f| f.options.timeout = 5 end', 'HTTParty.get(url)', 'HTTParty.get(url, timeout: 5)', 'HardJob.perform_async(id)', 'Mailer.perform_later(user)', 'def perform(id)', 'end', 'loop do', 'retry', 'sleep 1', 'x = {a: 1, "b" => [1, 2]}', 'puts "#{Net::HTTP.get(uri)}"', '=begin\nFaraday.get(u)\n=end'),
  '#',
);
const JAVA = linesOf(
  fc.constantFrom('import org.springframework.web.client.RestTemplate;', 'import java.net.http.HttpClient;', 'import org.springframework.scheduling.annotation.Scheduled;', 'import org.springframework.kafka.annotation.KafkaListener;', 'import org.springframework.retry.annotation.Retryable;', 'package com.example;', 'public class Jobs {', '}'),
  fc.constantFrom('RestTemplate rest = new RestTemplate();', 'HttpClient client = HttpClient.newHttpClient();', 'HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();', '@Scheduled(cron = "0 * * * * *")', '@Scheduled(fixedRate = 1000)', '@KafkaListener(topics = "orders")', '@Retryable(maxAttempts = 3)', '@Retryable', '@Retryable(backoff = @Backoff(delay = 100, multiplier = 2))', 'public void run() {', '}', 'rest.getForObject(url, String.class);', 'WebClient.create(url).get().retrieve();', 'while (true) { Thread.sleep(1000); }', 'String s = "new RestTemplate()";', '/* @Scheduled */', 'char c = \'\\u0000\';', 'var x = """\n  text block\n""";'),
  '//',
);
const GO = linesOf(
  fc.constantFrom('package main', 'import "net/http"', 'import (\n\t"net/http"\n\t"time"\n\t"github.com/robfig/cron/v3"\n\t"github.com/hibiken/asynq"\n)', 'func main() {', '}'),
  fc.constantFrom('resp, err := http.Get(url)', 'http.Post(url, "application/json", body)', 'client := &http.Client{}', 'client := &http.Client{Timeout: 5 * time.Second}', 'c := http.Client{}', 'http.DefaultClient.Do(req)', 'c := cron.New()', 'c.AddFunc("@every 1m", run)', 'task := asynq.NewTask("email", payload)', 'client.Enqueue(task, asynq.MaxRetry(-1))', 'for { time.Sleep(time.Second) }', 's := `http.Get(url)`', '/* http.Get */', 'go func() { http.Get(u) }()', 'defer resp.Body.Close()'),
  '//',
);

export const PROGRAM_GENERATORS: Readonly<Record<LanguageId, Arb>> = {
  python: program({ imports: PY_IMPORTS, statement: pyStatement, prologue: fc.constantFrom('', '', '#!/usr/bin/env python3', '# -*- coding: utf-8 -*-', '"""Module docstring with requests.get(url)."""') }),
  javascript: program(jsLike(false, true)),
  typescript: program(jsLike(true, false)),
  tsx: program(jsLike(true, true)),
  yaml: YAML_PROGRAM,
  ruby: program(RUBY),
  java: program(JAVA),
  go: program(GO),
};
