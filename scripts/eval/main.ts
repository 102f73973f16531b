import path from 'node:path';
import { RULES } from '../../server/src/analysis/rules/index.js';
import { SIGNAL_KINDS } from '../../server/src/analysis/types.js';
import { accuracyText, runAccuracy } from './accuracy.js';
import { robustnessText, runRobustness } from './robustness.js';
import { drawSample, importVerdicts, printSample, sampleSummary } from './sample.js';
import { readRepos } from './trees.js';

/**
 * `npm run eval [-- OPTIONS]`: the analyzer measured on real code (eval/repos.json, eval/labels/).
 *
 *   (default)              recall and precision per signal kind and per rule, tune and holdout apart
 *   --robustness           every supported file of every tree through the core: crashes, CPU time
 *   --sample N --seed S    a seeded sample of the CLI's findings over the whole trees, with the
 *                          verdicts in eval/judged.jsonl; --print [FILE] writes it for a reviewer;
 *                          --per-rule K adds production findings until every rule has K
 *   --judge FILE           imports the verdicts of a filled-in sample into eval/judged.jsonl
 *
 *   --repos DIR            clones or mirrors, one per repository as DIR/owner+repo (default /work/.mirror)
 *   --only a/b,c/d         only these repositories;  --split tune|holdout  only that split
 *   --cli FILE             the CLI bundle to measure (default dist/cli.js of this checkout)
 *   --budget SECONDS       robustness: wall-clock budget per file (default 20)
 *   --timeout SECONDS      a CLI run over one repository (default 600); past it the repository is
 *                          reported as left out, so that one pathological file cannot stall the run
 *   --json                 the result as JSON on stdout (progress goes to stderr)
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const log = (m: string): void => void process.stderr.write(`${m}\n`);

function option(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  return value === undefined || value.startsWith('--') ? '' : value;
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw new Error(`${name} needs a number`);
  return n;
}

async function main(): Promise<void> {
  const json = args.includes('--json');
  const dir = path.resolve(option('--repos') ?? '/work/.mirror');
  const cli = path.resolve(option('--cli') ?? path.join(DIST, 'cli.js'));
  const only = option('--only')?.split(',');
  const split = option('--split');
  const judgedFile = path.join(REPO_ROOT, 'eval', 'judged.jsonl');
  const timeoutMs = numberOption('--timeout', 600) * 1000;
  const repos = readRepos(path.join(REPO_ROOT, 'eval', 'repos.json'))
    .filter((r) => only === undefined || only.includes(r.name))
    .filter((r) => split === undefined || r.split === split);
  const emit = (result: unknown, text: string): void => void process.stdout.write(`${json ? JSON.stringify(result, null, 2) : text}\n`);

  const judge = option('--judge');
  if (judge !== undefined) {
    if (judge === '') throw new Error('--judge needs the filled-in sample file');
    const added = importVerdicts(path.resolve(judge), judgedFile);
    log(`${added} verdicts added to ${path.relative(process.cwd(), judgedFile)}`);
    return;
  }
  if (args.includes('--robustness')) {
    const result = await runRobustness({ repos, dir, distDir: DIST, budgetMs: numberOption('--budget', 20) * 1000, maxBytes: 1_000_000, log });
    emit(result, robustnessText(result));
    return;
  }
  if (option('--sample') !== undefined) {
    const perRule = option('--per-rule') === undefined ? {} : { perRule: numberOption('--per-rule', 10) };
    const o = { repos, dir, cli, n: numberOption('--sample', 60), seed: numberOption('--seed', 1), judgedFile, timeoutMs, log, ...perRule };
    const print = option('--print');
    if (print !== undefined) {
      emit({}, printSample(o, path.resolve(print === '' ? path.join(DIST, 'eval', `sample-${o.n}-seed-${o.seed}.md`) : print)));
      return;
    }
    const { sample, extra, known, pop } = drawSample(o);
    emit({ sample: sample.map(({ lines: _lines, ...f }) => f), extra: extra.map(({ lines: _lines, ...f }) => f), failed: pop.failed }, sampleSummary(sample, known, pop, extra));
    return;
  }
  const result = runAccuracy({
    repos, dir, cli, labelsDir: path.join(REPO_ROOT, 'eval', 'labels'),
    kinds: SIGNAL_KINDS, rules: RULES.map((r) => r.meta.id), timeoutMs, log,
  });
  emit(result, accuracyText(result));
}

main().catch((error: unknown) => {
  log(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
