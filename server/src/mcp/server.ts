/**
 * The book and the analyzer as an MCP server: tools `route`, `audit`, `map`, `rule`, `chapter`, and each
 * chapter as a resource `book://chapter/N` (plus `book://contents`). Input is checked twice: by the
 * SDK against the zod schemas below (wrong types, out-of-range numbers), then by the handlers for
 * what a schema cannot say (a rule id that does not exist, a path that is not there); both answer
 * with a tool error whose text says what to send instead.
 */
import path from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { taskMapMarkdown, type Analyzer } from '../analysis/index.js';
import { projectTaskMap } from '../agents/task-map.js';
import type { Catalog } from '../catalog/types.js';
import { audit } from '../agents/audit.js';
import { MCP_LINKS } from '../agents/links.js';
import { findChapter, findFramework, findRule } from '../agents/lookup.js';
import { analyzePaths, PathError } from '../agents/read-files.js';
import { DEFAULT_AUDIT_BUDGET, renderAudit } from '../agents/render-audit.js';
import { BOOK_TITLE, renderBookRule, renderChapter, renderToc } from '../agents/render-book.js';
import { DEFAULT_ROUTE_BUDGET, MAX_ROUTE_BUDGET, MIN_ROUTE_BUDGET, renderRoute } from '../agents/render-route.js';
import { Router } from '../agents/route.js';
import { TOOL_TEXT } from '../agents/tool-text.js';

export interface McpDeps {
  readonly catalog: Catalog;
  /** The prebuilt search index of the catalog, when the build wrote one. */
  readonly searchIndexJson?: string | undefined;
  readonly analyzer: Analyzer;
  /** Relative paths in tool input are resolved against this folder (the project). */
  readonly root: string;
  readonly version: string;
}

const MAX_PATHS = 200;
const budget = (fallback: number) => z.number().int().min(MIN_ROUTE_BUDGET).max(MAX_ROUTE_BUDGET).default(fallback)
  .describe(`The most characters to return (${MIN_ROUTE_BUDGET}–${MAX_ROUTE_BUDGET}, default ${fallback}); what does not fit is listed by id.`);
const framework = z.string().max(40).optional()
  .describe('A framework key such as Celery, BullMQ, Sidekiq, requests, axios, Spring Kafka or net/http: APPLY keeps only its steps and the general ones.');
const paths = z.array(z.string().min(1, 'a path cannot be empty')).max(MAX_PATHS, `at most ${MAX_PATHS} paths per call`);

const text = (markdown: string): CallToolResult => ({ content: [{ type: 'text', text: markdown }] });
const failure = (message: string): CallToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

export function createMcpServer(deps: McpDeps): McpServer {
  const { catalog, analyzer, root } = deps;
  const router = new Router(catalog, deps.searchIndexJson);
  const server = new McpServer(
    { name: 'task-reliability', title: 'Task Reliability Hints', version: deps.version },
    { instructions: `${TOOL_TEXT.serverInstructions}\nPaths are relative to ${root}.` },
  );

  const readFiles = async (list: readonly string[]) => analyzePaths(analyzer, list, root);

  server.registerTool('route', {
    title: 'Route a task to the reliability book',
    description: TOOL_TEXT.route,
    inputSchema: {
      task: z.string().max(2000, 'describe the task in at most 2000 characters').optional()
        .describe('The task in words, as the user asked it: "consume orders from SQS and charge the card".'),
      files: paths.optional().describe('Files or folders (relative to the project) whose code also routes: its findings and recognised APIs.'),
      budget: budget(DEFAULT_ROUTE_BUDGET),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ task, files, budget: chars }) => {
    if ((task === undefined || task.trim() === '') && (files === undefined || files.length === 0)) {
      return failure('route needs `task` (the work in words), `files`, or both.');
    }
    try {
      const read = files === undefined || files.length === 0 ? undefined : await readFiles(files);
      const result = router.route({ task, files: read?.files });
      return text(renderRoute(result, MCP_LINKS, chars).markdown);
    } catch (error) {
      if (error instanceof PathError) return failure(`${error.message} (paths are relative to ${root})`);
      throw error;
    }
  });

  server.registerTool('audit', {
    title: 'Audit files against the reliability book',
    description: TOOL_TEXT.audit,
    inputSchema: {
      files: paths.optional().describe('Files to audit, relative to the project. Give `files` or `folder`; with neither, the whole project is audited.'),
      folder: z.string().min(1).optional().describe('A folder to audit (walked honouring .gitignore and the exclude globs).'),
      checklist: z.enum(['touched', 'all']).default('touched').describe('`touched`: the checklist groups of the chapters the files touch; `all`: every item.'),
      budget: budget(DEFAULT_AUDIT_BUDGET),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ files, folder, checklist, budget: chars }) => {
    if (files !== undefined && files.length > 0 && folder !== undefined) return failure('give `files` or `folder`, not both.');
    const targets = files !== undefined && files.length > 0 ? files : [folder ?? '.'];
    try {
      const read = await readFiles(targets);
      const result = audit(catalog, { files: read.files, skipped: read.skipped, checklist });
      const notes = read.configProblems.map((p) => `> Config: ${p}`).join('\n');
      return text(`${notes === '' ? '' : `${notes}\n\n`}${renderAudit(result, MCP_LINKS, chars)}`);
    } catch (error) {
      if (error instanceof PathError) return failure(`${error.message} (paths are relative to ${root})`);
      throw error;
    }
  });

  server.registerTool('map', {
    title: 'Map the project\'s tasks',
    description: TOOL_TEXT.map,
    inputSchema: {
      folder: z.string().min(1).default('.').describe('A folder (or file) of the project to map, relative to the project; default: the whole project.'),
      format: z.enum(['markdown', 'json']).default('markdown').describe('`markdown`: a table of tasks and one of schedules; `json`: the TaskMap data.'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async ({ folder, format }) => {
    try {
      const result = await projectTaskMap(analyzer, folder, root, root);
      const notes = result.configProblems.map((p) => `> Config: ${p}`).join('\n');
      return text(format === 'json' ? JSON.stringify(result.map, null, 2) : `${notes === '' ? '' : `${notes}\n\n`}${taskMapMarkdown(result.map)}`);
    } catch (error) {
      if (error instanceof PathError) return failure(`${error.message} (paths are relative to ${root})`);
      throw error;
    }
  });

  server.registerTool('rule', {
    title: 'Read one rule of the reliability book',
    description: TOOL_TEXT.rule,
    inputSchema: { id: z.string().min(1).max(20).describe('A rule id such as R5.1 (chapter 5, rule 1).'), framework },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ id, framework: wanted }) => {
    const found = findRule(catalog, id);
    const fw = findFramework(wanted);
    if ('error' in fw) return failure(fw.error);
    return found.kind === 'rule' ? text(renderBookRule(catalog, found.rule, MCP_LINKS, fw.filter, found.retiredId)) : failure(found.kind === 'error' ? found.message : '');
  });

  server.registerTool('chapter', {
    title: 'Read a chapter of the reliability book',
    description: TOOL_TEXT.chapter,
    inputSchema: {
      chapter: z.number().int().min(1, 'chapters are numbered from 1').max(13, 'the book has 13 chapters').optional()
        .describe('The chapter number, 1–13. Leave it out for the table of contents with each chapter\'s load trigger.'),
      part: z.enum(['all', 'narrative', 'rules']).default('all').describe('`rules`: only the Agent rules (RULE/WHY/APPLY); `narrative`: only the prose.'),
      framework,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, ({ chapter, part, framework: wanted }) => {
    if (chapter === undefined) return text(renderToc(catalog, MCP_LINKS));
    const found = findChapter(catalog, chapter);
    const fw = findFramework(wanted);
    if ('error' in fw) return failure(fw.error);
    return found.kind === 'chapter' ? text(renderChapter(found.chapter, part, fw.filter)) : failure(found.kind === 'error' ? found.message : '');
  });

  server.registerResource('contents', 'book://contents', {
    title: `${BOOK_TITLE}: contents`,
    description: 'The chapters with their load triggers.',
    mimeType: 'text/markdown',
  }, (uri): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: renderToc(catalog, MCP_LINKS) }] }));

  server.registerResource('chapter', new ResourceTemplate('book://chapter/{id}', {
    list: () => ({
      resources: catalog.chapters.map((c) => ({
        uri: `book://chapter/${c.id}`,
        name: `chapter-${c.id}`,
        title: `${c.id}. ${c.title}`,
        description: c.loadWhen,
        mimeType: 'text/markdown',
      })),
    }),
  }), {
    title: 'A chapter of the book',
    description: 'book://chapter/N is chapter N (1–13) as Markdown, its load trigger first.',
    mimeType: 'text/markdown',
  }, (uri, variables): ReadResourceResult => {
    const raw = variables['id'];
    const found = findChapter(catalog, Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
    // A missing resource is a protocol error, not a tool error: resources have no isError flag.
    if (found.kind !== 'chapter') throw new Error(found.kind === 'error' ? found.message : 'not a chapter');
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: renderChapter(found.chapter) }] };
  });

  return server;
}

/** The project folder: `--root DIR`, else TASK_RELIABILITY_ROOT, else the working directory. */
export function projectRoot(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const at = argv.indexOf('--root');
  const value = at >= 0 ? argv[at + 1] : env['TASK_RELIABILITY_ROOT'];
  return path.resolve(cwd, value === undefined || value === '' ? '.' : value);
}
