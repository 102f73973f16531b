import type { Node } from 'web-tree-sitter';
import type { FileFacts, CallFact } from '../facts/types.js';
import type { YamlFacts } from '../facts/yaml.js';
import type { Fix, LanguageId, RelatedLocation, Severity, TextRange } from '../types.js';
import type { RuntimePlace } from '../runtime.js';
import type { ProjectJoin } from '../map/join.js';

/** Everything a rule says about itself; the registry test checks it against the book and package.json. */
export interface RuleMeta {
  readonly id: string;
  /** The book rule it cites (`R6.1`); must exist in `content/`. */
  readonly ruleRef: string;
  readonly chapter: number;
  /** What it flags, in one sentence (settings and SARIF show it). */
  readonly description: string;
  readonly defaultSeverity: Severity;
  readonly languages: readonly LanguageId[];
  /** Whether the rule offers a fix, and whether fix-all may apply it. */
  readonly fix: 'safe' | 'unsafe' | 'none';
}

export interface RuleContext {
  readonly language: LanguageId;
  /** Facts of tree-sitter languages; undefined for YAML. */
  readonly facts: FileFacts | undefined;
  /** Kubernetes and workflow documents; undefined for code. */
  readonly yaml: YamlFacts | undefined;
  readonly fixTimeoutSeconds: number;
  /** Where the file sits, when the host knows (`runtime.ts`). */
  readonly place?: RuntimePlace;
}

export interface RawFinding {
  readonly range: TextRange;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /** Places in other files the finding depends on (a configuration key), besides the project names its call uses. */
  readonly related?: readonly RelatedLocation[];
  /**
   * A lower default for this finding than the rule's, when this form of the construct needs
   * context the file cannot show (an in-process schedule may run in one replica only). A
   * severity the user sets for the rule still wins.
   */
  readonly severity?: Severity;
}

/**
 * What a rule's check for one language reads outside the top-level declaration a finding is in
 * (the in-body edit's fast path re-analyses one declaration in a context that holds the file's
 * other statements and the declarations it names, not the rest; see `incremental.ts`). An edit that
 * changes any of it in the edited declaration, or that edits a declaration holding a reader, takes a
 * whole analysis. `LOCAL` says the check reads nothing else; the differential test of the fast path
 * (`test/unit/incremental-edits.test.ts`) holds every rule to it.
 */
export interface FileWideReads {
  /** Method names the check looks for on calls anywhere in the file, whatever the receiver (a lock taken, a message rejected). */
  readonly calls?: readonly RegExp[];
  /** Which of the file's imports the declarations use (an import used only inside a fix's range must not be left unused). */
  readonly importUses?: true;
  /** Which module-level names the declarations assign (a package-level `var` assigned in a function is no constant). */
  readonly moduleAssignments?: true;
  /**
   * The calls (their API, or an API prefix ending in `.`) whose findings read other declarations
   * than their own, in ways the lists above do not name: a declaration that holds one, before or
   * after an edit, is not re-analysed alone.
   */
  readonly readers?: readonly string[];
  /** The whole document: a YAML rule that compares the documents of a stream (the fast path never re-analyses one alone). */
  readonly wholeText?: true;
}

/** A check that reads nothing outside a finding's own declaration. */
export const LOCAL: FileWideReads = Object.freeze({});

export interface Rule {
  readonly meta: RuleMeta;
  /** What each language's check reads outside a finding's declaration; the registry test checks every language has an entry. */
  readonly reads: Partial<Record<LanguageId, FileWideReads>>;
  check(context: RuleContext): RawFinding[];
  /**
   * A rule the task map makes possible reads the joined project (map/join.ts: enqueue sites,
   * tasks and schedules) instead of one file; its findings go to the file they name.
   */
  checkProject?(project: ProjectJoin): ProjectRawFinding[];
}

export interface ProjectRawFinding extends Omit<RawFinding, 'range'> {
  /** The input path of the file the finding is in. */
  readonly path: string;
  /** Offsets, or a 1-based line when the facts keep no offsets (a task's definition): the line's text is flagged. */
  readonly range: RawFinding['range'] | { readonly line: number };
}

/** A rule over the joined project, for the languages whose map facts it reads. */
export function defineProjectRule(meta: Omit<RuleMeta, 'languages'>, languages: readonly LanguageId[], check: (project: ProjectJoin) => ProjectRawFinding[]): Rule {
  // Its file check finds nothing: the task map's facts it reads are spliced by the fast path on their own.
  return { meta: { ...meta, languages }, reads: Object.fromEntries(languages.map((language) => [language, LOCAL])), check: () => [], checkProject: check };
}

/** A rule's check for one language; larger ones live in `rules/<rule-id>/<language>.ts`. */
export type LanguageCheck = (context: RuleContext) => RawFinding[];

/**
 * Builds a rule from its metadata and one check per language. The languages a rule supports are
 * exactly those it has a check for, so the registry, the fixtures test and the settings agree.
 */
export function defineRule(meta: Omit<RuleMeta, 'languages'>, checks: Partial<Record<LanguageId, LanguageCheck>>, reads: Partial<Record<LanguageId, FileWideReads>>): Rule {
  const languages = Object.keys(checks) as LanguageId[];
  return {
    meta: { ...meta, languages },
    reads,
    check: (context) => checks[context.language]?.(context) ?? [],
  };
}

/** The same check for JavaScript, TypeScript and TSX, which share one facts model. */
export function forJavaScript<T = LanguageCheck>(check: T): Partial<Record<LanguageId, T>> {
  return { javascript: check, typescript: check, tsx: check };
}

/** Runs `check` on every call of a tree-sitter language's facts. */
export function eachCall(context: RuleContext, check: (facts: FileFacts, call: CallFact, context: RuleContext) => RawFinding | undefined): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const finding = check(facts, call, context);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/**
 * Calls of the file inside `node`'s subtree, from the facts (only calls that resolve to an API).
 * A linear filter: facts hold a few dozen calls in a typical file.
 */
export function callsWithin(facts: FileFacts, node: Node): CallFact[] {
  // A node's offsets are read from the wasm tree on every access: read them once, not per call.
  const start = node.startIndex;
  const end = node.endIndex;
  return facts.calls.filter((c) => c.start >= start && c.end <= end);
}

/** The callee's range: the name a reader sees and hovers. */
export function calleeRange(call: CallFact): TextRange {
  return { start: call.calleeStart, end: call.calleeEnd };
}

/**
 * A call of this file that a finding depends on, as related information: its callee (where the
 * finding itself would be reported) and a sentence that starts with the callee as written.
 */
export function relatedCall(call: Node, why: string): RelatedLocation {
  const callee = call.childForFieldName('function') ?? call;
  return { range: { start: callee.startIndex, end: callee.endIndex }, message: `\`${callee.text.replace(/\s+/g, '')}\` ${why}` };
}

/** Whether the callee is spelled through its module (`tenacity.retry`) rather than a bare imported name. */
export function isQualified(call: CallFact): boolean {
  return call.node.type === 'call' ? call.node.childForFieldName('function')?.type === 'attribute' : call.node.type === 'attribute';
}
