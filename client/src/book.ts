import * as vscode from 'vscode';
import { bookRule } from '../../server/src/catalog/types';
import { COMMANDS } from '../../server/src/protocol';
import type { Sidebar } from './sidebar/index';

/**
 * The book's commands: each reveals the sidebar at the right place. They take an argument when a
 * link runs them (hover and diagnostic links pass a rule id or a chapter number) and ask with a
 * quick pick when run from the palette.
 */
export function registerBookCommands(sidebar: Sidebar): vscode.Disposable[] {
  const catalog = () => sidebar.book.catalog;

  const showRule = async (id?: unknown): Promise<void> => {
    let ruleId = typeof id === 'string' ? id.trim() : undefined;
    if (ruleId === undefined) {
      const pick = await vscode.window.showQuickPick(
        Object.values(catalog().rules).map((r) => ({ label: r.id, description: r.title, detail: r.rule.replace(/\s+/g, ' '), id: r.id })),
        { title: 'Show Rule', placeHolder: 'Type a rule id (R5.3) or words from the rule', matchOnDescription: true, matchOnDetail: true },
      );
      if (pick === undefined) return;
      ruleId = pick.id;
    }
    const rule = bookRule(catalog(), ruleId);
    if (rule === undefined) {
      void vscode.window.showWarningMessage(`Task Reliability: there is no rule ${ruleId} in the book.`);
      return;
    }
    await sidebar.show({ tab: 'chapters', chapter: rule.chapter, anchor: rule.anchor });
  };

  const openChapter = async (id?: unknown): Promise<void> => {
    let chapterId = typeof id === 'number' ? id : typeof id === 'string' && id.trim() !== '' ? Number(id) : undefined;
    if (chapterId === undefined) {
      const pick = await vscode.window.showQuickPick(
        catalog().chapters.map((c) => ({ label: `${c.id}. ${c.title}`, detail: c.loadWhen.replace(/\s+/g, ' '), id: c.id })),
        { title: 'Open Chapter', placeHolder: 'Open a chapter of the book', matchOnDetail: true },
      );
      if (pick === undefined) return;
      chapterId = pick.id;
    }
    if (!catalog().chapters.some((c) => c.id === chapterId)) {
      void vscode.window.showWarningMessage(`Task Reliability: there is no chapter ${String(id)} in the book.`);
      return;
    }
    await sidebar.show({ tab: 'chapters', chapter: chapterId });
  };

  const search = async (query?: unknown): Promise<void> => {
    await sidebar.show(typeof query === 'string' ? { tab: 'search', query: query.slice(0, 200) } : { tab: 'search' });
  };

  /** From a hover's link: `{ folder, task }`; from the palette: no argument. */
  const showTasks = async (target?: unknown): Promise<void> => {
    const args = typeof target === 'object' && target !== null ? target as Record<string, unknown> : {};
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 4096 ? v : undefined);
    await sidebar.showTasks(text(args['folder']), text(args['task']));
  };

  return [
    vscode.commands.registerCommand(COMMANDS.showRule, showRule),
    vscode.commands.registerCommand(COMMANDS.showTasks, showTasks),
    vscode.commands.registerCommand(COMMANDS.openChapter, openChapter),
    vscode.commands.registerCommand(COMMANDS.openMatrix, (filter?: unknown) =>
      sidebar.show(typeof filter === 'string' ? { tab: 'matrix', filter: filter.slice(0, 200) } : { tab: 'matrix' })),
    vscode.commands.registerCommand(COMMANDS.search, search),
    vscode.commands.registerCommand(COMMANDS.exportReport, (target?: unknown) => sidebar.exportReport(target)),
  ];
}
