import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit as LspEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions, LanguageId } from '../analysis/index.js';
import type { AnalysisWorker } from '../worker/client.js';
import { COMMANDS, type DiagnosticData } from '../protocol.js';
import { isDiagnosticData, SOURCE, toRange } from './convert.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.taskReliability`;

export interface ActionContext {
  readonly worker: AnalysisWorker;
  readonly language: LanguageId;
  readonly options: AnalyzeOptions;
  /** How many findings with a safe fix each rule has in the whole document. */
  readonly safeFixCounts: ReadonlyMap<string, number>;
  /**
   * The client asks for an action's edit when the user picks it (`codeAction/resolve`). Fixing all
   * of a rule re-analyses the file once per fix, so the quick-fix list, asked for at every move of
   * the cursor, then offers it without its edit and computes the edit only when it is chosen.
   */
  readonly resolveEdits: boolean;
}

/** What a fix-all quick fix carries until it is resolved: the document and the rule to fix. */
interface FixAllData {
  readonly fixAll: { readonly uri: string; readonly rule: string };
}

export function fixAllData(value: unknown): FixAllData['fixAll'] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fixAll = (value as Partial<FixAllData>).fixAll;
  return typeof fixAll?.uri === 'string' && typeof fixAll.rule === 'string' ? fixAll : undefined;
}

/**
 * Code actions from the diagnostics' own data (no server-side cache): per finding, its fixes, fix
 * all of the rule in the file, suppress on the line or in the file, and open the rule in the book.
 * `source.fixAll.taskReliability` applies every safe fix.
 */
export async function codeActions(doc: TextDocument, params: CodeActionParams, context: ActionContext): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string): boolean => only === undefined || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const uri = doc.uri;
  const edit = (edits: readonly LspEdit[]): CodeAction['edit'] => ({ changes: { [uri]: [...edits] } });

  if (wants(CodeActionKind.QuickFix)) {
    const seenRules = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE || !isDiagnosticData(diagnostic.data)) continue;
      const data: DiagnosticData = diagnostic.data;
      data.fixes.forEach((fix, i) => {
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.safe && i === 0, edit: edit(fix.edits) });
      });
      if (!seenRules.has(data.rule) && (context.safeFixCounts.get(data.rule) ?? 0) > 1) {
        seenRules.add(data.rule);
        const title = `Fix all safe ${data.rule} problems in this file`;
        if (context.resolveEdits) {
          const lazy: FixAllData = { fixAll: { uri, rule: data.rule } };
          actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], data: lazy });
        } else {
          const all = await fixAllEdit(doc, context, data.rule);
          if (all !== undefined) actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([all]) });
        }
      }
      actions.push({ title: `Suppress ${data.rule} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(data.suppressLine) });
      actions.push({ title: `Suppress ${data.rule} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(data.suppressFile) });
      actions.push({
        title: `Open ${data.ruleRef} in the book (chapter ${data.chapter})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: `Open ${data.ruleRef}`, command: COMMANDS.showRule, arguments: [data.ruleRef] },
      });
    }
  }
  // Asked for by name (on save, or from the command palette): computed now, as every client expects.
  if (only !== undefined && only.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(`${o}.`) || o === CodeActionKind.SourceFixAll)) {
    const all = await fixAllEdit(doc, context, undefined);
    if (all !== undefined) actions.push({ title: 'Fix all safe Task Reliability problems', kind: FIX_ALL_KIND, edit: edit([all]) });
  }
  return actions;
}

/**
 * The edit of a fix-all quick fix offered without one, computed from the document's current text
 * (the client sends the request for the text it shows, so the two are the same version).
 */
export async function resolveCodeAction(doc: TextDocument, action: CodeAction, context: ActionContext): Promise<CodeAction> {
  const target = fixAllData(action.data);
  if (target === undefined || target.uri !== doc.uri) return action;
  const all = await fixAllEdit(doc, context, target.rule);
  return { ...action, edit: { changes: { [doc.uri]: all === undefined ? [] : [all] } } };
}

/** Every safe fix of `rule` (or of all rules), applied one at a time, as a single edit. */
async function fixAllEdit(doc: TextDocument, context: ActionContext, rule: string | undefined): Promise<LspEdit | undefined> {
  const fixed = await context.worker.fixAll(doc.getText(), context.language, context.options, rule);
  if (fixed === undefined) return undefined;
  return { range: toRange(doc, fixed.edit.start, fixed.edit.end), newText: fixed.edit.newText };
}
