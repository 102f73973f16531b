// The files that put the check into other tools: .pre-commit-hooks.yaml for pre-commit, action.yml
// (a composite GitHub Action), and the README's snippets that use them. Each is parsed as YAML and
// checked against the package's bins and the analyzer's languages, and the hook's command runs
// through the CLI on a staged-file list, as pre-commit would run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { languageFromPath, SUPPORTED_LANGUAGES } from '../../server/src/analysis/index.js';
import { repoRoot } from '../helpers/analyzer.js';
import { makeWorkspace, SAMPLE_PROJECT } from '../helpers/cli.js';

interface Hook {
  id: string;
  name: string;
  description?: string;
  language: string;
  entry: string;
  args?: string[];
  additional_dependencies?: string[];
  types_or?: string[];
}

interface ActionStep {
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  runs: { using: string; steps: ActionStep[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const hooks = parse(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as Action;
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The tag that pre-commit's file identification (the identify package) gives each extension the analyzer reads. */
const IDENTIFY_TAGS: Readonly<Record<string, string>> = {
  '.py': 'python', '.pyw': 'python', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'jsx',
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.yaml': 'yaml', '.yml': 'yaml', '.rb': 'ruby', '.java': 'java', '.go': 'go',
};

/** The fenced blocks of one language in the README section that starts with `heading`. */
function readmeBlocks(heading: string, language: string): string[] {
  const start = readme.indexOf(`${heading}\n`);
  assert.ok(start >= 0, `the README has a "${heading}" section`);
  const level = /^#+/.exec(heading)?.[0] ?? '#';
  const rest = readme.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

describe('.pre-commit-hooks.yaml', () => {
  const hook = hooks[0];

  it('defines one node hook whose entry is a bin of the package, with the package at this version', () => {
    assert.equal(hooks.length, 1);
    assert.ok(hook !== undefined);
    for (const key of ['id', 'name', 'entry', 'language'] as const) assert.equal(typeof hook[key], 'string', key);
    assert.equal(hook.language, 'node');
    const [bin, command] = hook.entry.split(/\s+/);
    assert.ok(bin !== undefined && manifest.bin[bin] !== undefined, `${bin} is not a bin of the package`);
    assert.ok(fs.existsSync(path.join(repoRoot, manifest.bin[bin] ?? '')), `${manifest.bin[bin]} exists`);
    assert.equal(command, 'check');
    assert.deepEqual(hook.additional_dependencies, [`${manifest.name}@${manifest.version}`]);
  });

  it('selects exactly the files the analyzer reads', () => {
    const tags = new Set(hook?.types_or);
    for (const [extension, tag] of Object.entries(IDENTIFY_TAGS)) {
      const language = languageFromPath(`file${extension}`);
      assert.ok(language !== undefined && SUPPORTED_LANGUAGES.includes(language), `${extension} is analysed`);
      assert.ok(tags.has(tag), `types_or lacks ${tag} (${extension})`);
    }
    assert.deepEqual([...tags].filter((t) => !Object.values(IDENTIFY_TAGS).includes(t)), []);
  });

  describe('its command on the staged files of a repository', () => {
    let ws: { root: string; remove: () => void };
    const git = (...args: string[]) => {
      const result = spawnSync('git', args, { cwd: ws.root, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    /** The staged files that pre-commit would pass: added, copied or modified, and of a type the hook selects. */
    const staged = () => git('diff', '--cached', '--name-only', '--diff-filter=ACM').split('\n')
      .filter((f) => f !== '' && (hook?.types_or ?? []).includes(IDENTIFY_TAGS[path.extname(f)] ?? ''));
    const runHook = (files: readonly string[]) => {
      const [bin, ...entryArgs] = (hook?.entry ?? '').split(/\s+/);
      const result = spawnSync(process.execPath, [path.join(repoRoot, manifest.bin[bin ?? ''] ?? ''), ...entryArgs, ...(hook?.args ?? []), ...files], {
        cwd: ws.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
      });
      return { code: result.status, out: result.stdout + result.stderr };
    };

    before(() => {
      ws = makeWorkspace({ ...SAMPLE_PROJECT, 'app/unstaged.py': 'import requests\nrequests.get("https://example.com")\n' });
      git('init', '-q');
      git('add', 'app/pay.py', 'app/ok.py', 'k8s/cron.yaml', 'README.md');
    });
    after(() => ws.remove());

    it('fails the commit on a warning in a staged file and names only staged files', () => {
      const files = staged();
      assert.deepEqual(files.sort(), ['app/ok.py', 'app/pay.py', 'k8s/cron.yaml']);
      const run = runHook(files);
      assert.equal(run.code, 1, run.out);
      assert.match(run.out, /app\/pay\.py/);
      assert.match(run.out, /http-timeout/);
      assert.doesNotMatch(run.out, /unstaged\.py|README/);
    });

    it('passes when the staged files are clean', () => {
      git('reset', '-q');
      git('add', 'app/ok.py');
      const run = runHook(staged());
      assert.equal(run.code, 0, run.out);
    });
  });
});

describe('action.yml', () => {
  const steps = action.runs.steps;

  it('is a composite action whose run steps name their shell and read inputs only through env', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.name !== '' && action.description !== '');
    for (const step of steps.filter((s) => s.run !== undefined)) {
      assert.equal(step.shell, 'bash', step.name);
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, `${step.name} pastes an expression into its script`);
    }
    const used = new Set([...JSON.stringify(action.runs).matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]));
    assert.deepEqual([...used].filter((i) => i === undefined || action.inputs[i] === undefined), []);
    for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description.length > 10, `${name} has a description`);
  });

  it('runs a bin of this package at this version and writes SARIF', () => {
    const check = steps.find((s) => s.run?.includes('npx') === true);
    assert.ok(check !== undefined, 'a step runs the check');
    assert.match(check.run ?? '', new RegExp(`--package "${manifest.name}@\\$VERSION" -- (\\S+) `));
    const bin = new RegExp(`--package "${manifest.name}@\\$VERSION" -- (\\S+) `).exec(check.run ?? '')?.[1] ?? '';
    assert.ok(manifest.bin[bin] !== undefined, `${bin} is not a bin of the package`);
    assert.match(check.run ?? '', /--format sarif --output "\$SARIF"/);
    assert.equal(action.inputs['version']?.default, manifest.version);
  });

  it('uploads the SARIF to code scanning even when the check step fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') === true);
    assert.ok(upload !== undefined);
    assert.match(upload.if ?? '', /always\(\)/);
    assert.equal(upload.with?.['sarif_file'], '${{ inputs.sarif-file }}');
  });

  it('is what the README workflow uses, with inputs it declares', () => {
    const workflows = readmeBlocks('### GitHub Actions', 'yaml').map((text) => parse(text) as { jobs: Record<string, { steps: ActionStep[] }> });
    const uses = workflows.flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps)).filter((s) => /task-reliability-hints@/.test(s.uses ?? ''));
    assert.ok(uses.length > 0, 'the README workflow uses the action');
    for (const step of uses) assert.deepEqual(Object.keys(step.with ?? {}).filter((k) => action.inputs[k] === undefined), []);
  });
});

describe('the README pre-commit snippet', () => {
  it('parses and defines the hook of .pre-commit-hooks.yaml, field for field', () => {
    const configs = readmeBlocks('### pre-commit', 'yaml').map((text) => parse(text) as { repos: { repo: string; hooks: Hook[] }[] });
    const local = configs.flatMap((c) => c.repos).filter((r) => r.repo === 'local').flatMap((r) => r.hooks);
    assert.equal(local.length, 1, 'one local hook');
    const { description: _description, minimum_pre_commit_version: _minimum, ...defined } = hooks[0] as Hook & { minimum_pre_commit_version?: string };
    assert.deepEqual(local[0], defined);
  });
});
