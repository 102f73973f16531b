import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { LanguageId } from '../types.js';

/**
 * Where the host keeps the `.wasm` files. The core never reads files itself: the language server,
 * the CLI and the tests say where the bundle's copies are, and web-tree-sitter loads them.
 */
export interface WasmLocator {
  wasmPath(fileName: string): string;
}

export type TreeLanguage = Exclude<LanguageId, 'yaml'>;

const GRAMMAR_FILES: Readonly<Record<TreeLanguage, string>> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  java: 'tree-sitter-java.wasm',
  go: 'tree-sitter-go.wasm',
};

/**
 * Owns the tree-sitter runtime: initialised once per process, each grammar loaded lazily once,
 * and one Parser per language reused for every parse.
 */
export class ParserPool {
  private static initialised: Promise<void> | undefined;
  private readonly languages = new Map<TreeLanguage, Promise<Language>>();
  private readonly parsers = new Map<TreeLanguage, Parser>();

  constructor(private readonly locator: WasmLocator) {}

  /** Initialises the tree-sitter runtime (compiling its wasm), which every grammar needs first. */
  init(): Promise<void> {
    ParserPool.initialised ??= Parser.init({ locateFile: (name: string) => this.locator.wasmPath(name) });
    return ParserPool.initialised;
  }

  /** Loads the grammar if needed; afterwards `parserFor` is synchronous. */
  async load(language: TreeLanguage): Promise<Language> {
    let loading = this.languages.get(language);
    if (loading === undefined) {
      loading = this.init().then(() => Language.load(this.locator.wasmPath(GRAMMAR_FILES[language])));
      this.languages.set(language, loading);
      const loaded = await loading;
      const parser = new Parser();
      parser.setLanguage(loaded);
      this.parsers.set(language, parser);
    }
    return loading;
  }

  isLoaded(language: TreeLanguage): boolean {
    return this.parsers.has(language);
  }

  /** Parses `text`, reusing `oldTree` (already edited) for an incremental parse. */
  parse(language: TreeLanguage, text: string, oldTree?: Tree): Tree {
    const parser = this.parsers.get(language);
    if (parser === undefined) throw new Error(`grammar for ${language} is not loaded`);
    const tree = parser.parse(text, oldTree ?? null);
    if (tree === null) throw new Error(`tree-sitter returned no tree for ${language}`);
    return tree;
  }

  language(language: TreeLanguage): Language {
    const parser = this.parsers.get(language);
    if (parser?.language == null) throw new Error(`grammar for ${language} is not loaded`);
    return parser.language;
  }
}
