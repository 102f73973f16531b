import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, Finding, RelatedLocation, Severity, TextEdit } from '../analysis/index.js';
import { movePoint, type Splice } from '../analysis/incremental.js';
import { uriOf } from './folders.js';
import type { DiagnosticData, FileReport, LspTextEdit } from '../protocol.js';
import type { Links } from '../catalog/render.js';
import type { BasedSplice } from '../worker/protocol.js';
import { trace } from '../trace.js';

export const SOURCE = 'task-reliability';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

export function toLspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText }));
}

/** A finding as a diagnostic, carrying its fix and suppression edits in `data`. */
export function toDiagnostic(doc: TextDocument, finding: Finding, links: Links): Diagnostic {
  const data: DiagnosticData = {
    rule: finding.rule,
    ruleRef: finding.ruleRef,
    chapter: finding.chapter,
    fixes: finding.fixes.map((f) => ({ title: f.title, safe: f.safe, edits: toLspEdits(doc, f.edits) })),
    suppressLine: toLspEdits(doc, finding.suppressLine),
    suppressFile: toLspEdits(doc, finding.suppressFile),
  };
  return {
    range: toRange(doc, finding.range.start, finding.range.end),
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: links.rule(finding.ruleRef) },
    source: SOURCE,
    message: `${finding.message} (${finding.ruleRef})`,
    ...(finding.related === undefined ? {} : { relatedInformation: finding.related.map((r) => relatedInformation(doc, r)) }),
    data,
  };
}

/**
 * The diagnostics of a result the in-body edit's fast path spliced (`Splice`) from those of the
 * result it started from: the findings before the edited declaration keep theirs, those after it
 * keep theirs moved by the edit's rows, the declaration's own are converted. Undefined when a kept
 * diagnostic has a point the edit may have moved otherwise (the caller then converts them all).
 */
export function spliced(doc: TextDocument, result: { readonly findings: readonly Finding[] }, splice: Splice, previous: readonly Diagnostic[], links: Links): Diagnostic[] | undefined {
  const out: Diagnostic[] = [];
  for (const diagnostic of previous.slice(0, splice.before)) {
    // Points before the change are where they were; anything else is not kept as it was.
    const moved = movedDiagnostic(doc.uri, diagnostic, splice);
    if (moved !== diagnostic) return undefined;
    out.push(diagnostic);
  }
  const inside = result.findings.length - splice.after;
  for (let i = splice.before; i < inside; i++) out.push(toDiagnostic(doc, result.findings[i] as Finding, links));
  for (const diagnostic of previous.slice(previous.length - splice.after)) {
    const moved = movedDiagnostic(doc.uri, diagnostic, splice);
    if (moved === undefined) return undefined;
    out.push(moved);
  }
  return out;
}

/** A diagnostic with its points in this document moved by a splice's edit: itself when none moves, undefined when one cannot be moved. */
function movedDiagnostic(uri: string, diagnostic: Diagnostic, splice: Splice): Diagnostic | undefined {
  let changed = false;
  let failed = false;
  const range = (r: Range): Range => {
    const start = movePoint(splice, r.start.line, r.start.character);
    const end = movePoint(splice, r.end.line, r.end.character);
    if (start === undefined || end === undefined) {
      failed = true;
      return r;
    }
    if (start.line === r.start.line && end.line === r.end.line) return r;
    changed = true;
    return { start, end };
  };
  const edits = (list: readonly LspTextEdit[]): LspTextEdit[] => list.map((e) => {
    const moved = range(e.range);
    return moved === e.range ? e : { range: moved, newText: e.newText };
  });
  const data = diagnostic.data as DiagnosticData;
  const next: Diagnostic = {
    ...diagnostic,
    range: range(diagnostic.range),
    data: {
      ...data,
      fixes: data.fixes.map((f) => ({ ...f, edits: edits(f.edits) })),
      suppressLine: edits(data.suppressLine),
      suppressFile: edits(data.suppressFile),
    },
    ...(diagnostic.relatedInformation === undefined ? {} : {
      relatedInformation: diagnostic.relatedInformation.map((r) => (r.location.uri !== uri ? r : { ...r, location: { ...r.location, range: range(r.location.range) } })),
    }),
  };
  if (failed) return undefined;
  return changed ? next : diagnostic;
}

/** A place the finding depends on, as the editor links it under the diagnostic. */
function relatedInformation(doc: TextDocument, related: RelatedLocation): DiagnosticRelatedInformation {
  const o = related.origin;
  if (o === undefined) return { location: { uri: doc.uri, range: toRange(doc, related.range.start, related.range.end) }, message: related.message };
  return { location: { uri: uriOf(o.path), range: { start: { line: o.line, character: o.character }, end: { line: o.endLine, character: o.endCharacter } } }, message: related.message };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['rule'] === 'string' && typeof v['ruleRef'] === 'string' && Array.isArray(v['fixes']) && Array.isArray(v['suppressLine']) && Array.isArray(v['suppressFile']);
}

/** A file's signals and findings as the client's report of it shows them (`skipped` says why it has none). */
export function fileReportOf(uri: string, text: TextDocument, result: AnalysisResult | undefined, skipped: string | undefined): FileReport {
  return {
    uri,
    version: text.version,
    signals: (result?.signals ?? []).map((s) => ({ kind: s.kind, api: s.api, chapters: s.chapters, range: toRange(text, s.range.start, s.range.end) })),
    findings: (result?.findings ?? []).map((f) => ({ rule: f.rule, ruleRef: f.ruleRef, chapter: f.chapter, severity: f.severity, message: f.message, range: toRange(text, f.range.start, f.range.end) })),
    ...(skipped === undefined ? {} : { skipped }),
  };
}

/**
 * The diagnostics last converted for each open document, by the number of the worker's analysis
 * they came from. After an in-body edit that the worker's fast path answered from the analysis
 * whose diagnostics were converted last, the findings the edit only moved keep their diagnostics
 * (moved by the edit's rows): only the declaration's own are converted. A diagnostic with a point
 * the edit may have moved otherwise is converted again.
 */
export class KeptDiagnostics {
  private readonly last = new Map<string, { readonly seq: number; readonly diagnostics: Diagnostic[] }>();

  convert(uri: string, doc: TextDocument, result: AnalysisResult, analysis: { readonly seq: number; readonly splice: BasedSplice | undefined } | undefined, links: Links): Diagnostic[] {
    const last = this.last.get(uri);
    const splice = analysis?.splice;
    let diagnostics: Diagnostic[] | undefined;
    if (splice !== undefined && last !== undefined && last.seq === splice.basis && splice.before + splice.after <= result.findings.length && last.diagnostics.length === splice.previous) {
      diagnostics = spliced(doc, result, splice, last.diagnostics, links);
    }
    if (diagnostics !== undefined) trace(`diagnostics kept ${splice?.before ?? 0} before and ${splice?.after ?? 0} after the edited declaration, converted ${diagnostics.length - (splice?.before ?? 0) - (splice?.after ?? 0)}`);
    diagnostics ??= result.findings.map((f) => toDiagnostic(doc, f, links));
    if (analysis !== undefined) this.last.set(uri, { seq: analysis.seq, diagnostics });
    return diagnostics;
  }

  /** A closed document's diagnostics are not kept: its next analysis starts afresh. */
  forget(uri: string): void {
    this.last.delete(uri);
  }
}
