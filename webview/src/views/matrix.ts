/**
 * The decision matrix (chapter 2) as a filterable table. Rows whose signal kinds or rule ids occur
 * in the active file are marked with their count and listed first; each row opens its chapters.
 */
import type { SidebarLocation } from '../../../client/src/sidebar/messages';
import type { RenderOptions, View, ViewContext } from '../context';
import { filterInput, h, icon, plural, setToggle, toggleButton } from '../dom';
import { renderInline } from '../markdown';
import { matrixView, type MatrixRowView } from '../model';

export class MatrixView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly only: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    this.input = filterInput('Filter rows (retry, acks_late, ch9)', 'Filter the decision matrix', (value) => this.setFilter(value));
    this.only = toggleButton('file-code', 'This file', 'Show only the rows that apply to the active file', () => {
      this.ctx.ui.onlyApplicable = !this.ctx.ui.onlyApplicable;
      this.ctx.save();
      this.draw();
    });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'matrix-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('div', { class: 'input-box' }, icon('filter'), this.input), this.only),
      this.status,
      this.scroller);
  }

  scrollKey(): string {
    return 'matrix';
  }

  update(location: SidebarLocation, how: RenderOptions): boolean {
    if (location.tab === 'matrix' && location.filter !== undefined && how.moved) this.input.value = location.filter;
    else if (this.input.value !== this.ctx.ui.matrixFilter) this.input.value = this.ctx.ui.matrixFilter;
    this.draw();
    if (how.focus) this.input.focus();
    return false;
  }

  private setFilter(value: string): void {
    this.ctx.ui.matrixFilter = value;
    this.ctx.save();
    this.draw();
  }

  private draw(): void {
    const { catalog, facts, file } = this.ctx.data;
    const view = matrixView(catalog, facts, { filter: this.ctx.ui.matrixFilter, onlyApplicable: this.ctx.ui.onlyApplicable });
    setToggle(this.only, this.ctx.ui.onlyApplicable);
    const where = file === null ? 'no active file' : file.name.split('/').pop() ?? file.name;
    const applies = view.applicable > 0 ? `${plural(view.applicable, 'row')} ${view.applicable === 1 ? 'applies' : 'apply'} to ${where}` : `No row applies to ${where}`;
    const shown = view.rows.length === view.total ? `${view.total} rows` : `${view.rows.length} of ${view.total} rows`;
    this.status.replaceChildren(h('span', { class: view.applicable > 0 ? 'applies-count' : '' }, view.applicable > 0 ? icon('pulse') : null, applies), h('span', { class: 'muted' }, ` · ${shown}`));
    if (view.rows.length === 0) {
      this.body.replaceChildren(h('div', { class: 'empty' }, icon('filter'), h('p', {}, 'No row matches the filter.'),
        h('button', { type: 'button', class: 'link', onclick: () => { this.input.value = ''; this.ctx.ui.onlyApplicable = false; this.setFilter(''); } }, 'Clear the filter')));
      return;
    }
    const titles = new Map(catalog.chapters.map((c) => [c.id, c.title]));
    const table = h('table', { class: 'matrix' },
      h('caption', { class: 'visually-hidden' }, 'Decision matrix: signal or task, first move, chapters'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'col-id' }, 'Row'), h('th', { scope: 'col' }, 'Signal or task · first move · chapters'))),
      h('tbody', {}, view.rows.map((r) => this.row(r, titles))));
    this.body.replaceChildren(table);
  }

  private row(view: MatrixRowView, titles: ReadonlyMap<number, string>): HTMLTableRowElement {
    const { row } = view;
    const { facts } = this.ctx.data;
    const first = row.chapters[0];
    const open = (chapter: number) => () => this.ctx.navigate({ tab: 'chapters', chapter }, { focus: true });
    const counts: string[] = [];
    if (view.findingCount > 0) counts.push(plural(view.findingCount, 'finding'));
    if (view.signalCount > 0) counts.push(plural(view.signalCount, 'signal'));
    const mark = view.applies
      ? h('span', { class: `hit ${view.findingCount > 0 ? 'hit-finding' : 'hit-signal'}`, title: `In the active file: ${counts.join(', ')}`, 'aria-label': `applies to the active file: ${counts.join(', ')}` },
        icon(view.findingCount > 0 ? 'warning' : 'pulse'), String(view.findingCount + view.signalCount))
      : null;
    return h('tr', { class: view.applies ? `applies ${view.findingCount > 0 ? 'applies-finding' : ''}` : '', 'data-row': row.id },
      h('td', { class: 'col-id' }, h('span', { class: 'row-id' }, row.id), mark),
      h('td', { class: 'col-task' },
        h('button', { type: 'button', class: 'task', title: first === undefined ? '' : `Open chapter ${first}: ${titles.get(first) ?? ''}`, onclick: first === undefined ? undefined : open(first) }, renderInline(row.task)),
        h('div', { class: 'first-move' }, h('span', { class: 'label' }, 'First move '), renderInline(row.firstMove)),
        h('div', { class: 'row-foot' },
          h('div', { class: 'chapter-pills', role: 'group', 'aria-label': 'Chapters' }, row.chapters.map((c, i) =>
            h('button', { type: 'button', class: `pill${i === 0 ? ' primary' : ''}`, title: `Chapter ${c}: ${titles.get(c) ?? ''}`, 'aria-label': `Open chapter ${c}, ${titles.get(c) ?? ''}`, onclick: open(c) },
              i === 0 ? [icon('book'), ` ${c} · ${titles.get(c) ?? ''}`] : String(c)))),
          row.matches.map((m) => {
            const present = (facts.signals.get(m) ?? 0) + (facts.findings.get(m) ?? 0) > 0;
            return h('code', { class: `chip${present ? ' present' : ''}`, title: present ? 'Found in the active file' : 'Signal kind or rule id that highlights this row' }, m);
          }))));
  }
}
