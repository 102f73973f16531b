import type { Language, Tree } from 'web-tree-sitter';
import type { LanguageId } from '../types.js';
import { javascriptFacts } from './javascript.js';
import { pythonFacts } from './python.js';
import { javaFacts } from './java.js';
import { goFacts } from './go.js';
import { rubyFacts } from './ruby.js';
import type { FileFacts } from './types.js';
import type { ProjectView } from '../project/types.js';

/** Reads one language's facts off its syntax tree. */
export type FactsExtractor = (tree: Tree, grammar: Language, language: LanguageId, text: string, project?: ProjectView) => FileFacts;

/**
 * The facts extractor of each tree-sitter language. A language is analysed when it has one here
 * and is listed in `SUPPORTED_LANGUAGES` (languages.ts).
 */
export const FACT_EXTRACTORS: Partial<Record<LanguageId, FactsExtractor>> = {
  python: (tree, grammar, _language, text, project) => pythonFacts(tree, grammar, text, project),
  javascript: javascriptFacts,
  typescript: javascriptFacts,
  tsx: javascriptFacts,
  java: (tree, grammar, _language, text, project) => ({ ...javaFacts(tree, grammar, text, project), ...(project?.spring === undefined ? {} : { spring: project.spring }) }),
  go: (tree, grammar, _language, text, project) => goFacts(tree, grammar, text, project),
  ruby: (tree, grammar, _language, text, project) => rubyFacts(tree, grammar, text, project?.ruby),
};
