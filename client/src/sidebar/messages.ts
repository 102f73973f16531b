/**
 * The messages between the extension host and the sidebar webview, in one file that both sides
 * import. Each message says its direction. Neither side trusts the other's JSON: every message is
 * checked by the parse function of its direction before it is used, and a message that fails the
 * check is dropped (and logged) rather than half-handled.
 */
import type { Catalog } from '../../../server/src/catalog/types';
import type { FileReport, TaskMap } from '../../../server/src/protocol';
import { isTaskMap } from './task-map-shape';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Tab = 'matrix' | 'chapters' | 'search' | 'file' | 'tasks' | 'checklist';
export const TABS: readonly Tab[] = ['matrix', 'chapters', 'search', 'file', 'tasks', 'checklist'];

/** A place in the sidebar: a tab, and for the chapters tab an optional chapter and anchor in it. */
export type SidebarLocation =
  | { readonly tab: 'matrix'; readonly filter?: string }
  | { readonly tab: 'chapters'; readonly chapter?: number; readonly anchor?: string }
  | { readonly tab: 'search'; readonly query?: string }
  | { readonly tab: 'file' }
  /** The Tasks tab, on one task (its key, see the webview's taskKey) when given. */
  | { readonly tab: 'tasks'; readonly task?: string }
  | { readonly tab: 'checklist' };

/** The active editor's document and the server's report on it (null when the server has none). */
export interface ActiveFile {
  readonly uri: string;
  /** Workspace-relative path, for display. */
  readonly name: string;
  /** Whether the language server reads this language at all (a null report then means "not yet"). */
  readonly supported: boolean;
  readonly report: FileReport | null;
}

/** A finding of an open document, read from VS Code's diagnostics; it answers checklist items. */
export interface WorkspaceFinding {
  readonly rule: string;
  readonly uri: string;
  readonly name: string;
  readonly range: Range;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
}

/** A workspace folder the Tasks tab can show the map of. */
export interface TaskMapFolder {
  readonly uri: string;
  readonly name: string;
}

/**
 * The Tasks tab's data: which folder's map, and where its request stands. `no-folder` when the
 * window has no folder open; `loading` while the server builds the map (indexing the project on
 * the first request); `error` with the reason when the request failed or the server is not running.
 */
export type TaskMapState =
  | { readonly status: 'no-folder' }
  | { readonly status: 'loading'; readonly folders: readonly TaskMapFolder[]; readonly folder: string }
  | { readonly status: 'ready'; readonly folders: readonly TaskMapFolder[]; readonly folder: string; readonly map: TaskMap }
  | { readonly status: 'error'; readonly folders: readonly TaskMapFolder[]; readonly folder: string; readonly message: string };

// Extension host → webview.

/** Everything the webview needs to draw itself; sent in answer to `ready`. */
export interface InitMessage {
  readonly type: 'init';
  readonly catalog: Catalog;
  /** The MiniSearch index built at build time (`dist/search-index.json`), as its JSON text. */
  readonly searchIndex: string;
  readonly ticks: readonly string[];
  readonly file: ActiveFile | null;
  readonly findings: readonly WorkspaceFinding[];
  /** The task map as far as the host has it; the webview asks for it when the Tasks tab shows. */
  readonly taskMap: TaskMapState;
  /** Where a command asked the sidebar to open before the webview was ready. */
  readonly location?: SidebarLocation;
}

export type HostMessage =
  | InitMessage
  | { readonly type: 'navigate'; readonly location: SidebarLocation }
  | { readonly type: 'file'; readonly file: ActiveFile | null }
  | { readonly type: 'findings'; readonly findings: readonly WorkspaceFinding[] }
  | { readonly type: 'ticks'; readonly ticks: readonly string[] }
  | { readonly type: 'taskMap'; readonly state: TaskMapState };

// Webview → extension host.

export type WebviewMessage =
  /** The script has loaded and listens; the host answers with `init`. */
  | { readonly type: 'ready' }
  /** Reveal a range of an open document (a signal, a finding). */
  | { readonly type: 'reveal'; readonly uri: string; readonly range: Range }
  /** The user ticked or unticked a checklist item. */
  | { readonly type: 'tick'; readonly ruleId: string; readonly ticked: boolean }
  /** The user asked for the Markdown self-audit report. */
  | { readonly type: 'export' }
  /**
   * The Tasks tab is showing: send the map of this folder (the current or first folder when
   * absent), and keep sending it as it changes. `refresh` asks the server again even if the host has it.
   */
  | { readonly type: 'taskMap'; readonly folder?: string; readonly refresh?: boolean }
  /** Open a file of a task map at a 1-based line; the path is relative to the workspace folder. */
  | { readonly type: 'openTaskFile'; readonly folder: string; readonly file: string; readonly line: number }
  /** An error inside the webview, for the output channel. */
  | { readonly type: 'error'; readonly message: string };

type Json = Readonly<Record<string, unknown>>;

const RULE_ID = /^R\d{1,2}\.\d{1,3}$/;
const MAX_TEXT = 10_000;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isPosition(value: unknown): value is Position {
  return isObject(value) && isCount(value['line']) && isCount(value['character']);
}

export function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value['start']) && isPosition(value['end']);
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => isString(v));
}

export function isLocation(value: unknown): value is SidebarLocation {
  if (!isObject(value)) return false;
  switch (value['tab']) {
    case 'matrix':
      return value['filter'] === undefined || isString(value['filter'], 200);
    case 'chapters':
      return (value['chapter'] === undefined || (isCount(value['chapter']) && value['chapter'] <= 99))
        && (value['anchor'] === undefined || (isString(value['anchor'], 200) && /^[a-z0-9-]+$/.test(value['anchor'])));
    case 'search':
      return value['query'] === undefined || isString(value['query'], 200);
    case 'tasks':
      return value['task'] === undefined || isString(value['task'], 4096);
    case 'file':
    case 'checklist':
      return true;
    default:
      return false;
  }
}

/** Checks a message received by the host. Returns undefined for anything that is not exactly one of ours. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value['type']) {
    case 'ready':
    case 'export':
      return { type: value['type'] };
    case 'reveal':
      return isString(value['uri'], 4096) && isRange(value['range']) ? { type: 'reveal', uri: value['uri'], range: value['range'] } : undefined;
    case 'tick':
      return isString(value['ruleId']) && RULE_ID.test(value['ruleId']) && typeof value['ticked'] === 'boolean'
        ? { type: 'tick', ruleId: value['ruleId'], ticked: value['ticked'] }
        : undefined;
    case 'taskMap':
      if (value['folder'] !== undefined && !isString(value['folder'], 4096)) return undefined;
      if (value['refresh'] !== undefined && typeof value['refresh'] !== 'boolean') return undefined;
      return { type: 'taskMap', ...(value['folder'] === undefined ? {} : { folder: value['folder'] }), ...(value['refresh'] === true ? { refresh: true } : {}) };
    case 'openTaskFile':
      return isString(value['folder'], 4096) && isString(value['file'], 4096) && isCount(value['line'])
        ? { type: 'openTaskFile', folder: value['folder'], file: value['file'], line: value['line'] }
        : undefined;
    case 'error':
      return isString(value['message']) ? { type: 'error', message: value['message'] } : undefined;
    default:
      return undefined;
  }
}

function isTaskMapFolders(value: unknown): value is readonly TaskMapFolder[] {
  return Array.isArray(value) && value.every((f) => isObject(f) && isString(f['uri'], 4096) && isString(f['name'], 4096));
}

export function isTaskMapState(value: unknown): value is TaskMapState {
  if (!isObject(value)) return false;
  if (value['status'] === 'no-folder') return true;
  if (!isTaskMapFolders(value['folders']) || !isString(value['folder'], 4096)) return false;
  switch (value['status']) {
    case 'loading':
      return true;
    case 'ready':
      return isTaskMap(value['map']);
    case 'error':
      return isString(value['message']);
    default:
      return false;
  }
}

function isFileReport(value: unknown): value is FileReport {
  return isObject(value) && isString(value['uri'], 4096) && Array.isArray(value['signals']) && Array.isArray(value['findings'])
    && value['signals'].every((s) => isObject(s) && isString(s['kind']) && isString(s['api']) && Array.isArray(s['chapters']) && isRange(s['range']))
    && value['findings'].every((f) => isObject(f) && isString(f['rule']) && isString(f['ruleRef']) && isString(f['message']) && isRange(f['range']));
}

export function isActiveFile(value: unknown): value is ActiveFile {
  return isObject(value) && isString(value['uri'], 4096) && isString(value['name'], 4096) && typeof value['supported'] === 'boolean'
    && (value['report'] === null || isFileReport(value['report']));
}

function isFinding(value: unknown): value is WorkspaceFinding {
  return isObject(value) && isString(value['rule']) && isString(value['uri'], 4096) && isString(value['name'], 4096)
    && isRange(value['range']) && isString(value['message']) && ['error', 'warning', 'info', 'hint'].includes(value['severity'] as string);
}

function isCatalog(value: unknown): value is Catalog {
  return isObject(value) && Array.isArray(value['chapters']) && isObject(value['rules']) && Array.isArray(value['matrix']) && Array.isArray(value['checklist']);
}

/** Checks a message received by the webview. The host is trusted code, but a shape error must not break the view. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObject(value)) return undefined;
  const v = value;
  switch (v['type']) {
    case 'init':
      if (!isCatalog(v['catalog']) || !isString(v['searchIndex'], Number.MAX_SAFE_INTEGER) || !isStringArray(v['ticks'])) return undefined;
      if (!(v['file'] === null || isActiveFile(v['file'])) || !Array.isArray(v['findings']) || !v['findings'].every(isFinding)) return undefined;
      if (!isTaskMapState(v['taskMap'])) return undefined;
      if (v['location'] !== undefined && !isLocation(v['location'])) return undefined;
      return v as unknown as InitMessage;
    case 'navigate':
      return isLocation(v['location']) ? { type: 'navigate', location: v['location'] } : undefined;
    case 'file':
      return v['file'] === null || isActiveFile(v['file']) ? { type: 'file', file: v['file'] } : undefined;
    case 'findings':
      return Array.isArray(v['findings']) && v['findings'].every(isFinding) ? { type: 'findings', findings: v['findings'] } : undefined;
    case 'ticks':
      return isStringArray(v['ticks']) ? { type: 'ticks', ticks: v['ticks'] } : undefined;
    case 'taskMap':
      return isTaskMapState(v['state']) ? { type: 'taskMap', state: v['state'] } : undefined;
    default:
      return undefined;
  }
}

/** A short, single-line preview of a rejected message for the log; never the whole payload. */
export function describeMessage(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
