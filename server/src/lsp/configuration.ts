import path from 'node:path';
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import type { SettingsLayer } from '../config/layer.js';
import { CONFIG_FILE, readProjectConfig, type ProjectConfig } from '../config/project.js';
import { ConfigScope, type Settings } from '../config/scope.js';
import { fsPathOf, type WorkspaceFolders } from './folders.js';
import { readEditorSettings } from './settings.js';

/**
 * Where every setting comes from, for the language server: each workspace folder's
 * `.task-reliability.json` and the editor's `taskReliability` section, combined by ConfigScope
 * (which defines the precedence). Both are cached until the client says they changed.
 */
export class Configuration {
  configurationSupport = false;
  private readonly projects = new Map<string, ProjectConfig | undefined>();
  private readonly scopes = new Map<string, Promise<ConfigScope>>();
  private readonly reportedProblems = new Set<string>();

  constructor(private readonly connection: Connection, private readonly folders: WorkspaceFolders) {}

  /** The scope of a document or folder URI: its folder's config file and the editor settings for it. */
  scope(uri: string): Promise<ConfigScope> {
    let cached = this.scopes.get(uri);
    if (cached === undefined) {
      const file = fsPathOf(uri);
      const folder = file === undefined ? undefined : this.folders.folderOf(file);
      const root = folder ?? (file === undefined ? '' : path.dirname(file));
      cached = this.editorLayer(uri).then((editor) => new ConfigScope(root, folder === undefined ? undefined : this.project(folder), editor));
      this.scopes.set(uri, cached);
    }
    return cached;
  }

  async settings(uri: string): Promise<Settings> {
    return (await this.scope(uri)).settingsFor(fsPathOf(uri) ?? uri);
  }

  /** The editor's settings changed: every scope is rebuilt on its next use. */
  editorChanged(): void {
    this.scopes.clear();
  }

  /** A config file was created, changed or deleted: its folder's config is read again. */
  projectChanged(folder: string): void {
    this.projects.delete(folder);
    this.scopes.clear();
  }

  forget(uri: string): void {
    this.scopes.delete(uri);
  }

  private project(folder: string): ProjectConfig | undefined {
    if (this.projects.has(folder)) return this.projects.get(folder);
    const file = path.join(folder, CONFIG_FILE);
    const read = readProjectConfig(file);
    let config = read.config;
    if (read.error !== undefined) {
      // A missing file is the common case and no problem; anything else is said once, clearly.
      if (/\(ENOENT\)$/.test(read.error)) config = undefined;
      else this.report([`${read.error}. Using the default settings for ${folder}.`]);
    } else this.report(read.problems);
    this.projects.set(folder, config);
    return config;
  }

  /** One message per load of a config file, however many problems it has; each is logged. */
  private report(problems: readonly string[]): void {
    if (problems.length === 0) return;
    for (const problem of problems) this.connection.console.warn(`Config: ${problem}`);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}: see the output)` : '';
    // A notification, not a request: the message needs no answer, and no client waits on it.
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Task Reliability: ${problems[0]}${more}` });
  }

  private async editorLayer(uri: string): Promise<SettingsLayer> {
    if (!this.configurationSupport) return {};
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'taskReliability' });
      const { layer, problems } = readEditorSettings(raw);
      for (const problem of problems) {
        if (this.reportedProblems.has(problem)) continue;
        this.reportedProblems.add(problem);
        this.connection.console.warn(`Settings: ${problem}`);
      }
      return layer;
    } catch {
      return {};
    }
  }
}
