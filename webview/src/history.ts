/**
 * Back and forward within the sidebar, like a browser's: navigating somewhere new clears the
 * forward stack. Plain data, so it is saved with the view's state and survives hide/show.
 */
import type { SidebarLocation } from '../../client/src/sidebar/messages';

const LIMIT = 50;

export interface HistoryState {
  readonly current: SidebarLocation;
  readonly back: readonly SidebarLocation[];
  readonly forward: readonly SidebarLocation[];
}

export function sameLocation(a: SidebarLocation, b: SidebarLocation): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function startHistory(current: SidebarLocation): HistoryState {
  return { current, back: [], forward: [] };
}

export function navigate(history: HistoryState, to: SidebarLocation): HistoryState {
  if (sameLocation(history.current, to)) return history;
  return { current: to, back: [...history.back, history.current].slice(-LIMIT), forward: [] };
}

/** Replaces the current entry without a new step, for changes such as typing in a filter. */
export function replace(history: HistoryState, to: SidebarLocation): HistoryState {
  return { ...history, current: to };
}

export function goBack(history: HistoryState): HistoryState {
  const previous = history.back[history.back.length - 1];
  if (previous === undefined) return history;
  return { current: previous, back: history.back.slice(0, -1), forward: [history.current, ...history.forward].slice(0, LIMIT) };
}

export function goForward(history: HistoryState): HistoryState {
  const next = history.forward[0];
  if (next === undefined) return history;
  return { current: next, back: [...history.back, history.current].slice(-LIMIT), forward: history.forward.slice(1) };
}
