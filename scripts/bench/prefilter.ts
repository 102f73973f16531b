import fs from 'node:fs';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import { mayHaveSignals } from '../../server/src/analysis/prefilter.js';
import { ProjectPrefilter } from '../../server/src/analysis/project-prefilter.js';
import type { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';
import { walkFolder } from '../../server/src/workspace/walk.js';
import { median } from './core.js';

export interface PrefilterResult {
  readonly dir: string;
  readonly files: number;
  readonly skipped: number;
  readonly ms_per_1000_lines: number;
  /** The same tree as one project: the files its prefilter skips, and what learning its modules of interest cost. */
  readonly with_project: { readonly skipped: number; readonly learn_ms: number; readonly summarised: number; readonly modules: number };
}

/**
 * The prefilter over every analysable file of a tree, as the workspace scan walks it (.gitignore
 * applies): how many files it skips, and its cost per 1,000 lines, median of three passes. Then
 * the tree as one project (the CLI's and the editor's case): the project's prefilter learns its
 * modules of interest once, and skips what names neither a library nor one of them.
 */
export async function benchPrefilter(dir: string, analyzer: Analyzer): Promise<PrefilterResult> {
  const texts: { file: string; text: string; language: LanguageId }[] = [];
  for (const file of walkFolder(dir, { isExcluded: () => false })) {
    const language = languageFromPath(file);
    if (language !== undefined) texts.push({ file, text: fs.readFileSync(file, 'utf8'), language });
  }
  const lines = texts.reduce((n, t) => n + t.text.split('\n').length, 0);
  let skipped = 0;
  const passes = [0, 1, 2].map(() => {
    skipped = 0;
    const start = process.hrtime.bigint();
    for (const { text, language } of texts) if (!mayHaveSignals(text, language)) skipped++;
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  for (const language of ['python', 'javascript', 'typescript', 'tsx'] as const) await analyzer.prepare(language);
  const resolver = new FileResolver(dir);
  const project = new ProjectPrefilter(analyzer.projectModel(resolver), () => ({ files: texts.map((t) => t.file), read: (file) => resolver.read(file), languageOf: languageFromPath }));
  const start = process.hrtime.bigint();
  let projectSkipped = 0;
  for (const { text, language } of texts) if (!project.passes(text, language)) projectSkipped++;
  const learnMs = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    dir,
    files: texts.length,
    skipped,
    ms_per_1000_lines: (median(passes) / Math.max(lines, 1)) * 1000,
    with_project: { skipped: projectSkipped, learn_ms: Math.round(learnMs), summarised: project.stats.summarised, modules: project.stats.modules },
  };
}
