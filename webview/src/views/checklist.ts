/**
 * The self-audit checklist (chapter 13). Items that the analyzer answers with findings in the open
 * files fail, with links to the lines; the reader ticks the rest (saved per workspace by the
 * host). "Export report" writes it all as Markdown.
 */
import type { SidebarLocation, WorkspaceFinding } from '../../../client/src/sidebar/messages';
import { bookRule } from '../../../server/src/catalog/types';
import type { RenderOptions, View, ViewContext } from '../context';
import { h, icon, plural } from '../dom';
import { renderInline } from '../markdown';
import { checklistView, type ChecklistItemView } from '../model';
import type { ChecklistFilter } from '../state';

const FILTERS: readonly { readonly filter: ChecklistFilter; readonly label: string }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'failing', label: 'Failing' },
  { filter: 'open', label: 'Open' },
  { filter: 'done', label: 'Done' },
];

export class ChecklistView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly filters: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    this.summary = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.meter = h('div', { class: 'meter', role: 'progressbar', 'aria-label': 'Checklist items done', 'aria-valuemin': '0' });
    this.filters = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show checklist items' });
    this.body = h('div', { class: 'checklist-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, this.meter,
        h('button', { type: 'button', class: 'button secondary', title: 'Write the checklist with its findings as a Markdown report', onclick: () => this.ctx.post({ type: 'export' }) }, icon('export'), h('span', {}, 'Export report'))),
      this.summary,
      h('div', { class: 'toolbar filters' }, this.filters),
      this.scroller);
  }

  scrollKey(): string {
    return 'checklist';
  }

  update(_location: SidebarLocation, how: RenderOptions): boolean {
    const active = document.activeElement instanceof HTMLElement && this.body.contains(document.activeElement) ? document.activeElement.id : '';
    this.draw();
    // A redraw replaces the checkboxes; keep keyboard focus on the one the reader just ticked.
    if (active !== '') document.getElementById(active)?.focus();
    else if (how.focus) this.body.querySelector<HTMLElement>('input, a')?.focus();
    return false;
  }

  private draw(): void {
    const { catalog, findings, ticks } = this.ctx.data;
    const view = checklistView(catalog.checklist, findings, ticks);
    const { counts } = view;
    this.meter.replaceChildren(
      h('span', { class: 'meter-done', 'data-share': String(share(counts.done, counts.total)) }),
      h('span', { class: 'meter-failing', 'data-share': String(share(counts.failing, counts.total)) }));
    // Widths go through the CSSOM: the CSP forbids style attributes, not style properties set by script.
    for (const bar of Array.from(this.meter.querySelectorAll<HTMLElement>('[data-share]'))) bar.style.width = `${bar.dataset['share'] ?? '0'}%`;
    this.meter.setAttribute('aria-valuemax', String(counts.total));
    this.meter.setAttribute('aria-valuenow', String(counts.done));
    this.summary.replaceChildren(
      h('span', { class: counts.failing > 0 ? 'failing-count' : '' }, counts.failing > 0 ? icon('error') : null, `${counts.failing} failing`),
      h('span', {}, ` · ${counts.done} done · ${counts.open} open`), h('span', { class: 'muted' }, ` of ${counts.total}`));
    if (counts.total === 0) {
      this.body.replaceChildren(h('div', { class: 'empty' }, icon('checklist'), h('p', {}, 'The book has no checklist yet: chapter 13, the self-audit checklist, is not in this build.')));
      return;
    }
    this.filters.replaceChildren(...FILTERS.map(({ filter, label }) => {
      const count = filter === 'all' ? counts.total : counts[filter];
      const pressed = this.ctx.ui.checklistFilter === filter;
      return h('button', {
        type: 'button', class: `segment${pressed ? ' on' : ''}${filter === 'failing' && count > 0 ? ' alert' : ''}`, 'aria-pressed': String(pressed),
        onclick: () => {
          this.ctx.ui.checklistFilter = filter;
          this.ctx.save();
          this.draw();
          this.scroller.scrollTop = 0;
        },
      }, label, h('span', { class: 'segment-count' }, String(count)));
    }));
    const wanted = this.ctx.ui.checklistFilter;
    const groups = view.groups.map((g) => ({ ...g, shown: g.items.filter((i) => wanted === 'all' || i.status === wanted) })).filter((g) => g.shown.length > 0);
    if (groups.length === 0) {
      this.body.replaceChildren(h('div', { class: 'empty' }, icon(wanted === 'failing' ? 'pass' : 'checklist'),
        h('p', {}, wanted === 'failing' ? 'No item fails on the findings of the open files.' : `No ${wanted} items.`)));
      return;
    }
    this.body.replaceChildren(...groups.map((g) => h('section', { class: 'group', 'aria-label': g.name },
      h('h3', { class: 'group-title' }, g.name === '' ? 'Checklist' : g.name,
        h('span', { class: 'count' }, `${g.items.filter((i) => i.status === 'done').length}/${g.items.length}`)),
      h('ul', { class: 'checklist' }, g.shown.map((i) => this.item(i))))));
  }

  private item(view: ChecklistItemView): HTMLLIElement {
    const { item } = view;
    const rule = bookRule(this.ctx.data.catalog, item.ruleId);
    const id = `check-${item.ruleId.replace('.', '-')}`;
    const status = view.status === 'failing'
      ? h('span', { class: 'state state-failing' }, icon('error'), ` Failing: ${plural(view.findings.length, 'finding')}`)
      : view.automated && view.status === 'open'
        ? h('span', { class: 'state state-clear', title: `No findings of ${item.answeredBy.join(', ')} in the open files` }, icon('pass'), ' No findings in open files')
        : null;
    return h('li', { class: `check-item status-${view.status}` },
      h('input', {
        type: 'checkbox', id, class: 'checkbox', checked: view.ticked, 'aria-describedby': `${id}-rule`,
        onchange: (e) => this.ctx.setTick(item.ruleId, (e.target as HTMLInputElement).checked),
      }),
      h('div', { class: 'check-main' },
        h('label', { for: id, class: 'check-text' }, renderInline(item.text)),
        h('div', { class: 'check-meta' },
          h('a', { href: '#', id: `${id}-rule`, class: 'rule-link', title: rule === undefined ? '' : `${rule.id} ${rule.title}`, onclick: (e) => {
            e.preventDefault();
            if (rule !== undefined) this.ctx.navigate({ tab: 'chapters', chapter: rule.chapter, anchor: rule.anchor }, { focus: true });
          } }, item.ruleId),
          status),
        view.findings.length === 0 ? null : h('ul', { class: 'check-findings' }, view.findings.map((f) => this.finding(f)))));
  }

  private finding(f: WorkspaceFinding): HTMLLIElement {
    const line = f.range.start.line + 1;
    return h('li', {}, h('button', {
      type: 'button', class: 'link finding-link', title: f.message, 'aria-label': `Reveal ${f.name} line ${line}: ${f.message}`,
      onclick: () => this.ctx.post({ type: 'reveal', uri: f.uri, range: f.range }),
    }, icon('go-to-file'), h('span', {}, `${f.name}:${line}`), h('span', { class: 'muted' }, ` ${f.rule}`)));
  }
}

function share(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part / total) * 1000) / 10;
}
