/**
 * `task-reliability book [chapter|rule-id]`: the book as Markdown on standard output. With no
 * argument, the table of contents with each chapter's load trigger, which is what an agent needs to
 * choose what to read next.
 */
import { Option, type Command } from 'commander';
import { CLI_LINKS } from '../agents/links.js';
import { findChapterOrRule, findFramework } from '../agents/lookup.js';
import { loadCatalog } from '../agents/read-files.js';
import { renderBookRule, renderChapter, renderToc, type ChapterPart } from '../agents/render-book.js';
import { EXIT_USAGE } from './exit-codes.js';

export function registerBookCommand(program: Command, dist: string): void {
  program
    .command('book')
    .description('print the book as Markdown: the contents (no argument), a chapter (5) or a rule (R5.1)')
    .argument('[ref]', 'a chapter number or a rule id')
    .addOption(new Option('-p, --part <part>', 'for a chapter: only its narrative or its agent rules').choices(['all', 'narrative', 'rules']).default('all'))
    .option('-f, --framework <key>', 'keep only this framework\'s APPLY steps and the general ones (Celery, BullMQ, Sidekiq, requests, ...)')
    .action((ref: string | undefined, options: { part: ChapterPart; framework?: string }) => {
      process.exitCode = book(ref, options.part, options.framework, dist);
    });
}

function book(ref: string | undefined, part: ChapterPart, framework: string | undefined, dist: string): number {
  const catalog = loadCatalog(dist);
  const fw = findFramework(framework);
  if ('error' in fw) {
    process.stderr.write(`task-reliability: ${fw.error}\n`);
    return EXIT_USAGE;
  }
  if (ref === undefined) {
    process.stdout.write(`${renderToc(catalog, CLI_LINKS)}\n`);
    return 0;
  }
  const found = findChapterOrRule(catalog, ref);
  if (found.kind === 'error') {
    process.stderr.write(`task-reliability: ${found.message}\n`);
    return EXIT_USAGE;
  }
  const text = found.kind === 'chapter' ? renderChapter(found.chapter, part, fw.filter) : renderBookRule(catalog, found.rule, CLI_LINKS, fw.filter, found.retiredId);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
