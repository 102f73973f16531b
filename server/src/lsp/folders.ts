import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InitializeParams, WorkspaceFoldersChangeEvent } from 'vscode-languageserver';

/** A file system path for a `file:` URI; other schemes (untitled, vscode-notebook) have none. */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const uriOf = (fsPath: string): string => pathToFileURL(fsPath).href;

/** The workspace folders the client opened (several in a multi-root workspace), as paths. */
export class WorkspaceFolders {
  private folders: string[] = [];

  initialize(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = uris.map(fsPathOf).filter((p): p is string => p !== undefined);
  }

  change(event: WorkspaceFoldersChangeEvent): { added: string[]; removed: string[] } {
    const removed = event.removed.map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== undefined);
    const added = event.added.map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== undefined);
    this.folders = [...this.folders.filter((f) => !removed.includes(f)), ...added.filter((f) => !this.folders.includes(f))];
    return { added, removed };
  }

  all(): readonly string[] {
    return this.folders;
  }

  /** The innermost folder holding `file`, so a nested folder's own config wins. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      if (isInside(folder, file) && (best === undefined || folder.length > best.length)) best = folder;
    }
    return best;
  }
}

export function isInside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
