import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TASK_MAP_REQUEST } from '../../server/src/protocol';

/**
 * The `map` language-model tool: a thin entry over the language server's `taskReliability/taskMap`
 * request, since the server owns the project model and keeps each file's map facts current. The
 * request answers the workspace's task map (the `TaskMap` JSON contract), which the tool passes on.
 */

export function mapTool(client: () => LanguageClient | undefined): vscode.LanguageModelTool<Record<string, never>> {
  return {
    invoke: async (_options, token) => {
      const running = client();
      if (running === undefined) throw new Error('The Task Reliability language server is not running: start it with the "Restart server" command.');
      const map: unknown = await running.sendRequest(TASK_MAP_REQUEST, {}, token);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(map, null, 2))]);
    },
  };
}
