import type { Tree } from 'web-tree-sitter';
import { analyzeParsed } from './analyze.js';
import type { EnqueueFact, MapFileFacts } from './map/facts.js';
import type { ParserPool, TreeLanguage } from './parsing/parser.js';
import { LineIndex, lineBreakOf } from './parsing/positions.js';
import type { ProjectModel } from './project/model.js';
import { sameSummary } from './project/summary-cache.js';
import type { ModuleSummary, ProjectView } from './project/types.js';
import { summaryOfTree } from './project/use.js';
import { suppressFileEdit } from './suppressions.js';
import { contextMap, contextOf, contextRows, declared, DECLARATIONS, rowsIn, topLevel, unitIndexAt, type Context, type Unit } from './incremental-context.js';
import { fileWide } from './file-wide.js';
import { analyzeYamlEdited, topLines, yamlSnapshotOf, type YamlSnapshot } from './incremental-yaml.js';
import { mapFinding, mapItems, mapMapFacts, moveSummaryPositions, partition, shifter, split, type Items, type OffsetMap, type Place, type RowMap } from './result-items.js';
import type { AnalysisResult, AnalyzeOptions, Finding, LanguageId, ProjectNameUse, TextEdit } from './types.js';

/**
 * The in-body edit's fast path. An edit strictly inside the body of one top-level declaration (a
 * module-level function, class or module; a Go function or method) leaves the rest of the text as
 * it was, so the analysis of the rest need not be redone: the declaration is analysed again inside
 * a small context text (the file's module-level statements, the declarations it names, and itself),
 * and its results are spliced into the previous whole-file result, whose other items only move by
 * the edit's length.
 *
 * The context must give the declaration what the whole file gives it. That is checked, not
 * assumed: the context with the declaration's previous text must reproduce, item for item, what
 * the previous whole analysis said inside it; the items of the context outside it must be the same
 * before and after the edit (the edit reached nothing else the context holds); and so must what
 * the file calls and configures as a whole (see `fileWide`), which a rule may read for any
 * declaration. Any doubt falls back to a whole analysis: a declaration whose name the rest of the
 * file uses (another declaration may read its body), a file or next-line suppression it holds, a
 * finding of it that another place suppresses, a syntax error anywhere.
 *
 * With its project, the context is given the whole file's summary and project view (the project
 * model's answer for the file's imports), not its own, and the view must be the one the last
 * analysis had: an edit of another module falls back. The file's summary must say the same with
 * the declaration's new text (the context's summaries before and after the edit are compared), and
 * is then the last one with its positions moved. The names the project resolves and the task map's
 * facts are split around the declaration and spliced as findings are, by offset and by line.
 */

/** The analysis of a context text, its offsets already moved back to the document's. */
interface ContextAnalysis {
  readonly key: string;
  /** What the context's facts give every declaration of the file (see `fileWide`). */
  readonly fileWide: string;
  /** A call of the declaration whose finding reads other declarations (see `FileWideReads.readers`). */
  readonly reader: string | undefined;
  readonly inside: Items;
  readonly outside: Items;
  /** The names the project resolves, at the document's offsets. */
  readonly names: readonly ProjectNameUse[];
  /** The task map's facts, at the document's lines and offsets, when asked for. */
  readonly map: MapFileFacts | undefined;
  /** The context's own summary, when the options read one (the project, the task map). */
  readonly summary: ModuleSummary | undefined;
}

/** What the fast path keeps of the last analysis of a document: a YAML stream's documents, or a program's top-level statements. */
export type AnySnapshot = Snapshot | YamlSnapshot;

const isYaml = (snapshot: AnySnapshot): snapshot is YamlSnapshot => snapshot.language === 'yaml';

/** What the fast path keeps of the last analysis of a program. */
export interface Snapshot {
  readonly language: LanguageId;
  readonly text: string;
  readonly result: AnalysisResult;
  readonly optionsKey: string;
  /** The summary the analysis used (its project's, or the one whose imports the task map reads). */
  readonly summary: ModuleSummary | undefined;
  /** The project the analysis read, and the view of it the file was given. */
  readonly project: { readonly model: ProjectModel; readonly path: string; readonly view: ProjectView; key?: string } | undefined;
  readonly units: readonly Unit[];
  /** The declarations and binding statements of each name, to follow the names a declaration uses. */
  readonly byName: ReadonlyMap<string, readonly number[]>;
  /** The length of the statements every context holds. */
  readonly alwaysSize: number;
  /** The words of the statements every context holds, read once. */
  otherWords?: ReadonlySet<string>;
  /** Whether the rest of the file names a declaration, by its start (the rest does not change under the fast path). */
  readonly namedElsewhere: Map<number, boolean>;
  /** Whether the prefilter lets the text before or after a declaration through alone, by its start (see `analyzeEdited`). */
  readonly passesAround: Map<number, boolean>;
  /**
   * The start of the declaration the fast path edited last: no item outside reaches into it, no
   * summary position lies in it from `clearFrom` on, and no task map fact outside it names its lines.
   */
  clearOf?: number;
  /** Where the first change of the fast path's last edit of that declaration started (see `clearOf`). */
  clearFrom?: number;
  /** The last context analysis, reused when the same declaration is edited again. */
  lastContext?: ContextAnalysis;
}

/** A context larger than this share of the file (and than a small file) would cost about what a whole analysis costs. */
const MAX_CONTEXT_SHARE = 0.25;
const SMALL_FILE = 8000;
/** Edits kept since the last analysis before the fast path gives up on them. */
export const MAX_PENDING_CHANGES = 256;

const WORD = /[\p{ID_Start}_$][\p{ID_Continue}$]*/gu;
const WORD_CHAR = /[\p{ID_Continue}$]/u;

/** The options a result depends on, as a key; the project model itself is compared by `sameProject`. */
export function optionsKey(options: AnalyzeOptions | undefined): string {
  return JSON.stringify([options?.rules ?? null, options?.fixTimeoutSeconds ?? null, options?.hintsOnly ?? null, options?.place ?? null, options?.map === true, options?.project?.path ?? null]);
}

/** A project view as a value: its maps and sets as lists. */
function viewKey(view: ProjectView): string {
  return JSON.stringify(view, (_key, value: unknown) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value));
}

/**
 * Whether `options` give the file the project the snapshot's analysis had: the same model and
 * path, and the same view of the file's imports now (another module may have changed since).
 * The model answers from its last view when nothing it read changed, so this is mostly one lookup.
 */
export function sameProject(snapshot: AnySnapshot, options: AnalyzeOptions | undefined): ProjectView | undefined | false {
  // A YAML result reads nothing of the project.
  if (isYaml(snapshot)) return undefined;
  const project = options?.project;
  const own = snapshot.project;
  if (project === undefined || own === undefined) return project === undefined && own === undefined ? undefined : false;
  if (project.model !== own.model || project.path !== own.path || snapshot.summary === undefined) return false;
  const view = project.model.viewFor(project.path, snapshot.summary);
  if (view === own.view) return view;
  own.key ??= viewKey(own.view);
  return viewKey(view) === own.key ? view : false;
}

/**
 * Reads a document's top-level statements after a whole analysis, given what the analysis used of
 * its project (see `ParsedHooks.observe`); undefined when the fast path cannot start from it.
 */
export function snapshotOf(language: LanguageId, text: string, tree: Tree | undefined, result: AnalysisResult, options: AnalyzeOptions | undefined, used: { summary: ModuleSummary | undefined; view: ProjectView | undefined }): AnySnapshot | undefined {
  const key = optionsKey(options);
  if (language === 'yaml') return yamlSnapshotOf(text, result, key);
  if (tree === undefined || DECLARATIONS[language] === undefined || result.hasSyntaxErrors) return undefined;
  if (options?.project !== undefined && (used.view === undefined || used.summary === undefined)) return undefined;
  const project = options?.project === undefined || used.view === undefined ? undefined : { model: options.project.model, path: options.project.path, view: used.view };
  const units: Unit[] = [];
  const byName = new Map<string, number[]>();
  const bind = (name: string): void => {
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [units.length]);
    else list.push(units.length);
  };
  for (const { node, ...rows } of topLevel(tree.rootNode, language, text)) {
    const what = node === undefined ? undefined : declared(node, language);
    if (what?.kind === 'body') {
      bind(what.name);
      const body = what.body.startPosition;
      units.push({ ...rows, declaration: { name: what.name, type: what.type, bodyStart: what.body.startIndex, bodyEnd: what.body.endIndex, bodyRow: body.row } });
    } else if (what?.kind === 'binds') {
      for (const name of what.names) bind(name);
      units.push({ ...rows, declaration: undefined, binds: what.names });
    } else {
      units.push({ ...rows, declaration: undefined });
    }
  }
  const alwaysSize = units.reduce((sum, u) => (u.declaration === undefined && u.binds === undefined ? sum + u.end - u.start : sum), 0);
  return { language, text, result, optionsKey: key, summary: used.summary, project, units, byName, alwaysSize, namedElsewhere: new Map(), passesAround: new Map() };
}

function wordsOf(text: string, into = new Set<string>()): Set<string> {
  for (const match of text.matchAll(WORD)) into.add(match[0]);
  return into;
}

/** How often `name` occurs as a whole word in `text` (in strings and comments too: a task named in a schedule counts). */
function occurrences(text: string, name: string): number {
  let count = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const before = at === 0 ? '' : text[at - 1] ?? '';
    const after = text[at + name.length] ?? '';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) count++;
  }
  return count;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Analyses a context text and moves its items back to the document's offsets; undefined when the
 * context does not parse cleanly or the declaration is not one top-level statement of it.
 */
function analyzeContext(pool: ParserPool, language: LanguageId, context: Context, declarationType: string, options: AnalyzeOptions | undefined, key: string, document: string, given: { summary: ModuleSummary | undefined; view: ProjectView | undefined }): ContextAnalysis | undefined {
  const tree = pool.parse(language as TreeLanguage, context.text);
  try {
    if (tree.rootNode.hasError || lineBreakOf(context.text) !== context.eol) return undefined;
    const segment = context.segments[context.target];
    if (segment === undefined) return undefined;
    const node = topLevel(tree.rootNode, language, context.text).find((unit) => unit.start === segment.contextStart)?.node;
    const what = node == null ? undefined : declared(node, language);
    if (node == null || what?.kind !== 'body' || what.type !== declarationType || node.endIndex !== segment.contextStart + segment.length) return undefined;
    let wide = '';
    let reader: string | undefined;
    const result = analyzeParsed(pool, context.text, language, tree, options, {
      given,
      observe: (facts) => {
        ({ key: wide, reader } = fileWide(facts, language, segment.contextStart, segment.contextStart + segment.length));
      },
    });
    const parts = split(result, segment.contextStart, segment.contextStart + segment.length);
    if (parts === undefined) return undefined;
    // An edit of a fix that spans two slices would span the text between them in the document.
    const map = contextMap(context);
    const spansSlices = (finding: Finding): boolean => [...finding.fixes.flatMap((fix) => fix.edits), ...finding.suppressLine, ...finding.suppressFile]
      .some((edit) => map(edit.end) - map(edit.start) !== edit.end - edit.start);
    if ([...result.findings, ...result.suppressed].some(spansSlices)) return undefined;
    const outside: Items = {
      signals: [...parts.before.signals, ...parts.after.signals],
      findings: [...parts.before.findings, ...parts.after.findings],
      suppressed: [...parts.before.suppressed, ...parts.after.suppressed],
      suppressions: [...parts.before.suppressions, ...parts.after.suppressions],
    };
    // The edit that suppresses a rule in the whole file goes at the document's top (after a shebang
    // or an encoding line), which the context's top is not.
    const top = new LineIndex(document.slice(0, topLines(document)));
    const fileEdits = new Map<string, readonly TextEdit[]>();
    const atTop = (items: Items): Items => ({
      ...items,
      findings: items.findings.map((finding) => {
        let edits = fileEdits.get(finding.rule);
        if (edits === undefined) fileEdits.set(finding.rule, edits = [suppressFileEdit(language, top, finding.rule)]);
        return same(edits, finding.suppressFile) ? finding : { ...finding, suppressFile: edits };
      }),
    });
    const names = (result.projectNames ?? []).map((use) => ({ ...use, range: { start: map(use.range.start), end: map(use.range.end) } }));
    const facts = result.map === undefined ? undefined : mapMapFacts(result.map, contextRows(context), map);
    const summary = options?.project !== undefined || options?.map === true ? summaryOfTree(tree, language) : undefined;
    return { key, fileWide: wide, reader, inside: atTop(mapItems(parts.inside, map)), outside: atTop(mapItems(outside, map)), names, map: facts, summary };
  } finally {
    tree.delete();
  }
}

/** The start of the line that holds `end - 1`, for telling whether a comment sits on a declaration's last line. */
function lastLineStart(text: string, end: number): number {
  let at = end - 1;
  while (at > 0 && text.charCodeAt(at - 1) !== 10 && text.charCodeAt(at - 1) !== 13) at--;
  return Math.max(at, 0);
}

/** Why the last edit took the whole analysis (a step of `analyzeEdited`), for the benchmark and the tests' messages. */
export const fastPath = { fallback: '' };

function fallback(step: string): undefined {
  fastPath.fallback = step;
  return undefined;
}

export interface FastResult {
  readonly result: AnalysisResult;
  readonly snapshot: AnySnapshot;
  readonly splice: Splice;
}

/**
 * How a fast path's findings relate to the previous result's: its first `before` findings are the
 * previous ones as they were, its last `after` the previous ones moved by the edit (`delta`
 * characters; in rows and columns, see `movePoint`); those between are new. A host that converted
 * the previous findings (the language server's diagnostics) converts only the new ones.
 */
export interface Splice {
  /** The number of the previous result's findings. */
  readonly previous: number;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  /** The first change's row and column: a point before it is where it was. */
  readonly changeRow: number;
  readonly changeColumn: number;
  /** The declaration's last row before the edit: a point on a later row moves by `rowDelta` rows. */
  readonly endRow: number;
  readonly rowDelta: number;
}

/** Where a 0-based point of the previous text is after a splice's edit; undefined for a point the edit may have moved otherwise. */
export function movePoint(splice: Splice, line: number, character: number): { line: number; character: number } | undefined {
  if (line < splice.changeRow || (line === splice.changeRow && character < splice.changeColumn)) return { line, character };
  return line > splice.endRow ? { line: line + splice.rowDelta, character } : undefined;
}

/**
 * The result of `text` (the snapshot's text after `changes`, each in offsets of the text left by the
 * previous one) by the fast path, or undefined when the whole file must be analysed.
 */
export function analyzeEdited(pool: ParserPool, snapshot: AnySnapshot, changes: readonly TextEdit[], text: string, options: AnalyzeOptions | undefined, prefilter?: (text: string) => boolean): FastResult | undefined {
  if (isYaml(snapshot)) return analyzeYamlEdited(pool, snapshot, changes, text, options, optionsKey(options), prefilter, fastPath);
  if (changes.length === 0 || optionsKey(options) !== snapshot.optionsKey) return fallback('options');
  const view = sameProject(snapshot, options);
  if (view === false) return fallback('the project changed');
  const { units } = snapshot;
  const target = unitIndexAt(units, changes[0]?.start ?? -1);
  const unit = units[target];
  const declaration = unit?.declaration;
  if (unit === undefined || declaration === undefined) return fallback('not in a declaration');
  // Every change must stay strictly inside the body, whose end moves with each change.
  let delta = 0;
  for (const change of changes) {
    if (change.start <= declaration.bodyStart || change.end >= declaration.bodyEnd + delta) return fallback('not inside the body');
    delta += change.newText.length - (change.end - change.start);
  }
  if (text.length !== snapshot.text.length + delta) return fallback('length');
  const before = snapshot.text.slice(unit.start, unit.end);
  const after = text.slice(unit.start, unit.end + delta);
  const rowDelta = rowsIn(after) - rowsIn(before);
  // The task map's facts are split around the declaration by line: no other statement may share one of its lines.
  if (options?.map === true && ((units[target - 1]?.endRow ?? -1) >= unit.startRow || (units[target + 1]?.startRow ?? Infinity) <= unit.endRow)) return fallback('a statement shares a line with the declaration');
  // The file's summary after the edit, if the edit leaves what it says as it was (checked below):
  // the last one, with the positions after the declaration moved; one inside it after the body's
  // start cannot be moved without reading the new text.
  // Where the first change starts: the text before it is the same in both.
  const firstChange = Math.min(...changes.map((c) => c.start));
  const changeRow = declaration.bodyRow + rowsIn(snapshot.text.slice(declaration.bodyStart, firstChange));
  const changeColumn = firstChange - Math.max(snapshot.text.lastIndexOf('\n', firstChange - 1), snapshot.text.lastIndexOf('\r', firstChange - 1)) - 1;
  // The declaration the fast path answered last has no summary position after its last first
  // change, and the file's task map facts outside it reach none of its lines (both were checked
  // then): an edit from there on that adds no line moves no line and no position, and the walks
  // below are skipped.
  const unmoved = snapshot.clearOf === unit.start && rowDelta === 0;
  let nextSummary = snapshot.summary;
  if (options?.project !== undefined && snapshot.summary !== undefined && !(unmoved && firstChange >= (snapshot.clearFrom ?? Infinity))) {
    nextSummary = moveSummaryPositions(snapshot.summary, (line, character) => (line < changeRow || (line === changeRow && character < changeColumn) ? { line, character }
      : line > unit.endRow ? { line: line + rowDelta, character } : undefined));
    if (nextSummary === undefined) return fallback('a summary position in the declaration');
  }

  // Another place that names the declaration may read its body (a helper a task calls, a task a schedule names).
  let named = snapshot.namedElsewhere.get(unit.start);
  if (named === undefined) {
    named = occurrences(snapshot.text, declaration.name) > occurrences(before, declaration.name);
    snapshot.namedElsewhere.set(unit.start, named);
  }
  if (named) return fallback('named elsewhere');

  // A text the prefilter skips has an empty result, whatever its declarations hold. The prefilter
  // looks for names: when the text before the declaration (or after it), cut at a line break so that
  // no name runs on into it, already holds one, every text with that part holds one.
  let passes = prefilter === undefined || snapshot.passesAround.get(unit.start);
  if (passes === undefined && prefilter !== undefined) {
    const lineBefore = Math.max(snapshot.text.lastIndexOf('\n', unit.start - 1), snapshot.text.lastIndexOf('\r', unit.start - 1));
    const lineAfter = snapshot.text.slice(unit.end).search(/[\r\n]/);
    passes = (lineBefore >= 0 && prefilter(snapshot.text.slice(0, lineBefore + 1))) || (lineAfter >= 0 && prefilter(snapshot.text.slice(unit.end + lineAfter)));
    snapshot.passesAround.set(unit.start, passes);
  }
  if (!passes && prefilter !== undefined && !prefilter(text)) return fallback('the prefilter skips the text');

  // The context: every statement that neither declares a body nor only binds names, and the
  // declarations and bindings named from there, transitively.
  const always = (u: Unit): boolean => u.declaration === undefined && u.binds === undefined;
  snapshot.otherWords ??= units.reduce((words, u) => (always(u) ? wordsOf(snapshot.text.slice(u.start, u.end), words) : words), new Set<string>());
  const wanted = new Set<number>([target]);
  const queue = [...snapshot.otherWords, ...wordsOf(before), ...wordsOf(after)];
  let size = before.length + after.length + snapshot.alwaysSize;
  for (let word = queue.pop(); word !== undefined; word = queue.pop()) {
    for (const index of snapshot.byName.get(word) ?? []) {
      if (wanted.has(index)) continue;
      const u = units[index] as Unit;
      wanted.add(index);
      size += u.end - u.start;
      if (size > Math.max(MAX_CONTEXT_SHARE * text.length, SMALL_FILE)) return fallback('context too large');
      queue.push(...wordsOf(snapshot.text.slice(u.start, u.end)));
    }
  }
  const included = units.flatMap((u, index) => (always(u) || wanted.has(index) ? [index] : []));
  const key = included.join(',');

  const previous = snapshot.lastContext !== undefined && snapshot.lastContext.key === `${key}\n${unit.start}\n${before}` ? snapshot.lastContext
    : analyzeContext(pool, snapshot.language, contextOf(snapshot.language, snapshot.text, units, included, target, before, 0, 0), declaration.type, options, `${key}\n${unit.start}\n${before}`, snapshot.text, { summary: snapshot.summary, view });
  if (previous === undefined) return fallback('context (before) does not parse as one declaration');
  if (previous.reader !== undefined) return fallback(`the declaration calls ${previous.reader}, whose finding reads other declarations`);
  // Items outside the declaration that did not reach into it still do not after an edit of it.
  const old = split(snapshot.result, unit.start, unit.end, snapshot.clearOf === unit.start);
  if (old === undefined) return fallback('an item outside reaches into the declaration');
  if (old.inside.suppressed.length > 0) return fallback('a suppressed finding inside');
  // The context must say what the whole analysis said of the declaration: otherwise it misses something the file gives it.
  if (!same(previous.inside, old.inside)) return fallback('context differs from the whole analysis');
  const next = analyzeContext(pool, snapshot.language, contextOf(snapshot.language, text, units, included, target, after, delta, rowDelta), declaration.type, options, `${key}\n${unit.start}\n${after}`, text, { summary: nextSummary, view });
  if (next === undefined) return fallback('context (after) does not parse as one declaration');
  if (next.inside.suppressed.length > 0) return fallback('a suppressed finding inside');
  if (next.reader !== undefined) return fallback(`the declaration calls ${next.reader}, whose finding reads other declarations`);
  if (next.fileWide !== previous.fileWide) return fallback('the edit changed what the file calls or configures');
  // The edit must reach nothing outside the declaration that the context holds.
  const move = shifter(unit.end, delta);
  if (!same(mapItems(previous.outside, move), next.outside)) return fallback('the edit reached outside the declaration');
  // A suppression comment in the declaration that reaches beyond it (the whole file, or the line after its last) is a change of the file's.
  const lastLine = lastLineStart(text, unit.end + delta);
  const lastLineBefore = lastLineStart(snapshot.text, unit.end);
  if (next.inside.suppressions.some((c) => c.kind === 'file' || c.range.start >= lastLine) || old.inside.suppressions.some((c) => c.kind === 'file' || c.range.start >= lastLineBefore)) return fallback('suppression reaching outside');
  // What the file says to its dependents (and the task map reads imports from) must say the same.
  if ((options?.project !== undefined || options?.map === true) && !sameSummary(previous.summary, next.summary)) return fallback('the edit changed the file\'s summary');

  // The names the project resolves, split and spliced as the items are.
  const place = (end: number) => (use: ProjectNameUse): Place => (use.range.start < unit.start ? -1 : use.range.start >= end ? 1 : 0);
  const moveName = (use: ProjectNameUse): ProjectNameUse => {
    const start = move(use.range.start);
    const end = move(use.range.end);
    return start === use.range.start && end === use.range.end ? use : { ...use, range: { start, end } };
  };
  const wholeNames = partition(snapshot.result.projectNames ?? [], place(unit.end));
  const previousNames = partition(previous.names, place(unit.end));
  const nextNames = partition(next.names, place(unit.end + delta));
  if (wholeNames === undefined || previousNames === undefined || nextNames === undefined) return fallback('project names out of the text\'s order');
  if (!same(previousNames.inside, wholeNames.inside)) return fallback('context differs from the whole analysis (project names)');
  if (!same([...previousNames.before, ...previousNames.after].map(moveName), [...nextNames.before, ...nextNames.after])) return fallback('the edit reached a project name outside the declaration');
  const projectNames = [...wholeNames.before, ...nextNames.inside, ...wholeNames.after.map(moveName)];
  let map: MapFileFacts | undefined;
  if (options?.map === true) {
    map = spliceMap(snapshot.result.map, previous.map, next.map, { start: unit.startRow, end: unit.endRow, delta: rowDelta }, move, unmoved);
    if (map === undefined) return fallback('the task map\'s facts');
  }
  // The summary is not put in the project's cache under the new text, as a whole analysis puts it:
  // hashing a large text costs about what the rest of this path does, on every keystroke, while a
  // dependent analysed later reads this file's summary once, from a parse.

  const moved = mapItems(old.after, move);
  const result: AnalysisResult = {
    language: snapshot.language,
    signals: [...old.before.signals, ...next.inside.signals, ...moved.signals],
    findings: [...old.before.findings, ...next.inside.findings, ...moved.findings],
    // Suppressed findings keep the rules' order, not the text's: those outside only move, and the declaration has none.
    suppressed: snapshot.result.suppressed.map((finding) => mapFinding(finding, move)),
    suppressions: [...old.before.suppressions, ...next.inside.suppressions, ...moved.suppressions],
    hasSyntaxErrors: false,
    ...(projectNames.length === 0 ? {} : { projectNames }),
    ...(view === undefined || view.dependencies.length === 0 ? {} : { dependencies: view.dependencies }),
    ...(options?.project === undefined || nextSummary === undefined ? {} : { summary: nextSummary }),
    ...(map === undefined ? {} : { map }),
  };
  const movedUnits = units.map((u, index): Unit => {
    if (index === target && u.declaration !== undefined) return { ...u, end: u.end + delta, endRow: u.endRow + rowDelta, declaration: { ...u.declaration, bodyEnd: u.declaration.bodyEnd + delta } };
    if (u.start < unit.end) return u;
    const declarationAfter = u.declaration === undefined ? undefined : {
      ...u.declaration, bodyStart: u.declaration.bodyStart + delta, bodyEnd: u.declaration.bodyEnd + delta,
      bodyRow: u.declaration.bodyRow + rowDelta,
    };
    return { ...u, start: u.start + delta, end: u.end + delta, startRow: u.startRow + rowDelta, endRow: u.endRow + rowDelta, declaration: declarationAfter };
  });
  // The declaration's answer holds (the rest of the file did not change); the others' may not (they may be named from its body).
  const namedElsewhere = new Map<number, boolean>([[unit.start, named]]);
  return {
    result,
    splice: { previous: snapshot.result.findings.length, before: old.before.findings.length, after: moved.findings.length, delta, changeRow, changeColumn, endRow: unit.endRow, rowDelta },
    snapshot: {
      language: snapshot.language, text, result, optionsKey: snapshot.optionsKey, units: movedUnits, byName: snapshot.byName, alwaysSize: snapshot.alwaysSize,
      summary: nextSummary,
      project: snapshot.project === undefined || view === undefined ? undefined : view === snapshot.project.view ? snapshot.project : { ...snapshot.project, view, key: undefined },
      ...(snapshot.otherWords === undefined ? {} : { otherWords: snapshot.otherWords }),
      namedElsewhere,
      passesAround: new Map(passes === true ? [[unit.start, true]] : []),
      clearOf: unit.start,
      clearFrom: snapshot.clearOf === unit.start && snapshot.clearFrom !== undefined && rowDelta === 0 ? Math.min(snapshot.clearFrom, firstChange) : firstChange,
      lastContext: next,
    },
  };
}

const MAP_LISTS = ['tasks', 'bases', 'queues', 'enqueues', 'functions', 'schedules'] as const;

/**
 * The task map's facts after the edit: the whole file's, with the declaration's items (those on its
 * lines) taken from the context after the edit and the others moved. Undefined when the context
 * before the edit does not say what the whole file said of the declaration, when the edit changed
 * an item of the context outside it, or when a list is not in the text's order.
 */
function spliceMap(whole: MapFileFacts | undefined, previous: MapFileFacts | undefined, next: MapFileFacts | undefined, rows: { start: number; end: number; delta: number }, move: OffsetMap, unmoved: boolean): MapFileFacts | undefined {
  if (whole === undefined || previous === undefined || next === undefined) return undefined;
  const place = (end: number) => (item: { readonly line: number }): Place => (item.line - 1 < rows.start ? -1 : item.line - 1 > end ? 1 : 0);
  const moveRow: RowMap = (row) => (row < rows.start ? row : row > rows.end ? row + rows.delta : undefined);
  const out: { -readonly [K in keyof MapFileFacts]: MapFileFacts[K] } = { ...whole };
  for (const key of MAP_LISTS) {
    const list = (facts: MapFileFacts, end: number): ReturnType<typeof partition<{ readonly line: number }>> => partition<{ readonly line: number }>(facts[key], place(end));
    const w = list(whole, rows.end);
    const p = list(previous, rows.end);
    const n = list(next, rows.end + rows.delta);
    if (w === undefined || p === undefined || n === undefined || !same(p.inside, w.inside)) return undefined;
    const outside = mapMapFacts([...p.before, ...p.after], moveRow, move);
    if (outside === undefined || !same(outside, [...n.before, ...n.after])) return undefined;
    // Known to reach none of the declaration's lines, with no line moved: only the enqueues' offsets after it move.
    const known = <T>(items: T[], after: boolean): T[] => (after && key === 'enqueues' ? (items as unknown as EnqueueFact[]).map((e) => ({ ...e, start: move(e.start), end: move(e.end) })) as unknown as T[] : items);
    const wholeBefore = unmoved ? known(w.before, false) : mapMapFacts(w.before, moveRow, move);
    const wholeAfter = unmoved ? known(w.after, true) : mapMapFacts(w.after, moveRow, move);
    if (wholeBefore === undefined || wholeAfter === undefined) return undefined;
    (out as Record<string, unknown>)[key] = [...wholeBefore, ...n.inside, ...wholeAfter];
  }
  if (!same(previous.imports, next.imports) || !same(mapMapFacts(previous.appAcksLate, moveRow, move), next.appAcksLate)) return undefined;
  if (whole.appAcksLate !== undefined && !unmoved) {
    const acks = mapMapFacts(whole.appAcksLate, moveRow, move);
    if (acks === undefined) return undefined;
    out.appAcksLate = acks;
  }
  return out;
}
