import { lookupTable } from './lookup.js';
import type { LanguageId } from './types.js';

/** Editor language ids (VS Code's and LSP's) mapped to the grammar the core parses them with. */
const EDITOR_LANGUAGES: Readonly<Record<string, LanguageId>> = lookupTable({
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  tsx: 'tsx',
  yaml: 'yaml',
  'github-actions-workflow': 'yaml',
  ruby: 'ruby',
  java: 'java',
  go: 'go',
});

const EXTENSIONS: Readonly<Record<string, LanguageId>> = lookupTable({
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.rb': 'ruby',
  // Rake task files: Ruby that Rake loads (`lib/tasks/*.rake`), where scheduled tasks enqueue jobs.
  '.rake': 'ruby',
  '.java': 'java',
  '.go': 'go',
});

/** Languages whose detectors exist; others are parsed by nobody and yield no results. */
export const SUPPORTED_LANGUAGES: readonly LanguageId[] = ['python', 'javascript', 'typescript', 'tsx', 'yaml', 'java', 'go', 'ruby'];

export function languageFromEditorId(id: string): LanguageId | undefined {
  const language = EDITOR_LANGUAGES[id];
  return language !== undefined && SUPPORTED_LANGUAGES.includes(language) ? language : undefined;
}

export function languageFromPath(path: string): LanguageId | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const language = EXTENSIONS[path.slice(dot).toLowerCase()];
  return language !== undefined && SUPPORTED_LANGUAGES.includes(language) ? language : undefined;
}

/** The line-comment prefix used when the core inserts a suppression comment. */
export function lineCommentPrefix(language: LanguageId): string {
  return language === 'python' || language === 'yaml' || language === 'ruby' ? '#' : '//';
}
