/**
 * Renders a chapter with markdown-it. Raw HTML in the source is escaped (html: false), images are
 * off (the CSP would block remote ones anyway), and headings get the same anchors as the search
 * index. Rule blocks become sections with their id shown, and rule and chapter references in the
 * prose become links inside the view.
 */
import MarkdownIt from 'markdown-it';
import { bookRule, type Catalog, type Chapter } from '../../server/src/catalog/types';
import { AnchorCounter, ruleIdOfHeading } from './anchors';
import { h } from './dom';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['image']);

md.core.ruler.push('task_reliability_anchors', (state) => {
  const counter = new AnchorCounter();
  state.tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      const source = state.tokens[i + 1]?.content ?? '';
      token.attrSet('id', counter.next(source));
      if (ruleIdOfHeading(source) !== undefined) token.attrJoin('class', 'rule-heading');
    }
    // Column alignment arrives as a style attribute, which the CSP refuses; a class does the same.
    const style = token.attrGet('style');
    if (style !== null && (token.type === 'th_open' || token.type === 'td_open')) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      const align = /text-align:(\w+)/.exec(style)?.[1];
      if (align !== undefined) token.attrJoin('class', `align-${align}`);
    }
  });
});

md.renderer.rules.fence = (tokens, idx) => {
  const token = tokens[idx];
  const info = (token?.info ?? '').trim();
  const [language = '', ...rest] = info.split(/\s+/);
  const claim = rest.join(' ');
  const escape = md.utils.escapeHtml;
  const flags = /^flags=(.+)$/.exec(claim)?.[1];
  const badge = flags !== undefined
    ? `<span class="claim claim-flags" title="The analyzer reports ${escape(flags)} on this example">flags ${escape(flags.split(',').join(', '))}</span>`
    : claim === 'clean' ? '<span class="claim claim-clean" title="The analyzer reports nothing on this example">clean</span>' : '';
  const head = language === '' && badge === '' ? '' : `<div class="code-head"><span class="code-lang">${escape(language)}</span>${badge}</div>`;
  return `<div class="code-block">${head}<pre><code${language === '' ? '' : ` class="language-${escape(language)}"`}>${escape(token?.content ?? '')}</code></pre></div>\n`;
};

const REFERENCE = /\b(R(\d+)\.(\d+))\b|\b([Cc]hapters?) (\d+)((?:(?:, | and | or )\d+)*)/g;

/** Turns `R5.1` and `chapter 9` in prose (not in code) into links that the view handles. */
function linkReferences(root: HTMLElement, catalog: Catalog): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('code, pre, a, .rule-id') === null ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) texts.push(n as Text);
  const chapters = new Set(catalog.chapters.map((c) => c.id));
  for (const text of texts) {
    const value = text.data;
    const parts: (Node | string)[] = [];
    let last = 0;
    for (const m of value.matchAll(REFERENCE)) {
      const at = m.index ?? 0;
      let link: Node | undefined;
      const rule = m[1] === undefined ? undefined : bookRule(catalog, m[1]);
      if (m[1] !== undefined && rule !== undefined) {
        // A retired id links to the rule that states it now.
        link = h('a', { href: `#${rule.anchor}`, class: 'xref', 'data-rule': rule.id, title: rule.id === m[1] ? rule.title : `${rule.id} ${rule.title}` }, m[1]);
      } else if (m[4] !== undefined && chapters.has(Number(m[5]))) {
        // Only the first number becomes a link; "chapters 3 and 9" links chapter 3 and leaves the rest as text.
        const id = Number(m[5]);
        link = h('span', {}, `${m[4]} `, h('a', { href: '#', class: 'xref', 'data-chapter': String(id), title: catalog.chapters.find((c) => c.id === id)?.title ?? '' }, String(id)), m[6] ?? '');
      }
      if (link === undefined) continue;
      parts.push(value.slice(last, at), link);
      last = at + m[0].length;
    }
    if (parts.length === 0) continue;
    parts.push(value.slice(last));
    text.replaceWith(...parts.filter((p) => p !== ''));
  }
}

/** Wraps each rule heading and its body in a section, and sets the rule id apart as a badge. */
function wrapRuleBlocks(root: HTMLElement): void {
  for (const heading of Array.from(root.querySelectorAll<HTMLHeadingElement>('h3.rule-heading'))) {
    const id = ruleIdOfHeading(heading.textContent ?? '');
    if (id === undefined) continue;
    const section = h('section', { class: 'rule-block', 'aria-labelledby': heading.id, 'data-rule': id });
    heading.before(section);
    const body: Element[] = [];
    for (let next = heading.nextElementSibling; next !== null && !/^H[1-3]$/.test(next.tagName); next = next.nextElementSibling) body.push(next);
    const first = heading.firstChild;
    if (first instanceof Text && first.data.startsWith(id)) {
      first.data = first.data.slice(id.length).trimStart();
      heading.prepend(h('span', { class: 'rule-id' }, id), ' ');
    }
    heading.tabIndex = -1;
    section.append(heading, ...body);
  }
}

function wrapTables(root: HTMLElement): void {
  for (const table of Array.from(root.querySelectorAll('table'))) {
    const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Table (scrolls sideways)' });
    table.before(wrap);
    wrap.append(table);
  }
}

export function renderChapter(chapter: Chapter, catalog: Catalog): HTMLElement {
  const article = h('article', { class: 'markdown chapter-body', 'aria-label': `Chapter ${chapter.id}: ${chapter.title}` });
  // markdown-it escapes every character of raw HTML in the source (html: false), so this string
  // holds only the markup markdown-it itself generates.
  article.innerHTML = md.render(chapter.markdown);
  for (const heading of Array.from(article.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6'))) heading.tabIndex = -1;
  const h1 = article.querySelector('h1');
  const loadWhen = h('aside', { class: 'load-when', 'aria-label': 'When to read this chapter' }, h('strong', {}, 'Load when: '), chapter.loadWhen.replace(/^Load when\s+/i, ''));
  if (h1 !== null) h1.after(loadWhen);
  else article.prepend(loadWhen);
  wrapRuleBlocks(article);
  wrapTables(article);
  linkReferences(article, catalog);
  if (chapter.sources.length > 0) {
    article.append(h('section', { class: 'sources', 'aria-label': 'Sources' },
      h('h2', {}, 'Sources'),
      h('ul', {}, chapter.sources.map((s) => h('li', {}, renderInline(s))))));
  }
  return article;
}

/** Inline Markdown (a matrix cell, a source line) as a fragment. */
export function renderInline(markdown: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = md.renderInline(markdown);
  return template.content;
}
