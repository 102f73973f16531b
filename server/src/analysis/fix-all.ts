import { applyEdits } from './fixes/apply.js';
import type { Analyzer } from './session.js';
import type { AnalyzeOptions, LanguageId, TextEdit } from './types.js';

/**
 * Applies safe fixes one at a time, re-analysing after each, so that fix-all gives exactly the
 * text that applying the fixes one by one would. Returns the final text and the edits as one
 * replacement, or undefined when nothing changed.
 */
export function fixAll(
  analyzer: Analyzer,
  text: string,
  language: LanguageId,
  options: AnalyzeOptions | undefined,
  onlyRule?: string,
): { text: string; edit: TextEdit } | undefined {
  let current = text;
  const tried = new Set<string>();
  // Every round removes one finding; the bound guards against a fix that does not.
  for (let round = 0; round < 1000; round++) {
    const result = analyzer.analyzeSync(current, language, options);
    const next = result.findings.find((f) => {
      const key = `${f.rule}:${f.message}:${f.range.start}`;
      return (onlyRule === undefined || f.rule === onlyRule) && f.fixes[0]?.safe === true && !tried.has(key);
    });
    const fix = next?.fixes[0];
    if (next === undefined || fix === undefined) break;
    tried.add(`${next.rule}:${next.message}:${next.range.start}`);
    current = applyEdits(current, fix.edits);
  }
  if (current === text) return undefined;
  return { text: current, edit: minimalEdit(text, current) };
}

/** One edit that turns `before` into `after`, trimmed to the part that differs. */
export function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, newText: after.slice(start, endAfter) };
}
