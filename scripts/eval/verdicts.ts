import { createHash } from 'node:crypto';

/**
 * Judged samples: each finding a reviewer looked at gets a verdict, stored under a key that
 * survives unrelated edits. The key holds the repository, its commit, the file, the rule, the
 * finding's line text with whitespace collapsed and a hash of the lines around it, but not the line
 * number: a finding that moved because lines were added above it keeps its verdict.
 */

export const VERDICTS = ['correct', 'correct-in-test', 'wrong', 'debatable'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface SampledFinding {
  readonly repo: string;
  readonly commit: string;
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
  /** In test or example code by the CLI's classification, where findings are reported as hints. */
  readonly hint?: boolean;
  /** The whole text of the file, split in lines; the key reads the lines around the finding. */
  readonly lines: readonly string[];
}

export interface JudgedRecord {
  readonly key: string;
  readonly repo: string;
  readonly commit: string;
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly verdict: Verdict;
  readonly reason: string;
  /** Set when the sample marked the finding as test or example code (a hint, or a test path). */
  readonly test?: boolean;
}

/** Lines either side of the finding that the key's context hash covers. */
export const KEY_CONTEXT_LINES = 3;
/** Lines either side of the finding shown to a reviewer. */
export const SHOWN_CONTEXT_LINES = 7;

const normalise = (line: string): string => line.trim().replace(/\s+/g, ' ');

export function verdictKey(f: Pick<SampledFinding, 'repo' | 'commit' | 'file' | 'line' | 'rule' | 'lines'>): string {
  const at = f.line - 1;
  const lineText = normalise(f.lines[at] ?? '');
  const context = f.lines.slice(Math.max(0, at - KEY_CONTEXT_LINES), at + KEY_CONTEXT_LINES + 1).map(normalise).join('\n');
  const hash = createHash('sha256').update(`${lineText}\n${context}`).digest('hex').slice(0, 16);
  return `${f.repo}@${f.commit}:${f.file}:${f.rule}:${hash}`;
}

/** Test code by its path, in the conventions of the seven languages and their frameworks. */
export function isTestPath(file: string): boolean {
  const lower = file.toLowerCase();
  if (/(^|\/)(tests?|spec|specs|__tests__|__mocks__|testing|testdata|fixtures?|__fixtures__|\.semgrep|e2e|test-?utils|test-?helpers?|testhelpers?)\//.test(lower)) return true;
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  return /^test_.*\.py$|_tests?\.py$|^conftest\.py$|_test\.go$|\.(test|spec)\.[cm]?[jt]sx?$|_spec\.rb$|_test\.rb$|tests?\.java$|testcase\.java$|it\.java$/.test(base);
}

export function isVerdict(value: string): value is Verdict {
  return (VERDICTS as readonly string[]).includes(value);
}

/** Reads `judged.jsonl`: the last record of a key wins, so a re-judged finding replaces the old verdict. */
export function readJudged(text: string): Map<string, JudgedRecord> {
  const map = new Map<string, JudgedRecord>();
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const record = JSON.parse(raw) as JudgedRecord;
    map.set(record.key, record);
  }
  return map;
}

/** The Markdown a reviewer fills in: one section per finding, with `verdict:` and `reason:` lines. */
export function sampleMarkdown(sample: readonly SampledFinding[], known: ReadonlyMap<string, JudgedRecord>, heading: string): string {
  const out = [`# ${heading}`, '', `Fill in \`verdict:\` with one of ${VERDICTS.map((v) => `\`${v}\``).join(', ')} and give a short \`reason:\`; then run \`npm run eval -- --judge THIS_FILE\`.`, ''];
  sample.forEach((f, i) => {
    const key = verdictKey(f);
    const previous = known.get(key);
    const from = Math.max(1, f.line - SHOWN_CONTEXT_LINES);
    const to = Math.min(f.lines.length, f.line + SHOWN_CONTEXT_LINES);
    const width = String(to).length;
    const code = [];
    for (let n = from; n <= to; n++) code.push(`${n === f.line ? '>' : ' '}${String(n).padStart(width)}  ${f.lines[n - 1] ?? ''}`);
    out.push(`## ${i + 1}. ${f.rule} — ${f.repo} ${f.file}:${f.line}${f.hint === true || isTestPath(f.file) ? ' (test code)' : ''}`, '', `key: \`${key}\``, '', `> ${f.message}`, '', '```', ...code, '```', '');
    out.push(`verdict: ${previous?.verdict ?? ''}`, `reason: ${previous?.reason ?? ''}`, '');
  });
  return out.join('\n');
}

/** Reads verdicts back from a filled-in sample (or from JSONL records with key, verdict and reason). */
export function parseVerdicts(text: string): { key: string; verdict: Verdict; reason: string }[] {
  const found: { key: string; verdict: Verdict; reason: string }[] = [];
  let key: string | undefined;
  let verdict: Verdict | undefined;
  const flush = (reason: string): void => {
    if (key !== undefined && verdict !== undefined) found.push({ key, verdict, reason });
    key = undefined;
    verdict = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('{')) {
      const record = JSON.parse(line) as { key?: unknown; verdict?: unknown; reason?: unknown };
      if (typeof record.key === 'string' && typeof record.verdict === 'string' && isVerdict(record.verdict)) {
        found.push({ key: record.key, verdict: record.verdict, reason: typeof record.reason === 'string' ? record.reason : '' });
      }
      continue;
    }
    const keyMatch = /^key: `([^`]+)`$/.exec(line);
    if (keyMatch !== null) {
      key = keyMatch[1];
      verdict = undefined;
      continue;
    }
    const verdictMatch = /^verdict:\s*(\S*)\s*$/.exec(line);
    if (verdictMatch !== null) {
      const value = verdictMatch[1] ?? '';
      if (value !== '' && !isVerdict(value)) throw new Error(`unknown verdict "${value}" (expected one of ${VERDICTS.join(', ')})`);
      verdict = value === '' ? undefined : value;
      continue;
    }
    const reasonMatch = /^reason:\s*(.*)$/.exec(line);
    if (reasonMatch !== null) flush(reasonMatch[1] ?? '');
  }
  return found;
}

export interface JudgedPrecision {
  readonly judged: number;
  readonly correct: number;
  readonly wrong: number;
  readonly debatable: number;
  /** correct / (correct + wrong); debatable verdicts are left out and counted apart. */
  readonly precision: number | null;
}

/**
 * Precision of judged findings, production and test code apart. `correct-in-test` counts as
 * correct: the finding is right, and the reader learns it sits in test code.
 */
export function judgedPrecision(records: readonly Pick<JudgedRecord, 'file' | 'verdict' | 'test'>[]): { production: JudgedPrecision; test: JudgedPrecision; all: JudgedPrecision } {
  const of = (rs: readonly Pick<JudgedRecord, 'verdict'>[]): JudgedPrecision => {
    const correct = rs.filter((r) => r.verdict === 'correct' || r.verdict === 'correct-in-test').length;
    const wrong = rs.filter((r) => r.verdict === 'wrong').length;
    const debatable = rs.filter((r) => r.verdict === 'debatable').length;
    return { judged: rs.length, correct, wrong, debatable, precision: correct + wrong === 0 ? null : correct / (correct + wrong) };
  };
  const test = records.filter((r) => r.test === true || r.verdict === 'correct-in-test' || isTestPath(r.file));
  const production = records.filter((r) => !test.includes(r));
  return { production: of(production), test: of(test), all: of(records) };
}

/**
 * The records a filled-in sample adds to `judged.jsonl`: verdicts that are new or differ from the
 * known ones. The key names the repository, the commit, the file and the rule; the line comes from
 * the sample's heading.
 */
export function importVerdictsFromText(text: string, known: ReadonlyMap<string, JudgedRecord>): JudgedRecord[] {
  const lineOf = new Map<string, number>();
  const testKeys = new Set<string>();
  let heading: number | undefined;
  let test = false;
  for (const raw of text.split('\n')) {
    const h = /^## .*:(\d+)( \(test code\))?$/.exec(raw);
    if (h !== null) {
      heading = Number(h[1]);
      test = h[2] !== undefined;
    }
    const k = /^key: `([^`]+)`$/.exec(raw.trim());
    if (k !== null && heading !== undefined) {
      lineOf.set(k[1] ?? '', heading);
      if (test) testKeys.add(k[1] ?? '');
    }
  }
  const added: JudgedRecord[] = [];
  for (const v of parseVerdicts(text)) {
    const m = /^(.+?)@([0-9a-f]+):(.+):([^:]+):([0-9a-f]+)$/.exec(v.key);
    if (m === null) throw new Error(`not a verdict key: ${v.key}`);
    const previous = known.get(v.key);
    if (previous !== undefined && previous.verdict === v.verdict && previous.reason === v.reason) continue;
    const test = testKeys.has(v.key) || previous?.test === true;
    added.push({ key: v.key, repo: m[1] ?? '', commit: m[2] ?? '', file: m[3] ?? '', line: lineOf.get(v.key) ?? previous?.line ?? 0, rule: m[4] ?? '', verdict: v.verdict, reason: v.reason, ...(test ? { test } : {}) });
  }
  return added;
}
