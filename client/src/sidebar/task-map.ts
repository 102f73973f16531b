/**
 * Keeps the task map of one workspace folder for the sidebar's Tasks tab. The map is asked of the
 * language server only while the tab wants it (it showed, or a command opened it), and asked
 * again when the server says the folder's map changed; a stale answer is dropped.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { TASK_MAP_CHANGED_NOTIFICATION, TASK_MAP_REQUEST, type TaskMap, type TaskMapChangedParams, type TaskMapParams } from '../../../server/src/protocol';
import type { TaskMapFolder, TaskMapState } from './messages';
import { folderRelativeParts, isTaskMap } from './task-map-shape';

/** Edits and saves come in bursts; one map after the burst is enough. */
const CHANGE_DELAY_MS = 300;

export class TaskMapTracker implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TaskMapState>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private current: TaskMapState = { status: 'no-folder' };
  private chosen: string | undefined;
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  /** Each request's number; an answer that is not the latest request's is dropped. */
  private generation = 0;

  constructor(private readonly client: LanguageClient, private readonly output: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.emitter,
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (this.active) this.schedule(0);
      }),
      client.onNotification(TASK_MAP_CHANGED_NOTIFICATION, (params: TaskMapChangedParams) => {
        if (this.active && params.uri === this.folder()?.uri) this.schedule(CHANGE_DELAY_MS);
      }),
      client.onDidChangeState(({ newState }) => {
        if (this.active && newState === State.Running) this.schedule(0);
      }),
    );
  }

  get state(): TaskMapState {
    return this.current;
  }

  /** The Tasks tab shows: send it the map of `folder` (or the current one), asking the server when the host does not have it. */
  want(folder?: string, refresh = false): void {
    // While paused, changes went unheard: the map the host has may be old.
    const followed = this.active;
    this.active = true;
    if (folder !== undefined && this.folders().some((f) => f.uri === folder)) this.chosen = folder;
    const selected = this.folder();
    const have = this.current.status !== 'no-folder' && this.current.folder === selected?.uri && this.current.status !== 'error';
    if (refresh || !have || !followed) this.schedule(0);
    else this.emitter.fire(this.current);
  }

  /** The tab is hidden: changes are no longer followed until it asks again. */
  pause(): void {
    this.active = false;
    clearTimeout(this.timer);
  }

  /** A file named by the map of a workspace folder, or undefined when the folder is not one of this window's. */
  fileUri(folder: string, file: string): vscode.Uri | undefined {
    const match = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === folder);
    const parts = folderRelativeParts(file);
    return match === undefined || parts === undefined ? undefined : vscode.Uri.joinPath(match.uri, ...parts);
  }

  private folders(): TaskMapFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ uri: f.uri.toString(), name: f.name }));
  }

  private folder(): TaskMapFolder | undefined {
    const folders = this.folders();
    return folders.find((f) => f.uri === this.chosen) ?? folders[0];
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const folders = this.folders();
    const folder = this.folder();
    if (folder === undefined) {
      this.publish({ status: 'no-folder' });
      return;
    }
    // A map being rebuilt after an edit stays on screen until the new one arrives.
    const showing = this.current.status === 'ready' && this.current.folder === folder.uri;
    if (!showing) this.publish({ status: 'loading', folders, folder: folder.uri });
    if (this.client.state !== State.Running) {
      // Starting: the state change asks again. Stopped: say so.
      if (this.client.state === State.Stopped) this.publish({ status: 'error', folders, folder: folder.uri, message: 'The language server is not running. Run "Task Reliability: Restart Server", then open this tab again.' });
      return;
    }
    const params: TaskMapParams = { uri: folder.uri };
    try {
      const map = await this.client.sendRequest<TaskMap>(TASK_MAP_REQUEST, params);
      if (generation !== this.generation) return;
      if (!isTaskMap(map)) {
        this.output.warn(`Sidebar: the task map of ${folder.uri} has an unexpected shape.`);
        this.publish({ status: 'error', folders, folder: folder.uri, message: 'The language server answered with a task map this version of the extension cannot read. Reload the window after updating the extension.' });
        return;
      }
      this.publish({ status: 'ready', folders, folder: folder.uri, map });
    } catch (error) {
      if (generation !== this.generation) return;
      const detail = error instanceof Error ? error.message : String(error);
      this.output.warn(`Sidebar: the task map of ${folder.uri} failed: ${detail}`);
      this.publish({ status: 'error', folders, folder: folder.uri, message: `The task map could not be built: ${detail}` });
    }
  }

  private publish(state: TaskMapState): void {
    this.current = state;
    this.emitter.fire(state);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
