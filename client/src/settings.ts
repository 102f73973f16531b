import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

const SECTION = 'taskReliability';

/**
 * The `taskReliability` settings the user actually set, at whatever level (user, workspace,
 * folder), nested as the server reads them. VS Code would otherwise answer every key with its
 * default too, and a default must not hide what the project's `.task-reliability.json` says:
 * the precedence is default < project config < the user's own settings.
 */
function explicitSettings(keys: readonly string[], scope: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value === undefined) continue;
    const [head = key, ...rest] = key.split('.');
    if (rest.length === 0) out[head] = value;
    else out[head] = { ...(out[head] as Record<string, unknown> | undefined), [rest.join('.')]: value };
  }
  return out;
}

/** Answers the server's workspace/configuration requests for our section with explicit values only. */
export function settingsMiddleware(packageJson: { contributes?: { configuration?: { properties?: Record<string, unknown> } } }): Middleware {
  const keys = Object.keys(packageJson.contributes?.configuration?.properties ?? {})
    .filter((k) => k.startsWith(`${SECTION}.`) && !k.startsWith(`${SECTION}.trace.`))
    .map((k) => k.slice(SECTION.length + 1));
  return {
    workspace: {
      configuration: (params, token, next) => {
        if (!params.items.every((item) => item.section === SECTION)) return next(params, token);
        return params.items.map((item) => explicitSettings(keys, item.scopeUri === undefined ? undefined : vscode.Uri.parse(item.scopeUri)));
      },
    },
  };
}
