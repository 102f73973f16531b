/**
 * The analysis core's public data. Everything here is plain data with UTF-16 offsets into the
 * analysed text, so the language server, the CLI and the tests can share one `analyze()`.
 */

/** The languages the core analyses, after mapping editor language ids (see `languages.ts`). */
export type LanguageId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'ruby' | 'java' | 'go' | 'yaml';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SIGNAL_KINDS = [
  'http-call',
  'retry',
  'task-def',
  'enqueue',
  'consumer',
  'queue-config',
  'schedule',
  'notify',
  'payment',
  'circuit-breaker',
  'lock',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A recognised API use: what is called, where, and which chapters explain its risks. */
export interface Signal {
  readonly kind: SignalKind;
  /** Canonical API name, for example `requests.post` or `bullmq.Queue.add`. */
  readonly api: string;
  readonly range: TextRange;
  /** Chapters to read, most relevant first. */
  readonly chapters: readonly number[];
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Safe fixes do exactly what the rule asks with a conventional value; only they are applied by fix-all. */
  readonly safe: boolean;
}

export interface Finding {
  readonly rule: string;
  /** The book rule this finding cites, for example `R6.1`. */
  readonly ruleRef: string;
  readonly chapter: number;
  readonly severity: Severity;
  readonly message: string;
  readonly range: TextRange;
  readonly fixes: readonly Fix[];
  /** Edits that insert a `reliability-ignore-next-line` comment for this finding. */
  readonly suppressLine: readonly TextEdit[];
  /** Edits that insert a `reliability-ignore-file` comment for this rule. */
  readonly suppressFile: readonly TextEdit[];
}

export interface SuppressedFinding extends Finding {
  readonly suppression: { readonly kind: 'line' | 'file'; readonly reason: string | undefined; readonly range: TextRange };
}

/** A suppression comment, reported so that hovers can explain the rule it names. */
export interface SuppressionComment {
  readonly kind: 'line' | 'file';
  readonly rules: readonly { readonly id: string; readonly range: TextRange }[];
  readonly reason: string | undefined;
  readonly range: TextRange;
}

export interface AnalysisResult {
  readonly language: LanguageId;
  readonly signals: readonly Signal[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly suppressions: readonly SuppressionComment[];
  /** True when the parser had to recover from syntax errors; findings are still reported. */
  readonly hasSyntaxErrors: boolean;
}

export interface AnalyzeOptions {
  /** Per-rule severity or `off`; rules not named keep their default severity. */
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  /** The timeout that `http-timeout` fixes insert, in seconds. */
  readonly fixTimeoutSeconds?: number;
  /**
   * Report every finding at hint severity (test and example code, see `file-kind.ts`): the
   * finding and its fixes stay, but it no longer reads as a problem of the product.
   */
  readonly hintsOnly?: boolean;
}
