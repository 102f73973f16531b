import type { AnalysisResult, FileKind, Finding, LineIndex, RelatedLocation, Signal } from '../analysis/index.js';

export interface FileReport {
  /** Path relative to the working directory, with forward slashes. */
  readonly path: string;
  /** Production, test or example code (generated and minified files are never reported). */
  readonly kind: FileKind;
  /** Test or example code reported as hints: left out of SARIF (see `--test-code`). */
  readonly hintsOnly: boolean;
  readonly result: AnalysisResult;
  readonly lines: LineIndex;
  /** How a project file is named in the report (relative to the working directory). */
  readonly display: (file: string) => string;
}

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** 1-based lines and columns (columns in UTF-16 code units), as ESLint and SARIF count them. */
export function position(lines: LineIndex, range: { start: number; end: number }): Position {
  const start = lines.position(range.start);
  const end = lines.position(range.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** A related place of the JSON report: another file's by its line, the same file's from its offsets. */
function relatedJson(f: FileReport, r: RelatedLocation): { path: string; line: number; column: number; message: string } {
  if (r.origin !== undefined) return { path: f.display(r.origin.path), line: r.origin.line + 1, column: r.origin.character + 1, message: r.message };
  const at = position(f.lines, r.range);
  return { path: f.path, line: at.line, column: at.column, message: r.message };
}

/** The `--format json` document of the CLI contract (SPEC: "The CLI contract"). */
export function toJson(files: readonly FileReport[], withSignals: boolean): string {
  return JSON.stringify({
    version: 1,
    files: files.map((f) => ({
      path: f.path,
      language: f.result.language,
      kind: f.kind,
      findings: f.result.findings.map((x: Finding) => ({
        rule: x.rule, ruleRef: x.ruleRef, chapter: x.chapter, severity: x.severity, message: x.message, ...position(f.lines, x.range),
        // Present only when the finding depends on another file of the project.
        ...(x.related === undefined ? {} : { related: x.related.map((r) => relatedJson(f, r)) }),
      })),
      ...(withSignals ? { signals: f.result.signals.map((s: Signal) => ({ kind: s.kind, api: s.api, chapters: s.chapters, ...position(f.lines, s.range) })) } : {}),
    })),
  }, null, 2);
}
