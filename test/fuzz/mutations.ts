import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import type { LanguageId, TextEdit } from '../../server/src/analysis/types.js';
import { repoRoot } from '../helpers/analyzer.js';

/** A file under test/fixtures that the analyzer reads, with its language. */
export interface FixtureFile {
  readonly file: string;
  readonly language: LanguageId;
  readonly text: string;
}

/** Every fixture file of a supported language, recursively: rule and fix fixtures, and crash regressions. */
export function fixtureFiles(): FixtureFile[] {
  const base = path.join(repoRoot, 'test', 'fixtures');
  const result: FixtureFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const language = languageFromPath(entry.name);
        if (language !== undefined) result.push({ file: path.relative(base, full), language, text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(base);
  return result;
}

/** What the mutations insert: brackets, quotes and comment markers of every language, and odd characters. */
const TOKENS = [
  '(', ')', '[', ']', '{', '}', '<', '>', '"', "'", '`', '"""', "'''", '#', '//', '/*', '*/', '<!--', '=begin', '${', '#{',
  '\n', '\r\n', '\r', '\t', ' ', ':', ': ', '- ', '---', '...', '&a ', '*a', '<<: ', '|', '>-', '!!str ', '%', '@', '\\', ',', ';', '=',
  '\u0000', '\ud800', '\udc00', '\ufeff', '\u2028', 'é', '🚀', 'requests.get(u)', 'fetch(u)', 'timeout=None', 'kind: CronJob',
];

/** Names that a plain object answers from Object.prototype: as names in the code, they must read as unknown. */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

/** One mutation of a text, in UTF-16 code units (so it can split a surrogate pair, as a byte-level fuzzer would). */
type Mutation =
  | { readonly op: 'rename'; readonly at: number; readonly name: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly op: 'swap'; readonly a: number; readonly b: number; readonly length: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly token: string };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }) },
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), name: fc.constantFrom(...PROTOTYPE_NAMES) }),
);

/**
 * Renames the first identifier at or after `at` everywhere it occurs as a whole word (module,
 * import, receiver, method, option key), as one edit spanning its first to its last occurrence.
 */
function renameEdit(text: string, at: number, name: string): TextEdit {
  const word = /[A-Za-z_][A-Za-z0-9_]*/g;
  word.lastIndex = at;
  let found = word.exec(text);
  if (found === null) {
    // No identifier after `at`: take the first one of the text.
    word.lastIndex = 0;
    found = word.exec(text);
  }
  if (found === null) return { start: 0, end: 0, newText: '' };
  // An identifier has no regular-expression metacharacters, so it goes into the pattern as it is.
  const whole = (): RegExp => new RegExp(`(?<![A-Za-z0-9_])${found[0]}(?![A-Za-z0-9_])`, 'g');
  const occurrences = [...text.matchAll(whole())];
  const start = occurrences[0]?.index ?? found.index;
  const last = occurrences[occurrences.length - 1];
  const end = last === undefined ? found.index + found[0].length : (last.index ?? 0) + last[0].length;
  const newText = text.slice(start, end).replace(whole(), name);
  return { start, end, newText };
}

/** The mutation as one edit of `text`: offsets are taken modulo the text's length. */
function asEdit(text: string, m: Mutation): TextEdit {
  const n = text.length;
  const at = (x: number): number => (n === 0 ? 0 : x % (n + 1));
  switch (m.op) {
    case 'delete': {
      const start = at(m.at);
      return { start, end: Math.min(n, start + m.length), newText: '' };
    }
    case 'duplicate': {
      const start = at(m.at);
      const end = Math.min(n, start + m.length);
      return { start: end, end, newText: text.slice(start, end) };
    }
    case 'swap': {
      // Exchanges two non-overlapping spans; expressed as one replacement of the range covering both.
      let [a, b] = [at(m.a), at(m.b)].sort((x, y) => x - y) as [number, number];
      const length = Math.min(m.length, Math.max(0, b - a), n - b);
      if (length <= 0) return { start: a, end: a, newText: '' };
      b = Math.max(b, a + length);
      const first = text.slice(a, a + length);
      const second = text.slice(b, b + length);
      return { start: a, end: b + length, newText: second + text.slice(a + length, b) + first };
    }
    case 'truncate':
      return { start: at(m.at), end: n, newText: '' };
    case 'insert': {
      const start = at(m.at);
      return { start, end: start, newText: m.token };
    }
    case 'rename':
      return renameEdit(text, at(m.at), m.name);
  }
}

/** A series of mutations, each as an edit of the text the previous one left. */
export function mutationEdits(maxLength = 6): fc.Arbitrary<(text: string) => TextEdit[]> {
  return fc.array(MUTATION, { minLength: 1, maxLength }).map((mutations) => (text: string) => {
    const edits: TextEdit[] = [];
    let current = text;
    for (const m of mutations) {
      const edit = asEdit(current, m);
      edits.push(edit);
      current = current.slice(0, edit.start) + edit.newText + current.slice(edit.end);
    }
    return edits;
  });
}

export function applySequential(text: string, edits: readonly TextEdit[]): string {
  let current = text;
  for (const e of edits) current = current.slice(0, e.start) + e.newText + current.slice(e.end);
  return current;
}
