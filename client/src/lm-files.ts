import * as vscode from 'vscode';
import type { AgentFileRef } from '../../server/src/protocol';

/**
 * The files a language-model tool names, as the language server reads them: the tools send each
 * file's URI (and the active editor's selection), and the server analyses an open document's text
 * as it is in the editor (unsaved edits included, which is what an agent has just written) and
 * other files from disk, each under the same settings and project as its diagnostics.
 */

const SECTION = 'taskReliability';
const EXTENSIONS = '{py,pyw,js,mjs,cjs,jsx,ts,mts,cts,tsx,yaml,yml,java,go,rb,rake}';
/** A workspace audit stops here: an agent's context could not hold more findings anyway. */
const MAX_WORKSPACE_FILES = 2000;

/** A path as the agent wrote it: absolute, a URI, or relative to a workspace folder. */
export async function resolvePath(path: string): Promise<vscode.Uri> {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) return vscode.Uri.parse(path);
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const candidate = vscode.Uri.joinPath(folder.uri, path);
    if (await exists(candidate)) return candidate;
  }
  throw new Error(`no such file or folder in the workspace: ${path}`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Every analysable file under the folders (or the whole workspace), minus the exclude globs. */
export async function filesUnder(folders: readonly vscode.Uri[] | undefined): Promise<vscode.Uri[]> {
  const exclude = (vscode.workspace.getConfiguration(SECTION).get<string[]>('exclude') ?? []).join(',');
  const excludeGlob = exclude === '' ? undefined : `{${exclude}}`;
  if (folders === undefined) return vscode.workspace.findFiles(`**/*.${EXTENSIONS}`, excludeGlob, MAX_WORKSPACE_FILES);
  const found = await Promise.all(folders.map((f) => vscode.workspace.findFiles(new vscode.RelativePattern(f, `**/*.${EXTENSIONS}`), excludeGlob, MAX_WORKSPACE_FILES)));
  return found.flat();
}

/** Expands folders into the files under them, each named as the model sees it. */
export async function fileRefs(uris: readonly vscode.Uri[]): Promise<AgentFileRef[]> {
  const expanded: vscode.Uri[] = [];
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) expanded.push(...(await filesUnder([uri])));
    else expanded.push(uri);
  }
  return [...new Map(expanded.map((u) => [u.toString(), u])).values()].map((uri) => ({ uri: uri.toString(), path: vscode.workspace.asRelativePath(uri, false) }));
}

/**
 * The active editor as a file to route, when its language is one the server reads: the whole
 * document is analysed (a selection alone may not parse), and only what lies in the selection is
 * kept when something is selected.
 */
export function activeEditorRef(languages: readonly string[]): AgentFileRef | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || !languages.includes(editor.document.languageId)) return undefined;
  const { document, selection } = editor;
  const ref = { uri: document.uri.toString(), path: vscode.workspace.asRelativePath(document.uri, false) };
  return selection.isEmpty ? ref : { ...ref, selection: { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) } };
}
