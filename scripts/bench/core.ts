import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';
import type { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { generate, middleEditOffset } from './generate.js';
import { fastPath } from '../../server/src/analysis/incremental.js';

/**
 * The analysis core measured in this process: a bare parse (the floor), a first full analysis, a
 * one-character edit with re-analysis, and the anchor tools on the same text. Every measurement of
 * a case is taken in rounds (parse, analyze, anchor, parse, ...), so that load from other
 * processes lands on all of them alike and the ratios within the run stay meaningful.
 */

export interface CaseResult {
  readonly language: LanguageId;
  readonly lines: number;
  readonly parse_ms: number;
  readonly analyze_ms: number;
  readonly edit_ms: number;
  /** The share of the timed edits answered by the in-body edit's fast path (the others took a whole analysis). */
  readonly edit_fast_share: number;
  /** Why the last edit that took a whole analysis did (a step of the fast path), or null when none did. */
  readonly edit_fallback: string | null;
  readonly ruff_ms: number | null;
  readonly eslint_ms: number | null;
  /** Findings of the first analysis, so the reader sees the file is not trivially clean. */
  readonly findings: number;
}

const require = createRequire(__filename);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function time(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * How many measured rounds (after warm-up) a file of this size gets. A round of a 10k-line
 * TypeScript file costs seconds (ESLint alone takes most of them), so the big files get fewer
 * rounds: the whole run has to finish on a loaded two-core machine.
 */
function rounds(lines: number): { warm: number; runs: number } {
  if (lines >= 50_000) return { warm: 1, runs: 3 };
  if (lines >= 10_000) return { warm: 1, runs: 5 };
  return { warm: 3, runs: 15 };
}

/** One-character edits per document, the first ones a warm-up. */
function editRounds(lines: number): { warm: number; runs: number } {
  if (lines >= 50_000) return { warm: 4, runs: 7 };
  if (lines >= 10_000) return { warm: 6, runs: 15 };
  return { warm: 10, runs: 31 };
}

type Anchor = (text: string) => void;

/** Ruff's closest rules: S113 (request without timeout) and its flake8-bandit neighbours. */
function ruffAnchor(): Anchor {
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ lint: { select: ['S113', 'S501', 'S110', 'S112'] } }, ruff.PositionEncoding.Utf16);
  return (text) => {
    workspace.check(text);
  };
}

/** `no-restricted-syntax` selectors that flag what our JavaScript and TypeScript rules flag. */
export const ESLINT_SELECTORS: readonly string[] = [
  // http-timeout: axios, got and fetch without a timeout or signal.
  "CallExpression[callee.object.name='axios'][callee.property.name=/^(get|delete|head|options|post|put|patch|request)$/]:not(:has(Property[key.name='timeout']))",
  "CallExpression[callee.object.name='axios'][callee.property.name='create']:not(:has(Property[key.name='timeout']))",
  "CallExpression[callee.name='fetch'][arguments.length<2]",
  "CallExpression[callee.name='fetch'] > ObjectExpression:not(:has(Property[key.name='signal']))",
  "CallExpression[callee.name='got']:not(:has(Property[key.name='timeout']))",
  // retry-unbounded: p-retry / async-retry forever or with infinite retries.
  "CallExpression[callee.name=/^(pRetry|retry)$/] Property[key.name='forever'][value.value=true]",
  "CallExpression[callee.name=/^(pRetry|retry)$/] Property[key.name='retries'][value.name='Infinity']",
  // retry-no-jitter: p-retry without randomize.
  "CallExpression[callee.name='pRetry']:not(:has(Property[key.name='randomize']))",
];

function eslintAnchor(language: LanguageId): Anchor {
  const { Linter } = require('eslint') as typeof import('eslint');
  const linter = new Linter({ configType: 'flat' });
  const typescript = language === 'typescript' || language === 'tsx';
  const filename = language === 'tsx' ? 'bench.tsx' : language === 'typescript' ? 'bench.ts' : 'bench.js';
  const config = [{
    files: [`**/${filename}`],
    languageOptions: {
      ecmaVersion: 'latest' as const,
      sourceType: 'module' as const,
      ...(typescript ? { parser: require('@typescript-eslint/parser') as import('eslint').Linter.Parser } : {}),
      parserOptions: { ecmaFeatures: { jsx: language === 'tsx' } },
    },
    rules: { 'no-restricted-syntax': ['warn', ...ESLINT_SELECTORS] as import('eslint').Linter.RuleEntry },
  }];
  return (text) => {
    const messages = linter.verify(text, config, { filename });
    // A message with no rule is a parse error or a configuration that did not apply: no measurement.
    const broken = messages.find((m) => m.ruleId === null);
    if (broken !== undefined) throw new Error(`ESLint did not lint the ${language} input: ${broken.message} (line ${broken.line})`);
    if (messages.length === 0) throw new Error(`ESLint found nothing in the ${language} input: the selectors do not apply`);
  };
}

function anchorsFor(language: LanguageId): { ruff: Anchor | undefined; eslint: Anchor | undefined } {
  return {
    ruff: language === 'python' ? ruffAnchor() : undefined,
    eslint: language === 'javascript' || language === 'typescript' || language === 'tsx' ? eslintAnchor(language) : undefined,
  };
}

/** The bare parse: tree-sitter's for code, the `yaml` package's for YAML (what the core parses YAML with). */
function parser(analyzer: Analyzer, language: LanguageId): Anchor {
  if (language === 'yaml') return (text) => void parseAllDocuments(text, { uniqueKeys: false });
  return (text) => analyzer.parseOnly(text, language);
}

export async function benchCase(analyzer: Analyzer, language: LanguageId, lines: number): Promise<CaseResult> {
  await analyzer.prepare(language);
  const text = generate(language, lines);
  const { warm, runs } = rounds(lines);
  const anchors = anchorsFor(language);
  const parse = parser(analyzer, language);
  const samples = { parse: [] as number[], analyze: [] as number[], ruff: [] as number[], eslint: [] as number[] };
  let findings = 0;
  for (let round = 0; round < warm + runs; round++) {
    const keep = round >= warm;
    const p = time(() => parse(text));
    const a = time(() => {
      findings = analyzer.analyzeSync(text, language).findings.length;
    });
    const r = anchors.ruff === undefined ? undefined : time(() => anchors.ruff?.(text));
    const e = anchors.eslint === undefined ? undefined : time(() => anchors.eslint?.(text));
    if (!keep) continue;
    samples.parse.push(p);
    samples.analyze.push(a);
    if (r !== undefined) samples.ruff.push(r);
    if (e !== undefined) samples.eslint.push(e);
  }
  return {
    language,
    lines,
    parse_ms: median(samples.parse),
    analyze_ms: median(samples.analyze),
    ...edits(analyzer, language, text, lines),
    ruff_ms: anchors.ruff === undefined ? null : median(samples.ruff),
    eslint_ms: anchors.eslint === undefined ? null : median(samples.eslint),
    findings,
  };
}

/**
 * A one-character edit in the middle of the open document (typing a letter, then deleting it,
 * alternately): the incremental reparse and the re-analysis until the findings are ready, and how
 * many of the timed edits the fast path answered.
 */
function edits(analyzer: Analyzer, language: LanguageId, text: string, lines: number): Pick<CaseResult, 'edit_ms' | 'edit_fast_share' | 'edit_fallback'> {
  const doc = analyzer.open(text, language);
  try {
    doc.analyze();
    const at = middleEditOffset(text);
    const { warm, runs } = editRounds(lines);
    const samples: number[] = [];
    let fast = 0;
    let fallback: string | null = null;
    for (let i = 0; i < warm + runs; i++) {
      const change = i % 2 === 0 ? { start: at, end: at, newText: 'x' } : { start: at, end: at + 1, newText: '' };
      fastPath.fallback = '';
      const ms = time(() => {
        doc.update([change]);
        doc.analyze();
      });
      if (doc.lastPath !== 'edit') fallback = fastPath.fallback === '' ? 'no fast path for the language' : fastPath.fallback;
      if (i < warm) continue;
      samples.push(ms);
      if (doc.lastPath === 'edit') fast++;
    }
    return { edit_ms: median(samples), edit_fast_share: fast / runs, edit_fallback: fallback };
  } finally {
    doc.dispose();
  }
}
