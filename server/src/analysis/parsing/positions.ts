import type { Point } from 'web-tree-sitter';

/** Line starts of a text, for converting UTF-16 offsets to rows and columns. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** web-tree-sitter counts columns in UTF-16 code units, as offsets are. */
  point(offset: number): Point {
    const row = this.lineOf(offset);
    return { row, column: offset - this.lineStart(row) };
  }

  position(offset: number): { line: number; character: number } {
    const line = this.lineOf(offset);
    return { line, character: offset - this.lineStart(line) };
  }

  offset(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    const start = this.lineStart(line);
    const next = line + 1 < this.starts.length ? (this.starts[line + 1] ?? this.text.length) : this.text.length;
    return Math.min(start + Math.max(0, character), next);
  }

  /** The whitespace that starts the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.lineStart(this.lineOf(offset));
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** The line break the text uses (the first one found), for edits that add lines. */
  get eol(): string {
    return lineBreakOf(this.text);
  }
}

/** The line break `text` uses: the first one found (LF when it has none). */
export function lineBreakOf(text: string): string {
  const i = text.indexOf('\n');
  if (i > 0 && text[i - 1] === '\r') return '\r\n';
  if (i < 0 && text.includes('\r')) return '\r';
  return '\n';
}

/**
 * The point of one offset, as `new LineIndex(text).point(offset)` gives it, without building the
 * index: an edit needs three points, of two texts, once.
 */
export function pointAt(text: string, offset: number): Point {
  return pointFrom(text, offset, 0, { row: 0, column: 0 });
}

/**
 * The point of `offset`, scanning on from `from` whose point is known: an edit's end points are
 * found from its start without scanning the text before it again.
 */
export function pointFrom(text: string, offset: number, from: number, known: Point): Point {
  let row = known.row;
  let lineStart = from - known.column;
  for (let i = from; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      row++;
      lineStart = i + 1;
    }
  }
  return { row, column: offset - lineStart };
}
