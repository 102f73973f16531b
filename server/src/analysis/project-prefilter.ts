import { mayHaveSignals } from './prefilter.js';
import type { ProjectModel } from './project/model.js';
import type { LanguageId } from './types.js';

/**
 * The prefilter of a file analysed with its project. Such a file can reach a library through one
 * of the project's own modules (`from shop.celeryconf import app`, `import { queue } from
 * '@app/queues'`) without naming the library itself, so the plain prefilter would skip it wrongly.
 * This one learns the project's modules of interest, those whose export summary binds a library
 * object (an app, a queue, a client, a factory of one, a library name passed on), and lets a file
 * through when its text names one of them, as an import must. Every other file is skipped as the
 * plain prefilter skips it.
 *
 * The modules of interest are found by a fixpoint over the project's files: a module can bind a
 * library object only if its text names the library or another module of interest, so only the
 * files that pass the growing filter are ever summarised (parsed); the rest are read as text.
 *
 * Only Python and the script languages have module summaries. Go (a package's files share their
 * names without an import), Java and Ruby files analysed with a project always pass, as before.
 */

/** The languages whose project modules are learned, and which of them import one another. */
const FAMILY: Readonly<Partial<Record<LanguageId, Family>>> = {
  python: 'python',
  javascript: 'script',
  typescript: 'script',
  tsx: 'script',
};

/** How the prefilter reads the project: its files, their texts, and what their modules bind. */
export interface ProjectFiles {
  /** Every Python and script file of the project (others are ignored). */
  readonly files: readonly string[];
  /**
   * False when the host could not list every file (a root too large to walk): the modules of
   * interest cannot be known, so every file passes, as without this prefilter.
   */
  readonly complete?: boolean;
  read(file: string): string | undefined;
  languageOf(file: string): LanguageId | undefined;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function baseName(file: string): { dir: string; stem: string } {
  const parts = file.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  const dot = name.indexOf('.');
  return { dir: parts[parts.length - 2] ?? '', stem: dot < 0 ? name : name.slice(0, dot) };
}

/**
 * The patterns an importer of `file` must contain. A plain module is named by its stem, as a whole
 * word, in every spelling of its import (`shop.celeryconf`, `.celeryconf`, `from shop import
 * celeryconf`, `@app/queues`, `../queues.js`). A package (`__init__.py`, `index.ts`) is named by its
 * folder, but only where an import takes the package itself, not one of its submodules: most of a
 * Django project imports `saleor.something`, while only `from saleor import celery_app` reads the
 * package's own names. A relative import of the package (`from . import x`, `'..'`) names no folder.
 */
export function importerPatterns(file: string, family: Family): string[] {
  const { dir, stem } = baseName(file);
  if (family === 'python') {
    if (stem !== '__init__') return [`(?<!\\w)${escape(stem)}(?!\\w)`];
    const name = escape(dir);
    return [
      `from[\\s\\\\]+[\\w.]*(?<!\\w)${name}[\\s\\\\]+import(?!\\w)`,
      `import[\\s\\\\]+[\\w.]*(?<!\\w)${name}(?![\\w.])`,
      `import[^\\n;]*,[\\s\\\\]*[\\w.]*(?<!\\w)${name}(?![\\w.])`,
      `from[\\s\\\\]+\\.+[\\s\\\\]+import(?!\\w)`,
    ];
  }
  const word = (w: string): string => `(?<![\\w$-])${escape(w)}(?![\\w$-])`;
  if (stem !== 'index') return [word(stem)];
  return [word(dir), '[\'"`]\\.\\.?/?[\'"`]'];
}

type Family = 'python' | 'script';

/** What a project whose files could not all be listed lets through: everything. */
const ANYTHING = /(?:)/;

/** The modules of interest of one project, learned per family once and again after `invalidate`. */
export class ProjectPrefilter {
  private readonly learned = new Map<Family, RegExp | undefined>();
  /** The modules of interest found by the learning of each family. */
  private readonly interesting = new Set<string>();
  /** What the last learning read: files of the family, files summarised, modules of interest. */
  stats = { files: 0, summarised: 0, modules: 0 };

  /**
   * `project` lists and reads the project's files when a family is first learned. The model must
   * be able to summarise the family's modules then (its grammars loaded).
   */
  constructor(private readonly model: ProjectModel, private readonly project: () => ProjectFiles) {}

  /** The project's files or their summaries changed: learn again at the next question. */
  invalidate(language?: LanguageId): void {
    const family = language === undefined ? undefined : FAMILY[language];
    if (family === undefined) this.learned.clear();
    else this.learned.delete(family);
  }

  /**
   * A module's summary changed (an open document edited): when that makes it a module of interest,
   * or no longer one, its family is learned again at the next question. True when it did: the
   * verdicts given on other texts of the family may have changed.
   */
  summaryChanged(file: string, language: LanguageId): boolean {
    const family = FAMILY[language];
    if (family === undefined || !this.learned.has(family)) return false;
    if (this.model.bindsApi(file, language) === this.interesting.has(file)) return false;
    this.learned.delete(family);
    return true;
  }

  /** Whether a file of the project with `text` may hold a signal; false means it certainly holds none. */
  passes(text: string, language: LanguageId): boolean {
    if (mayHaveSignals(text, language)) return true;
    const family = FAMILY[language];
    if (family === undefined) return true;
    if (!this.learned.has(family)) this.learned.set(family, this.learn(family));
    return this.learned.get(family)?.test(text) ?? false;
  }

  private learn(family: Family): RegExp | undefined {
    const { files, read, languageOf, complete } = this.project();
    if (complete === false) return ANYTHING;
    const patterns: string[] = [];
    let regex: RegExp | undefined;
    let pending = files.flatMap((file) => {
      const language = languageOf(file);
      const text = language === undefined || FAMILY[language] !== family ? undefined : read(file);
      return text === undefined || language === undefined ? [] : [{ file, language, text }];
    });
    this.stats = { files: pending.length, summarised: 0, modules: 0 };
    for (const { file } of pending) this.interesting.delete(file);
    // Each round summarises the files the filter so far lets through; a module found to be of
    // interest lets its importers through in the next round. It ends when a round finds none.
    for (;;) {
      const found: string[] = [];
      const rest: typeof pending = [];
      for (const entry of pending) {
        if (!mayHaveSignals(entry.text, entry.language) && regex?.test(entry.text) !== true) {
          rest.push(entry);
          continue;
        }
        this.stats.summarised++;
        if (this.model.bindsApi(entry.file, entry.language)) found.push(entry.file);
      }
      if (found.length === 0) return regex;
      this.stats.modules += found.length;
      for (const file of found) {
        this.interesting.add(file);
        patterns.push(...importerPatterns(file, family));
      }
      regex = new RegExp([...new Set(patterns)].join('|'));
      pending = rest;
    }
  }
}
