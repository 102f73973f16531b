import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { classifyFile, DEFAULT_TEST_CODE_MODE, type FileClass, type RuntimePlace, type SeveritySetting, type TestCodeMode } from '../analysis/index.js';
import { PackageRuntimes } from '../workspace/package-runtime.js';
import type { SettingsLayer } from './layer.js';
import type { ProjectConfig } from './project.js';

/** The settings that apply to one file, every value resolved. */
export interface Settings {
  readonly enable: boolean;
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  readonly maxFileSize: number;
  readonly exclude: readonly string[];
  readonly fixTimeoutSeconds: number;
  readonly scanOnStartup: boolean;
  /** How long one file's analysis may run before it is abandoned (editor setting only). */
  readonly analysisTimeBudgetMs: number;
  readonly testCode: TestCodeMode;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  maxFileSize: 1_000_000,
  exclude: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/.venv/**', '**/venv/**', '**/vendor/**'],
  fixTimeoutSeconds: 10,
  scanOnStartup: false,
  analysisTimeBudgetMs: 2000,
  testCode: DEFAULT_TEST_CODE_MODE,
};

type Matcher = (file: string, isDir: boolean) => boolean;

/** Globs relative to `base` (a path outside it never matches), also tried on the absolute path. */
function globMatcher(globs: readonly string[], base: string): Matcher {
  if (globs.length === 0) return () => false;
  const test = picomatch([...globs], { dot: true });
  return (file, isDir) => {
    const absolute = file.split(path.sep).join('/');
    const rel = path.relative(base, file).split(path.sep).join('/');
    const inside = rel !== '' && !rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel);
    const candidates = inside ? [rel, absolute] : [absolute];
    return candidates.some((c) => test(c) || (isDir && test(`${c}/`)));
  };
}

/**
 * The settings of one workspace folder (or of the CLI's working directory). Precedence, lowest
 * first: the built-in defaults; the project's `.task-reliability.json`; its `overrides` whose
 * `files` match the file, in order; the editor's settings, holding only what the user set. So a
 * user's own choice wins over the project's, and the project's over the defaults. Exclusions add
 * up instead: the editor's `exclude` (or the default list) and the config file's `exclude` both
 * apply, so a personal setting never brings back files the project left out.
 */
export class ConfigScope {
  private readonly excluded: Matcher[];
  private readonly overrides: { readonly matches: Matcher; readonly rules: Readonly<Record<string, SeveritySetting>> }[];
  private readonly testPaths: Matcher;
  private readonly productionPaths: Matcher;
  private packages: PackageRuntimes | undefined;
  private guide: boolean | undefined;

  constructor(
    /** The workspace folder (or working directory) the editor's relative globs start from. */
    readonly root: string,
    readonly project: ProjectConfig | undefined,
    readonly editor: SettingsLayer = {},
  ) {
    const editorExclude = editor.exclude ?? DEFAULT_SETTINGS.exclude;
    this.excluded = [globMatcher(editorExclude, root)];
    if (project?.layer.exclude !== undefined) this.excluded.push(globMatcher(project.layer.exclude, project.dir));
    this.overrides = (project?.overrides ?? []).map((o) => ({ matches: globMatcher(o.files, project?.dir ?? root), rules: o.rules }));
    this.testPaths = globMatcher(project?.testPaths ?? [], project?.dir ?? root);
    this.productionPaths = globMatcher(project?.productionPaths ?? [], project?.dir ?? root);
  }

  /**
   * The kind of a file (production, test, example, generated, minified). Conventions apply to the
   * path relative to the project's root, so a workspace that is itself an `examples/` folder is
   * production code to itself; a file outside the root is judged by its name alone.
   */
  classify(file: string, text: string): FileClass {
    const base = this.project?.dir ?? this.root;
    const rel = path.relative(base, file).split(path.sep).join('/');
    const inside = rel !== '' && !rel.startsWith('../') && !path.isAbsolute(rel);
    const declared = this.productionPaths(file, false) ? 'production' : this.testPaths(file, false) ? 'test' : undefined;
    const found = classifyFile(inside ? rel : path.basename(file), text, declared);
    const top = rel.split('/')[0];
    if (found.kind === 'production' && declared === undefined && inside && (top === 'initial' || top === 'complete') && this.isGuide(base)) {
      return { kind: 'example', reason: `a guide's ${top}/ code (initial/ and complete/ side by side)` };
    }
    return found;
  }

  /**
   * A guide's repository (the Spring guides' layout): `initial/` and `complete/` side by side at
   * the root, the tutorial's starting point and its finished code, each a build of its own. Its
   * code demonstrates an API; it runs nowhere. Read once per root.
   */
  private isGuide(base: string): boolean {
    this.guide ??= ['initial', 'complete'].every((dir) => {
      try {
        return fs.statSync(path.join(base, dir)).isDirectory();
      } catch {
        return false;
      }
    });
    return this.guide;
  }

  /**
   * Where a JavaScript or TypeScript file sits, for telling browser code from server code: its path
   * relative to the project's root (as `classify` reads it) and its nearest package.json's verdict.
   * Other languages need neither.
   */
  place(file: string): RuntimePlace | undefined {
    if (!/\.[cm]?[jt]sx?$/.test(file)) return undefined;
    const base = this.project?.dir ?? this.root;
    const rel = path.relative(base, file).split(path.sep).join('/');
    const inside = rel !== '' && !rel.startsWith('../') && !path.isAbsolute(rel);
    this.packages ??= new PackageRuntimes(this.root);
    const verdict = path.isAbsolute(file) ? this.packages.of(file) : undefined;
    return { path: inside ? rel : path.basename(file), ...(verdict === undefined ? {} : { package: verdict }) };
  }

  isExcluded(file: string, isDir = false): boolean {
    return this.excluded.some((m) => m(file, isDir));
  }

  settingsFor(file: string): Settings {
    const { editor, project } = this;
    const base = project?.layer ?? {};
    const rules: Record<string, SeveritySetting> = { ...base.rules };
    for (const o of this.overrides) if (o.matches(file, false)) Object.assign(rules, o.rules);
    Object.assign(rules, editor.rules);
    return {
      enable: editor.enable ?? base.enable ?? DEFAULT_SETTINGS.enable,
      rules,
      maxFileSize: editor.maxFileSize ?? base.maxFileSize ?? DEFAULT_SETTINGS.maxFileSize,
      exclude: [...(editor.exclude ?? DEFAULT_SETTINGS.exclude), ...(base.exclude ?? [])],
      fixTimeoutSeconds: editor.fixTimeoutSeconds ?? base.fixTimeoutSeconds ?? DEFAULT_SETTINGS.fixTimeoutSeconds,
      scanOnStartup: editor.scanOnStartup ?? DEFAULT_SETTINGS.scanOnStartup,
      analysisTimeBudgetMs: editor.analysisTimeBudgetMs ?? DEFAULT_SETTINGS.analysisTimeBudgetMs,
      testCode: editor.testCode ?? base.testCode ?? DEFAULT_SETTINGS.testCode,
    };
  }
}
