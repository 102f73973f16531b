import type { Tree } from 'web-tree-sitter';
import type { FileFacts } from './facts/types.js';
import { FACT_EXTRACTORS } from './facts/index.js';
import { isArgoCronWorkflow, yamlFacts, type YamlFacts } from './facts/yaml.js';
import { sidekiqMaxRetriesOf, sidekiqSchedulesOf } from './facts/sidekiq-schedule.js';
import { workflowsOf } from './facts/workflow.js';
import { compiledQuery } from './facts/common.js';
import type { ParserPool } from './parsing/parser.js';
import { LineIndex } from './parsing/positions.js';
import { RULES } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { kubernetesSettings } from './signal-settings.js';
import { callSignals, SIGNAL_CHAPTERS } from './signals.js';
import { inJsxChildren, readSuppressions, SuppressionIndex } from './suppressions.js';
import { findingOf, sortSuppressed } from './finding.js';
import type { AnalysisResult, AnalyzeOptions, Finding, LanguageId, Signal, SuppressedFinding } from './types.js';
import { projectView, relatedTo, summaryOfTree } from './project/use.js';
import { mapFactsOf } from './map/extract.js';
import { yamlMapFacts } from './map/yaml.js';
import type { MapFileFacts } from './map/facts.js';
import type { ModuleSummary, ProjectView } from './project/types.js';

const DEFAULT_FIX_TIMEOUT_SECONDS = 10;
/** tree-sitter-java has no `comment` node: its comments are line and block comments. */
const COMMENT_QUERY_BY_LANGUAGE: Partial<Record<LanguageId, string>> = { java: '[(line_comment) (block_comment)] @comment' };

/** What the in-body edit's fast path (incremental.ts) reads from an analysis, and gives one. */
export interface ParsedHooks {
  /**
   * Sees the file's facts, the summary the analysis used (its project's, or the one whose imports
   * the task map reads) and its project view: the fast path compares what two versions of a
   * declaration give the whole file, and keeps what the whole file was given.
   */
  readonly observe?: (facts: FileFacts, summary: ModuleSummary | undefined, view: ProjectView | undefined) => void;
  /**
   * The summary and project view to use instead of reading them from `tree`: a context text of the
   * fast path is not the file, and must see the project as the whole file does.
   */
  readonly given?: { readonly summary: ModuleSummary | undefined; readonly view: ProjectView | undefined };
}

/**
 * Runs detectors and rules over one parsed file. `tree` must be the current parse of `text`
 * (YAML takes none: it is parsed here with the `yaml` package).
 */
export function analyzeParsed(pool: ParserPool, text: string, language: LanguageId, tree: Tree | undefined, options: AnalyzeOptions = {}, hooks: ParsedHooks = {}): AnalysisResult {
  let facts: FileFacts | undefined;
  let yaml: YamlFacts | undefined;
  let comments: { text: string; start: number }[];
  let hasSyntaxErrors: boolean;
  let lines: LineIndex;
  const signals: Signal[] = [];
  let dependencies: readonly string[] | undefined;
  let summary: ModuleSummary | undefined;
  let map: MapFileFacts | undefined;
  if (language === 'yaml') {
    yaml = yamlFacts(text);
    lines = yaml.lines;
    comments = [...yaml.comments];
    hasSyntaxErrors = yaml.hasSyntaxErrors;
    for (const resource of yaml.resources) {
      const settings = kubernetesSettings(resource);
      const extra = settings === undefined ? {} : { settings };
      if (resource.kind === 'CronJob' && resource.kindRange !== undefined) {
        signals.push({ kind: 'schedule', api: 'kubernetes.CronJob', range: resource.kindRange, chapters: SIGNAL_CHAPTERS.schedule, ...extra });
      } else if (isArgoCronWorkflow(resource) && resource.kindRange !== undefined) {
        signals.push({ kind: 'schedule', api: 'argo.CronWorkflow', range: resource.kindRange, chapters: SIGNAL_CHAPTERS.schedule });
      } else if (resource.kind === 'Job' && resource.kindRange !== undefined) {
        // A Job runs its pods to completion and retries failed ones (backoffLimit): a task of its own.
        signals.push({ kind: 'task-def', api: 'kubernetes.Job', range: resource.kindRange, chapters: SIGNAL_CHAPTERS['task-def'], ...extra });
      }
    }
    for (const workflow of workflowsOf(yaml)) {
      for (const cron of workflow.crons) signals.push({ kind: 'schedule', api: 'github-actions.schedule', range: cron, chapters: SIGNAL_CHAPTERS.schedule });
    }
    for (const job of sidekiqSchedulesOf(yaml)) signals.push({ kind: 'schedule', api: job.api, range: job.range, chapters: SIGNAL_CHAPTERS.schedule });
    for (const range of sidekiqMaxRetriesOf(yaml)) signals.push({ kind: 'retry', api: 'sidekiq :max_retries (global)', range, chapters: SIGNAL_CHAPTERS.retry });
    if (options.map === true) map = yamlMapFacts(yaml);
  } else {
    if (tree === undefined) throw new Error(`a syntax tree is required for ${language}`);
    const grammar = pool.language(language);
    const extract = FACT_EXTRACTORS[language];
    if (extract === undefined) throw new Error(`no facts extractor for ${language}`);
    const given = hooks.given;
    const project = options.project === undefined ? undefined
      : given === undefined ? projectView(options.project.model, options.project.path, language, tree, text)
        : given.summary === undefined || given.view === undefined ? undefined : { summary: given.summary, view: given.view };
    dependencies = project?.view.dependencies;
    summary = project?.summary;
    facts = extract(tree, grammar, language, text, project?.view);
    // The map names imported tasks by the file's module-level imports: its summary has them.
    const mapSummary = options.map !== true ? undefined : summary ?? (given !== undefined ? given.summary
      : language === 'python' || language === 'javascript' || language === 'typescript' || language === 'tsx' ? summaryOfTree(tree, language) : undefined);
    hooks.observe?.(facts, summary ?? mapSummary, project?.view);
    lines = facts.lines;
    hasSyntaxErrors = tree.rootNode.hasError;
    signals.push(...callSignals(facts));
    if (options.map === true) map = mapFactsOf(facts, mapSummary);
    const query = compiledQuery(grammar, COMMENT_QUERY_BY_LANGUAGE[language] ?? '(comment) @comment');
    comments = query.matches(tree.rootNode).flatMap((m) => m.captures.map((c) => ({ text: c.node.text, start: c.node.startIndex })));
  }

  const suppressions = readSuppressions(comments);
  const suppressionIndex = new SuppressionIndex(suppressions, lines);
  const context: RuleContext = { language, facts, yaml, fixTimeoutSeconds: options.fixTimeoutSeconds ?? DEFAULT_FIX_TIMEOUT_SECONDS, ...(options.place === undefined ? {} : { place: options.place }) };
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  // Only JSX needs the tree to place a suppression comment (see suppressLineEdit). Findings often
  // share a line (calls nested in calls), and each question walks the tree: ask once per line.
  const root = language === 'tsx' || language === 'javascript' ? tree?.rootNode : undefined;
  const jsxLines = new Map<number, boolean>();
  const inJsx = root === undefined ? undefined : (offset: number): boolean => {
    let known = jsxLines.get(offset);
    if (known === undefined) jsxLines.set(offset, known = inJsxChildren(root, offset));
    return known;
  };
  for (const rule of RULES) {
    const setting = options.rules?.[rule.meta.id];
    if (setting === 'off' || !rule.meta.languages.includes(language)) continue;
    for (const raw of rule.check(context)) {
      const finding: Finding = { ...findingOf(rule, raw, language, lines, { setting, hintsOnly: options.hintsOnly, inJsx }), ...relatedTo(facts, raw.range, raw.related) };
      sortSuppressed(finding, suppressionIndex.find(rule.meta.id, raw.range.start), findings, suppressed);
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  signals.sort((a, b) => a.range.start - b.range.start);
  // A name is used by every call of a chain (`queue.New().Enqueue(...)`): one hover per place. In
  // the text's order, as signals are: the in-body edit's fast path splices them by place.
  const projectNames = (facts?.projectUses ?? []).filter((use, i, all) => all.findIndex((u) => u.start === use.start && u.end === use.end) === i)
    .map((use) => ({ range: { start: use.start, end: use.end }, message: `\`${use.local}\` is ${use.description}`, origin: use.origin }))
    .sort((a, b) => a.range.start - b.range.start);
  return {
    language, signals, findings, suppressed, suppressions, hasSyntaxErrors,
    ...(projectNames.length === 0 ? {} : { projectNames }),
    ...(dependencies === undefined || dependencies.length === 0 ? {} : { dependencies }),
    ...(summary === undefined ? {} : { summary }),
    ...(map === undefined ? {} : { map }),
  };
}
