import type { FileFacts, CallFact } from '../facts/types.js';
import type { YamlFacts } from '../facts/yaml.js';
import type { Fix, LanguageId, Severity, TextRange } from '../types.js';

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
}

export interface RawFinding {
  readonly range: TextRange;
  readonly message: string;
  readonly fixes: readonly Fix[];
}

export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): RawFinding[];
}

/** The callee's range: the name a reader sees and hovers. */
export function calleeRange(call: CallFact): TextRange {
  return { start: call.calleeStart, end: call.calleeEnd };
}

/** Whether the callee is spelled through its module (`tenacity.retry`) rather than a bare imported name. */
export function isQualified(call: CallFact): boolean {
  return call.node.type === 'call' ? call.node.childForFieldName('function')?.type === 'attribute' : call.node.type === 'attribute';
}
