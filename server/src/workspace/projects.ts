import type { Analyzer, LanguageId, ProjectModel, SummaryCache } from '../analysis/index.js';
import { FileResolver } from './resolver.js';
import { projectRootOf } from './project-root.js';

type ModelSource = Partial<Pick<Analyzer, 'projectModel' | 'summaries' | 'prepare'>>;

/** A script module may import one in a sibling language (a `.ts` file a `.js` one): their grammars load together. */
const SCRIPT_LANGUAGES: readonly LanguageId[] = ['javascript', 'typescript', 'tsx'];

/**
 * One project model per root, sharing one summary cache: the CLI and the MCP server resolve each
 * file from its own root (or from one root given by the user), reading only the modules it reaches.
 */
export class ProjectModels {
  private readonly models = new Map<string, { model: ProjectModel; resolver: FileResolver }>();
  private cache: SummaryCache | undefined;

  /** `root`: one root for every file; undefined: each file's nearest marker; null: no project at all. */
  constructor(private readonly analyzer: ModelSource, private readonly root: string | undefined | null, private readonly cwd = process.cwd()) {}

  /** Loads the grammars the modules a file of `language` may import are read with, so no answer depends on file order. */
  async prepare(language: LanguageId): Promise<void> {
    if (this.root === null || this.analyzer.prepare === undefined) return;
    for (const other of SCRIPT_LANGUAGES.includes(language) ? SCRIPT_LANGUAGES : [language]) await this.analyzer.prepare(other);
  }

  for(file: string): { model: ProjectModel; path: string } | undefined {
    if (this.root === null || this.analyzer.projectModel === undefined || this.analyzer.summaries === undefined) return undefined;
    const root = this.root ?? projectRootOf(file, this.cwd);
    let entry = this.models.get(root);
    if (entry === undefined) {
      this.cache ??= this.analyzer.summaries();
      const resolver = new FileResolver(root);
      entry = { model: this.analyzer.projectModel(resolver, this.cache), resolver };
      this.models.set(root, entry);
    }
    return { model: entry.model, path: file };
  }
}
