import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { taskMapMarkdown } from '../../server/src/analysis/map/render';
import type { TaskMap } from '../../server/src/analysis/map/types';

/**
 * The `map` language-model tool: a thin entry over the language server's `taskReliability/taskMap`
 * request, since the server owns the project model and keeps each file's map facts current. The
 * request answers the workspace's `TaskMap`; the tool renders it as Markdown or passes the JSON on.
 */
export const TASK_MAP_REQUEST = 'taskReliability/taskMap';

interface MapInput {
  readonly format?: 'markdown' | 'json';
}

export function mapTool(client: () => LanguageClient | undefined): vscode.LanguageModelTool<MapInput> {
  return {
    invoke: async ({ input }, token) => {
      const running = client();
      if (running === undefined) throw new Error('The Task Reliability language server is not running: start it with the "Restart server" command.');
      const map = await running.sendRequest<TaskMap>(TASK_MAP_REQUEST, {}, token);
      const text = input.format === 'json' ? JSON.stringify(map, null, 2) : taskMapMarkdown(map);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
    },
  };
}
