import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from './analyzer.js';
import { runCli } from './cli.js';

/** The parts of `check --format json --signals` that the project fixtures' tests read. */
export interface Related { path: string; line: number; column: number; message: string }
export interface Report {
  files: { path: string; findings: { rule: string; line: number; message: string; related?: Related[] }[]; signals?: { kind: string; api: string; line: number }[] }[];
}

export const projects = path.join(repoRoot, 'test', 'fixtures', 'projects');

/** Runs `check` over a fixture project from its root (or from `cwd`) and parses the report. */
export function checkProject(project: string, args: readonly string[] = [], cwd = path.join(projects, project)): Report {
  const run = runCli(['check', '--format', 'json', '--signals', ...args], cwd);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return JSON.parse(run.stdout) as Report;
}

export const fileOf = (report: Report, file: string): Report['files'][number] => {
  const found = report.files.find((f) => f.path === file);
  assert.ok(found !== undefined, `${file} is in the report`);
  return found;
};

/** `rule:line` of each finding of a file, sorted. */
export const rules = (report: Report, file: string): string[] => fileOf(report, file).findings.map((f) => `${f.rule}:${f.line}`).sort();
