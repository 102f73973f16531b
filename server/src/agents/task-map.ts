/**
 * The task map of a project on disk, for the Node front ends (the CLI's `map`, the MCP `map`
 * tool): every file is analysed with its map facts, then the core joins them, resolving module
 * specifiers with the same resolver the project model uses.
 */
import path from 'node:path';
import { joinTaskMap, LineIndex, type Analyzer, type MapFileInput, type TaskMap } from '../analysis/index.js';
import { EMPTY_MAP_FACTS } from '../analysis/map/facts.js';
import { FileResolver } from '../workspace/resolver.js';
import { projectRootOf } from '../workspace/project-root.js';
import { analyzePaths } from './read-files.js';

export interface ProjectMap {
  readonly map: TaskMap;
  /** The root that paths in the map are relative to. */
  readonly root: string;
  readonly files: number;
  readonly skipped: readonly { path: string; reason: string }[];
  readonly configProblems: readonly string[];
  /** Test and example files left out (their tasks and enqueues are not the product's). */
  readonly leftOut: number;
}

/** `target` (a file or folder, relative to `cwd`) mapped from `root` (default: its nearest project marker). */
export async function projectTaskMap(analyzer: Analyzer, target: string, cwd: string, rootOption?: string, options: { readonly testCode?: boolean } = {}): Promise<ProjectMap> {
  const absolute = path.resolve(cwd, target);
  const root = rootOption === undefined ? projectRootOf(absolute, cwd) : path.resolve(cwd, rootOption);
  const read = await analyzePaths(analyzer, [target], cwd, { map: true, productionOnly: options.testCode !== true, ...(rootOption === undefined ? {} : { root }) });
  const inputs: MapFileInput[] = read.files.map((file) => {
    const lines = new LineIndex(file.text);
    return {
      path: path.resolve(cwd, file.path),
      language: file.result.language,
      map: file.result.map ?? EMPTY_MAP_FACTS,
      findings: file.result.findings.map((f) => ({ rule: f.rule, line: lines.lineOf(f.range.start) + 1 })),
    };
  });
  const resolver = new FileResolver(root);
  const map = joinTaskMap(inputs, {
    resolver: { resolve: (from, specifier, language) => resolver.resolve(from, specifier, language) },
    display: (file) => path.relative(root, file).split(path.sep).join('/'),
  });
  return { map, root, files: inputs.length, skipped: read.skipped, configProblems: read.configProblems, leftOut: read.leftOut };
}
