import * as vscode from 'vscode';
import { languageFromEditorId, languageFromPath, type Analyzer } from '../../server/src/analysis/index';
import type { FileAnalysis } from '../../server/src/agents/types';
import { CONFIG_FILE, readProjectConfig } from '../../server/src/config/project';
import { ConfigScope } from '../../server/src/config/scope';
import { readEditorSettings } from '../../server/src/lsp/settings';

/**
 * The files a language-model tool analyses, read the way the language server sees them: an open
 * document's text as it is in the editor (unsaved edits included, which is what an agent has just
 * written), other files from disk, each under the same settings as its diagnostics (the user's
 * explicit settings over the project's `.task-reliability.json` over the defaults).
 */

const SECTION = 'taskReliability';
const EXTENSIONS = '{py,pyw,js,mjs,cjs,jsx,ts,mts,cts,tsx,yaml,yml}';
/** A workspace audit stops here: an agent's context could not hold more findings anyway. */
const MAX_WORKSPACE_FILES = 2000;

export interface ReadFiles {
  readonly files: FileAnalysis[];
  readonly skipped: { path: string; reason: string }[];
}

/** The settings the user set explicitly, at any level, as the language server receives them. */
function explicitSettings(scope: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const key of ['enable', 'rules', 'maxFileSize', 'exclude', 'fixTimeoutSeconds']) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value !== undefined) out[key] = value;
  }
  const rules: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(config.get<Record<string, unknown>>('rules') ?? {})) {
    const inspected = config.inspect(`rules.${id}`);
    const set = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (set !== undefined) rules[id] = value;
  }
  if (Object.keys(rules).length > 0) out['rules'] = rules;
  return out;
}

function scopeFor(uri: vscode.Uri): ConfigScope {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const root = folder?.uri.fsPath ?? vscode.Uri.joinPath(uri, '..').fsPath;
  const project = folder === undefined ? undefined : readProjectConfig(vscode.Uri.joinPath(folder.uri, CONFIG_FILE).fsPath);
  // A missing or broken config file leaves the defaults, as in the language server.
  return new ConfigScope(root, project?.config, readEditorSettings(explicitSettings(uri)).layer);
}

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

/** Expands folders, reads and analyses every file, and says why any file was left out. */
export async function analyzeUris(analyzer: Analyzer, uris: readonly vscode.Uri[], token: vscode.CancellationToken): Promise<ReadFiles> {
  const files: FileAnalysis[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const expanded: vscode.Uri[] = [];
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) expanded.push(...(await filesUnder([uri])));
    else expanded.push(uri);
  }
  for (const uri of [...new Map(expanded.map((u) => [u.toString(), u])).values()]) {
    if (token.isCancellationRequested) break;
    const name = vscode.workspace.asRelativePath(uri, false);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const language = open !== undefined ? languageFromEditorId(open.languageId) ?? languageFromPath(uri.path) : languageFromPath(uri.path);
    if (language === undefined) {
      skipped.push({ path: name, reason: 'not a language the analyzer reads' });
      continue;
    }
    const settings = scopeFor(uri).settingsFor(uri.fsPath);
    let text: string;
    if (open !== undefined) {
      text = open.getText();
    } else {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > settings.maxFileSize) {
        skipped.push({ path: name, reason: `larger than maxFileSize (${settings.maxFileSize} bytes)` });
        continue;
      }
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    }
    if (text.includes('\u0000')) {
      skipped.push({ path: name, reason: 'binary content' });
      continue;
    }
    const result = await analyzer.analyze(text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds });
    files.push({ path: name, text, result });
  }
  return { files, skipped };
}

/**
 * The active editor as a file to route: the whole document is analysed (a selection alone may not
 * parse), then only what lies in the selection is kept, when something is selected.
 */
export async function analyzeActiveEditor(analyzer: Analyzer): Promise<FileAnalysis | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return undefined;
  const { document, selection } = editor;
  const language = languageFromEditorId(document.languageId) ?? languageFromPath(document.uri.path);
  if (language === undefined) return undefined;
  const text = document.getText();
  const settings = scopeFor(document.uri).settingsFor(document.uri.fsPath);
  const result = await analyzer.analyze(text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds });
  if (selection.isEmpty) return { path: vscode.workspace.asRelativePath(document.uri, false), text, result };
  const start = document.offsetAt(selection.start);
  const end = document.offsetAt(selection.end);
  const inside = (r: { start: number; end: number }): boolean => r.start < end && r.end > start;
  return {
    path: vscode.workspace.asRelativePath(document.uri, false),
    text,
    result: { ...result, signals: result.signals.filter((s) => inside(s.range)), findings: result.findings.filter((f) => inside(f.range)) },
  };
}
