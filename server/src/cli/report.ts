import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULES, type AnalysisResult, type LineIndex, type Finding, type Signal, type SuppressedFinding } from '../analysis/index.js';
import { renderRule } from '../catalog/render.js';
import type { Catalog } from '../catalog/types.js';

export interface FileReport {
  /** Path relative to the working directory, with forward slashes. */
  readonly path: string;
  readonly result: AnalysisResult;
  readonly lines: LineIndex;
}

interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** 1-based lines and columns, as ESLint reports them. */
function position(lines: LineIndex, range: { start: number; end: number }): Position {
  const start = lines.position(range.start);
  const end = lines.position(range.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function toJson(files: readonly FileReport[], withSignals: boolean): string {
  return JSON.stringify({
    version: 1,
    files: files.map((f) => ({
      path: f.path,
      language: f.result.language,
      findings: f.result.findings.map((x: Finding) => ({
        rule: x.rule, ruleRef: x.ruleRef, chapter: x.chapter, severity: x.severity, message: x.message, ...position(f.lines, x.range),
      })),
      ...(withSignals ? { signals: f.result.signals.map((s: Signal) => ({ kind: s.kind, api: s.api, chapters: s.chapters, ...position(f.lines, s.range) })) } : {}),
    })),
  }, null, 2);
}

const COLOURS = { red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', underline: '\u001b[4m', reset: '\u001b[0m' };

/** ESLint's "stylish" layout: a file, then its findings as line:col, severity, message, rule. */
export function toText(files: readonly FileReport[], colour: boolean, withSignals: boolean): string {
  const c = (code: keyof typeof COLOURS, text: string): string => (colour ? `${COLOURS[code]}${text}${COLOURS.reset}` : text);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const file of files) {
    const rows = file.result.findings.map((f) => {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else others++;
      const p = position(file.lines, f.range);
      const severity = f.severity === 'error' ? c('red', 'error') : f.severity === 'warning' ? c('yellow', 'warning') : f.severity;
      return [`${p.line}:${p.column}`, severity, f.message, c('dim', `${f.rule} (${f.ruleRef})`)];
    });
    const signals = withSignals ? file.result.signals.map((s) => {
      const p = position(file.lines, s.range);
      return [`${p.line}:${p.column}`, c('dim', 'signal'), `${s.kind} ${s.api}`, c('dim', `chapters ${s.chapters.join(', ')}`)];
    }) : [];
    if (rows.length === 0 && signals.length === 0) continue;
    out.push(c('underline', file.path));
    for (const row of [...rows, ...signals]) out.push(`  ${row.join('  ')}`);
    out.push('');
  }
  const total = errors + warnings + others;
  if (total > 0) {
    out.push(c(errors > 0 ? 'red' : 'yellow', c('bold', `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${others} info)`)));
  } else {
    out.push(`No problems found in ${files.length} file${files.length === 1 ? '' : 's'}.`);
  }
  return out.join('\n');
}

const LEVEL: Readonly<Record<string, Result.level>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0 with one reportingDescriptor per rule, as GitHub code scanning reads it. */
export function toSarif(files: readonly FileReport[], catalog: Catalog, version: string): string {
  const rules: ReportingDescriptor[] = RULES.map((rule) => {
    const book = catalog.rules[rule.meta.ruleRef];
    const links = { rule: (id: string) => `#${id}`, chapter: (id: number) => `#chapter-${id}` };
    return {
      id: rule.meta.id,
      name: rule.meta.id.replace(/(^|-)([a-z])/g, (_m, _d: string, ch: string) => ch.toUpperCase()),
      shortDescription: { text: rule.meta.description },
      fullDescription: { text: book === undefined ? rule.meta.description : `${book.id} ${book.title}: ${book.rule}` },
      help: { text: book === undefined ? rule.meta.description : `${book.rule}\n\nWhy: ${book.why}`, markdown: book === undefined ? rule.meta.description : renderRule(book, links) },
      defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] ?? 'warning' },
      properties: { tags: ['reliability', `chapter-${rule.meta.chapter}`, rule.meta.ruleRef], precision: 'high' },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const file of files) {
    const all: (Finding | SuppressedFinding)[] = [...file.result.findings, ...file.result.suppressed];
    for (const f of all) {
      const p = position(file.lines, f.range);
      const suppression = 'suppression' in f ? f.suppression : undefined;
      results.push({
        ruleId: f.rule,
        ruleIndex: index.get(f.rule) ?? 0,
        level: LEVEL[f.severity] ?? 'warning',
        message: { text: `${f.message} (${f.ruleRef})` },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: file.path, uriBaseId: '%SRCROOT%' },
            region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
          },
        }],
        partialFingerprints: { taskReliabilityFinding: fingerprint(file, f) },
        ...(suppression === undefined ? {} : { suppressions: [{ kind: 'inSource', ...(suppression.reason === undefined ? {} : { justification: suppression.reason }) }] }),
      });
    }
  }
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'task-reliability', version, semanticVersion: version, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}

/** Stable across unrelated edits: the rule, the file and the text of the flagged line. */
function fingerprint(file: FileReport, finding: Finding): string {
  const line = file.lines.lineOf(finding.range.start);
  const text = file.lines.text.slice(file.lines.lineStart(line), file.lines.lineStart(line + 1)).trim();
  let hash = 2166136261;
  for (const ch of `${finding.rule}\u0000${file.path}\u0000${text}`) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
