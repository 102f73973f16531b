/**
 * Text measures and cuts for hover cards, which must fit without scrolling: the visible length of
 * rendered Markdown, a rule's WHY shortened to its first sentences with the source kept, and
 * Markdown clipped at a word outside code spans.
 */

/**
 * The text a reader sees once the Markdown is rendered: link targets and titles, emphasis
 * markers, backticks, heading marks and hard-break backslashes removed, whitespace runs counted
 * as one character.
 */
export function visibleText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/`+/g, '')
    .replace(/\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])/g, '')
    .replace(/^#+\s+/gm, '')
    .replace(/\\$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function visibleLength(markdown: string): number {
  return visibleText(markdown).length;
}

/** How far past the mark a first sentence may run before it is cut. */
const FIRST_SENTENCE_SLACK = 1.2;

/** Splits prose into sentences, never inside parentheses (citations) or code spans. */
export function sentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let depth = 0;
  let code = false;
  let start = 0;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') code = !code;
    if (code) continue;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === '.' || c === '!' || c === '?') && (i + 1 === flat.length || (flat[i + 1] === ' ' && /[A-Z0-9*`(]/.test(flat[i + 2] ?? '')))) {
      if (/\b(?:e\.g|i\.e|vs|etc)\.$/.test(flat.slice(Math.max(0, i - 4), i + 1))) continue;
      out.push(flat.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  if (start < flat.length && flat.slice(start).trim() !== '') out.push(flat.slice(start).trim());
  return out;
}

/** Parenthesised citations at the top level of a sentence: a book in italics, or a vendor's documentation. */
function citations(sentence: string): string[] {
  const found: string[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < sentence.length; i++) {
    if (sentence[i] === '(' && depth++ === 0) open = i;
    else if (sentence[i] === ')' && depth > 0 && --depth === 0) {
      const group = sentence.slice(open, i + 1);
      if (/\*[^*]+\*|documentation|docs\b|RFC \d|README/.test(group)) found.push(group);
    }
  }
  return found;
}

/**
 * A WHY that fits in about `max` visible characters: its first sentence, and the next ones while
 * they fit. When the first sentence is far too long, its prose is cut at a word and its citation
 * kept; when what is kept cites nothing, the WHY's first citation is added.
 */
export function shortWhy(why: string, max: number): string {
  const all = sentences(why);
  if (visibleLength(why) <= max) return all.join(' ');
  let kept = all[0] ?? '';
  // A first sentence a little over the mark stays whole: a cut sentence reads worse than a long one.
  if (visibleLength(kept) <= max * FIRST_SENTENCE_SLACK) {
    for (const next of all.slice(1)) {
      if (visibleLength(`${kept} ${next}`) > max) break;
      kept = `${kept} ${next}`;
    }
    return citations(kept).length > 0 ? kept : withSource(kept, all);
  }
  const source = citations(kept)[0];
  if (source === undefined) return withSource(clipMarkdown(kept, max), all);
  const prose = kept.slice(0, kept.indexOf(source)).trimEnd();
  return `${clipMarkdown(prose, Math.max(max / 2, max - visibleLength(source) - 1))} ${source}.`;
}

/** Adds the WHY's first citation to a shortened WHY that lost it. */
function withSource(kept: string, all: readonly string[]): string {
  const source = all.flatMap(citations)[0];
  return source === undefined ? kept : `${kept.replace(/[.!?]$/, '')} ${source}.`;
}

/**
 * Markdown cut to at most `max` visible characters at a space outside code spans and links, with
 * an ellipsis; unchanged when it fits.
 */
export function clipMarkdown(markdown: string, max: number): string {
  if (visibleLength(markdown) <= max) return markdown;
  const text = markdown.replace(/\s+/g, ' ').trim();
  let best = '';
  let code = false;
  let bracket = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') code = !code;
    else if (!code && c === '[') bracket++;
    else if (!code && c === ')' && bracket > 0 && text.lastIndexOf('](', i) > text.lastIndexOf('[', i)) bracket--;
    if (c !== ' ' || code || bracket > 0) continue;
    const candidate = text.slice(0, i).replace(/[,;:]$/, '');
    if (visibleLength(`${candidate}…`) > max) break;
    best = candidate;
  }
  return `${balanceBold(best)}…`;
}

/** Closes a bold run left open by a cut, so the rest of the card does not render bold. */
function balanceBold(text: string): string {
  return (text.match(/\*\*/g) ?? []).length % 2 === 1 ? `${text}**` : text;
}
