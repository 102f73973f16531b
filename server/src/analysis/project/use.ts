import type { Tree } from 'web-tree-sitter';
import type { FileFacts } from '../facts/types.js';
import type { LanguageId, RelatedLocation, TextRange } from '../types.js';
import type { ProjectModel } from './model.js';
import { javascriptSummary } from './javascript-summary.js';
import { goSummary } from './go-summary.js';
import { javaSummary } from './java-summary.js';
import { pythonSummary } from './python-summary.js';
import { rubySummary } from './ruby-summary.js';
import type { ModuleSummary, ProjectView } from './types.js';

/** The summary of a parsed file, for the languages the project model reads. */
export function summaryOfTree(tree: Tree, language: LanguageId): ModuleSummary | undefined {
  if (language === 'python') return pythonSummary(tree.rootNode);
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') return javascriptSummary(tree.rootNode, language);
  if (language === 'go') return goSummary(tree.rootNode);
  if (language === 'ruby') return rubySummary(tree.rootNode);
  if (language === 'java') return javaSummary(tree.rootNode);
  return undefined;
}

/** What the analysed file's imports stand for, read from its own tree and its project. */
export function projectView(model: ProjectModel, path: string, language: LanguageId, tree: Tree, text: string): { summary: ModuleSummary; view: ProjectView } | undefined {
  const summary = summaryOfTree(tree, language);
  if (summary === undefined) return undefined;
  // The file's own summary, from the tree already parsed: dependents read it without a parse.
  model.cache.put(text, language, summary);
  return { summary, view: model.viewFor(path, summary) };
}

/**
 * The other files a finding depends on: the definitions of the project names used by the call
 * it sits in, or by the decorator of the function it sits in.
 */
export function relatedTo(facts: FileFacts | undefined, range: TextRange, own: readonly RelatedLocation[] = []): { related?: readonly RelatedLocation[] } {
  const related: RelatedLocation[] = [...own];
  for (const use of facts?.projectUses ?? []) {
    if (use.origin === undefined) continue;
    const call = use.call;
    const inCall = call.start <= range.start && range.end <= call.end;
    const fn = call.decorator?.functionNode;
    const inFunction = fn !== undefined && fn.startIndex <= range.start && range.end <= fn.endIndex;
    if ((inCall || inFunction) && !related.some((r) => r.origin === use.origin)) related.push({ origin: use.origin, message: `\`${use.local}\` is ${use.description}` });
  }
  return related.length === 0 ? {} : { related };
}
