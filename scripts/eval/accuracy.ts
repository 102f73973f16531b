import fs from 'node:fs';
import path from 'node:path';
import { runCli } from './cli-run.js';
import {
  expectedFindings, expectedSignals, LINE_TOLERANCE, match, parseLabels, scoreSplit,
  type Observed, type Ratio, type RepoLabels, type RepoScore, type SplitScore,
} from './scoring.js';
import { materialise, slug, type CorpusRepo } from './trees.js';

export interface AccuracyOptions {
  readonly repos: readonly CorpusRepo[];
  readonly labelsDir: string;
  readonly dir: string;
  readonly cli: string;
  readonly kinds: readonly string[];
  readonly rules: readonly string[];
  readonly timeoutMs: number;
  readonly log: (m: string) => void;
}

export interface AccuracyResult {
  readonly tolerance: number;
  readonly splits: { readonly tune: SplitScore; readonly holdout: SplitScore };
  readonly repos: readonly { repo: string; split: string; labels: number; completeFiles: number; status: string }[];
  readonly misses: readonly (ReturnType<typeof match>['misses'][number] & { repo: string; split: string; what: 'signal' | 'finding' })[];
  readonly falsePositives: readonly (ReturnType<typeof match>['falsePositives'][number] & { repo: string; split: string; what: 'signal' | 'finding' })[];
}

function loadLabels(dir: string, repo: CorpusRepo): RepoLabels | undefined {
  const file = path.join(dir, `${slug(repo.name)}.jsonl`);
  if (!fs.existsSync(file)) return undefined;
  return parseLabels(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file));
}

/** Analyses every labelled file of every repository with the CLI and scores it against the labels. */
export function runAccuracy(o: AccuracyOptions): AccuracyResult {
  const scores: RepoScore[] = [];
  const status: AccuracyResult['repos'][number][] = [];
  const labelCounts = new Map<string, number>();
  const misses: AccuracyResult['misses'][number][] = [];
  const falsePositives: AccuracyResult['falsePositives'][number][] = [];
  for (const repo of o.repos) {
    const labels = loadLabels(o.labelsDir, repo);
    if (labels === undefined || labels.labels.length === 0) {
      status.push({ repo: repo.name, split: repo.split, labels: 0, completeFiles: 0, status: 'no labels' });
      continue;
    }
    const row = { repo: repo.name, split: repo.split, labels: labels.labels.length, completeFiles: labels.complete.size };
    const tree = materialise(repo, o.dir, o.log);
    if (tree === undefined) {
      status.push({ ...row, status: `not in ${o.dir}` });
      continue;
    }
    const files = [...new Set([...labels.labels.map((l) => l.file), ...labels.complete])].sort();
    const absent = files.filter((f) => !fs.existsSync(path.join(tree.root, f)));
    for (const f of absent) o.log(`${repo.name}: labelled file ${f} is not in the tree at ${repo.commit}`);
    const run = runCli(o.cli, tree.root, files.filter((f) => !absent.includes(f)), o.timeoutMs);
    if (run.report === undefined) {
      status.push({ ...row, status: `CLI failed: ${run.error ?? ''} ${run.stderr.trim().split('\n').slice(-2).join(' ')}` });
      continue;
    }
    const signals: Observed[] = [];
    const findings: Observed[] = [];
    for (const file of run.report.files) {
      for (const s of file.signals ?? []) signals.push({ file: file.path, line: s.line, key: s.kind, api: s.api });
      for (const f of file.findings) findings.push({ file: file.path, line: f.line, key: f.rule });
    }
    const score: RepoScore = {
      repo: repo.name,
      split: repo.split,
      signals: match(expectedSignals(labels), signals, labels, o.kinds),
      findings: match(expectedFindings(labels), findings, labels, o.rules),
    };
    scores.push(score);
    labelCounts.set(repo.name, labels.labels.length);
    status.push({ ...row, status: tree.pinned ? (run.error ?? 'ok') : 'ok (unpinned work tree)' });
    for (const m of score.signals.misses) misses.push({ ...m, repo: repo.name, split: repo.split, what: 'signal' });
    for (const m of score.findings.misses) misses.push({ ...m, repo: repo.name, split: repo.split, what: 'finding' });
    for (const p of score.signals.falsePositives) falsePositives.push({ ...p, repo: repo.name, split: repo.split, what: 'signal' });
    for (const p of score.findings.falsePositives) falsePositives.push({ ...p, repo: repo.name, split: repo.split, what: 'finding' });
    o.log(`${repo.name}: ${files.length} files, ${labels.labels.length} labels, CLI ${run.ms} ms`);
  }
  const count = (repo: string): number => labelCounts.get(repo) ?? 0;
  return {
    tolerance: LINE_TOLERANCE,
    splits: {
      tune: scoreSplit(scores, 'tune', count, o.kinds, o.rules),
      holdout: scoreSplit(scores, 'holdout', count, o.kinds, o.rules),
    },
    repos: status,
    misses,
    falsePositives,
  };
}

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

function ratioTable(title: string, rows: Record<string, Ratio>, totalRow: Ratio): string[] {
  const lines = [`| ${title} | TP | FN | FP | unjudged | recall | precision |`, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const [key, r] of Object.entries(rows)) lines.push(`| ${key} | ${r.tp} | ${r.fn} | ${r.fp} | ${r.unjudged} | ${pct(r.recall)} | ${pct(r.precision)} |`);
  lines.push(`| **all** | ${totalRow.tp} | ${totalRow.fn} | ${totalRow.fp} | ${totalRow.unjudged} | ${pct(totalRow.recall)} | ${pct(totalRow.precision)} |`);
  return lines;
}

/** The human-readable report: both splits apart, then every miss and false positive. */
export function accuracyText(r: AccuracyResult): string {
  const out: string[] = [`Lines match within ±${r.tolerance}. "unjudged": reported on a line no label covers, in a file not marked complete (left out of precision).`, ''];
  for (const split of ['tune', 'holdout'] as const) {
    const s = r.splits[split];
    out.push(`## ${split}: ${s.repos} repositories, ${s.labels} labels`, '');
    out.push(...ratioTable('signal kind', s.signals, s.signalsTotal), '');
    out.push(...ratioTable('rule', s.findings, s.findingsTotal), '');
  }
  for (const split of ['tune', 'holdout'] as const) {
    const misses = r.misses.filter((m) => m.split === split);
    out.push(`## ${split}: misses (${misses.length})`, '');
    for (const m of misses) out.push(`- ${m.repo} ${m.file}:${m.line} expected ${m.what} ${m.expected}${m.api === undefined ? '' : ` (${m.api})`}, got ${m.got.length === 0 ? 'nothing' : m.got.join(', ')}${m.reason === undefined ? '' : ` — ${m.reason}`}`);
    const fps = r.falsePositives.filter((p) => p.split === split);
    out.push('', `## ${split}: false positives (${fps.length})`, '');
    for (const p of fps) out.push(`- ${p.repo} ${p.file}:${p.line} got ${p.what} ${p.got}${p.api === undefined ? '' : ` (${p.api})`}, expected none (${p.because})`);
    out.push('');
  }
  const problems = r.repos.filter((x) => x.status !== 'ok' && x.status !== 'no labels');
  if (problems.length > 0) out.push('## Repositories not scored', '', ...problems.map((x) => `- ${x.repo}: ${x.status}`), '');
  return out.join('\n');
}
