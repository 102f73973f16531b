import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, runCli, SAMPLE_PROJECT } from '../helpers/cli.js';

interface JsonReport {
  version: number;
  files: { path: string; language: string; kind?: string; findings: Record<string, unknown>[]; signals?: Record<string, unknown>[] }[];
}

const FINDING_KEYS = ['chapter', 'column', 'endColumn', 'endLine', 'line', 'message', 'rule', 'ruleRef', 'severity'];
const SIGNAL_KEYS = ['api', 'chapters', 'column', 'endColumn', 'endLine', 'kind', 'line'];
const SIGNAL_KINDS = ['http-call', 'retry', 'task-def', 'enqueue', 'consumer', 'queue-config', 'schedule', 'notify', 'payment', 'circuit-breaker', 'lock'];
// Colour codes are ESC [ n m.
const ANSI = new RegExp(String.fromCharCode(27) + '\\[\\d+m');

describe('task-reliability check', () => {
  let ws: { root: string; remove: () => void };
  before(() => {
    ws = makeWorkspace(SAMPLE_PROJECT);
  });
  after(() => ws.remove());

  it('prints the JSON of the CLI contract, walking folders with .gitignore and the default excludes', () => {
    const run = runCli(['check', '--format', 'json'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.version, 1);
    assert.deepEqual(report.files.map((f) => f.path), ['app/ok.py', 'app/pay.py', 'app/probe.py', 'k8s/cron.yaml', 'tests/test_pay.py']);
    const pay = report.files.find((f) => f.path === 'app/pay.py');
    assert.equal(pay?.language, 'python');
    assert.equal(pay?.signals, undefined, 'signals only with --signals');
    assert.deepEqual(pay?.findings, [{
      rule: 'http-timeout', ruleRef: 'R6.1', chapter: 6, severity: 'warning', message: pay?.findings[0]?.['message'],
      line: 5, column: 12, endLine: 5, endColumn: 25,
    }]);
    for (const finding of report.files.flatMap((f) => f.findings)) assert.deepEqual(Object.keys(finding).sort(), FINDING_KEYS);
    assert.deepEqual(report.files.find((f) => f.path === 'app/probe.py')?.findings, [], 'a suppressed finding is not reported');
  });

  it('adds signals with --signals', () => {
    const report = JSON.parse(runCli(['check', 'app', '--format', 'json', '--signals'], ws.root).stdout) as JsonReport;
    const signals = report.files.flatMap((f) => f.signals ?? []);
    assert.ok(signals.some((s) => s['kind'] === 'http-call' && s['api'] === 'requests.post'));
    for (const signal of signals) {
      assert.deepEqual(Object.keys(signal).sort(), SIGNAL_KEYS);
      assert.ok(SIGNAL_KINDS.includes(String(signal['kind'])));
    }
  });

  it('exits 0 with warnings only, 1 with an error, 1 above --max-warnings', () => {
    assert.equal(runCli(['check'], ws.root).code, 0);
    const strict = runCli(['check', '--max-warnings', '1'], ws.root);
    assert.equal(strict.code, 1);
    // tests/test_pay.py is test code: its finding is a hint, and hints never count.
    assert.match(strict.stderr, /2 warnings, more than --max-warnings 1/);
    assert.equal(runCli(['check', '--max-warnings', '2'], ws.root).code, 0);
    assert.match(runCli(['check', '--max-warnings', '2', '--test-code', 'report'], ws.root).stderr, /3 warnings, more than --max-warnings 2/);
    fs.writeFileSync(path.join(ws.root, 'strict.json'), JSON.stringify({ rules: { 'http-timeout': 'error' } }));
    assert.equal(runCli(['check', '--config', 'strict.json'], ws.root).code, 1);
  });

  it('exits 2 on bad usage: an unknown option, a missing path, a bad --max-warnings', () => {
    assert.equal(runCli(['check', '--colour-me'], ws.root).code, 2);
    const missing = runCli(['check', 'no/such/dir'], ws.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: no\/such\/dir/);
    assert.equal(runCli(['check', '--max-warnings', 'many'], ws.root).code, 2);
    assert.equal(runCli(['check', '--format', 'xml'], ws.root).code, 2);
  });

  it('abandons a file whose analysis runs past --max-file-ms, names it, reports the others and exits 2', () => {
    // The test-only marker makes the analysis worker spin on a file that contains it.
    const env = { TASK_RELIABILITY_TEST_HANG_MARKER: 'pay.example.com' };
    const run = runCli(['check', '--max-file-ms', '500', '--format', 'json', 'app'], ws.root, env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /could not analyse app\/pay\.py: its analysis took longer than 500 ms \(--max-file-ms\)/);
    assert.match(run.stderr, /1 file could not be analysed: the check is incomplete/);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => f['path']).sort(), ['app/ok.py', 'app/probe.py']);
    assert.equal(runCli(['check', '--max-file-ms', '0'], ws.root).code, 2);
  });

  it('reports errors only with --quiet', () => {
    fs.writeFileSync(path.join(ws.root, 'strict.json'), JSON.stringify({ rules: { 'http-timeout': 'error' } }));
    const report = JSON.parse(runCli(['check', '--config', 'strict.json', '--quiet', '--format', 'json'], ws.root).stdout) as JsonReport;
    const severities = new Set(report.files.flatMap((f) => f.findings.map((x) => x['severity'])));
    assert.deepEqual([...severities], ['error']);
  });

  it('writes the report to --output and nothing to stdout', () => {
    const out = path.join(ws.root, 'out', 'report.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const run = runCli(['check', '--format', 'json', '--output', 'out/report.json'], ws.root);
    assert.equal(run.stdout, '');
    assert.equal((JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport).version, 1);
  });

  it('prints ESLint-style text, coloured only on a terminal (or with FORCE_COLOR)', () => {
    const plain = runCli(['check', 'app', 'k8s'], ws.root);
    assert.doesNotMatch(plain.stdout, ANSI);
    assert.match(plain.stdout, /^app\/pay\.py\n {2}5:12 {2}warning {2}`requests\.post` has no timeout.* {2}http-timeout \(R6\.1\)$/m);
    assert.match(plain.stdout, /^k8s\/cron\.yaml\n {2}2:7 {2}warning {2}CronJob.* {2}cron-overlap \(R10\.1\)\n {2}2:7 {2}info {5}CronJob/m);
    assert.match(plain.stdout, /^✖ 3 problems \(0 errors, 2 warnings, 1 info\)$/m);
    assert.match(runCli(['check', 'app'], ws.root, { FORCE_COLOR: '1' }).stdout, ANSI);
    assert.doesNotMatch(runCli(['check', 'app', '--no-color'], ws.root, { FORCE_COLOR: '1' }).stdout, ANSI);
    assert.match(runCli(['check', 'app/ok.py'], ws.root).stdout, /^No problems found in 1 file\.$/m);
  });
});

describe('task-reliability check on test, example, generated and minified files', () => {
  const CALL = 'import requests\n\n\ndef f():\n    return requests.get("https://example.com")\n';
  let ws: { root: string; remove: () => void };
  before(() => {
    ws = makeWorkspace({
      'strict.json': JSON.stringify({ rules: { 'http-timeout': 'error' } }),
      'tests/test_pay.py': CALL,
      'examples/demo.py': CALL,
      'qa/smoke.py': CALL,
      'api/api_pb2.py': `# Generated by the protocol buffer compiler.  DO NOT EDIT!\n${CALL}`,
      'static/vendor.min.js': 'const axios = require("axios");\naxios.get("https://example.com");\n',
      'app/ok.py': 'x = 1\n',
    });
  });
  after(() => ws.remove());

  it('reports test and example code as hints that do not count, and never analyses generated or minified files', () => {
    const run = runCli(['check', 'app', 'api', 'static', 'examples', 'tests', '--config', 'strict.json', '--format', 'json'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => [f.path, f.kind]), [['app/ok.py', 'production'], ['examples/demo.py', 'example'], ['tests/test_pay.py', 'test']]);
    assert.deepEqual(report.files.flatMap((f) => f.findings.map((x) => [f.path, x['severity']])), [['examples/demo.py', 'hint'], ['tests/test_pay.py', 'hint']]);
    assert.equal(runCli(['check', '--config', 'strict.json'], ws.root).code, 1, 'qa/smoke.py is production code by the conventions');
    assert.match(run.stderr, /not analysed: 1 generated file, 1 minified file/);
  });

  it('leaves test-code hints out of SARIF', () => {
    const sarif = JSON.parse(runCli(['check', 'tests', 'examples', '--config', 'strict.json', '--format', 'sarif'], ws.root).stdout) as { runs: { results: unknown[] }[] };
    assert.deepEqual(sarif.runs[0]?.results, []);
    const reported = JSON.parse(runCli(['check', 'tests', 'examples', '--config', 'strict.json', '--format', 'sarif', '--test-code', 'report'], ws.root).stdout) as { runs: { results: { level: string }[] }[] };
    assert.deepEqual(reported.runs[0]?.results.map((r) => r.level), ['error', 'error']);
  });

  it('follows --test-code report|skip, and exits 2 on another value', () => {
    assert.equal(runCli(['check', 'tests', '--config', 'strict.json', '--test-code', 'report'], ws.root).code, 1);
    const skipped = runCli(['check', '--config', 'strict.json', '--format', 'json', '--test-code', 'skip'], ws.root);
    assert.deepEqual((JSON.parse(skipped.stdout) as JsonReport).files.map((f) => f.path), ['app/ok.py', 'qa/smoke.py']);
    assert.match(skipped.stderr, /not analysed: 1 generated file, 1 minified file, 1 test file, 1 example file/);
    assert.equal(runCli(['check', '--test-code', 'loud'], ws.root).code, 2);
  });

  it('reads testCode from the config file, and --test-code wins over it', () => {
    fs.writeFileSync(path.join(ws.root, 'qa.json'), JSON.stringify({ rules: { 'http-timeout': 'error' }, testCode: { mode: 'report', paths: ['qa/**'], exclude: ['examples/**'] } }));
    const report = JSON.parse(runCli(['check', '--config', 'qa.json', '--format', 'json'], ws.root).stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => [f.path, f.kind]), [['app/ok.py', 'production'], ['examples/demo.py', 'production'], ['qa/smoke.py', 'test'], ['tests/test_pay.py', 'test']]);
    assert.equal(runCli(['check', 'qa', '--config', 'qa.json'], ws.root).code, 1, 'mode report: test code counts');
    assert.equal(runCli(['check', 'qa', '--config', 'qa.json', '--test-code', 'hint'], ws.root).code, 0);
  });
});

describe('task-reliability check with .task-reliability.json', () => {
  it('applies rules, exclude and per-path overrides from ./.task-reliability.json', () => {
    const ws = makeWorkspace({
      ...SAMPLE_PROJECT,
      '.task-reliability.json': JSON.stringify({ rules: { 'cron-missing-deadline': 'off' }, exclude: ['k8s/**'], overrides: [{ files: ['tests/**'], rules: { 'http-timeout': 'off' } }] }),
      'k8s/other.yaml': SAMPLE_PROJECT['k8s/cron.yaml'] ?? '',
      'ops/cron.yaml': SAMPLE_PROJECT['k8s/cron.yaml'] ?? '',
    });
    try {
      const report = JSON.parse(runCli(['check', '--format', 'json'], ws.root).stdout) as JsonReport;
      assert.ok(!report.files.some((f) => f.path.startsWith('k8s/')), 'exclude');
      assert.deepEqual(report.files.find((f) => f.path === 'tests/test_pay.py')?.findings, [], 'override');
      assert.deepEqual(report.files.find((f) => f.path === 'ops/cron.yaml')?.findings.map((f) => f['rule']), ['cron-overlap'], 'rules');
    } finally {
      ws.remove();
    }
  });

  it('exits 2 with file, line and what is wrong for invalid JSON, and for a --config that cannot be read', () => {
    const ws = makeWorkspace({ 'a.py': 'x = 1\n', '.task-reliability.json': '{\n  "rules": {\n    "http-timeout": "off",\n  }\n}\n' });
    try {
      const bad = runCli(['check'], ws.root);
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr.trim(), `task-reliability: ${path.join(ws.root, '.task-reliability.json')}:4:3: invalid JSON: a comma before '}': JSON allows no trailing comma`);
      const missing = runCli(['check', '--config', 'nope.json'], ws.root);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.json: cannot read the config file \(ENOENT\)/);
    } finally {
      ws.remove();
    }
  });

  it('warns about a value of the wrong type, with its line, and goes on with the rest', () => {
    const ws = makeWorkspace({ 'pay.py': SAMPLE_PROJECT['app/pay.py'] ?? '', 'ci.json': '{\n  "rules": {"http-timeout": "error"},\n  "fixTimeoutSeconds": "ten"\n}\n' });
    try {
      const run = runCli(['check', '--config', 'ci.json'], ws.root);
      assert.equal(run.code, 1, 'the valid rule severity still applies');
      assert.match(run.stderr, /ci\.json:3:3: fixTimeoutSeconds must be a positive number of seconds; it is ignored/);
    } finally {
      ws.remove();
    }
  });
});
