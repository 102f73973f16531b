import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Catalog } from '../../server/src/catalog/types';
import { COMMANDS } from '../../server/src/protocol';

/**
 * The book's commands. Until the sidebar renders chapters, they open the chapter's Markdown
 * (shipped in dist/content) at the rule's heading.
 */
export function registerBookCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  let catalog: Catalog | undefined;
  const load = (): Catalog => {
    catalog ??= JSON.parse(fs.readFileSync(context.asAbsolutePath('dist/catalog.json'), 'utf8')) as Catalog;
    return catalog;
  };
  const openAt = async (chapterId: number, line: number): Promise<void> => {
    const chapter = load().chapters.find((c) => c.id === chapterId);
    if (chapter === undefined) {
      void vscode.window.showWarningMessage(`Task Reliability: there is no chapter ${chapterId}.`);
      return;
    }
    const uri = vscode.Uri.file(context.asAbsolutePath(`dist/content/${chapter.file}`));
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const editor = await vscode.window.showTextDocument(uri, { preview: true, selection: new vscode.Range(position, position) });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  };
  const showRule = async (id: unknown): Promise<void> => {
    const rule = typeof id === 'string' ? load().rules[id] : undefined;
    if (rule === undefined) {
      void vscode.window.showWarningMessage(`Task Reliability: there is no rule ${String(id)} in the book.`);
      return;
    }
    await openAt(rule.chapter, rule.line);
  };
  const openChapter = async (id: unknown): Promise<void> => {
    let chapterId = typeof id === 'number' ? id : Number(id);
    if (!Number.isInteger(chapterId)) {
      const pick = await vscode.window.showQuickPick(
        load().chapters.map((c) => ({ label: `${c.id}. ${c.title}`, detail: c.loadWhen, id: c.id })),
        { placeHolder: 'Open a chapter of the book', matchOnDetail: true },
      );
      if (pick === undefined) return;
      chapterId = pick.id;
    }
    await openAt(chapterId, 1);
  };
  const search = async (): Promise<void> => {
    const items = Object.values(load().rules).map((r) => ({ label: `${r.id} ${r.title}`, detail: r.rule, id: r.id }));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Search the book’s rules', matchOnDetail: true });
    if (pick !== undefined) await showRule(pick.id);
  };
  return [
    vscode.commands.registerCommand(COMMANDS.showRule, showRule),
    vscode.commands.registerCommand(COMMANDS.openChapter, openChapter),
    vscode.commands.registerCommand(COMMANDS.openMatrix, () => openChapter(2)),
    vscode.commands.registerCommand(COMMANDS.search, search),
  ];
}
