/** What every section of the sidebar can read and do; the App implements it. */
import type MiniSearch from 'minisearch';
import type { Catalog } from '../../server/src/catalog/types';
import type { ActiveFile, SidebarLocation, TaskMapState, WebviewMessage, WorkspaceFinding } from '../../client/src/sidebar/messages';
import type { FileFacts } from './model';
import type { SearchDoc } from './search-index';
import type { UiState } from './state';

export interface NavigateOptions {
  /** Replace the current history entry instead of adding a step (typing in a filter). */
  readonly replace?: boolean;
  /** Move keyboard focus into the place (a command or a link asked for it). */
  readonly focus?: boolean;
  /** A tab was chosen: go back to where that tab was (the chapter that was open in it). */
  readonly resume?: boolean;
}

export interface RenderOptions {
  /** Move keyboard focus into the view. */
  readonly focus: boolean;
  /** The place changed (not only the data): a view scrolls to its anchor only then. */
  readonly moved: boolean;
}

/** The data from the extension host; replaced piecewise as messages arrive. */
export interface Data {
  readonly catalog: Catalog;
  readonly index: MiniSearch<SearchDoc>;
  readonly ticks: ReadonlySet<string>;
  readonly file: ActiveFile | null;
  readonly facts: FileFacts;
  readonly findings: readonly WorkspaceFinding[];
  readonly taskMap: TaskMapState;
}

export interface ViewContext {
  readonly data: Data;
  readonly ui: UiState;
  /** Goes somewhere, as a new step in the history unless `replace` is set. */
  navigate(location: SidebarLocation, options?: NavigateOptions): void;
  back(): void;
  forward(): void;
  post(message: WebviewMessage): void;
  /** Saves `ui` with setState; called after every change a reader would expect to survive. */
  save(): void;
  /** Updates the local ticks at once, before the host confirms them. */
  setTick(ruleId: string, ticked: boolean): void;
}

/** One section of the sidebar: its panel element, redrawn from the context on every change. */
export interface View {
  readonly element: HTMLElement;
  /** The element that scrolls, so the app can save and restore its offset. */
  readonly scroller: HTMLElement;
  /**
   * Called when the data or the place changed. Returns true when the view positioned its own scroll (at an anchor), false to restore the saved offset.
   */
  update(location: SidebarLocation, how: RenderOptions): boolean;
  /** The key its scroll offset is saved under (a chapter keeps its own). */
  scrollKey(location: SidebarLocation): string;
}
