import { LineIndex } from '../parsing/positions.js';
import { RULES } from '../rules/index.js';
import { findingOf, sortSuppressed } from '../finding.js';
import { SuppressionIndex } from '../suppressions.js';
import type { Finding, SeveritySetting, SuppressedFinding, SuppressionComment } from '../types.js';
import { joinProject, type JoinOptions, type MapFileInput } from './join.js';

/**
 * The findings of the rules that read the joined project (`Rule.checkProject`), per file, with
 * the same severities, suppression comments and suppression edits as a file's own findings.
 */
export interface ProjectFileInput extends MapFileInput {
  readonly text: string;
  readonly suppressions: readonly SuppressionComment[];
  /** The file's per-rule settings; a rule set `off` is not run for it. */
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  readonly hintsOnly?: boolean;
}

export function projectFindings(files: readonly ProjectFileInput[], options: JoinOptions = {}): Map<string, { findings: Finding[]; suppressed: SuppressedFinding[] }> {
  const out = new Map<string, { findings: Finding[]; suppressed: SuppressedFinding[] }>();
  const rules = RULES.filter((r) => r.checkProject !== undefined);
  if (rules.length === 0) return out;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const { sites } = joinProject(files, options);
  for (const rule of rules) {
    for (const raw of rule.checkProject?.(sites) ?? []) {
      const file = byPath.get(raw.path);
      const setting = file?.rules?.[rule.meta.id];
      if (file === undefined || setting === 'off' || !rule.meta.languages.includes(file.language)) continue;
      const lines = new LineIndex(file.text);
      const finding: Finding = { ...findingOf(rule, raw, file.language, lines, { setting, hintsOnly: file.hintsOnly }), ...(raw.related === undefined ? {} : { related: raw.related }) };
      const entry = out.get(file.path) ?? { findings: [], suppressed: [] };
      out.set(file.path, entry);
      sortSuppressed(finding, new SuppressionIndex(file.suppressions, lines).find(rule.meta.id, raw.range.start), entry.findings, entry.suppressed);
    }
  }
  return out;
}
