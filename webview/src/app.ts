/**
 * The sidebar application: holds the data from the host and the saved UI state, shows one section
 * at a time, keeps history and scroll positions, and routes host messages to the sections.
 */
import type { HostMessage, SidebarLocation, Tab, WebviewMessage } from '../../client/src/sidebar/messages';
import type { Data, NavigateOptions, RenderOptions, View, ViewContext } from './context';
import { h } from './dom';
import { goBack, goForward, navigate, replace } from './history';
import { factsOf } from './model';
import { loadSearchIndex } from './search-index';
import type { UiState } from './state';
import { ChaptersView } from './views/chapters';
import { ChecklistView } from './views/checklist';
import { FileView } from './views/file';
import { MatrixView } from './views/matrix';
import { SearchView } from './views/search';
import { TasksView } from './views/tasks';
import { TabBar } from './views/tabs';

export interface Host {
  post(message: WebviewMessage): void;
  setState(state: UiState): void;
}

export class App implements ViewContext {
  private current: Data | undefined;
  private views: Record<Tab, View> | undefined;
  private tabs: TabBar | undefined;
  private saveTimer: number | undefined;

  constructor(private readonly root: HTMLElement, private readonly host: Host, readonly ui: UiState) {
    document.addEventListener('keydown', (event) => {
      // Alt+Left/Right, as in the editor's own Go Back / Go Forward.
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'ArrowLeft') this.back();
      else if (event.key === 'ArrowRight') this.forward();
      else return;
      event.preventDefault();
    });
  }

  get data(): Data {
    if (this.current === undefined) throw new Error('the sidebar has no data yet');
    return this.current;
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'init': {
        const index = loadSearchIndex(message.searchIndex);
        this.current = { catalog: message.catalog, index, ticks: new Set(message.ticks), file: message.file, facts: factsOf(message.file?.report), findings: message.findings, taskMap: message.taskMap };
        this.build();
        // A restored view goes back to its saved scroll offsets; a command's place is a move.
        if (message.location !== undefined) this.navigate(message.location, { focus: true });
        else this.render({ focus: false, moved: false });
        return;
      }
      case 'navigate':
        this.navigate(message.location, { focus: true });
        return;
      case 'file':
        this.update({ file: message.file, facts: factsOf(message.file?.report) });
        return;
      case 'findings':
        this.update({ findings: message.findings });
        return;
      case 'ticks':
        this.update({ ticks: new Set(message.ticks) });
        return;
      case 'taskMap':
        this.update({ taskMap: message.state });
        return;
    }
  }

  navigate(location: SidebarLocation, options: NavigateOptions = {}): void {
    this.saveScroll();
    // Choosing the Chapters tab returns to the chapter that was open there.
    const to = options.resume === true && location.tab === 'chapters' ? this.ui.chapters : location;
    this.rememberChapter(to);
    if (to.tab === 'search' && to.query !== undefined) this.ui.searchQuery = to.query;
    if (to.tab === 'matrix' && to.filter !== undefined) this.ui.matrixFilter = to.filter;
    this.ui.history = options.replace === true ? replace(this.ui.history, to) : navigate(this.ui.history, to);
    this.save();
    this.render({ focus: options.focus ?? false, moved: true });
  }

  back(): void {
    this.saveScroll();
    this.ui.history = goBack(this.ui.history);
    this.rememberChapter(this.ui.history.current);
    this.save();
    this.render({ focus: true, moved: true });
  }

  forward(): void {
    this.saveScroll();
    this.ui.history = goForward(this.ui.history);
    this.rememberChapter(this.ui.history.current);
    this.save();
    this.render({ focus: true, moved: true });
  }

  post(message: WebviewMessage): void {
    this.host.post(message);
  }

  save(): void {
    // Coalesced: scrolling and typing save often, and setState serialises the whole state.
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      this.host.setState(this.ui);
    }, 100);
  }

  setTick(ruleId: string, ticked: boolean): void {
    const ticks = new Set(this.data.ticks);
    if (ticked) ticks.add(ruleId);
    else ticks.delete(ruleId);
    this.update({ ticks });
    this.post({ type: 'tick', ruleId, ticked });
  }

  /** The chapters tab resumes at its chapter and saved offset, not at the anchor it was opened at. */
  private rememberChapter(location: SidebarLocation): void {
    if (location.tab === 'chapters') this.ui.chapters = location.chapter === undefined ? { tab: 'chapters' } : { tab: 'chapters', chapter: location.chapter };
  }

  private update(change: Partial<Data>): void {
    if (this.current === undefined) return;
    this.current = { ...this.current, ...change };
    this.saveScroll();
    this.render({ focus: false, moved: false });
  }

  private build(): void {
    const views: Record<Tab, View> = {
      matrix: new MatrixView(this),
      chapters: new ChaptersView(this),
      search: new SearchView(this),
      file: new FileView(this),
      tasks: new TasksView(this),
      checklist: new ChecklistView(this),
    };
    const tabs = new TabBar((tab) => this.navigate({ tab } as SidebarLocation, { resume: true }));
    const panels = h('div', { class: 'panels' });
    for (const [tab, view] of Object.entries(views) as [Tab, View][]) {
      view.element.id = `panel-${tab}`;
      view.element.setAttribute('role', 'tabpanel');
      view.element.setAttribute('aria-labelledby', `tab-${tab}`);
      view.element.hidden = true;
      view.scroller.addEventListener('scroll', () => {
        if (view.element.hidden) return;
        this.ui.scroll[view.scrollKey(this.ui.history.current)] = view.scroller.scrollTop;
        this.save();
      }, { passive: true });
      panels.append(view.element);
    }
    this.root.replaceChildren(tabs.element, panels);
    this.root.removeAttribute('aria-busy');
    this.views = views;
    this.tabs = tabs;
  }

  private saveScroll(): void {
    const view = this.views?.[this.ui.history.current.tab];
    if (view !== undefined && !view.element.hidden) this.ui.scroll[view.scrollKey(this.ui.history.current)] = view.scroller.scrollTop;
  }

  /**
   * Shows the current place. Without `moved` (a data change, a restored view) the view keeps its
   * saved scroll offset and keyboard focus stays where it is.
   */
  private render(how: RenderOptions): void {
    if (this.views === undefined || this.tabs === undefined || this.current === undefined) return;
    const location = this.ui.history.current;
    const { facts, file, findings } = this.current;
    const failing = new Set(findings.map((f) => f.rule));
    this.tabs.update(location.tab, {
      file: file?.report?.findings.length ?? 0,
      tasks: this.current.taskMap.status === 'ready' ? this.current.taskMap.map.tasks.filter((t) => t.findings.length > 0).length : 0,
      checklist: this.current.catalog.checklist.filter((i) => i.answeredBy.some((r) => failing.has(r))).length,
      matrix: this.current.catalog.matrix.filter((r) => r.matches.some((m) => facts.signals.has(m) || facts.findings.has(m))).length,
    });
    for (const [tab, view] of Object.entries(this.views) as [Tab, View][]) {
      const active = tab === location.tab;
      if (!active) {
        view.element.hidden = true;
        continue;
      }
      view.element.hidden = false;
      const key = view.scrollKey(location);
      const positioned = view.update(location, how);
      if (!positioned) view.scroller.scrollTop = this.ui.scroll[key] ?? 0;
    }
  }
}
