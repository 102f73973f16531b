/**
 * How an agent's answer points into the book. Each front end reaches the book differently: the MCP
 * server serves chapters as `book://chapter/N` resources and has a `rule` tool, the CLI prints
 * chapters with `task-reliability book`, and VS Code's tools can name the Markdown files the
 * extension ships. The renderers only ask for these strings.
 */
import type { Links } from '../catalog/render.js';
import { bookRule, type Catalog } from '../catalog/types.js';

export interface AgentLinks extends Links {
  /** How to fetch one rule's full text, as a sentence fragment: "call the `rule` tool with its id". */
  readonly fetchRule: string;
  /** How to fetch a chapter: "read `book://chapter/N`". */
  readonly fetchChapter: string;
  /** How to run the audit before finishing: "call the `audit` tool on the files you changed". */
  readonly runAudit: string;
}

export const MCP_LINKS: AgentLinks = {
  rule: (id) => `book://chapter/${chapterOfRuleId(id)}#${id.toLowerCase().replace('.', '-')}`,
  chapter: (id) => `book://chapter/${id}`,
  fetchRule: 'call the `rule` tool with its id',
  fetchChapter: 'call the `chapter` tool or read the resource `book://chapter/N`',
  runAudit: 'call the `audit` tool on the files you changed',
};

export const CLI_LINKS: AgentLinks = {
  rule: (id) => `task-reliability book ${id}`,
  chapter: (id) => `task-reliability book ${id}`,
  fetchRule: 'run `task-reliability book <rule-id>`',
  fetchChapter: 'run `task-reliability book <chapter>`',
  runAudit: 'run `task-reliability check` on the files you changed',
};

/** Links to the chapter files shipped in the extension's `dist/content`, which a model can read. */
export function fileLinks(catalog: Catalog, contentUri: (file: string) => string, tools: { rule: string; chapter: string; audit: string }): AgentLinks {
  const fileOf = (chapter: number): string => contentUri(catalog.chapters.find((c) => c.id === chapter)?.file ?? '');
  return {
    rule: (id) => {
      const rule = bookRule(catalog, id);
      return `${fileOf(rule?.chapter ?? chapterOfRuleId(id))}#${rule?.anchor ?? ''}`;
    },
    chapter: (id) => fileOf(id),
    fetchRule: `call the \`${tools.rule}\` tool with its id`,
    fetchChapter: `call the \`${tools.chapter}\` tool with its number`,
    runAudit: `call the \`${tools.audit}\` tool on the files you changed`,
  };
}

function chapterOfRuleId(id: string): number {
  return Number(/^R(\d+)\./.exec(id)?.[1] ?? 0);
}

/** A Markdown link when the target is a URL or path, inline code when it is a command to run. */
export function linkTo(text: string, target: string): string {
  return /^[a-z][a-z0-9+.-]*:|^\//i.test(target) ? `[${text}](${target})` : `${text} (\`${target}\`)`;
}
