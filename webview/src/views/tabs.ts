/**
 * The section tabs: an ARIA tablist with a roving tabindex (arrow keys, Home and End move between
 * tabs, as in the editor's own tab lists), codicons, and badges with counts. The strip takes the
 * widest layout that fits its width: icon and label side by side, then the label under its icon
 * (the sidebar's default width), then icons alone with the label and count as a tooltip. The
 * accessible name and the counts stay in every layout.
 */
import type { Tab } from '../../../client/src/sidebar/messages';
import { h, icon } from '../dom';

const TABS: readonly { readonly tab: Tab; readonly label: string; readonly icon: string; readonly badge: string }[] = [
  { tab: 'matrix', label: 'Matrix', icon: 'table', badge: 'rows apply to this file' },
  { tab: 'chapters', label: 'Chapters', icon: 'book', badge: '' },
  { tab: 'search', label: 'Search', icon: 'search', badge: '' },
  { tab: 'file', label: 'This file', icon: 'file-code', badge: 'findings in this file' },
  { tab: 'tasks', label: 'Tasks', icon: 'tasklist', badge: 'tasks with findings' },
  { tab: 'checklist', label: 'Checklist', icon: 'checklist', badge: 'checklist items failing' },
];

export type TabCounts = Partial<Record<Tab, number>>;

/** From the widest to the narrowest; media/sidebar.css styles each `data-layout`. */
const LAYOUTS = ['wide', 'stacked', 'icons'] as const;
type TabLayout = (typeof LAYOUTS)[number];

export class TabBar {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Tab, HTMLButtonElement>();
  private readonly names = new Map<Tab, string>();
  private width = -1;

  constructor(private readonly choose: (tab: Tab) => void) {
    this.element = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Task Reliability sections', 'data-layout': 'wide' });
    for (const t of TABS) {
      const button = h('button', {
        type: 'button', role: 'tab', id: `tab-${t.tab}`, class: 'tab', 'aria-controls': `panel-${t.tab}`, 'aria-selected': 'false', tabindex: '-1',
        onclick: () => this.choose(t.tab),
        onkeydown: (event) => this.onKey(event as KeyboardEvent, t.tab),
      }, icon(t.icon), h('span', { class: 'tab-label' }, t.label), h('span', { class: 'badge', hidden: true }));
      this.buttons.set(t.tab, button);
      this.element.append(button);
    }
    // The whole view's width, not the strip's: a new layout changes the strip's height, and
    // observing the strip itself would report that change back in the same frame.
    new ResizeObserver(() => {
      if (document.documentElement.clientWidth === this.width) return;
      this.width = document.documentElement.clientWidth;
      this.fit();
    }).observe(document.documentElement);
  }

  /** Picks the widest layout whose tabs fit without overflowing the strip; labels become tooltips only when they are hidden. */
  private fit(): void {
    // The narrowest layout when none fits.
    const layout: TabLayout = LAYOUTS.find((candidate) => {
      this.element.dataset['layout'] = candidate;
      return this.element.scrollWidth <= this.element.clientWidth;
    }) ?? 'icons';
    this.element.dataset['layout'] = layout;
    for (const [tab, button] of this.buttons) {
      if (layout === 'icons') button.title = this.names.get(tab) ?? '';
      else button.removeAttribute('title');
    }
  }

  update(active: Tab, counts: TabCounts): void {
    const before = [...this.names.values()].join('\n');
    for (const t of TABS) {
      const button = this.buttons.get(t.tab);
      if (button === undefined) continue;
      const selected = t.tab === active;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      const count = counts[t.tab] ?? 0;
      const badge = button.querySelector<HTMLElement>('.badge');
      if (badge !== null) {
        badge.hidden = count === 0;
        badge.textContent = String(count);
      }
      const name = count > 0 && t.badge !== '' ? `${t.label}, ${count} ${t.badge}` : t.label;
      button.setAttribute('aria-label', name);
      this.names.set(t.tab, name);
    }
    // A count that appears or changes can widen its tab; other renders leave the layout alone.
    if ([...this.names.values()].join('\n') !== before) this.fit();
  }

  private onKey(event: KeyboardEvent, tab: Tab): void {
    const index = TABS.findIndex((t) => t.tab === tab);
    const last = TABS.length - 1;
    const next = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
        : event.key === 'Home' ? 0 : event.key === 'End' ? last : undefined;
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[next];
    if (target === undefined) return;
    this.choose(target.tab);
    this.buttons.get(target.tab)?.focus();
  }
}
