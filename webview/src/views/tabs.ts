/**
 * The section tabs: an ARIA tablist with a roving tabindex (arrow keys, Home and End move between
 * tabs, as in the editor's own tab lists), codicons, and badges with counts. The labels give way
 * to icons alone when the sidebar is narrow; the accessible name stays.
 */
import type { Tab } from '../../../client/src/sidebar/messages';
import { h, icon } from '../dom';

const TABS: readonly { readonly tab: Tab; readonly label: string; readonly icon: string; readonly badge: string }[] = [
  { tab: 'matrix', label: 'Matrix', icon: 'table', badge: 'rows apply to this file' },
  { tab: 'chapters', label: 'Chapters', icon: 'book', badge: '' },
  { tab: 'search', label: 'Search', icon: 'search', badge: '' },
  { tab: 'file', label: 'This file', icon: 'file-code', badge: 'findings in this file' },
  { tab: 'checklist', label: 'Checklist', icon: 'checklist', badge: 'checklist items failing' },
];

export type TabCounts = Partial<Record<Tab, number>>;

export class TabBar {
  readonly element: HTMLElement;
  private readonly buttons = new Map<Tab, HTMLButtonElement>();

  constructor(private readonly choose: (tab: Tab) => void) {
    this.element = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Task Reliability sections' });
    for (const t of TABS) {
      const button = h('button', {
        type: 'button', role: 'tab', id: `tab-${t.tab}`, class: 'tab', 'aria-controls': `panel-${t.tab}`, 'aria-selected': 'false', tabindex: '-1', title: t.label,
        onclick: () => this.choose(t.tab),
        onkeydown: (event) => this.onKey(event as KeyboardEvent, t.tab),
      }, icon(t.icon), h('span', { class: 'tab-label' }, t.label), h('span', { class: 'badge', hidden: true }));
      this.buttons.set(t.tab, button);
      this.element.append(button);
    }
  }

  update(active: Tab, counts: TabCounts): void {
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
      button.setAttribute('aria-label', count > 0 && t.badge !== '' ? `${t.label}, ${count} ${t.badge}` : t.label);
    }
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
