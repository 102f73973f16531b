import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VSCODE_TOOL_NAMES } from '../../server/src/agents/tool-text';
import { AGENT_BOOK_REQUEST, type AgentBookParams, type AgentBookResult, type AgentFileRef } from '../../server/src/protocol';
import { activeEditorRef, fileRefs, filesUnder, resolvePath } from './lm-files';
import { mapTool } from './lm-map-tool';

/**
 * The book and the analyzer as VS Code language-model tools, for any chat agent that uses tools.
 * The language server answers them (`taskReliability/book`): it owns the project model and the
 * open documents, so a tool sees what the diagnostics see, unsaved edits included, and the
 * extension host loads no grammar. The names and schemas are declared in package.json's
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
  readonly part?: 'all' | 'narrative' | 'rules';
  readonly framework?: string;
}

/** Asks the language server; its error message (an unknown rule id, a bad framework) goes to the model as is. */
async function ask(client: () => LanguageClient | undefined, params: AgentBookParams): Promise<vscode.LanguageModelToolResult> {
  const running = client();
  if (running === undefined || !running.isRunning()) throw new Error('The Task Reliability language server is not running; restart it (Task Reliability: Restart Server) and try again.');
  const answer = await running.sendRequest<AgentBookResult>(AGENT_BOOK_REQUEST, params);
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.markdown)]);
}

function routeTool(client: () => LanguageClient | undefined, languages: readonly string[]): vscode.LanguageModelTool<RouteInput> {
  return {
    prepareInvocation: ({ input }) => ({ invocationMessage: input.task === undefined ? 'Routing the files through the reliability book' : `Routing "${input.task}" through the reliability book` }),
    invoke: async ({ input }) => {
      const files: AgentFileRef[] = input.files !== undefined && input.files.length > 0 ? await fileRefs(await Promise.all(input.files.map(resolvePath))) : [];
      if (input.activeEditor === true) {
        const active = activeEditorRef(languages);
        if (active === undefined) throw new Error('activeEditor is true but no editor with a supported language is active.');
        files.push(active);
      }
      return ask(client, { tool: 'route', files, ...(input.task === undefined ? {} : { task: input.task }), ...(input.budget === undefined ? {} : { budget: input.budget }) });
    },
  };
}

function auditTool(client: () => LanguageClient | undefined): vscode.LanguageModelTool<AuditInput> {
  return {
    prepareInvocation: ({ input }) => ({ invocationMessage: `Auditing ${input.files?.join(', ') ?? input.folder ?? 'the workspace'} for reliability mistakes` }),
    invoke: async ({ input }) => {
      if (input.files !== undefined && input.files.length > 0 && input.folder !== undefined) throw new Error('Give `files` or `folder`, not both.');
      const uris = input.files !== undefined && input.files.length > 0 ? await Promise.all(input.files.map(resolvePath))
        : input.folder !== undefined ? [await resolvePath(input.folder)]
          : await filesUnder(undefined);
      return ask(client, { tool: 'audit', files: await fileRefs(uris), checklist: input.checklist ?? 'touched', ...(input.budget === undefined ? {} : { budget: input.budget }) });
    },
  };
}

function ruleTool(client: () => LanguageClient | undefined): vscode.LanguageModelTool<RuleInput> {
  return {
    invoke: ({ input }) => ask(client, { tool: 'rule', id: String(input.id), ...(input.framework === undefined ? {} : { framework: input.framework }) }),
  };
}

function chapterTool(client: () => LanguageClient | undefined): vscode.LanguageModelTool<ChapterInput> {
  return {
    invoke: ({ input }) => ask(client, {
      tool: 'chapter',
      ...(input.chapter === undefined ? {} : { chapter: input.chapter }),
      ...(input.part === undefined ? {} : { part: input.part }),
      ...(input.framework === undefined ? {} : { framework: input.framework }),
    }),
  };
}

export function registerLanguageModelTools(client: () => LanguageClient | undefined, languages: readonly string[]): vscode.Disposable[] {
  return [
    vscode.lm.registerTool(TOOL_NAMES.route, routeTool(client, languages)),
    vscode.lm.registerTool(TOOL_NAMES.audit, auditTool(client)),
    vscode.lm.registerTool(TOOL_NAMES.rule, ruleTool(client)),
    vscode.lm.registerTool(TOOL_NAMES.chapter, chapterTool(client)),
    vscode.lm.registerTool(TOOL_NAMES.map, mapTool(client)),
  ];
}
