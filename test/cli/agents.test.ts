import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, runCli, SAMPLE_PROJECT } from '../helpers/cli.js';

interface RouteJson {
  version: number;
  task: string | null;
  files: string[];
  chapters: { id: number }[];
  rows: { id: string }[];
  findings: { path: string; rule: string; line: number }[];
  rules: { id: string; shown: string; rule?: string; apply?: string }[];
}

describe('task-reliability route and book', () => {
  let ws: { root: string; remove: () => void };
  before(() => {
    ws = makeWorkspace(SAMPLE_PROJECT);
  });
  after(() => ws.remove());

  it('routes a task in words to Markdown within the default budget', () => {
    const run = runCli(['route', 'run the nightly export on k8s'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# Reliability route: run the nightly export on k8s\n/);
    assert.match(run.stdout, /1\. \*\*Chapter 10, Scheduled and cron jobs\*\* \(`task-reliability book 10`\)/);
    assert.match(run.stdout, /\*\*M30\*\* Run the nightly export on Kubernetes/);
    assert.match(run.stdout, /### R10\.1 /);
    assert.ok(run.stdout.length <= 6001, `${run.stdout.length}`);
  });

  it('routes files as well, as JSON, within a budget', () => {
    const run = runCli(['route', 'charge the order', 'app', 'k8s', '--format', 'json', '--budget', '2000'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as RouteJson;
    assert.equal(json.version, 1);
    assert.deepEqual(json.files, ['app/ok.py', 'app/pay.py', 'app/probe.py', 'k8s/cron.yaml']);
    assert.ok(json.findings.some((f) => f.path === 'app/pay.py' && f.rule === 'http-timeout' && f.line === 5));
    assert.ok(json.findings.some((f) => f.path === 'k8s/cron.yaml' && f.rule === 'cron-overlap'));
    assert.ok(json.chapters.some((c) => c.id === 10) && json.chapters.some((c) => c.id === 4));
    assert.ok(json.rules.some((r) => r.shown === 'id'), 'a 2000-character budget leaves rules by id');
  });

  it('routes from files alone with an empty task', () => {
    const run = runCli(['route', '', 'k8s/cron.yaml'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# Reliability route for your files/);
    assert.match(run.stdout, /`k8s\/cron\.yaml:\d+:\d+` `cron-overlap`/);
  });

  it('exits 2 on bad usage, saying why', () => {
    const empty = runCli(['route', ''], ws.root);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /route needs a task in words, files, or both/);
    const missing = runCli(['route', 'retry', 'nope.py'], ws.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: nope\.py/);
    const budget = runCli(['route', 'retry', '--budget', '10'], ws.root);
    assert.equal(budget.code, 2);
    assert.match(budget.stderr, /from 1000 to 100000/);
    const format = runCli(['route', 'retry', '--format', 'html'], ws.root);
    assert.equal(format.code, 2);
  });

  it('prints the contents, a chapter, a chapter part and a rule', () => {
    const toc = runCli(['book'], ws.root);
    assert.equal(toc.code, 0);
    assert.match(toc.stdout, /^# Distributed Task Reliability/);
    assert.equal((toc.stdout.match(/^\d+\. \*\*/gm) ?? []).length, 13);
    const chapter = runCli(['book', '12', '--part', 'rules'], ws.root);
    assert.equal(chapter.code, 0);
    assert.match(chapter.stdout, /^> Chapter 12 of/);
    assert.match(chapter.stdout, /### R12\.1 /);
    assert.doesNotMatch(chapter.stdout, /## Narrative/);
    const rule = runCli(['book', 'r4.3'], ws.root);
    assert.equal(rule.code, 0);
    assert.match(rule.stdout, /^# R4\.3 /);
  });

  it('prints the live rule for a retired rule id, naming the id that was asked for', () => {
    const rule = runCli(['book', 'R9.1'], ws.root);
    assert.equal(rule.code, 0);
    assert.match(rule.stdout, /^# R3\.2 /);
    assert.match(rule.stdout, /R9\.1 is no longer a rule of its own: the book states it as R3\.2\./);
  });

  it('prints a chapter or a rule for one framework', () => {
    const chapter = runCli(['book', '5', '--part', 'rules', '--framework', 'Sidekiq'], ws.root);
    assert.equal(chapter.code, 0, chapter.stderr);
    assert.match(chapter.stdout, /> APPLY steps for Sidekiq and for any framework only/);
    assert.match(chapter.stdout, /^- \*\*Sidekiq/m);
    assert.doesNotMatch(chapter.stdout, /^- \*\*(Celery|tenacity|BullMQ|p-retry):/m);
    const rule = runCli(['book', 'R6.1', '-f', 'net/http'], ws.root);
    assert.equal(rule.code, 0, rule.stderr);
    assert.match(rule.stdout, /^- \*\*net\/http:\*\* `http\.Get`/m);
    assert.doesNotMatch(rule.stdout, /\*\*(requests|axios|Net::HTTP):\*\*/);
    const bad = runCli(['book', '5', '--framework', 'cobol'], ws.root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"cobol" is not a framework the book names/);
  });

  it('routes files as JSON with the frameworks they use and their APPLY steps only', () => {
    const run = runCli(['route', '', 'app/pay.py', '--format', 'json', '--budget', '20000'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as RouteJson & { frameworks: string[] };
    assert.deepEqual(json.frameworks, ['requests']);
    const r61 = json.rules.find((r) => r.id === 'R6.1');
    assert.match(r61?.apply ?? '', /\*\*requests:\*\*/);
    assert.doesNotMatch(r61?.apply ?? '', /\*\*(axios|got|Go):\*\*/);
  });

  it('exits 2 for a chapter or rule that does not exist, saying what does', () => {
    const chapter = runCli(['book', '14'], ws.root);
    assert.equal(chapter.code, 2);
    assert.match(chapter.stderr, /There is no chapter 14: chapters are numbered 1 to 13/);
    const rule = runCli(['book', 'R9.42'], ws.root);
    assert.equal(rule.code, 2);
    assert.match(rule.stderr, /There is no rule R9\.42: chapter 9 has R9\.\d+ to R9\.\d+/);
  });
});
