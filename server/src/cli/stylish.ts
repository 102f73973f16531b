import type { Severity } from '../analysis/index.js';
import { position, type FileReport } from './report.js';

const CODES = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, underline: 4 } as const;
type Style = keyof typeof CODES;

const ANSI = /\u001b\[\d+m/g;
const width = (text: string): number => text.replace(ANSI, '').length;

/** Columns padded to their widest cell, measured without colour codes, as ESLint's stylish does. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, width(cell)); });
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell)))).join('  ')}`.trimEnd());
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * ESLint's "stylish" layout: each file with findings, then one row per finding (line:column,
 * severity, message, rule id), then a summary. Colours only when `colour` is set (a terminal).
 */
export function toStylish(files: readonly FileReport[], colour: boolean, withSignals: boolean): string {
  const c = (style: Style, text: string): string => (colour ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const severityStyle: Readonly<Record<Severity, Style>> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' };
  const out: string[] = [];
  for (const file of files) {
    const rows = file.result.findings.map((f) => {
      counts[f.severity]++;
      const p = position(file.lines, f.range);
      return [c('dim', `${p.line}:${p.column}`), c(severityStyle[f.severity], f.severity), f.message, c('dim', `${f.rule} (${f.ruleRef})`)];
    });
    const signals = withSignals ? file.result.signals.map((s) => {
      const p = position(file.lines, s.range);
      return [c('dim', `${p.line}:${p.column}`), c('dim', 'signal'), `${s.kind} ${s.api}`, c('dim', `chapters ${s.chapters.join(', ')}`)];
    }) : [];
    if (rows.length === 0 && signals.length === 0) continue;
    out.push(c('underline', file.path), ...table([...rows, ...signals]), '');
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  if (total === 0) {
    out.push(`No problems found in ${plural(files.length, 'file')}.`);
    return out.join('\n');
  }
  const others = counts.info + counts.hint;
  const summary = `✖ ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}${others > 0 ? `, ${others} info` : ''})`;
  out.push(c('bold', c(counts.error > 0 ? 'red' : 'yellow', summary)));
  return out.join('\n');
}
