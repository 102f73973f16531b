import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID, SIGNAL_RISKS, type AnalysisResult, type TextRange } from '../analysis/index.js';
import { renderFinding, renderRule, renderSignalCard, type Links } from '../catalog/render.js';
import type { Catalog } from '../catalog/types.js';
import { toRange } from './convert.js';

const contains = (range: TextRange, offset: number): boolean => range.start <= offset && offset <= range.end;
const size = (range: TextRange): number => range.end - range.start;

/**
 * The hover at an offset: a signal's card (its risk, the findings there, its chapters' rules),
 * a rule's card over a rule id in a suppression comment, or the findings alone.
 */
export function hoverAt(doc: TextDocument, result: AnalysisResult, offset: number, catalog: Catalog, links: Links): Hover | null {
  for (const comment of result.suppressions) {
    const id = comment.rules.find((r) => contains(r.range, offset));
    if (id === undefined) continue;
    const meta = RULES_BY_ID.get(id.id)?.meta;
    const rule = meta === undefined ? undefined : catalog.rules[meta.ruleRef];
    const text = meta === undefined
      ? `\`${id.id}\` is not a Task Reliability rule: this comment suppresses nothing.`
      : `\`${meta.id}\`: ${meta.description}${comment.reason === undefined ? '\n\nAdd a reason after `--` so the next reader knows why this is safe.' : ''}${rule === undefined ? '' : `\n\n${renderRule(rule, links)}`}`;
    return { contents: { kind: 'markdown', value: text }, range: toRange(doc, id.range.start, id.range.end) };
  }
  const findings = result.findings.filter((f) => contains(f.range, offset));
  const signal = result.signals.filter((s) => contains(s.range, offset)).sort((a, b) => size(a.range) - size(b.range))[0];
  if (signal !== undefined) {
    // A name from another module says where it comes from, above the card.
    const names = (result.projectNames ?? []).filter((n) => signal.range.start <= n.range.start && n.range.end <= signal.range.end);
    const origin = names.map((n) => `${n.message}.\n\n`).join('');
    const value = origin + renderSignalCard(catalog, { ...signal, risk: SIGNAL_RISKS[signal.kind] }, findings, links);
    return { contents: { kind: 'markdown', value }, range: toRange(doc, signal.range.start, signal.range.end) };
  }
  if (findings.length > 0) {
    const value = findings.map((f) => renderFinding(catalog, f, links)).join('\n\n---\n\n');
    const first = findings[0];
    return { contents: { kind: 'markdown', value }, ...(first === undefined ? {} : { range: toRange(doc, first.range.start, first.range.end) }) };
  }
  return null;
}
