/**
 * The audit as Markdown: findings per file with the code line and the fix's edits, then the
 * self-audit checklist of the chapters the files touch, failing items first. Within a budget, like
 * the route: a workspace can have hundreds of findings, and the counts say what was left out.
 */
import { linkTo, type AgentLinks } from './links.js';
import { BudgetWriter, code } from './markdown.js';
import type { AuditChecklistItem, AuditEdit, AuditFinding, AuditResult } from './types.js';

export const DEFAULT_AUDIT_BUDGET = 12_000;

const STATE_ORDER = { failing: 0, open: 1, passed: 2 } as const;

export function renderAudit(result: AuditResult, links: AgentLinks, budget = DEFAULT_AUDIT_BUDGET): string {
  const out = new BudgetWriter(Math.max(1000, budget));
  const findings = result.files.reduce((n, f) => n + f.findings.length, 0);
  const bySeverity = (s: string): number => result.files.reduce((n, f) => n + f.findings.filter((x) => x.severity === s).length, 0);
  const counts = ['error', 'warning', 'info', 'hint'].map((s) => [s, bySeverity(s)] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  out.add('# Reliability audit');
  out.add('');
  out.add(`${result.files.length} file${result.files.length === 1 ? '' : 's'} analysed, ${findings} finding${findings === 1 ? '' : 's'}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}.`);
  if (result.skipped.length > 0) out.add(`Skipped: ${result.skipped.map((s) => `${code(s.path)} (${s.reason})`).join(', ')}.`);

  // Room for the checklist's failing items, which matter more than the tail of a long findings list.
  const checklistRoom = Math.min(3000, 200 + result.checklist.length * 160);
  let dropped = 0;
  for (const file of result.files) {
    if (file.findings.length === 0) continue;
    if (!out.add(`\n## ${file.path}`, checklistRoom)) {
      dropped += file.findings.length;
      continue;
    }
    for (const f of file.findings) if (!out.add(findingBlock(f, links), checklistRoom)) dropped++;
  }
  if (dropped > 0) out.add(`\n${dropped} more finding${dropped === 1 ? '' : 's'} not shown (budget); audit fewer files to see them.`);
  if (findings === 0 && result.files.length > 0) out.add('\nNo findings.');

  out.add('\n## Self-audit checklist (chapter 13)');
  if (result.checklist.length === 0) {
    out.add(result.chapters.length === 0
      ? 'The files use none of the APIs the analyzer recognises, so no checklist group applies. If the change does queue, retry, schedule, call out, publish, pay or notify, walk the groups it touches in chapter 13.'
      : 'No checklist item applies to the chapters these files touch.');
    return out.toString();
  }
  out.add(`Chapters touched: ${result.chapters.join(', ')}. Failing items first; items the analyzer cannot answer are yours to check.`);
  const items = [...result.checklist].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state]);
  let left = 0;
  for (const item of items) if (!out.add(checklistLine(item, links))) left++;
  const passed = result.checklist.filter((i) => i.state === 'passed').length;
  if (left > 0) out.add(`${left} more item${left === 1 ? '' : 's'} not shown (budget).`);
  if (result.checklistOutOfScope > 0) out.add(`${result.checklistOutOfScope} items of other chapters left out; ${passed} answered by the analyzer with no finding.`);
  return out.toString();
}

function findingBlock(f: AuditFinding, links: AgentLinks): string {
  const lines = [
    `- **${f.line}:${f.column}** ${code(f.rule)} (${linkTo(f.ruleRef, links.rule(f.ruleRef))}, ${f.severity}): ${f.message}`,
    `  Code: ${code(f.code)}`,
  ];
  if (f.fix !== undefined) {
    lines.push(`  Fix${f.fix.safe ? '' : ' (review before applying)'}: ${f.fix.title}`);
    for (const e of f.fix.edits) lines.push(`  - ${describeEdit(e)}`);
  }
  return lines.join('\n');
}

function describeEdit(e: AuditEdit): string {
  const at = `${e.line}:${e.column}`;
  const text = e.newText.includes('\n') ? `\n\n    \`\`\`\n${e.newText.replace(/^/gm, '    ')}\n    \`\`\`` : code(e.newText);
  if (e.line === e.endLine && e.column === e.endColumn) return `insert at ${at}: ${text}`;
  if (e.newText === '') return `delete ${at}–${e.endLine}:${e.endColumn}`;
  return `replace ${at}–${e.endLine}:${e.endColumn} with ${text}`;
}

function checklistLine(c: AuditChecklistItem, links: AgentLinks): string {
  const box = c.state === 'passed' ? '[x]' : '[ ]';
  const state = c.state === 'failing'
    ? `**failing**: ${c.findings} finding${c.findings === 1 ? '' : 's'} of ${c.item.answeredBy.map(code).join(', ')}`
    : c.state === 'passed' ? `answered: no ${c.item.answeredBy.map(code).join(' or ')} finding` : 'check by hand';
  return `- ${box} ${linkTo(`**${c.item.ruleId}**`, links.rule(c.item.ruleId))} ${c.item.text} (${c.item.group}; ${state})`;
}
