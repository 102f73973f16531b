import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, type CliReport } from './cli-run.js';
import { seededSample, seededTopUp } from './scoring.js';
import { cacheDir, materialise, slug, type CorpusRepo } from './trees.js';
import { importVerdictsFromText, judgedPrecision, readJudged, sampleMarkdown, verdictKey, type JudgedRecord, type SampledFinding } from './verdicts.js';

/**
 * `--sample N --seed S`: the CLI over the whole tree of every corpus repository, a seeded sample of
 * its findings for a reviewer, and the verdicts already given reused by key.
 */

export interface SampleOptions {
  readonly repos: readonly CorpusRepo[];
  readonly dir: string;
  readonly cli: string;
  readonly n: number;
  readonly seed: number;
  /** `--per-rule K`: production findings added until every rule has K judged or none left. */
  readonly perRule?: number;
  readonly judgedFile: string;
  readonly timeoutMs: number;
  readonly log: (m: string) => void;
}

export interface Population {
  readonly findings: readonly SampledFinding[];
  readonly failed: readonly { repo: string; error: string }[];
}

/** Whole-tree CLI reports are cached by repository, commit and the CLI bundle's own hash. */
function wholeTree(o: SampleOptions, repo: CorpusRepo, root: string): CliReport | string {
  const cliHash = createHash('sha256').update(fs.readFileSync(o.cli)).digest('hex').slice(0, 12);
  const cached = path.join(cacheDir, 'reports', `${slug(repo.name)}@${repo.commit}-${cliHash}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as CliReport;
  const run = runCli(o.cli, root, ['.'], o.timeoutMs);
  if (run.report === undefined) return `${run.error ?? 'failed'} ${run.stderr.trim().split('\n').slice(-1).join('')}`;
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, JSON.stringify(run.report));
  o.log(`${repo.name}: ${run.report.files.length} files, ${run.report.files.reduce((n, f) => n + f.findings.length, 0)} findings, ${(run.ms / 1000).toFixed(1)} s`);
  return run.report;
}

export function population(o: SampleOptions): Population {
  const findings: SampledFinding[] = [];
  const failed: { repo: string; error: string }[] = [];
  for (const repo of o.repos) {
    const tree = materialise(repo, o.dir, o.log);
    if (tree === undefined) {
      failed.push({ repo: repo.name, error: `not in ${o.dir}` });
      continue;
    }
    const report = wholeTree(o, repo, tree.root);
    if (typeof report === 'string') {
      failed.push({ repo: repo.name, error: report });
      continue;
    }
    for (const file of report.files) {
      if (file.findings.length === 0) continue;
      const lines = fs.readFileSync(path.join(tree.root, file.path), 'utf8').split(/\r?\n/);
      for (const f of file.findings) findings.push({ repo: repo.name, commit: repo.commit, file: file.path, line: f.line, rule: f.rule, message: f.message, hint: file.kind !== undefined && file.kind !== 'production', lines });
    }
  }
  return { findings, failed };
}

const order = (a: SampledFinding, b: SampledFinding): number =>
  a.repo.localeCompare(b.repo) || a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule);

export function drawSample(o: SampleOptions): { sample: SampledFinding[]; extra: SampledFinding[]; known: Map<string, JudgedRecord>; pop: Population } {
  const pop = population(o);
  const known = fs.existsSync(o.judgedFile) ? readJudged(fs.readFileSync(o.judgedFile, 'utf8')) : new Map<string, JudgedRecord>();
  const sample = seededSample(pop.findings, o.n, o.seed, order);
  // The top-up is drawn from production code only: per-rule precision is asked of production code.
  const production = pop.findings.filter((f) => f.hint !== true);
  const extra = o.perRule === undefined ? [] : seededTopUp(production, sample.filter((f) => f.hint !== true), o.perRule, o.seed, order, (f) => f.rule);
  return { sample, extra, known, pop };
}

export function sampleSummary(sample: readonly SampledFinding[], known: ReadonlyMap<string, JudgedRecord>, pop: Population, extra: readonly SampledFinding[] = []): string {
  // Production or test code is what the CLI says of the file now, not what it said when the
  // verdict was given: a file the classification has moved counts where it is reported today.
  const judgedOf = (findings: readonly SampledFinding[]) => findings.flatMap((f) => {
    const record = known.get(verdictKey(f));
    return record === undefined ? [] : [{ ...record, test: f.hint === true }];
  });
  const judged = judgedOf(sample);
  const judgedExtra = judgedOf(extra);
  const p = judgedPrecision(judged);
  const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);
  const byRule = new Map<string, { all: number; hints: number }>();
  for (const f of pop.findings) {
    const n = byRule.get(f.rule) ?? { all: 0, hints: 0 };
    byRule.set(f.rule, { all: n.all + 1, hints: n.hints + (f.hint === true ? 1 : 0) });
  }
  const hints = pop.findings.filter((f) => f.hint === true).length;
  const lines = [
    `Findings in the whole trees: ${pop.findings.length}, ${hints} of them in test or example code (hints) (${[...byRule].sort((a, b) => b[1].all - a[1].all).map(([r, n]) => `${r} ${n.all}${n.hints > 0 ? ` (${n.hints} hints)` : ''}`).join(', ')}).`,
    `Sample: ${sample.length}; judged already: ${judged.length}; to judge: ${sample.length - judged.length}.`,
    ...(extra.length === 0 ? [] : [`Per-rule top-up (production code, not counted in the overall precision): ${extra.length}; judged already: ${judgedExtra.length}; to judge: ${extra.length - judgedExtra.length}.`]),
    `Precision, production code: ${pct(p.production.precision)} (${p.production.correct} correct, ${p.production.wrong} wrong, ${p.production.debatable} debatable).`,
    `Precision, test code: ${pct(p.test.precision)} (${p.test.correct} correct, ${p.test.wrong} wrong, ${p.test.debatable} debatable).`,
  ];
  const all = [...judged, ...judgedExtra];
  const rules = [...new Set(all.map((r) => r.rule))].sort();
  const perRule = rules.map((rule) => {
    const q = judgedPrecision(all.filter((r) => r.rule === rule)).production;
    return `${rule} ${q.correct}/${q.correct + q.wrong}${q.debatable > 0 ? ` (+${q.debatable} debatable)` : ''}`;
  });
  if (perRule.length > 0) lines.push(`Per rule, production code (correct/judged): ${perRule.join(', ')}.`);
  if (pop.failed.length > 0) lines.push(`Repositories left out: ${pop.failed.map((f) => `${f.repo} (${f.error})`).join('; ')}.`);
  return lines.join('\n');
}

export function printSample(o: SampleOptions, out: string): string {
  const { sample, extra, known, pop } = drawSample(o);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const heading = `Judged sample: ${o.n} findings, seed ${o.seed}${extra.length === 0 ? '' : `, then ${extra.length} more of production code for up to ${o.perRule} per rule`}`;
  fs.writeFileSync(out, sampleMarkdown([...sample, ...extra], known, heading));
  return `${sampleSummary(sample, known, pop, extra)}\nWrote ${out}.`;
}

/** Imports verdicts from a filled-in sample into `judged.jsonl`; returns how many were new or changed. */
export function importVerdicts(sampleFile: string, judgedFile: string): number {
  const known = fs.existsSync(judgedFile) ? readJudged(fs.readFileSync(judgedFile, 'utf8')) : new Map<string, JudgedRecord>();
  const added = importVerdictsFromText(fs.readFileSync(sampleFile, 'utf8'), known);
  if (added.length > 0) fs.appendFileSync(judgedFile, added.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return added.length;
}
