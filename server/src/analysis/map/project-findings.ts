import { LineIndex } from '../parsing/positions.js';
import { RULES } from '../rules/index.js';
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

/**
 * The project rules' findings from a join already made. A file given without its text (a closed
 * file, in the editor) takes part in the join but gets no findings: nobody is shown them.
 */
export function findingsOfJoin(files: readonly (MapFileInput | ProjectFileInput)[], joined: ProjectJoin): ProjectFindings {
  const out: ProjectFindings = new Map();
  const rules = RULES.filter((r) => r.checkProject !== undefined);
  if (rules.length === 0) return out;
  const byPath = new Map<string, ProjectFileInput>();
  for (const f of files) if ('text' in f) byPath.set(f.path, f);
  for (const rule of rules) {
    for (const raw of rule.checkProject?.(joined) ?? []) {
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
  }
  return out;
}

/** The files the project rules report in, from a join: the files a host must give with their text. */
export function projectFindingPaths(joined: ProjectJoin): Set<string> {
  const paths = new Set<string>();
  for (const rule of RULES) for (const raw of rule.checkProject?.(joined) ?? []) paths.add(raw.path);
  return paths;
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
