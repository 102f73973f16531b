import type { LineIndex } from './parsing/positions.js';
import type { RawFinding, Rule } from './rules/rule.js';
import { suppressFileEdit, suppressLineEdit } from './suppressions.js';
import type { Finding, LanguageId, Severity, SeveritySetting, SuppressedFinding, SuppressionComment } from './types.js';

/** A rule's raw finding as reported: its severity (hints only, the user's setting, the rule's), and its suppression edits. */
export function findingOf(rule: Rule, raw: RawFinding, language: LanguageId, lines: LineIndex, options: { setting: SeveritySetting | undefined; hintsOnly: boolean | undefined; inJsx?: ((offset: number) => boolean) | undefined }): Finding {
  const severity: Severity = options.hintsOnly === true ? 'hint' : (options.setting === 'off' ? undefined : options.setting) ?? raw.severity ?? rule.meta.defaultSeverity;
  return {
    rule: rule.meta.id,
    ruleRef: rule.meta.ruleRef,
    chapter: rule.meta.chapter,
    severity,
    message: raw.message,
    range: raw.range,
    fixes: raw.fixes,
    suppressLine: [suppressLineEdit(language, lines, rule.meta.id, raw.range.start, options.inJsx)],
    suppressFile: [suppressFileEdit(language, lines, rule.meta.id)],
  };
}

/** A finding kept, or set aside with the comment that suppresses it. */
export function sortSuppressed(finding: Finding, by: SuppressionComment | undefined, findings: Finding[], suppressed: SuppressedFinding[]): void {
  if (by === undefined) findings.push(finding);
  else suppressed.push({ ...finding, suppression: { kind: by.kind, reason: by.reason, range: by.range } });
}
