import fs from 'node:fs';
import path from 'node:path';
import { LineIndex, languageFromPath, treatmentOf, type AnalysisResult, type LanguageId, type Severity, type TestCodeMode } from '../analysis/index.js';
import { projectFindings, type ProjectFileInput } from '../analysis/map/project-findings.js';
import { FileResolver } from '../workspace/resolver.js';
import type { Catalog } from '../catalog/types.js';
import { CONFIG_FILE, readProjectConfig } from '../config/project.js';
import { ConfigScope } from '../config/scope.js';
import { readSource } from '../workspace/source.js';
import { projectRootOf } from '../workspace/project-root.js';
import { collectFiles } from '../workspace/walk.js';
import { EXIT_FINDINGS, EXIT_INCOMPLETE } from './exit-codes.js';
import { toJson, type FileReport } from './report.js';
import { toSarif } from './sarif.js';
import { toStylish } from './stylish.js';
import { AnalysisWorker, BudgetExceeded, DEFAULT_TIME_BUDGET_MS, type ProjectLocation, type WorkerOptions } from '../worker/client.js';

export interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  signals: boolean;
  config?: string;
  maxWarnings?: number;
  quiet: boolean;
  output?: string;
  color: boolean;
  /** Each file's analysis budget in milliseconds (default DEFAULT_TIME_BUDGET_MS). */
  maxFileMs?: number;
  /** `--root DIR`: the project root for every file, instead of the nearest marker. */
  root?: string;
  /** False with `--no-project`: each file is analysed alone. */
  project?: boolean;
  /** `--test-code`: wins over the config file's `testCode.mode`. */
  testCode?: TestCodeMode;
}

/** Unreadable or invalid config, or bad usage: the CLI exits 2 with the message. */
export class UsageError extends Error {}

const warn = (message: string): void => {
  process.stderr.write(`task-reliability: ${message}\n`);
};

/** `--config FILE`, else `./.task-reliability.json` when present, else the defaults. */
function loadScope(configOption: string | undefined, cwd: string): ConfigScope {
  const file = configOption !== undefined ? path.resolve(cwd, configOption) : path.join(cwd, CONFIG_FILE);
  if (configOption === undefined && !fs.existsSync(file)) return new ConfigScope(cwd, undefined);
  const read = readProjectConfig(file);
  if (read.error !== undefined) throw new UsageError(read.error);
  for (const problem of read.problems) warn(problem);
  return new ConfigScope(cwd, read.config);
}

/**
 * Colour only on a terminal and when nothing asked otherwise: `--no-color` and NO_COLOR turn it
 * off, FORCE_COLOR turns it on (as most CLIs agree), and a report written to a file has none.
 */
function useColour(options: CheckOptions): boolean {
  if (!options.color || options.output !== undefined || (process.env['NO_COLOR'] ?? '') !== '') return false;
  const force = process.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return process.stdout.isTTY === true;
}

/** What `check` needs of the analyzer; tests pass one that fails on purpose. */
export interface FileAnalyzer {
  /** `project`: the file's project root and path, whose imports resolve through that project. */
  analyze(text: string, language: LanguageId, options: WorkerOptions, project?: ProjectLocation): Promise<AnalysisResult>;
}

/**
 * The CLI's analyzer: every file is analysed in a worker thread with the time budget of
 * `--max-file-ms`, so that one file that would take minutes is abandoned and named instead of
 * stalling the whole check (the language server does the same with its setting).
 */
function workerAnalyzer(dist: string, budgetMs: number): FileAnalyzer & { dispose(): void } {
  const worker = new AnalysisWorker({ script: path.join(dist, 'analysis-worker.js'), wasmDir: dist });
  return {
    analyze: (text, language, options, project) => worker.analyzeText(text, language, options, budgetMs, project),
    dispose: () => worker.dispose(),
  };
}

/**
 * The `check` command: returns the exit code of the CLI contract (0 clean, 1 errors or too many
 * warnings, 2 when a file could not be analysed: the check is then incomplete, and a CI job must
 * not read it as clean).
 */
export async function check(
  paths: readonly string[],
  options: CheckOptions,
  dist: string,
  version: string,
  analyzer?: FileAnalyzer,
): Promise<number> {
  const own = analyzer === undefined ? workerAnalyzer(dist, options.maxFileMs ?? DEFAULT_TIME_BUDGET_MS) : undefined;
  try {
    return await checkWith(paths, options, dist, version, analyzer ?? (own as FileAnalyzer));
  } finally {
    own?.dispose();
  }
}

async function checkWith(paths: readonly string[], options: CheckOptions, dist: string, version: string, analyzer: FileAnalyzer): Promise<number> {
  const cwd = process.cwd();
  const scope = loadScope(options.config, cwd);
  let files: string[];
  try {
    files = collectFiles(paths.length === 0 ? ['.'] : paths, scope, cwd);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const reports: FileReport[] = [];
  // Each file resolves its imports from its project's root (the nearest marker, or --root); the
  // worker reads only the modules the checked files reach. --no-project analyses files alone.
  const root = options.root === undefined ? undefined : path.resolve(cwd, options.root);
  const locationOf = (file: string): ProjectLocation | undefined => (options.project === false ? undefined : { root: root ?? projectRootOf(file, cwd), path: file });
  const display = (file: string): string => path.relative(cwd, file).split(path.sep).join('/');
  let failed = 0;
  const inputs: { root: string; input: ProjectFileInput }[] = [];
  const notAnalysed = { generated: 0, minified: 0, test: 0, example: 0, script: 0 };
  for (const file of files) {
    const language = languageFromPath(file);
    if (language === undefined) continue;
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    const settings = scope.settingsFor(file);
    const source = await readSource(file, settings.maxFileSize);
    if (source.kind === 'skipped') {
      warn(`skipped ${rel}: ${source.reason}`);
      continue;
    }
    const { kind } = scope.classify(file, source.text);
    const treatment = treatmentOf(kind, options.testCode ?? settings.testCode);
    if (treatment === 'skip') {
      if (kind !== 'production') notAnalysed[kind]++;
      continue;
    }
    let result;
    try {
      const place = scope.place(file);
      const analyzeOptions = { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds, hintsOnly: treatment === 'hint', map: options.project !== false, ...(place === undefined ? {} : { place }) };
      result = await analyzer.analyze(source.text, language, analyzeOptions, locationOf(file));
    } catch (error) {
      // One file that breaks the analyzer must not hide the findings of the others.
      failed++;
      if (error instanceof BudgetExceeded) warn(`could not analyse ${rel}: its analysis took longer than ${error.budgetMs} ms (--max-file-ms) and was abandoned`);
      else warn(`could not analyse ${rel}: ${error instanceof Error ? error.message : String(error)} (an internal error: please report it with the file)`);
      continue;
    }
    reports.push({ path: rel, kind, hintsOnly: treatment === 'hint', result, lines: new LineIndex(source.text), display });
    const location = locationOf(file);
    if (location !== undefined && result.map !== undefined) {
      const lines = new LineIndex(source.text);
      inputs.push({ root: location.root, input: { path: file, language, map: result.map, text: source.text, suppressions: result.suppressions, rules: settings.rules, hintsOnly: treatment === 'hint', findings: result.findings.map((f) => ({ rule: f.rule, line: lines.lineOf(f.range.start) + 1 })) } });
    }
  }
  addProjectFindings(reports, inputs, cwd);
  if (options.quiet) for (const [i, report] of reports.entries()) reports[i] = { ...report, result: { ...report.result, findings: report.result.findings.filter((f) => f.severity === 'error') } };
  const skippedKinds = Object.entries(notAnalysed).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind} ${n === 1 ? 'file' : 'files'}`);
  // One line, not one per file: a repository can hold thousands of generated files.
  if (skippedKinds.length > 0) warn(`not analysed: ${skippedKinds.join(', ')} (generated and minified files never are; test and example code and scripts with --test-code skip)`);
  const catalog = (): Catalog => JSON.parse(fs.readFileSync(path.join(dist, 'catalog.json'), 'utf8')) as Catalog;
  const output = options.format === 'json' ? toJson(reports, options.signals)
    // Code scanning would list test-code hints among the product's alerts: they stay out of SARIF.
    : options.format === 'sarif' ? toSarif(reports.filter((r) => !r.hintsOnly), catalog(), version, cwd)
      : toStylish(reports, useColour(options), options.signals);
  if (options.output !== undefined) fs.writeFileSync(path.resolve(cwd, options.output), `${output}\n`);
  else process.stdout.write(`${output}\n`);

  const count = (s: Severity): number => reports.reduce((n, r) => n + r.result.findings.filter((f) => f.severity === s).length, 0);
  if (failed > 0) {
    warn(`${failed} ${failed === 1 ? 'file' : 'files'} could not be analysed: the check is incomplete`);
    return EXIT_INCOMPLETE;
  }
  if (count('error') > 0) return EXIT_FINDINGS;
  if (options.maxWarnings !== undefined && count('warning') > options.maxWarnings) {
    warn(`${count('warning')} warnings, more than --max-warnings ${options.maxWarnings}`);
    return EXIT_FINDINGS;
  }
  return 0;
}

/**
 * The findings of the rules that read the joined project (a task enqueued in one file, defined in
 * another), added to each file's report; each project root is joined on its own.
 */
function addProjectFindings(reports: FileReport[], inputs: readonly { root: string; input: ProjectFileInput }[], cwd: string): void {
  const roots = new Map<string, ProjectFileInput[]>();
  for (const { root, input } of inputs) roots.set(root, [...(roots.get(root) ?? []), input]);
  for (const [root, files] of roots) {
    const resolver = new FileResolver(root);
    const found = projectFindings(files, {
      resolver: { resolve: (from, specifier, language) => resolver.resolve(from, specifier, language) },
      display: (file) => path.relative(root, file).split(path.sep).join('/'),
    });
    for (const [file, extra] of found) {
      const rel = path.relative(cwd, file).split(path.sep).join('/');
      const at = reports.findIndex((r) => r.path === rel);
      const report = reports[at];
      if (report === undefined) continue;
      const findings = [...report.result.findings, ...extra.findings].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
      reports[at] = { ...report, result: { ...report.result, findings, suppressed: [...report.result.suppressed, ...extra.suppressed] } };
    }
  }
}
