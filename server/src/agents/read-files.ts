/**
 * Reading and analysing files for the agents' Node front ends (the CLI and the MCP server). Not
 * part of the pure routing: it touches the file system, and applies exactly what `check` applies
 * (the project's `.task-reliability.json`, .gitignore, the exclude globs, the size limit), so an
 * agent's audit agrees with CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { languageFromPath, type Analyzer } from '../analysis/index.js';
import { ProjectModels } from '../workspace/projects.js';
import type { Catalog } from '../catalog/types.js';
import { CONFIG_FILE, readProjectConfig } from '../config/project.js';
import { ConfigScope } from '../config/scope.js';
import { readSource } from '../workspace/source.js';
import { collectFiles } from '../workspace/walk.js';
import type { FileAnalysis } from './types.js';

export interface ReadResult {
  readonly files: FileAnalysis[];
  readonly skipped: { path: string; reason: string }[];
  /** Test and example files a production-only reading left out. */
  readonly leftOut: number;
  /** Problems in the project's config file; the rest of it, or the defaults, applied. */
  readonly configProblems: string[];
}

/** A path that does not exist, or a folder that cannot be walked, is the caller's mistake. */
export class PathError extends Error {}

/** What else a reading asks for: each file's task map facts, test and example code left out, one root for every file. */
export interface ReadOptions {
  readonly map?: boolean;
  readonly productionOnly?: boolean;
  readonly root?: string;
}

export async function analyzePaths(analyzer: Analyzer, paths: readonly string[], cwd: string, options: ReadOptions = {}): Promise<ReadResult> {
  const configProblems: string[] = [];
  const configFile = path.join(cwd, CONFIG_FILE);
  let scope = new ConfigScope(cwd, undefined);
  if (fs.existsSync(configFile)) {
    const read = readProjectConfig(configFile);
    if (read.error !== undefined) configProblems.push(`${read.error}; using the defaults`);
    configProblems.push(...read.problems);
    scope = new ConfigScope(cwd, read.config);
  }
  let found: string[];
  try {
    found = collectFiles(paths, scope, cwd);
  } catch (error) {
    throw new PathError((error as Error).message);
  }
  const files: FileAnalysis[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let leftOut = 0;
  // Each file resolves its imports from its own project root, as the CLI's check does; one call, one view of the disk.
  const projects = new ProjectModels(analyzer, options.root, cwd);
  for (const file of found) {
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    const language = languageFromPath(file);
    if (language === undefined) {
      skipped.push({ path: rel, reason: 'not a language the analyzer reads' });
      continue;
    }
    const settings = scope.settingsFor(file);
    const source = await readSource(file, settings.maxFileSize);
    if (source.kind === 'skipped') {
      skipped.push({ path: rel, reason: source.reason });
      continue;
    }
    // Generated and minified files are never analysed: no one can act on a finding there.
    const kind = scope.classify(file, source.text);
    if (kind.kind === 'generated' || kind.kind === 'minified') {
      skipped.push({ path: rel, reason: kind.reason });
      continue;
    }
    if (options.productionOnly === true && kind.kind !== 'production') {
      leftOut++;
      continue;
    }
    await projects.prepare(language);
    const project = projects.for(file);
    const result = await analyzer.analyze(source.text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds, ...(options.map === true ? { map: true } : {}), ...(project === undefined ? {} : { project }) });
    files.push({ path: rel, text: source.text, result });
  }
  return { files, skipped, configProblems, leftOut };
}

export function loadCatalog(distDir: string): Catalog {
  return JSON.parse(fs.readFileSync(path.join(distDir, 'catalog.json'), 'utf8')) as Catalog;
}

/** The search index the build wrote beside the catalog, or undefined (the router then builds one). */
export function loadSearchIndexJson(distDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(distDir, 'search-index.json'), 'utf8');
  } catch {
    return undefined;
  }
}
