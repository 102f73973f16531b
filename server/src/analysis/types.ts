import type { ProjectModel } from './project/model.js';
import type { ModuleSummary, Origin } from './project/types.js';
import type { RuntimePlace } from './runtime.js';
import type { MapFileFacts } from './map/facts.js';

export type { Origin } from './project/types.js';

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
  /** The options that decide this API's behaviour, as the call sets them, for the APIs that have such options. */
  readonly settings?: readonly SignalSetting[];
  /**
   * For a call through a client made in this file (`crm.get` on `crm = axios.create({...})`): the
   * callee of the call that made it, where the client's options, and a finding about them, are.
   */
  readonly client?: TextRange;
}

/**
 * One option of a signal's call: `set` with its source text, `unset` when the call does not pass
 * it, `unknown` when the call passes `**kwargs` or a spread (or the file reads its config elsewhere).
 */
export interface SignalSetting {
  readonly name: string;
  readonly state: 'set' | 'unset' | 'unknown';
  readonly value?: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Safe fixes do exactly what the rule asks with a conventional value; only they are applied by fix-all. */
  readonly safe: boolean;
}

/**
 * A place a finding depends on, with the sentence that says why: in another file (`origin`, by line
 * and character), or in the finding's own file (`range`, by offsets, which move with edits like the
 * finding's own range).
 */
export type RelatedLocation =
  | { readonly origin: Origin; readonly range?: undefined; readonly message: string }
  | { readonly range: TextRange; readonly origin?: undefined; readonly message: string };

/** A name of the file that stands for something another project module defines, for hovers. */
export interface ProjectNameUse {
  readonly range: TextRange;
  /** "`app` is the Celery app defined in shop/celeryconf.py:7" */
  readonly message: string;
  readonly origin: Origin | undefined;
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
  /** Other files this finding depends on (the module that defines the Celery app it uses). */
  readonly related?: readonly RelatedLocation[];
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
  /** Names resolved through the project model, where calls use them. */
  readonly projectNames?: readonly ProjectNameUse[];
  /** The project files the analysis read, for a host that re-analyses dependents. */
  readonly dependencies?: readonly string[];
  /** This file's export summary, when it was analysed with its project: what its dependents see. */
  readonly summary?: ModuleSummary;
  /** The file's task map facts, when asked for (`AnalyzeOptions.map`): the join builds the project's map from them. */
  readonly map?: MapFileFacts;
}

export interface AnalyzeOptions {
  /** Per-rule severity or `off`; rules not named keep their default severity. */
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  /** The timeout that `http-timeout` fixes insert, in seconds. */
  readonly fixTimeoutSeconds?: number;
  /** The file's project: names imported from the project's modules resolve through it. */
  readonly project?: { readonly model: ProjectModel; readonly path: string };
  /**
   * Report every finding at hint severity (test and example code, see `file-kind.ts`): the
   * finding and its fixes stay, but it no longer reads as a problem of the product.
   */
  readonly hintsOnly?: boolean;
  /** Where the file sits (its path and its package's verdict), for telling browser code from server code (`runtime.ts`). */
  readonly place?: RuntimePlace;
  /** Also read the file's task map facts (`AnalysisResult.map`). */
  readonly map?: boolean;
}
