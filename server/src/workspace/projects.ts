import type { Analyzer, ProjectModel, SummaryCache } from '../analysis/index.js';
import { FileResolver, projectRootOf } from './resolver.js';

type ModelSource = Partial<Pick<Analyzer, 'projectModel' | 'summaries'>>;

/**
 * One project model per root, sharing one summary cache: the CLI and the MCP server resolve each
 * file from its own root (or from one root given by the user), reading only the modules it reaches.
 */
export class ProjectModels {
  private readonly models = new Map<string, { model: ProjectModel; resolver: FileResolver }>();
  private cache: SummaryCache | undefined;

  /** `root`: one root for every file; undefined: each file's nearest marker; null: no project at all. */
  constructor(private readonly analyzer: ModelSource, private readonly root: string | undefined | null, private readonly cwd = process.cwd()) {}

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
