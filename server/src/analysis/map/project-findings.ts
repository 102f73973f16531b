import { LineIndex } from '../parsing/positions.js';
import { RULES } from '../rules/index.js';
import type { ProjectRawFinding, Rule } from '../rules/rule.js';
import { findingOf, sortSuppressed } from '../finding.js';
import { SuppressionIndex } from '../suppressions.js';
import type { Finding, SeveritySetting, SuppressedFinding, SuppressionComment, TextRange } from '../types.js';
import { joinProject, type JoinOptions, type MapFileInput, type ProjectJoin } from './join.js';

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

export type ProjectFindings = Map<string, { findings: Finding[]; suppressed: SuppressedFinding[] }>;

export function projectFindings(files: readonly ProjectFileInput[], options: JoinOptions = {}): ProjectFindings {
  return findingsOfJoin(files, joinProject(files, options));
}

/** What the project rules report over a join, before any file's text places it: the rule and its raw finding. */
export type ProjectRawFindings = readonly { readonly rule: Rule; readonly raw: ProjectRawFinding }[];

export function rawFindingsOfJoin(joined: ProjectJoin): ProjectRawFindings {
  return RULES.flatMap((rule) => (rule.checkProject?.(joined) ?? []).map((raw) => ({ rule, raw })));
}

/**
 * The project rules' findings from a join already made (and their raw findings, when the caller
 * has them: a host that also asks which files they are in runs the rules once). A file given
 * without its text (a closed file, in the editor) takes part in the join but gets no findings.
 */
export function findingsOfJoin(files: readonly (MapFileInput | ProjectFileInput)[], joined: ProjectJoin, raws: ProjectRawFindings = rawFindingsOfJoin(joined)): ProjectFindings {
  const out: ProjectFindings = new Map();
  const byPath = new Map<string, ProjectFileInput>();
  for (const f of files) if ('text' in f) byPath.set(f.path, f);
  for (const { rule, raw } of raws) {
    const file = byPath.get(raw.path);
    const setting = file?.rules?.[rule.meta.id];
    if (file === undefined || setting === 'off' || !rule.meta.languages.includes(file.language)) continue;
    const lines = new LineIndex(file.text);
    const range = 'line' in raw.range ? lineRange(file.text, lines, raw.range.line) : raw.range;
    const finding: Finding = { ...findingOf(rule, { ...raw, range }, file.language, lines, { setting, hintsOnly: file.hintsOnly }), ...(raw.related === undefined ? {} : { related: raw.related }) };
    const entry = out.get(file.path) ?? { findings: [], suppressed: [] };
    out.set(file.path, entry);
    sortSuppressed(finding, new SuppressionIndex(file.suppressions, lines).find(rule.meta.id, range.start), entry.findings, entry.suppressed);
  }
  return out;
}

/** A 1-based line's text without its indentation and trailing blanks: where a finding about the line sits. */
function lineRange(text: string, lines: LineIndex, line: number): TextRange {
  const start = lines.lineStart(Math.max(0, line - 1));
  const newline = text.indexOf('\n', start);
  const end = newline < 0 ? text.length : newline;
  const content = text.slice(start, end);
  const lead = content.length - content.trimStart().length;
  return { start: start + lead, end: Math.max(start + lead, start + content.trimEnd().length) };
}
