import os from 'node:os';
import path from 'node:path';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { SCALING_CASES } from '../../test/fuzz/scaling.js';
import { benchCase, median, type CaseResult } from './core.js';
import { benchPrefilter, type PrefilterResult } from './prefilter.js';
import { benchProjectIndex } from './project.js';
import { benchServer, type ServerResult } from './server.js';

/**
 * `npm run bench [-- --json] [-- --no-server] [-- --server-only] [-- --only=python,yaml]`: the analysis core beside a
 * bare parse and the anchor tools, then the real server over stdio. Prints a table for people,
 * then the JSON object (alone on stdout with --json; progress goes to stderr).
 */

const args = process.argv.slice(2);
const json = args.includes('--json');
const withServer = !args.includes('--no-server');
/** `--server-only`: the real server alone (start, round trips, memory), without the per-language cases. */
const serverOnly = args.includes('--server-only');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
/** The tree the prefilter is measured on: a real project's checkout, or this repository by default. */
const prefilterDir = args.find((a) => a.startsWith('--prefilter-dir='))?.slice('--prefilter-dir='.length) ?? path.resolve(__dirname, '..', '..');
const distDir = path.resolve(__dirname, '..');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The generated workspace the project index is measured on (`npm run bench -- project` takes any size). */
const PROJECT_FILES = 1_000;

/** The language that also gets a 50k-line file, to show how the cost grows. */
const LARGEST: LanguageId = 'python';

function fmt(value: number | null, digits = 1): string {
  return value === null ? '—' : value.toFixed(digits);
}

function table(cases: readonly CaseResult[], prefilter: PrefilterResult, server: ServerResult | undefined): string {
  const rows = [
    ['language', 'lines', 'parse ms', 'analyze ms', 'analyze/parse', 'edit ms', 'edit fast path', 'ruff ms', 'eslint ms', 'eslint/analyze', 'findings'],
    ...cases.map((c) => [
      c.language, String(c.lines), fmt(c.parse_ms), fmt(c.analyze_ms), `${fmt(c.analyze_ms / c.parse_ms, 2)}×`, fmt(c.edit_ms, 2), `${Math.round(c.edit_fast_share * 100)} %`,
      fmt(c.ruff_ms), fmt(c.eslint_ms), c.eslint_ms === null ? '—' : `${fmt(c.eslint_ms / c.analyze_ms, 1)}×`, String(c.findings),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((cell, i) => (i < 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const out = [line(rows[0]!), `|${widths.map((w, i) => (i < 1 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)];
  out.push('', `Prefilter over ${prefilter.dir}: ${prefilter.skipped} of ${prefilter.files} files skipped, ${fmt(prefilter.ms_per_1000_lines, 3)} ms per 1,000 lines; as one project, ${prefilter.with_project.skipped} skipped (${prefilter.with_project.modules} modules of interest, learned in ${prefilter.with_project.learn_ms} ms).`);
  if (server !== undefined) {
    out.push('', '| server (stdio, 10k-line Python file) | value |', '|---|---:|');
    out.push(`| start → first diagnostics, 1k lines | ${fmt(server.start_to_diagnostics_1k_ms, 0)} ms |`);
    out.push(`| start → first diagnostics, 10k lines | ${fmt(server.start_to_diagnostics_ms, 0)} ms |`);
    out.push(`| hover round trip | ${fmt(server.hover_ms, 2)} ms |`);
    out.push(`| code action round trip | ${fmt(server.code_action_ms, 2)} ms |`);
    out.push(`| RSS with 20 open 1k-line files | ${fmt(server.rss_20_files_mb)} MB |`);
    out.push(`| RSS growth over 2,000 edits | ${fmt(server.rss_growth_2000_edits_mb)} MB |`);
  }
  const cpus = os.cpus();
  out.push('', `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
  return out.join('\n');
}

/**
 * Each construct that real code repeats (test/fuzz/scaling.ts), 1,000 times in one file: the
 * analysis of the opened document, median of three, per language and construct. A Java builder
 * chain of 25 calls once took minutes; each of these should take milliseconds.
 */
async function benchRepeated(analyzer: Analyzer, languages: readonly LanguageId[]): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const language of languages) {
    await analyzer.prepare(language);
    const row: Record<string, number> = {};
    for (const c of SCALING_CASES[language]) {
      const doc = analyzer.open(c.text(1000), language);
      doc.analyze();
      const times = [0, 1, 2].map(() => {
        const start = process.hrtime.bigint();
        doc.analyze();
        return Number(process.hrtime.bigint() - start) / 1e6;
      });
      doc.dispose();
      row[c.name] = Number(median(times).toFixed(2));
    }
    out[language] = row;
    const worst = Object.entries(row).sort((a, b) => b[1] - a[1])[0];
    log(`${language}: ${Object.keys(row).length} repeated constructs at n = 1,000, slowest ${worst?.[0]} ${worst?.[1]} ms`);
  }
  return out;
}

async function main(): Promise<void> {
  if (serverOnly) {
    const server = await benchServer(distDir, log);
    process.stdout.write(`${JSON.stringify({ server }, null, 2)}\n`);
    return;
  }
  const analyzer = new Analyzer({ wasmPath: (file) => path.join(distDir, file) });
  const languages = SUPPORTED_LANGUAGES.filter((l) => only === undefined || only.includes(l));
  const cases: CaseResult[] = [];
  for (const language of languages) {
    for (const lines of language === LARGEST ? [1_000, 10_000, 50_000] : [1_000, 10_000]) {
      const result = await benchCase(analyzer, language, lines);
      log(`${language} ${lines}: parse ${fmt(result.parse_ms)} ms, analyze ${fmt(result.analyze_ms)} ms, edit ${fmt(result.edit_ms, 2)} ms (fast path ${Math.round(result.edit_fast_share * 100)} %${result.edit_fallback === null ? '' : `, fallback: ${result.edit_fallback}`}), ruff ${fmt(result.ruff_ms)} ms, eslint ${fmt(result.eslint_ms)} ms, ${result.findings} findings`);
      cases.push(result);
    }
  }
  const repeated = await benchRepeated(analyzer, languages);
  const prefilter = await benchPrefilter(prefilterDir, analyzer);
  log(`prefilter: ${prefilter.skipped} of ${prefilter.files} files skipped, ${fmt(prefilter.ms_per_1000_lines, 3)} ms per 1,000 lines; with the tree as a project ${prefilter.with_project.skipped} skipped, learning ${prefilter.with_project.learn_ms} ms`);
  const project = await benchProjectIndex(analyzer, PROJECT_FILES);
  log(`project index of ${project.files} files: cold ${project.index_cold_ms} ms, from saved summaries ${project.index_warm_ms} ms, RSS +${project.index_rss_mb} MB`);
  const server = withServer ? await benchServer(distDir, log) : undefined;
  const output = {
    cases: cases.map(({ findings: _, ...c }) => c),
    repeated_1000_ms: repeated,
    prefilter: { files: prefilter.files, skipped: prefilter.skipped, ms_per_1000_lines: prefilter.ms_per_1000_lines, with_project: prefilter.with_project },
    project,
    server: server ?? null,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    log(`\n${table(cases, prefilter, server)}`);
  } else {
    process.stdout.write(`${table(cases, prefilter, server)}\n\n${JSON.stringify(output)}\n`);
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
