import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { languageFromPath, type AnalysisResult } from '../analysis/index.js';
import { audit } from '../agents/audit.js';
import { fileLinks, type AgentLinks } from '../agents/links.js';
import { findChapter, findFramework, findRule } from '../agents/lookup.js';
import { DEFAULT_AUDIT_BUDGET, renderAudit } from '../agents/render-audit.js';
import { renderBookRule, renderChapter, renderToc } from '../agents/render-book.js';
import { DEFAULT_ROUTE_BUDGET, MAX_ROUTE_BUDGET, MIN_ROUTE_BUDGET, renderRoute } from '../agents/render-route.js';
import { Router } from '../agents/route.js';
import { VSCODE_TOOL_NAMES } from '../agents/tool-text.js';
import type { FileAnalysis } from '../agents/types.js';
import type { FrameworkFilter } from '../catalog/frameworks.js';
import type { Catalog } from '../catalog/types.js';
import { AGENT_BOOK_REQUEST, type AgentBookParams, type AgentBookResult, type AgentFileRef } from '../protocol.js';
import { BudgetExceeded, type AnalysisWorker, type ProjectLocation } from '../worker/client.js';
import { readSource } from '../workspace/source.js';
import type { Configuration } from './configuration.js';
import { fsPathOf } from './folders.js';

/**
 * VS Code's language-model tools, answered by the server: the extension host holds no analyzer and
 * no grammars, and a tool sees what the diagnostics see (the project model, open documents' unsaved
 * text, each file's settings).
 */
export interface AgentHost {
  readonly connection: Connection;
  readonly catalog: Catalog;
  readonly contentDir: string;
  readonly worker: AnalysisWorker;
  readonly configuration: Configuration;
  locationOf(uri: string): ProjectLocation | undefined;
  /** An open document's text and analysis (or why it is not analysed); undefined when it is not open. */
  openAnalysis(uri: string): Promise<{ readonly text: string; readonly result?: AnalysisResult; readonly skipped?: string } | undefined>;
}

export function listenToAgentRequests(host: AgentHost): void {
  let loaded: { router: Router; links: AgentLinks } | undefined;
  // Loaded on the first call: most sessions never call a tool, and the search index costs memory.
  const book = (): { router: Router; links: AgentLinks } => {
    if (loaded === undefined) {
      const index = path.join(path.dirname(host.contentDir), 'search-index.json');
      const links = fileLinks(host.catalog, (file) => pathToFileURL(path.join(host.contentDir, file)).href, VSCODE_TOOL_NAMES);
      loaded = { router: new Router(host.catalog, fs.existsSync(index) ? fs.readFileSync(index, 'utf8') : undefined), links };
    }
    return loaded;
  };
  host.connection.onRequest(AGENT_BOOK_REQUEST, async (params: AgentBookParams): Promise<AgentBookResult> => {
    const { router, links } = book();
    switch (params.tool) {
      case 'rule': {
        const found = findRule(host.catalog, String(params.id));
        if (found.kind !== 'rule') throw invalid(found.kind === 'error' ? found.message : 'not a rule');
        return { markdown: renderBookRule(host.catalog, found.rule, links, frameworkFilter(params.framework), found.retiredId) };
      }
      case 'chapter': {
        if (params.chapter === undefined) return { markdown: renderToc(host.catalog, links) };
        const found = findChapter(host.catalog, params.chapter);
        if (found.kind !== 'chapter') throw invalid(found.kind === 'error' ? found.message : 'not a chapter');
        return { markdown: renderChapter(found.chapter, params.part ?? 'all', frameworkFilter(params.framework)) };
      }
      case 'route': {
        const read = await analyzeRefs(host, params.files);
        if ((params.task === undefined || params.task.trim() === '') && read.files.length === 0) {
          throw invalid('Give `task` (the work in words), `files`, `activeEditor: true`, or a combination.');
        }
        return { markdown: renderRoute(router.route({ task: params.task, files: read.files }), links, clamp(params.budget, DEFAULT_ROUTE_BUDGET)).markdown };
      }
      case 'audit': {
        const read = await analyzeRefs(host, params.files);
        const audited = audit(host.catalog, { files: read.files, skipped: [...(params.skipped ?? []), ...read.skipped], checklist: params.checklist ?? 'touched' });
        return { markdown: renderAudit(audited, links, clamp(params.budget, DEFAULT_AUDIT_BUDGET)) };
      }
      default:
        throw invalid(`unknown tool ${String((params as { tool?: unknown }).tool)}`);
    }
  });
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** The APPLY filter for the `framework` input, or an error naming the keys the book uses. */
function frameworkFilter(framework: string | undefined): FrameworkFilter | undefined {
  const found = findFramework(framework);
  if ('error' in found) throw invalid(found.error);
  return found.filter;
}

function clamp(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.max(MIN_ROUTE_BUDGET, Math.min(MAX_ROUTE_BUDGET, Math.round(value)));
}

/** Reads and analyses each file as the diagnostics do, and says why any file was left out. */
async function analyzeRefs(host: AgentHost, refs: readonly AgentFileRef[]): Promise<{ files: FileAnalysis[]; skipped: { path: string; reason: string }[] }> {
  const files: FileAnalysis[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const ref of refs) {
    const read = await analyzeRef(host, ref);
    if ('reason' in read) skipped.push({ path: ref.path, reason: read.reason });
    else files.push({ path: ref.path, text: read.text, result: within(withoutProject(read.result), ref.selection) });
  }
  return { files, skipped };
}

async function analyzeRef(host: AgentHost, ref: AgentFileRef): Promise<{ text: string; result: AnalysisResult } | { reason: string }> {
  const open = await host.openAnalysis(ref.uri);
  if (open !== undefined) return open.result === undefined ? { reason: open.skipped ?? 'not analysed' } : { text: open.text, result: open.result };
  const file = fsPathOf(ref.uri);
  const language = file === undefined ? undefined : languageFromPath(file);
  if (file === undefined || language === undefined) return { reason: 'not a language the analyzer reads' };
  const settings = (await host.configuration.scope(ref.uri)).settingsFor(file);
  if (!settings.enable) return { reason: 'Task Reliability is disabled for this file (taskReliability.enable)' };
  const source = await readSource(file, settings.maxFileSize);
  if (source.kind === 'skipped') return source;
  try {
    const result = await host.worker.analyzeText(source.text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds }, settings.analysisTimeBudgetMs, host.locationOf(ref.uri));
    return { text: source.text, result };
  } catch (error) {
    if (error instanceof BudgetExceeded) return { reason: `its analysis took longer than ${error.budgetMs} ms (taskReliability.analysisTimeBudgetMs)` };
    throw error;
  }
}

/** What the project model keeps for itself (the summary, the files read) does not go to the model. */
function withoutProject(result: AnalysisResult): AnalysisResult {
  const { summary: _summary, dependencies: _dependencies, ...rest } = result;
  return rest;
}

/** Only the signals and findings in the selection, when there is one (the whole file was analysed: a selection alone may not parse). */
function within(result: AnalysisResult, selection: AgentFileRef['selection']): AnalysisResult {
  if (selection === undefined || selection.start === selection.end) return result;
  const inside = (r: { start: number; end: number }): boolean => r.start < selection.end && r.end > selection.start;
  return { ...result, signals: result.signals.filter((s) => inside(s.range)), findings: result.findings.filter((f) => inside(f.range)) };
}
