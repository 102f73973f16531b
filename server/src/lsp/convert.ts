import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, RelatedLocation, Severity, TextEdit } from '../analysis/index.js';
import { uriOf } from './folders.js';
import type { DiagnosticData, LspTextEdit } from '../protocol.js';
import type { Links } from '../catalog/render.js';

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
