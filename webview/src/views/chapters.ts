/**
 * The chapters: a list of the book's chapters, and a chapter rendered with its rule blocks. Rule
 * links (from hovers, diagnostics, search, cross-references) land on the rule, scrolled into view
 * and highlighted; back and forward walk the view's history.
 */
import type { SidebarLocation } from '../../../client/src/sidebar/messages';
import { bookRule, resolveRuleAnchor, type Chapter } from '../../../server/src/catalog/types';
import type { RenderOptions, View, ViewContext } from '../context';
import { h, icon, iconButton, plural } from '../dom';
import { renderChapter } from '../markdown';

const RULE_ID = /^r?(\d+)\.(\d+)$/i;
const CHAPTER_FILE_LINK = /^(?:\.\/)?(\d\d)-[a-z0-9-]+\.md(?:#([a-z0-9-]+))?$/;

export class ChaptersView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly backButton: HTMLButtonElement;
  private readonly forwardButton: HTMLButtonElement;
  private readonly listButton: HTMLButtonElement;
  private readonly ruleInput: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private readonly rendered = new Map<number, HTMLElement>();
  private shown: number | 'list' | undefined;

  constructor(private readonly ctx: ViewContext) {
    this.backButton = iconButton('arrow-left', 'Back (Alt+Left)', () => this.ctx.back());
    this.forwardButton = iconButton('arrow-right', 'Forward (Alt+Right)', () => this.ctx.forward());
    this.listButton = iconButton('list-flat', 'All chapters', () => this.ctx.navigate({ tab: 'chapters' }, { focus: true }));
    this.ruleInput = h('input', {
      type: 'text', class: 'input', placeholder: 'Go to rule: R5.3', 'aria-label': 'Go to a rule by its id, for example R5.3', spellcheck: 'false',
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === 'Enter') this.goToRule(this.ruleInput.value);
      },
    });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'chapters-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, this.backButton, this.forwardButton, this.listButton, h('div', { class: 'input-box' }, icon('law'), this.ruleInput)),
      this.status,
      this.scroller);
    this.body.addEventListener('click', (event) => this.onLink(event));
  }

  scrollKey(location: SidebarLocation): string {
    return location.tab === 'chapters' && location.chapter !== undefined ? `chapter:${location.chapter}` : 'chapters';
  }

  update(location: SidebarLocation, how: RenderOptions): boolean {
    if (location.tab !== 'chapters') return false;
    // A link to a retired rule's anchor (`r9-1`, written before the rule moved) lands on the rule that states it now.
    if (location.chapter !== undefined && location.anchor !== undefined) {
      const to = resolveRuleAnchor(this.ctx.data.catalog, location.chapter, location.anchor);
      if (to.chapter !== location.chapter || to.anchor !== location.anchor) location = { ...location, ...to };
    }
    this.backButton.disabled = this.ctx.ui.history.back.length === 0;
    this.forwardButton.disabled = this.ctx.ui.history.forward.length === 0;
    const chapter = location.chapter === undefined ? undefined : this.ctx.data.catalog.chapters.find((c) => c.id === location.chapter);
    this.listButton.disabled = chapter === undefined;
    if (chapter === undefined) {
      this.showList();
      if (how.focus) this.body.querySelector<HTMLElement>('a.chapter-link')?.focus();
      return false;
    }
    this.showChapter(chapter);
    if (!how.moved) return false;
    return this.reveal(location.anchor, how.focus);
  }

  private showList(): void {
    this.status.textContent = `${this.ctx.data.catalog.chapters.length} chapters`;
    // The list shows live counts (findings of the active file), so it is redrawn each time.
    this.shown = 'list';
    const byChapter = new Map<number, number>();
    for (const f of this.ctx.data.file?.report?.findings ?? []) byChapter.set(f.chapter, (byChapter.get(f.chapter) ?? 0) + 1);
    this.body.replaceChildren(h('ol', { class: 'chapter-list', 'aria-label': 'Chapters of the book' }, this.ctx.data.catalog.chapters.map((c) => {
      const hits = byChapter.get(c.id) ?? 0;
      return h('li', {}, h('a', { href: '#', class: 'chapter-link', 'data-chapter': String(c.id) },
        h('span', { class: 'chapter-num', 'aria-hidden': 'true' }, String(c.id)),
        h('span', { class: 'chapter-main' },
          h('span', { class: 'chapter-title' }, c.title, hits > 0 ? h('span', { class: 'hit hit-finding', title: `${plural(hits, 'finding')} in the active file` }, icon('warning'), String(hits)) : null),
          h('span', { class: 'chapter-meta' }, c.ruleIds.length > 0 ? plural(c.ruleIds.length, 'rule') : c.id === 2 ? 'The decision matrix' : c.id === 13 ? 'The self-audit checklist' : 'Introduction'),
          h('span', { class: 'chapter-desc' }, c.loadWhen.replace(/^Load when\s+/i, '').replace(/^./, (ch) => ch.toUpperCase())))));
    })));
  }

  private showChapter(chapter: Chapter): void {
    this.status.replaceChildren(h('span', { class: 'crumb', title: chapter.title }, h('span', { class: 'chapter-num small' }, String(chapter.id)), ` ${chapter.title}`));
    if (chapter.ruleIds.length > 0) this.status.append(h('span', { class: 'muted' }, ` · ${plural(chapter.ruleIds.length, 'rule')}`));
    if (this.shown === chapter.id) return;
    this.shown = chapter.id;
    let article = this.rendered.get(chapter.id);
    if (article === undefined) {
      article = renderChapter(chapter, this.ctx.data.catalog);
      article.append(this.pager(chapter));
      this.rendered.set(chapter.id, article);
    }
    this.body.replaceChildren(article);
  }

  private pager(chapter: Chapter): HTMLElement {
    const chapters = this.ctx.data.catalog.chapters;
    const at = chapters.findIndex((c) => c.id === chapter.id);
    const prev = chapters[at - 1];
    const next = chapters[at + 1];
    return h('nav', { class: 'pager', 'aria-label': 'Other chapters' },
      prev === undefined ? h('span', {}) : h('a', { href: '#', class: 'pager-prev', 'data-chapter': String(prev.id) }, icon('arrow-left'), ` ${prev.id}. ${prev.title}`),
      next === undefined ? h('span', {}) : h('a', { href: '#', class: 'pager-next', 'data-chapter': String(next.id) }, `${next.id}. ${next.title} `, icon('arrow-right')));
  }

  /** Scrolls to the anchor and highlights it; returns false without one, so the saved offset is restored. */
  private reveal(anchor: string | undefined, focus: boolean): boolean {
    for (const old of Array.from(this.body.querySelectorAll('.target'))) old.classList.remove('target');
    if (anchor === undefined) {
      // A chapter opened without an anchor resumes where the reader left it (or at its start).
      if (focus) this.body.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
      return false;
    }
    const heading = this.body.querySelector<HTMLElement>(`[id="${CSS.escape(anchor)}"]`);
    if (heading === null) return false;
    const block = heading.closest<HTMLElement>('.rule-block') ?? heading;
    block.classList.add('target');
    this.scroller.scrollTop = Math.max(0, block.offsetTop - this.scroller.offsetTop - 8);
    if (focus) heading.focus({ preventScroll: true });
    return true;
  }

  private goToRule(value: string): void {
    const m = RULE_ID.exec(value.trim());
    const id = m === null ? value.trim() : `R${m[1]}.${m[2]}`;
    const rule = bookRule(this.ctx.data.catalog, id);
    if (rule === undefined) {
      this.status.textContent = value.trim() === '' ? 'Type a rule id, such as R5.3' : `There is no rule ${value.trim()} in the book.`;
      return;
    }
    this.ruleInput.value = '';
    this.ctx.navigate({ tab: 'chapters', chapter: rule.chapter, anchor: rule.anchor }, { focus: true });
  }

  private onLink(event: Event): void {
    const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a[data-rule], a[data-chapter], a[href^="#"], a[href*=".md"]');
    if (link === null || link === undefined) return;
    event.preventDefault();
    const { catalog } = this.ctx.data;
    const ruleId = link.dataset['rule'];
    const rule = ruleId === undefined ? undefined : bookRule(catalog, ruleId);
    if (rule !== undefined) {
      this.ctx.navigate({ tab: 'chapters', chapter: rule.chapter, anchor: rule.anchor }, { focus: true });
      return;
    }
    const chapter = Number(link.dataset['chapter']);
    if (Number.isInteger(chapter) && chapter > 0) {
      this.ctx.navigate({ tab: 'chapters', chapter }, { focus: true });
      return;
    }
    // A Markdown link to another chapter file (`05-retries-backoff-jitter.md#r5-3`) opens that chapter;
    // an anchor of a retired rule id is moved to its live rule when the location is shown.
    const file = CHAPTER_FILE_LINK.exec(link.getAttribute('href') ?? '');
    if (file !== null) {
      this.ctx.navigate({ tab: 'chapters', chapter: Number(file[1]), ...(file[2] === undefined ? {} : { anchor: file[2] }) }, { focus: true });
      return;
    }
    const anchor = link.getAttribute('href')?.slice(1);
    if (anchor !== undefined && anchor !== '' && typeof this.shown === 'number') this.ctx.navigate({ tab: 'chapters', chapter: this.shown, anchor }, { focus: true });
  }
}
