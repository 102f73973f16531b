import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID, SIGNAL_RISKS, type AnalysisResult, type Finding, type TextRange } from '../analysis/index.js';
import { renderFindingsCard, renderRuleCard, renderSignalCard, type CardFinding, type CardOptions, type Links } from '../catalog/render.js';
import { bookRule, type Catalog } from '../catalog/types.js';
import { toRange } from './convert.js';

const contains = (range: TextRange, offset: number): boolean => range.start <= offset && offset <= range.end;
const overlaps = (a: TextRange, b: TextRange): boolean => a.start <= b.end && b.start <= a.end;
const size = (range: TextRange): number => range.end - range.start;
const card = (f: Finding): CardFinding => ({ rule: f.rule, ruleRef: f.ruleRef, severity: f.severity, message: f.message, fix: f.fixes[0]?.title });

/**
 * The hover at an offset: a signal's card (its findings, or its risk, settings and rules), a
 * rule's card over a rule id in a suppression comment, or the findings alone.
 */
export function hoverAt(doc: TextDocument, result: AnalysisResult, offset: number, catalog: Catalog, links: Links, options: CardOptions = {}): Hover | null {
  for (const comment of result.suppressions) {
    const id = comment.rules.find((r) => contains(r.range, offset));
    if (id === undefined) continue;
    const meta = RULES_BY_ID.get(id.id)?.meta;
    const rule = meta === undefined ? undefined : bookRule(catalog, meta.ruleRef);
    const head = meta === undefined
      ? `\`${id.id}\` is not a Task Reliability rule: this comment suppresses nothing.`
      : `\`${meta.id}\`: ${meta.description}${comment.reason === undefined ? '\n\nAdd a reason after `--` so the next reader knows why this is safe.' : ''}`;
    const text = rule === undefined ? head : `${head}\n\n${renderRuleCard(catalog, rule, links, result.language)}`;
    return { contents: { kind: 'markdown', value: text }, range: toRange(doc, id.range.start, id.range.end) };
  }
  const findings = result.findings.filter((f) => contains(f.range, offset));
  const signal = result.signals.filter((s) => contains(s.range, offset)).sort((a, b) => size(a.range) - size(b.range))[0];
  if (signal !== undefined) {
    // A name from another module says where it comes from, above the card.
    const names = (result.projectNames ?? []).filter((n) => signal.range.start <= n.range.start && n.range.end <= signal.range.end);
    const origin = names.map((n) => `${n.message}.\n\n`).join('');
    const value = origin + renderSignalCard(catalog, { ...signal, risk: SIGNAL_RISKS[signal.kind] }, findings.map(card), links, result.language, options);
    return { contents: { kind: 'markdown', value }, range: toRange(doc, signal.range.start, signal.range.end) };
  }
  const first = findings[0];
  if (first === undefined) return null;
  // The framework of a finding with no signal under the cursor is the one of the call it covers.
  const api = result.signals.filter((s) => overlaps(s.range, first.range)).sort((a, b) => size(a.range) - size(b.range))[0]?.api;
  const value = renderFindingsCard(catalog, findings.map(card), links, { language: result.language, api }, options);
  return { contents: { kind: 'markdown', value }, range: toRange(doc, first.range.start, first.range.end) };
}
