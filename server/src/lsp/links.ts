import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bookRule, type Catalog } from '../catalog/types.js';
import type { Links } from '../catalog/render.js';
import { COMMANDS } from '../protocol.js';

/**
 * Links to the book. VS Code runs the extension's commands (the sidebar opens at the rule);
 * other editors get the chapter's Markdown file shipped with the server, at the rule's anchor.
 * The catalog may be given as a function: command links never read it, so a server that is not
 * asked for a hover or the book never loads it.
 */
export function makeLinks(book: Catalog | (() => Catalog), style: 'command' | 'file', contentDir: string): Links {
  if (style === 'command') {
    return {
      rule: (id) => `command:${COMMANDS.showRule}?${encodeURIComponent(JSON.stringify([id]))}`,
      chapter: (id) => `command:${COMMANDS.openChapter}?${encodeURIComponent(JSON.stringify([id]))}`,
      task: (folder, key) => `command:${COMMANDS.showTasks}?${encodeURIComponent(JSON.stringify([{ folder, task: key }]))}`,
    };
  }
  let read: Catalog | undefined;
  const catalog = (): Catalog => (read ??= typeof book === 'function' ? book() : book);
  // Every diagnostic carries a link: each chapter's URL is built once.
  const urls = new Map<number, string>();
  const fileOf = (chapter: number): string => {
    let url = urls.get(chapter);
    if (url === undefined) {
      const file = catalog().chapters.find((c) => c.id === chapter)?.file ?? '';
      url = pathToFileURL(path.join(contentDir, file)).href;
      urls.set(chapter, url);
    }
    return url;
  };
  return {
    rule: (id) => {
      const rule = bookRule(catalog(), id);
      return `${fileOf(rule?.chapter ?? Number(id.slice(1).split('.')[0]))}#${rule?.anchor ?? ''}`;
    },
    chapter: (id) => fileOf(id),
  };
}
