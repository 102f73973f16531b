/**
 * The data the agents' front ends share (CLI `route`/`book`, the MCP server, VS Code's
 * language-model tools). Everything here is plain data computed from the catalog and from the
 * analyzer's results, so each front end only reads its input and renders the same answer.
 */
import type { AnalysisResult, LanguageId, Severity, SignalKind } from '../analysis/index.js';
import type { BookRule, Chapter, ChecklistItem, MatrixRow } from '../catalog/types.js';

/** One analysed file: the analyzer's result and the text it ran on (to turn offsets into lines). */
export interface FileAnalysis {
  /** How the file is shown to the agent: relative to the working directory or the workspace. */
  readonly path: string;
  readonly text: string;
  readonly result: AnalysisResult;
}

/** A 1-based line and column span, as the CLI's JSON output and ESLint report them. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Why a matrix row, a chapter or a rule was chosen: the evidence, so an agent can judge it. */
export type Reason =
  | { readonly kind: 'finding'; readonly rule: string; readonly path: string; readonly line: number }
  | { readonly kind: 'signal'; readonly signal: SignalKind; readonly path: string; readonly line: number }
  | { readonly kind: 'words'; readonly words: readonly string[] }
  | { readonly kind: 'row'; readonly row: string };

export interface RoutedRow {
  readonly row: MatrixRow;
  readonly score: number;
  readonly reasons: readonly Reason[];
}

export interface RoutedChapter {
  readonly chapter: Pick<Chapter, 'id' | 'title' | 'loadWhen'>;
  readonly score: number;
  /** Matrix rows and words that led here, most important first. */
  readonly via: readonly string[];
}

/** Where an applicable rule came from; the order of this list is the order of priority. */
export type RuleSource = 'finding' | 'row' | 'words' | 'chapter';

export interface RoutedRule {
  readonly rule: BookRule;
  readonly source: RuleSource;
}

export interface RoutedFinding extends Span {
  readonly path: string;
  readonly rule: string;
  readonly ruleRef: string;
  readonly chapter: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface RouteResult {
  readonly task: string | undefined;
  readonly rows: readonly RoutedRow[];
  /** Content chapters to read, in order; chapter 13 (the checklist) always closes the list. */
  readonly chapters: readonly RoutedChapter[];
  readonly rules: readonly RoutedRule[];
  readonly findings: readonly RoutedFinding[];
  /** Signal kinds seen in the files, with how often: the topics that are in play. */
  readonly signals: readonly { readonly kind: SignalKind; readonly count: number }[];
  readonly files: readonly string[];
  /** Framework keys the files' signals show, in order of first appearance: APPLY is filtered to them. */
  readonly frameworks: readonly string[];
  /** The languages of the files, for APPLY steps keyed by language (`**Go:**`). */
  readonly languages: readonly LanguageId[];
}

export interface AuditEdit extends Span {
  readonly newText: string;
}

export interface AuditFix {
  readonly title: string;
  readonly safe: boolean;
  readonly edits: readonly AuditEdit[];
}

export interface AuditFinding extends Span {
  readonly rule: string;
  readonly ruleRef: string;
  readonly chapter: number;
  readonly severity: Severity;
  readonly message: string;
  /** The source line the finding is on, trimmed, so an agent sees the code without opening the file. */
  readonly code: string;
  readonly fix: AuditFix | undefined;
}

export interface AuditFile {
  readonly path: string;
  readonly language: string;
  readonly findings: readonly AuditFinding[];
  readonly signals: readonly { readonly kind: SignalKind; readonly api: string; readonly line: number }[];
}

/**
 * A checklist item's state. `failing`: an analyzer rule that answers it reports a finding;
 * `passed`: the analyzer answers it and found nothing; `open`: the reader must check it.
 */
export type ChecklistState = 'failing' | 'passed' | 'open';

export interface AuditChecklistItem {
  readonly item: ChecklistItem;
  readonly state: ChecklistState;
  /** How many findings keep a failing item open. */
  readonly findings: number;
}

export interface AuditResult {
  readonly files: readonly AuditFile[];
  /** Files named or found but not analysed, with the reason. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Chapters the files touch (through signals and findings); the checklist is scoped to them. */
  readonly chapters: readonly number[];
  readonly checklist: readonly AuditChecklistItem[];
  /** Checklist items outside the touched chapters, left out of `checklist`. */
  readonly checklistOutOfScope: number;
}
