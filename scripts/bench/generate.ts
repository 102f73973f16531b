import type { LanguageId } from '../../server/src/analysis/types.js';
import type { Recipe } from './recipes/recipe.js';
import { GO } from './recipes/go.js';
import { JAVA } from './recipes/java.js';
import { JAVASCRIPT, TSX, TYPESCRIPT } from './recipes/javascript.js';
import { PYTHON } from './recipes/python.js';
import { RUBY } from './recipes/ruby.js';
import { YAML } from './recipes/yaml.js';

/**
 * Deterministic, seeded inputs for the benchmark: realistic files of each supported language,
 * built from blocks of the code those frameworks are written in (most of a real file is plain
 * code; some blocks use the APIs the analyzer recognises, some of them wrongly). The same seed
 * and size always give the same text, so runs and machines compare like with like.
 */

/** mulberry32: small, fast and good enough to pick templates. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RECIPES: Readonly<Record<LanguageId, Recipe>> = {
  python: PYTHON,
  javascript: JAVASCRIPT,
  typescript: TYPESCRIPT,
  tsx: TSX,
  yaml: YAML,
  ruby: RUBY,
  java: JAVA,
  go: GO,
};

/** A file of `language` with at least `lines` lines (cut at a block boundary just past it). */
export function generate(language: LanguageId, lines: number, seed = 42): string {
  const recipe = RECIPES[language];
  const next = seeded(seed * 1000 + lines);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const parts: string[] = [recipe.header];
  let count = recipe.header.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const block = pick(recipe.blocks)(i, pick);
    parts.push(block);
    count += block.split('\n').length + recipe.separator.split('\n').length - 1;
  }
  return `${parts.join(recipe.separator)}${recipe.footer ?? ''}\n`;
}

/** Words of the generated languages whose misspelling breaks the syntax, so not a place to type. */
const KEYWORDS = new Set([
  'abstract', 'as', 'async', 'await', 'begin', 'break', 'case', 'catch', 'class', 'const', 'continue', 'def', 'default', 'defer', 'do',
  'elif', 'else', 'end', 'ensure', 'enum', 'except', 'export', 'extends', 'final', 'finally', 'for', 'from', 'func', 'function', 'go',
  'if', 'implements', 'import', 'in', 'interface', 'let', 'map', 'module', 'new', 'nil', 'package', 'pass', 'private', 'protected',
  'public', 'raise', 'range', 'readonly', 'require', 'rescue', 'return', 'static', 'struct', 'switch', 'throw', 'throws', 'try', 'type',
  'unless', 'var', 'void', 'while', 'with', 'yield',
]);

/**
 * An offset in the middle of the text where typing one character keeps the file's shape: just
 * after the first letter of the first identifier that is not a keyword, from the first indented
 * line at or after the middle (inside a function body or a nested block, the edit an editor
 * sees most; a keyword mistyped would make the file a syntax error, a different case). The name
 * is one of the body's own (a local, an argument, a keyword argument), not the receiver, callee
 * or member of a call, nor a local a later call goes through: a call renamed into one the
 * analysis does not know, or out of one, changes what the file calls (a whole analysis, rightly),
 * which is a rarer keystroke than one in a name no call reads.
 */
export function middleEditOffset(text: string): number {
  const middle = Math.floor(text.length / 2);
  const from = text.lastIndexOf('\n', middle) + 1;
  // An annotation or decorator line is a declaration's head (a Java class's members are indented).
  const indented = /^[ \t]+(?!\/\/|#|\*|@)\S.*$/gm;
  indented.lastIndex = from;
  for (let line = indented.exec(text); line !== null && line.index < from + 2000; line = indented.exec(text)) {
    for (const match of line[0].matchAll(/[A-Za-z_]\w*/g)) {
      const start = line.index + match.index;
      const end = start + match[0].length;
      const member = /(\.|::)$/.test(text.slice(Math.max(0, start - 2), start));
      const called = /^[ \t]*(\.|\(|::)/.test(text.slice(end, end + 8));
      // A local that a later call goes through (`conn = Faraday.new(...)`, then `conn.post(...)`) is such a name too.
      const receiver = new RegExp(`\\b${match[0]}[ \\t]*(\\.|\\(|::)`).test(text.slice(end, end + 2000));
      if (!KEYWORDS.has(match[0]) && !member && !called && !receiver) return start + 1;
    }
  }
  return middle;
}
