/**
 * What the sidebar remembers across hide/show (VS Code's webview getState/setState): the place in
 * the view with its history, the filters and search text, and scroll positions. The saved value is
 * read back through a check, because an older build may have saved another shape.
 */
import { isLocation, type SidebarLocation } from '../../client/src/sidebar/messages';
import { startHistory, type HistoryState } from './history';
import { isTaskColumn, type TaskSort } from './task-table';

export type ChecklistFilter = 'all' | 'failing' | 'open' | 'done';
const CHECKLIST_FILTERS: readonly string[] = ['all', 'failing', 'open', 'done'];

export interface UiState {
  readonly version: 1;
  history: HistoryState;
  matrixFilter: string;
  onlyApplicable: boolean;
  searchQuery: string;
  /** Which checklist items are shown: all of them, or those with one status. */
  checklistFilter: ChecklistFilter;
  /** The Tasks tab: its filter text, findings-only toggle, sort, and the rows that are open (by task key). */
  tasksFilter: string;
  tasksOnlyFindings: boolean;
  tasksSort: TaskSort;
  tasksExpanded: string[];
  /** The chapters tab's own place (the list, or a chapter), restored when the tab is chosen. */
  chapters: SidebarLocation;
  /** Scroll offsets by view key: a tab name, or `chapter:5`. */
  scroll: Record<string, number>;
}

export function initialState(): UiState {
  return {
    version: 1,
    history: startHistory({ tab: 'matrix' }),
    matrixFilter: '',
    onlyApplicable: false,
    searchQuery: '',
    checklistFilter: 'all',
    tasksFilter: '',
    tasksOnlyFindings: false,
    tasksSort: null,
    tasksExpanded: [],
    chapters: { tab: 'chapters' },
    scroll: {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHistory(value: unknown): value is HistoryState {
  return isRecord(value) && isLocation(value['current'])
    && Array.isArray(value['back']) && value['back'].every(isLocation)
    && Array.isArray(value['forward']) && value['forward'].every(isLocation);
}

export function restoreState(saved: unknown): UiState {
  const state = initialState();
  if (!isRecord(saved) || saved['version'] !== 1) return state;
  if (isHistory(saved['history'])) state.history = saved['history'];
  if (typeof saved['matrixFilter'] === 'string') state.matrixFilter = saved['matrixFilter'];
  if (typeof saved['onlyApplicable'] === 'boolean') state.onlyApplicable = saved['onlyApplicable'];
  if (typeof saved['searchQuery'] === 'string') state.searchQuery = saved['searchQuery'];
  if (typeof saved['checklistFilter'] === 'string' && CHECKLIST_FILTERS.includes(saved['checklistFilter'])) state.checklistFilter = saved['checklistFilter'] as ChecklistFilter;
  if (typeof saved['tasksFilter'] === 'string') state.tasksFilter = saved['tasksFilter'];
  if (typeof saved['tasksOnlyFindings'] === 'boolean') state.tasksOnlyFindings = saved['tasksOnlyFindings'];
  const sort = saved['tasksSort'];
  if (isRecord(sort) && isTaskColumn(sort['column']) && typeof sort['descending'] === 'boolean') state.tasksSort = { column: sort['column'], descending: sort['descending'] };
  if (Array.isArray(saved['tasksExpanded'])) state.tasksExpanded = saved['tasksExpanded'].filter((k): k is string => typeof k === 'string').slice(0, 200);
  if (isLocation(saved['chapters']) && saved['chapters'].tab === 'chapters') state.chapters = saved['chapters'];
  if (isRecord(saved['scroll'])) {
    for (const [key, value] of Object.entries(saved['scroll'])) if (typeof value === 'number' && value >= 0) state.scroll[key] = value;
  }
  return state;
}
