import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Analyzer } from '../../server/src/analysis/index';
import { audit } from '../../server/src/agents/audit';
import { fileLinks, type AgentLinks } from '../../server/src/agents/links';
import { findChapter, findFramework, findRule } from '../../server/src/agents/lookup';
import { DEFAULT_AUDIT_BUDGET, renderAudit } from '../../server/src/agents/render-audit';
import { renderBookRule, renderChapter, renderToc, type ChapterPart } from '../../server/src/agents/render-book';
import { DEFAULT_ROUTE_BUDGET, MAX_ROUTE_BUDGET, MIN_ROUTE_BUDGET, renderRoute } from '../../server/src/agents/render-route';
import { Router } from '../../server/src/agents/route';
import { VSCODE_TOOL_NAMES } from '../../server/src/agents/tool-text';
import type { FileAnalysis } from '../../server/src/agents/types';
import type { FrameworkFilter } from '../../server/src/catalog/frameworks';
import type { Catalog } from '../../server/src/catalog/types';
import { analyzeActiveEditor, analyzeUris, filesUnder, resolvePath } from './lm-files';
import { mapTool } from './lm-map-tool';
import type { LanguageClient } from 'vscode-languageclient/node';

/**
 * The book and the analyzer as VS Code language-model tools, for any chat agent that uses tools.
 * The extension host runs the pure core directly (the same catalog and `analyze()` as the language
 * server, the grammars loaded from the extension's dist/), so a tool call needs no server round
 * trip and sees unsaved edits. The names and schemas are declared in package.json's
 * `languageModelTools`; VS Code validates input against those schemas before `invoke`.
 */

const TOOL_NAMES = VSCODE_TOOL_NAMES;

interface RouteInput {
  readonly task?: string;
  readonly files?: readonly string[];
  readonly activeEditor?: boolean;
  readonly budget?: number;
}

interface AuditInput {
  readonly files?: readonly string[];
  readonly folder?: string;
  readonly checklist?: 'touched' | 'all';
  readonly budget?: number;
}

interface RuleInput {
  readonly id: string;
  readonly framework?: string;
}

interface ChapterInput {
  readonly chapter?: number;
  readonly part?: ChapterPart;
  readonly framework?: string;
}

/** The APPLY filter for the `framework` input, or an error naming the keys the book uses. */
function frameworkFilter(framework: string | undefined): FrameworkFilter | undefined {
  const found = findFramework(framework);
  if ('error' in found) throw new Error(found.error);
  return found.filter;
}

/** Loaded on the first call: most sessions never call a tool, and the grammars cost memory. */
class Book {
  private loaded: { catalog: Catalog; router: Router; analyzer: Analyzer; links: AgentLinks } | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {}

  get(): { catalog: Catalog; router: Router; analyzer: Analyzer; links: AgentLinks } {
    if (this.loaded === undefined) {
      const dist = (file: string): string => this.context.asAbsolutePath(`dist/${file}`);
      const catalog = JSON.parse(fs.readFileSync(dist('catalog.json'), 'utf8')) as Catalog;
      const links = fileLinks(catalog, (file) => vscode.Uri.file(dist(`content/${file}`)).toString(), TOOL_NAMES);
      const index = fs.existsSync(dist('search-index.json')) ? fs.readFileSync(dist('search-index.json'), 'utf8') : undefined;
      this.loaded = { catalog, router: new Router(catalog, index), analyzer: new Analyzer({ wasmPath: dist }), links };
    }
    return this.loaded;
  }
}

const result = (markdown: string): vscode.LanguageModelToolResult => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(markdown)]);

function clampBudget(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.max(MIN_ROUTE_BUDGET, Math.min(MAX_ROUTE_BUDGET, Math.round(value)));
}

function routeTool(book: Book): vscode.LanguageModelTool<RouteInput> {
  return {
    prepareInvocation: ({ input }) => ({ invocationMessage: input.task === undefined ? 'Routing the files through the reliability book' : `Routing "${input.task}" through the reliability book` }),
    invoke: async ({ input }, token) => {
      const { router, analyzer, links } = book.get();
      const files: FileAnalysis[] = [];
      if (input.files !== undefined && input.files.length > 0) {
        files.push(...(await analyzeUris(analyzer, await Promise.all(input.files.map(resolvePath)), token)).files);
      }
      if (input.activeEditor === true) {
        const active = await analyzeActiveEditor(analyzer);
        if (active === undefined) throw new Error('activeEditor is true but no editor with a supported language is active.');
        files.push(active);
      }
      if ((input.task === undefined || input.task.trim() === '') && files.length === 0) {
        throw new Error('Give `task` (the work in words), `files`, `activeEditor: true`, or a combination.');
      }
      return result(renderRoute(router.route({ task: input.task, files }), links, clampBudget(input.budget, DEFAULT_ROUTE_BUDGET)).markdown);
    },
  };
}

function auditTool(book: Book): vscode.LanguageModelTool<AuditInput> {
  return {
    prepareInvocation: ({ input }) => ({ invocationMessage: `Auditing ${input.files?.join(', ') ?? input.folder ?? 'the workspace'} for reliability mistakes` }),
    invoke: async ({ input }, token) => {
      const { catalog, analyzer, links } = book.get();
      if (input.files !== undefined && input.files.length > 0 && input.folder !== undefined) throw new Error('Give `files` or `folder`, not both.');
      const uris = input.files !== undefined && input.files.length > 0 ? await Promise.all(input.files.map(resolvePath))
        : input.folder !== undefined ? [await resolvePath(input.folder)]
          : await filesUnder(undefined);
      const read = await analyzeUris(analyzer, uris, token);
      const audited = audit(catalog, { files: read.files, skipped: read.skipped, checklist: input.checklist ?? 'touched' });
      return result(renderAudit(audited, links, clampBudget(input.budget, DEFAULT_AUDIT_BUDGET)));
    },
  };
}

function ruleTool(book: Book): vscode.LanguageModelTool<RuleInput> {
  return {
    invoke: ({ input }) => {
      const { catalog, links } = book.get();
      const found = findRule(catalog, String(input.id));
      if (found.kind !== 'rule') throw new Error(found.kind === 'error' ? found.message : 'not a rule');
      return result(renderBookRule(catalog, found.rule, links, frameworkFilter(input.framework), found.retiredId));
    },
  };
}

function chapterTool(book: Book): vscode.LanguageModelTool<ChapterInput> {
  return {
    invoke: ({ input }) => {
      const { catalog, links } = book.get();
      if (input.chapter === undefined) return result(renderToc(catalog, links));
      const found = findChapter(catalog, input.chapter);
      if (found.kind !== 'chapter') throw new Error(found.kind === 'error' ? found.message : 'not a chapter');
      return result(renderChapter(found.chapter, input.part ?? 'all', frameworkFilter(input.framework)));
    },
  };
}

export function registerLanguageModelTools(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable[] {
  const book = new Book(context);
  return [
    vscode.lm.registerTool(TOOL_NAMES.route, routeTool(book)),
    vscode.lm.registerTool(TOOL_NAMES.audit, auditTool(book)),
    vscode.lm.registerTool(TOOL_NAMES.rule, ruleTool(book)),
    vscode.lm.registerTool(TOOL_NAMES.chapter, chapterTool(book)),
    vscode.lm.registerTool(TOOL_NAMES.map, mapTool(client)),
  ];
}
