import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/analysis/rules/index.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { projects } from '../helpers/project-report.js';

/**
 * The rules that read the joined project, on fixture projects: `rule-<id>/<language>/<kind>/`,
 * each a project of its own. A finding is expected where a line says `expect: <rule-id>` in a
 * comment; positive projects expect at least one, negative and trap projects none.
 */
const LANGUAGE_FOLDERS: Readonly<Record<string, string>> = { python: 'python', ruby: 'ruby', java: 'java', go: 'go', yaml: 'yaml', javascript: 'javascript', typescript: 'typescript', tsx: 'typescript' };

function expectations(root: string, rule: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else fs.readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
        if (line.includes(`expect: ${rule}`)) found.push(`${path.relative(root, full).split(path.sep).join('/')}:${i + 1}`);
      });
    }
  };
  walk(root);
  return found.sort();
}

for (const rule of RULES.filter((r) => r.checkProject !== undefined)) {
  describe(`${rule.meta.id} on fixture projects`, () => {
    // TypeScript and TSX share their projects: one folder is run once.
    for (const folder of new Set(rule.meta.languages.map((language) => LANGUAGE_FOLDERS[language] ?? language))) {
      for (const kind of ['positive', 'negative', 'trap'] as const) {
        it(`${folder} ${kind}`, () => {
          const root = path.join(projects, `rule-${rule.meta.id}`, folder, kind);
          assert.ok(fs.existsSync(root), `a ${kind} project in ${folder}`);
          const expected = expectations(root, rule.meta.id);
          if (kind === 'positive') assert.ok(expected.length > 0, 'a positive project marks at least one finding');
          else assert.deepEqual(expected, [], 'negative and trap projects mark no findings');
          const run = runCli(['check', '--format', 'json'], root);
          assert.ok(run.code === 0 || run.code === 1, run.stderr);
          const report = JSON.parse(run.stdout) as { files: { path: string; findings: { rule: string; line: number; message: string }[] }[] };
          const actual = report.files.flatMap((f) => f.findings.filter((x) => x.rule === rule.meta.id).map((x) => `${f.path}:${x.line}`)).sort();
          assert.deepEqual(actual, expected);
        });
      }
    }
  });
}

describe('project findings in check', () => {
  it('name the task, its side effect and where it is, and honour a suppression comment on the line above', () => {
    const root = path.join(projects, 'rule-webhook-enqueue-no-key', 'python', 'positive');
    const run = runCli(['check', '--format', 'json'], root);
    const report = JSON.parse(run.stdout) as { files: { path: string; findings: { rule: string; message: string }[] }[] };
    const finding = report.files.flatMap((f) => f.findings).find((f) => f.rule === 'webhook-enqueue-no-key');
    assert.match(finding?.message ?? '', /`send_receipt` is enqueued from a web handler with no idempotency key, and it makes a notify \(`django\.core\.mail\.send_mail`, shop\/tasks\.py:7\)/);
    const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
    const suppressed = makeWorkspace({
      'pyproject.toml': read('pyproject.toml'),
      'shop/__init__.py': '',
      'shop/tasks.py': read('shop/tasks.py'),
      'shop/views.py': read('shop/views.py').replaceAll('    send_receipt.delay', '    # reliability-ignore-next-line webhook-enqueue-no-key -- the sender deduplicates\n    send_receipt.delay'),
    });
    try {
      const again = JSON.parse(runCli(['check', '--format', 'json'], suppressed.root).stdout) as typeof report;
      assert.deepEqual(again.files.flatMap((f) => f.findings).filter((f) => f.rule === 'webhook-enqueue-no-key'), []);
    } finally {
      suppressed.remove();
    }
  });
});
