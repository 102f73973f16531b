import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { RULES } from '../../server/src/analysis/index.js';
import { lineColumn, parseJson } from '../../server/src/config/json.js';
import { parseProjectConfig } from '../../server/src/config/project.js';
import { ConfigScope, DEFAULT_SETTINGS } from '../../server/src/config/scope.js';
import { readEditorSettings } from '../../server/src/lsp/settings.js';
import { isGitIgnored, walkFolder } from '../../server/src/workspace/walk.js';
import { repoRoot } from '../helpers/analyzer.js';

const FILE = '/repo/.task-reliability.json';

function syntaxError(text: string): { line: number; column: number; message: string } {
  const parsed = parseJson(text);
  assert.equal(parsed.ok, false, 'expected a syntax error');
  if (parsed.ok) throw new Error('unreachable');
  return { ...lineColumn(text, parsed.offset), message: parsed.message };
}

describe('config: JSON with positions', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\n\\u00e9"], "b": {"__proto__": {"c": 1}}}';
    const parsed = parseJson(text);
    assert.ok(parsed.ok);
    assert.deepEqual(JSON.parse(JSON.stringify(parsed.value)), JSON.parse(text));
    assert.equal(Object.getPrototypeOf((parsed.value as Record<string, unknown>)['b']), null);
  });

  it('names the line and column of a trailing comma, a missing comma and an unterminated string', () => {
    assert.deepEqual(syntaxError('{\n  "rules": {\n    "http-timeout": "off",\n  }\n}'), { line: 4, column: 3, message: "a comma before '}': JSON allows no trailing comma" });
    assert.equal(syntaxError('{\n  "a": 1\n  "b": 2\n}').line, 3);
    assert.match(syntaxError('{\n  "a": "unterminated\n}').message, /unterminated string/);
    assert.match(syntaxError('').message, /empty/);
    assert.match(syntaxError("{'a': 1}").message, /double quotes/);
    assert.match(syntaxError('{"a": 1} x').message, /after the end/);
  });

  it('keeps the offset of every value, for problems in well-formed files', () => {
    const text = '{\n  "overrides": [\n    {"files": "tests/**"}\n  ]\n}';
    const parsed = parseJson(text);
    assert.ok(parsed.ok);
    assert.equal(lineColumn(text, parsed.offsetOf(['overrides', 0, 'files']) ?? -1).line, 3);
  });
});

describe('config: .task-reliability.json', () => {
  it('reads rules, exclude, overrides and fixTimeoutSeconds', () => {
    const read = parseProjectConfig(FILE, JSON.stringify({
      rules: { 'http-timeout': 'error', 'retry-no-jitter': 'off' },
      exclude: ['generated/**'],
      overrides: [{ files: ['tests/**'], rules: { 'http-timeout': 'off' } }],
      fixTimeoutSeconds: 3,
    }));
    assert.equal(read.error, undefined);
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.config?.layer, { rules: { 'http-timeout': 'error', 'retry-no-jitter': 'off' }, exclude: ['generated/**'], fixTimeoutSeconds: 3 });
    assert.deepEqual(read.config?.overrides, [{ files: ['tests/**'], rules: { 'http-timeout': 'off' } }]);
  });

  it('gives one error with file, line and column for invalid JSON, and no config', () => {
    const read = parseProjectConfig(FILE, '{\n  "rules": {\n    "http-timeout": "error"\n  \n}');
    assert.equal(read.config, undefined);
    assert.equal(read.error, `${FILE}:5:2: invalid JSON: expected ',' or '}' after the value of "rules", found the end of the file`);
  });

  it('reports each wrong value at its line and keeps the rest', () => {
    const text = '{\n  "rules": {\n    "http-timeout": "loud",\n    "no-such-rule": "off",\n    "cron-overlap": "error"\n  },\n  "fixTimeoutSeconds": -1,\n  "colour": true\n}';
    const read = parseProjectConfig(FILE, text);
    assert.deepEqual(read.config?.layer, { rules: { 'cron-overlap': 'error' } });
    assert.deepEqual(read.problems.map((p) => p.replace(/ \(.*\)/, '').replace(/; it is ignored$/, '')), [
      `${FILE}:8:3: colour unknown key`,
      `${FILE}:3:5: rules.http-timeout must be one of off, hint, info, warning, error`,
      `${FILE}:4:5: rules.no-such-rule no such rule`,
      `${FILE}:7:3: fixTimeoutSeconds must be a positive number of seconds`,
    ]);
  });

  it('has a JSON schema that names every rule (rewritten here when a rule is added)', () => {
    // As rust-analyzer does for its settings: the test brings the file up to date and fails, so
    // the change shows in `git diff` and a commit makes the test pass again.
    const file = path.join(repoRoot, 'schemas', 'task-reliability.schema.json');
    const text = fs.readFileSync(file, 'utf8');
    const schema = JSON.parse(text) as { definitions: { rules: { properties: Record<string, unknown> } } };
    const severity = schema.definitions.rules.properties['http-timeout'] as { enum: string[] };
    schema.definitions.rules.properties = Object.fromEntries(RULES.map(({ meta }) => [meta.id, { type: 'string', enum: severity.enum, description: `${meta.description} (${meta.ruleRef}; default ${meta.defaultSeverity})` }]));
    const expected = `${JSON.stringify(schema, null, 2)}\n`;
    if (expected !== text) fs.writeFileSync(file, expected);
    assert.ok(expected === text, `${path.relative(repoRoot, file)} was out of date with the rules and has been rewritten: commit it`);
  });

  it('accepts in its JSON schema what the reader accepts', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'task-reliability.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    const good = { $schema: './schemas/task-reliability.schema.json', rules: { 'http-timeout': 'error' }, exclude: ['gen/**'], overrides: [{ files: ['tests/**'], rules: { 'cron-overlap': 'off' } }], fixTimeoutSeconds: 5, maxFileSize: 2000, testCode: { mode: 'report', paths: ['qa/**'], exclude: ['examples/**'] } };
    assert.ok(validate(good), JSON.stringify(validate.errors));
    assert.deepEqual(parseProjectConfig(FILE, JSON.stringify(good)).problems, []);
    for (const bad of [{ rules: { 'http-timeout': 'loud' } }, { colour: true }, { overrides: [{ rules: {} }] }, { fixTimeoutSeconds: 0 }, { testCode: { mode: 'loud' } }, { testCode: { tests: [] } }]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
      assert.ok(parseProjectConfig(FILE, JSON.stringify(bad)).problems.length > 0, JSON.stringify(bad));
    }
  });

  it('points every package.json setting the server reads at the same validation', () => {
    const { layer, problems } = readEditorSettings({ enable: 'yes', rules: { 'http-timeout': 'off' }, scanOnStartup: true, testCode: 'skip', trace: { server: 'off' } });
    assert.deepEqual(layer, { rules: { 'http-timeout': 'off' }, scanOnStartup: true, testCode: 'skip' });
    assert.deepEqual(problems, ['taskReliability.enable must be true or false; ignoring it']);
    assert.deepEqual(readEditorSettings({ testCode: 'loud' }).problems, ['taskReliability.testCode must be one of report, hint, skip; ignoring it']);
  });
});

describe('config: precedence', () => {
  const project = parseProjectConfig(FILE, JSON.stringify({
    rules: { 'http-timeout': 'error', 'cron-overlap': 'info' },
    exclude: ['generated/**'],
    overrides: [{ files: ['tests/**'], rules: { 'http-timeout': 'hint' } }, { files: ['tests/e2e/**'], rules: { 'http-timeout': 'off' } }],
    fixTimeoutSeconds: 3,
  })).config;

  it('default < project file < matching overrides (in order) < the editor settings a user set', () => {
    const scope = new ConfigScope('/repo', project, { rules: { 'cron-overlap': 'warning' } });
    assert.deepEqual(scope.settingsFor('/repo/src/a.py').rules, { 'http-timeout': 'error', 'cron-overlap': 'warning' });
    assert.equal(scope.settingsFor('/repo/tests/a.py').rules['http-timeout'], 'hint');
    assert.equal(scope.settingsFor('/repo/tests/e2e/a.py').rules['http-timeout'], 'off');
    assert.equal(scope.settingsFor('/repo/src/a.py').fixTimeoutSeconds, 3);
    assert.equal(new ConfigScope('/repo', project, { fixTimeoutSeconds: 7 }).settingsFor('/repo/a.py').fixTimeoutSeconds, 7);
    const user = new ConfigScope('/repo', project, { rules: { 'http-timeout': 'warning' } });
    assert.equal(user.settingsFor('/repo/tests/e2e/a.py').rules['http-timeout'], 'warning');
    assert.deepEqual(new ConfigScope('/repo', undefined).settingsFor('/repo/a.py'), DEFAULT_SETTINGS);
  });

  it('adds the project excludes to the editor ones (or the defaults), relative to their folders', () => {
    const scope = new ConfigScope('/repo', project, {});
    assert.ok(scope.isExcluded('/repo/generated/x.py'));
    assert.ok(scope.isExcluded('/repo/web/node_modules/x.js'));
    assert.ok(!scope.isExcluded('/repo/src/generated/x.py'));
    const personal = new ConfigScope('/repo', project, { exclude: ['scratch/**'] });
    assert.ok(personal.isExcluded('/repo/scratch/x.py'));
    assert.ok(personal.isExcluded('/repo/generated/x.py'));
    assert.ok(!personal.isExcluded('/repo/web/node_modules/x.js'), 'the user replaced the default list');
  });
});

describe('workspace walk', () => {
  it('honours nested .gitignore files, the exclude globs, and skips unsupported files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-walk-'));
    const write = (rel: string, text = ''): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('.gitignore', 'ignored/\n*.gen.py\n');
    write('a.py');
    write('b.gen.py');
    write('ignored/c.py');
    write('sub/.gitignore', 'local.ts\n!keep.gen.py\n');
    write('sub/local.ts');
    write('sub/d.ts');
    write('sub/keep.gen.py');
    write('node_modules/x/index.js');
    write('notes.md');
    write('generated/e.yaml');
    try {
      const scope = new ConfigScope(root, parseProjectConfig(path.join(root, '.task-reliability.json'), '{"exclude": ["generated/**"]}').config);
      const files = [...walkFolder(root, scope)].map((f) => path.relative(root, f));
      assert.deepEqual(files, ['a.py', path.join('sub', 'd.ts'), path.join('sub', 'keep.gen.py')]);
      assert.ok(isGitIgnored(root, path.join(root, 'ignored', 'c.py')));
      assert.ok(isGitIgnored(root, path.join(root, 'sub', 'local.ts')));
      assert.ok(!isGitIgnored(root, path.join(root, 'sub', 'd.ts')));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
