import fs from 'node:fs';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import { mayHaveSignals } from '../../server/src/analysis/prefilter.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { walkFolder } from '../../server/src/workspace/walk.js';
import { median } from './core.js';

export interface PrefilterResult {
  readonly dir: string;
  readonly files: number;
  readonly skipped: number;
  readonly ms_per_1000_lines: number;
}

/**
 * The prefilter over every analysable file of a tree, as the workspace scan walks it (.gitignore
 * applies): how many files it skips, and its cost per 1,000 lines, median of three passes.
 */
export function benchPrefilter(dir: string): PrefilterResult {
  const texts: { text: string; language: LanguageId }[] = [];
  for (const file of walkFolder(dir, { isExcluded: () => false })) {
    const language = languageFromPath(file);
    if (language !== undefined) texts.push({ text: fs.readFileSync(file, 'utf8'), language });
  }
  const lines = texts.reduce((n, t) => n + t.text.split('\n').length, 0);
  let skipped = 0;
  const passes = [0, 1, 2].map(() => {
    skipped = 0;
    const start = process.hrtime.bigint();
    for (const { text, language } of texts) if (!mayHaveSignals(text, language)) skipped++;
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  return { dir, files: texts.length, skipped, ms_per_1000_lines: (median(passes) / Math.max(lines, 1)) * 1000 };
}
