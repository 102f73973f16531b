/**
 * Search across the book's chapters, rules and matrix rows, with the prebuilt index. Results show
 * where they are (rule id, chapter) and the matching words in context; arrow keys move from the
 * box through the results, Enter opens one.
 */
import type { SidebarLocation } from '../../../client/src/sidebar/messages';
import type { RenderOptions, View, ViewContext } from '../context';
import { h, icon, iconButton, plural } from '../dom';
import { searchBook, type SearchHit } from '../search';

const KIND_ICONS = { rule: 'law', section: 'list-selection', chapter: 'book', row: 'table' } as const;
const KIND_NAMES = { rule: 'Rule', section: 'Section', chapter: 'Chapter', row: 'Matrix row' } as const;
const EXAMPLES = ['acks_late', 'jobId', 'jitter', 'R10.1', 'dead letter', 'visibility timeout', 'idempotency key'];
/** Typing redraws after this pause, so a fast typist does not wait on each keystroke. */
const TYPING_DELAY_MS = 60;

export class SearchView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private timer: number | undefined;
  private drawn: string | undefined;

  constructor(private readonly ctx: ViewContext) {
    this.input = h('input', {
      type: 'text', class: 'input', placeholder: 'Search the book: words, R5.3, acks_late', 'aria-label': 'Search the book', spellcheck: 'false',
      'aria-controls': 'search-results',
      oninput: () => {
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(() => this.setQuery(this.input.value), TYPING_DELAY_MS);
      },
      onkeydown: (event) => this.onInputKey(event as KeyboardEvent),
    });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'search-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('div', { class: 'input-box' }, icon('search'), this.input,
        iconButton('close', 'Clear the search', () => { this.input.value = ''; this.setQuery(''); this.input.focus(); }, { class: 'icon-button clear' }))),
      this.status,
      this.scroller);
    this.body.addEventListener('keydown', (event) => this.onResultKey(event));
  }

  scrollKey(): string {
    return 'search';
  }

  update(_location: SidebarLocation, how: RenderOptions): boolean {
    if (this.input.value !== this.ctx.ui.searchQuery) this.input.value = this.ctx.ui.searchQuery;
    // Results depend only on the query: data updates (typing in the editor) leave them alone.
    if (this.drawn !== this.ctx.ui.searchQuery) this.draw();
    if (how.focus) {
      this.input.focus();
      this.input.select();
    }
    return false;
  }

  private setQuery(query: string): void {
    this.ctx.ui.searchQuery = query;
    this.ctx.save();
    this.draw();
    this.scroller.scrollTop = 0;
  }

  private draw(): void {
    const query = this.ctx.ui.searchQuery;
    this.drawn = query;
    if (query.trim() === '') {
      this.status.textContent = 'Prefix and fuzzy search over every chapter, rule and matrix row.';
      this.body.replaceChildren(h('div', { class: 'hints' }, h('p', { class: 'muted' }, 'Try:'),
        h('div', { class: 'chips' }, EXAMPLES.map((q) => h('button', { type: 'button', class: 'chip chip-button', onclick: () => { this.input.value = q; this.setQuery(q); } }, q)))));
      return;
    }
    const hits = searchBook(this.ctx.data.index, query);
    this.status.textContent = hits.length === 0 ? `No results for “${query.trim()}”` : `${plural(hits.length, 'result')} for “${query.trim()}”`;
    if (hits.length === 0) {
      this.body.replaceChildren(h('div', { class: 'empty' }, icon('search'), h('p', {}, 'Nothing in the book matches. Try fewer or shorter words.')));
      return;
    }
    this.body.replaceChildren(h('ul', { class: 'results', id: 'search-results', 'aria-label': 'Search results' }, hits.map((hit) => this.result(hit))));
  }

  private result(hit: SearchHit): HTMLLIElement {
    const chapter = this.ctx.data.catalog.chapters.find((c) => c.id === hit.chapter);
    const where = hit.kind === 'row' ? 'Decision matrix' : `Chapter ${hit.chapter}${chapter === undefined ? '' : ` · ${chapter.title}`}`;
    const title = hit.kind === 'rule' || hit.kind === 'row' ? [h('span', { class: 'ref' }, hit.ref), ' ', hit.title] : [hit.title];
    return h('li', {}, h('a', { href: '#', class: 'result', 'aria-label': `${KIND_NAMES[hit.kind]}: ${hit.kind === 'rule' ? `${hit.ref} ` : ''}${hit.title}, ${where}`, onclick: (event) => { event.preventDefault(); this.open(hit); } },
      h('span', { class: 'result-head' }, icon(KIND_ICONS[hit.kind], 'kind'), h('span', { class: 'result-title' }, title)),
      h('span', { class: 'result-where' }, where),
      h('span', { class: 'snippet' }, hit.snippet.map((p) => (p.mark ? h('mark', {}, p.text) : p.text)))));
  }

  private open(hit: SearchHit): void {
    if (hit.kind === 'row') this.ctx.navigate({ tab: 'matrix', filter: hit.ref }, { focus: false });
    else this.ctx.navigate({ tab: 'chapters', chapter: hit.chapter, ...(hit.anchor === undefined ? {} : { anchor: hit.anchor }) }, { focus: true });
  }

  private onInputKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.flush();
      this.body.querySelector<HTMLElement>('a.result, button.chip-button')?.focus();
    } else if (event.key === 'Enter') {
      this.flush();
      this.body.querySelector<HTMLElement>('a.result')?.click();
    } else if (event.key === 'Escape' && this.input.value !== '') {
      event.stopPropagation();
      this.input.value = '';
      this.setQuery('');
    }
  }

  /** Applies a pending keystroke at once, for Enter and arrow keys that act on the results. */
  private flush(): void {
    window.clearTimeout(this.timer);
    if (this.input.value !== this.ctx.ui.searchQuery) this.setQuery(this.input.value);
  }

  private onResultKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = Array.from(this.body.querySelectorAll<HTMLElement>('a.result, button.chip-button'));
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === 'ArrowUp' && at === 0) this.input.focus();
    else items[Math.min(items.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  }
}
