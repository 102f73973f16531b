import type { Node } from 'web-tree-sitter';
import type { LineIndex } from './parsing/positions.js';
import { lineCommentPrefix } from './languages.js';
import type { LanguageId, SuppressionComment, TextEdit } from './types.js';

const PATTERN = /reliability-ignore-(next-line|file)\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)(?:\s+--\s*(.*?))?\s*(?:\*\/)?\s*$/;

/** Reads suppression comments out of the comment nodes (or tokens) of a file. */
export function readSuppressions(comments: readonly { text: string; start: number }[]): SuppressionComment[] {
  const result: SuppressionComment[] = [];
  for (const comment of comments) {
    const match = PATTERN.exec(comment.text);
    if (match === null) continue;
    const idsText = match[2] ?? '';
    const idsStart = comment.start + match.index + match[0].indexOf(idsText, (match[1] ?? '').length);
    const rules: { id: string; range: { start: number; end: number } }[] = [];
    const idPattern = /[A-Za-z0-9_-]+/g;
    for (let m = idPattern.exec(idsText); m !== null; m = idPattern.exec(idsText)) {
      rules.push({ id: m[0], range: { start: idsStart + m.index, end: idsStart + m.index + m[0].length } });
    }
    const reason = match[3]?.trim();
    result.push({
      kind: match[1] === 'file' ? 'file' : 'line',
      rules,
      reason: reason === undefined || reason === '' ? undefined : reason,
      range: { start: comment.start, end: comment.start + comment.text.length },
    });
  }
  return result;
}

/** Answers "is this rule suppressed at this offset?" for one file. */
export class SuppressionIndex {
  private readonly file = new Map<string, SuppressionComment>();
  private readonly lines = new Map<number, SuppressionComment[]>();

  constructor(comments: readonly SuppressionComment[], private readonly index: LineIndex) {
    for (const comment of comments) {
      if (comment.kind === 'file') {
        for (const rule of comment.rules) this.file.set(rule.id, comment);
      } else {
        const line = index.lineOf(comment.range.end) + 1;
        const list = this.lines.get(line) ?? [];
        list.push(comment);
        this.lines.set(line, list);
      }
    }
  }

  find(rule: string, offset: number): SuppressionComment | undefined {
    const file = this.file.get(rule);
    if (file !== undefined) return file;
    return this.lines.get(this.index.lineOf(offset))?.find((c) => c.rules.some((r) => r.id === rule));
  }
}

/**
 * The edit that adds `reliability-ignore-next-line <rule>` above the line of `offset`. Among JSX
 * children a `//` line would be text, so there the comment is a block comment in braces:
 * `inJsx` (for languages with JSX) tells whether a line's first character is among them.
 */
export function suppressLineEdit(language: LanguageId, index: LineIndex, rule: string, offset: number, inJsx?: (lineCodeStart: number) => boolean): TextEdit {
  const start = index.lineStart(index.lineOf(offset));
  const indent = index.indentAt(offset);
  const comment = inJsx?.(start + indent.length) === true
    ? `{/* reliability-ignore-next-line ${rule} */}`
    : `${lineCommentPrefix(language)} reliability-ignore-next-line ${rule}`;
  return { start, end: start, newText: `${indent}${comment}${index.eol}` };
}

/** Whether the code at `offset` (a line's first character) sits among a JSX element's children. */
export function inJsxChildren(root: Node, offset: number): boolean {
  const descendant = root.descendantForIndex(offset);
  if (descendant === null) return false;
  // The ancestors come from a cursor walking down from the root: tree-sitter finds a node's parent
  // by walking down from the root, so climbing a 10,000-level chain would cost its depth squared.
  const chain: Node[] = [root];
  const cursor = root.walk();
  try {
    while (cursor.gotoFirstChildForIndex(offset) && cursor.startIndex <= offset) chain.push(cursor.currentNode);
  } finally {
    cursor.delete();
  }
  if (chain[chain.length - 1]?.id !== descendant.id) return inJsxChildrenByParents(root, descendant, offset);
  let at = chain.length - 1;
  while (at > 1 && (chain[at - 1] as Node).startIndex === offset) at--;
  const node = chain[at] as Node;
  const parent = at > 0 ? (chain[at - 1] as Node) : null;
  return parent !== null && isJsxChild(parent, node);
}

/** The same question by parent walks, for a descent that ended elsewhere than `descendantForIndex`. */
function inJsxChildrenByParents(root: Node, descendant: Node, offset: number): boolean {
  let node = descendant;
  while (node.parent !== null && node.parent.startIndex === offset && node.parent.id !== root.id) node = node.parent;
  const parent = node.parent;
  return parent !== null && isJsxChild(parent, node);
}

function isJsxChild(parent: Node, node: Node): boolean {
  if (parent.type === 'jsx_fragment') return true;
  return parent.type === 'jsx_element' && node.type !== 'jsx_opening_element';
}

/**
 * The edit that adds `reliability-ignore-file <rule>` at the top: after a shebang line, and after
 * a Python encoding declaration, which must stay on the first or second line.
 */
export function suppressFileEdit(language: LanguageId, index: LineIndex, rule: string): TextEdit {
  let line = 0;
  const lineText = (n: number): string => index.text.slice(index.lineStart(n), n + 1 < index.lineCount ? index.lineStart(n + 1) : index.text.length);
  if (index.text.startsWith('#!')) line = 1;
  if (language === 'python' && line < index.lineCount && line < 2 && CODING.test(lineText(line))) line++;
  const text = `${lineCommentPrefix(language)} reliability-ignore-file ${rule}${index.eol}`;
  if (line < index.lineCount) {
    const start = index.lineStart(line);
    return { start, end: start, newText: text };
  }
  // The lines to keep first are the whole file and it has no final line break: add one.
  const end = index.text.length;
  return { start: end, end, newText: `${index.eol}${text}` };
}

/** PEP 263: an encoding declaration is a comment matching this on line one or two. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;
