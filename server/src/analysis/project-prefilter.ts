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
  /**
   * Asked between modules while learning: true when the host's time for it is up. The learning
   * then stops and every file of the family passes, as without this prefilter.
   */
  expired?(): boolean;
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
  // An index is also imported by its own path (`require('../index')`).
  return [word(dir), '[\'"`]\\.\\.?/?[\'"`]', '/index(?:\\.[cm]?[jt]sx?)?[\'"`]'];
}

type Family = 'python' | 'script';


/** A module of interest: how an importer names it, and the names it binds a library object to. */
interface Interest {
  readonly module: RegExp;
  /** The bound names, one of which an importer must spell; none needed for `'any'` (see bindingNames). */
  readonly names: RegExp | undefined;
  readonly key: string;
}

/** A name as a whole word of JavaScript or Python; a default export is imported under any name. */
function namesPattern(names: readonly string[] | 'any'): RegExp | undefined {
  if (names === 'any' || names.includes('default')) return undefined;
  return new RegExp(`(?<![\\w$])(?:${names.map(escape).join('|')})(?![\\w$])`);
}

/** The modules of interest of one project, learned per family once and again after `invalidate`. */
export class ProjectPrefilter {
  /** Per family, its modules of interest by file, or `undefined` when every file passes. */
  private readonly learned = new Map<Family, Map<string, Interest> | undefined>();
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
   * A module's summary changed (an open document edited): when that changes what it binds, its
   * family is learned again at the next question. True when it did: the verdicts given on other
   * texts of the family may have changed.
   */
  summaryChanged(file: string, language: LanguageId): boolean {
    const family = FAMILY[language];
    const interests = family === undefined ? undefined : this.learned.get(family);
    if (family === undefined || interests === undefined) return false;
    const names = this.model.bindingNames(file, language, (path) => interests.has(path));
    const now = names !== 'any' && names.length === 0 ? undefined : JSON.stringify(names);
    if (now === interests.get(file)?.key) return false;
    this.learned.delete(family);
    return true;
  }

  /** Whether a file of the project with `text` may hold a signal; false means it certainly holds none. */
  passes(text: string, language: LanguageId): boolean {
    if (mayHaveSignals(text, language)) return true;
    const family = FAMILY[language];
    if (family === undefined) return true;
    if (!this.learned.has(family)) this.learned.set(family, this.learn(family));
    const interests = this.learned.get(family);
    return interests === undefined || matches(interests, text);
  }

  private learn(family: Family): Map<string, Interest> | undefined {
    const { files, read, languageOf, complete, expired } = this.project();
    if (complete === false) return undefined;
    const interests = new Map<string, Interest>();
    const pending = files.flatMap((file) => {
      const language = languageOf(file);
      const text = language === undefined || FAMILY[language] !== family ? undefined : read(file);
      return text === undefined || language === undefined ? [] : [{ file, language, text }];
    });
    this.stats = { files: pending.length, summarised: 0, modules: 0 };
    // Each round asks the files the filter so far lets through what they bind, reading only the
    // modules already found to be of interest (no other can lend a binding); a module found lets
    // its importers through, and they are asked in the next round. A module found earlier is asked
    // again too: a re-export (`export { reportQueue } from './reports'`) binds more names once the
    // module it passes on is found. Names only grow as modules are found, so the rounds end.
    for (let changed = true; changed;) {
      changed = false;
      for (const entry of pending) {
        if (expired?.() === true) {
          this.stats.modules = 0;
          return undefined;
        }
        const known = interests.get(entry.file);
        // A library's own entry file names no library in its text, yet its importers reach the library.
        const entryOfLibrary = family === 'script' && this.model.libraryEntry(entry.file) !== undefined;
        if (known === undefined && !entryOfLibrary && !mayHaveSignals(entry.text, entry.language) && !matches(interests, entry.text)) continue;
        this.stats.summarised++;
        const names = this.model.bindingNames(entry.file, entry.language, (path) => interests.has(path));
        if (names !== 'any' && names.length === 0) continue;
        const key = JSON.stringify(names);
        if (known?.key === key) continue;
        const module = new RegExp(importerPatterns(entry.file, family).join('|'));
        interests.set(entry.file, { module, names: namesPattern(names), key });
        changed = true;
      }
    }
    this.stats.modules = interests.size;
    return interests;
  }
}

function matches(interests: ReadonlyMap<string, Interest>, text: string): boolean {
  for (const { module, names } of interests.values()) if (module.test(text) && (names === undefined || names.test(text))) return true;
  return false;
}
