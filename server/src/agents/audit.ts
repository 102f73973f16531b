/**
 * The audit an agent runs before it finishes: the findings of its files with their fixes, and the
 * self-audit checklist (chapter 13) answered from those findings where the analyzer can answer it.
 * Pure: the front ends read the files and run the analyzer; this turns results into plain data.
 */
import { LineIndex, RULES, type Finding, type TextRange } from '../analysis/index.js';
import { bookRule, type Catalog } from '../catalog/types.js';
import type { AuditChecklistItem, AuditFile, AuditFinding, AuditResult, FileAnalysis, Span } from './types.js';

/** Rules the analyzer has today; a checklist item answered only by planned rules is the reader's. */
const REGISTERED = new Set(RULES.map((r) => r.meta.id));

export interface AuditInput {
  readonly files: readonly FileAnalysis[];
  readonly skipped?: readonly { readonly path: string; readonly reason: string }[];
  /** `all`: the whole checklist; `touched` (default): the groups of the chapters the files touch. */
  readonly checklist?: 'touched' | 'all';
}

export function audit(catalog: Catalog, input: AuditInput): AuditResult {
  const files = input.files.map(auditFile);
  const touched = new Set<number>();
  for (const file of input.files) {
    for (const s of file.result.signals) for (const c of s.chapters) touched.add(c);
    for (const f of file.result.findings) touched.add(f.chapter);
  }
  const findingCounts = new Map<string, number>();
  for (const file of files) for (const f of file.findings) findingCounts.set(f.rule, (findingCounts.get(f.rule) ?? 0) + 1);

  const inScope = (ruleId: string): boolean => input.checklist === 'all' || touched.has(bookRule(catalog, ruleId)?.chapter ?? 0);
  const checklist: AuditChecklistItem[] = [];
  let outOfScope = 0;
  for (const item of catalog.checklist) {
    if (!inScope(item.ruleId)) {
      outOfScope++;
      continue;
    }
    const answering = item.answeredBy.filter((id) => REGISTERED.has(id));
    const count = answering.reduce((n, id) => n + (findingCounts.get(id) ?? 0), 0);
    const state = count > 0 ? 'failing' : answering.length > 0 ? 'passed' : 'open';
    checklist.push({ item, state, findings: count });
  }
  return {
    files,
    skipped: input.skipped ?? [],
    chapters: [...touched].sort((a, b) => a - b),
    checklist,
    checklistOutOfScope: outOfScope,
  };
}

function auditFile(file: FileAnalysis): AuditFile {
  const lines = new LineIndex(file.text);
  return {
    path: file.path,
    language: file.result.language,
    findings: file.result.findings.map((f) => auditFinding(f, lines)),
    signals: file.result.signals.map((s) => ({ kind: s.kind, api: s.api, line: lines.lineOf(s.range.start) + 1 })),
  };
}

function auditFinding(f: Finding, lines: LineIndex): AuditFinding {
  // The preferred fix is the first safe one; otherwise the first, which the agent must judge.
  const fix = f.fixes.find((x) => x.safe) ?? f.fixes[0];
  const line = lines.lineOf(f.range.start);
  const lineText = lines.text.slice(lines.lineStart(line), line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length);
  return {
    rule: f.rule,
    ruleRef: f.ruleRef,
    chapter: f.chapter,
    severity: f.severity,
    message: f.message,
    ...span(lines, f.range),
    code: lineText.trim(),
    fix: fix === undefined ? undefined : { title: fix.title, safe: fix.safe, edits: fix.edits.map((e) => ({ ...span(lines, e), newText: e.newText })) },
  };
}

function span(lines: LineIndex, range: TextRange): Span {
  const start = lines.position(range.start);
  const end = lines.position(range.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}
