import { parse as parseYaml } from 'yaml';
import { ruleAnchor, type BookRule, type Catalog, type Chapter, type ChecklistItem, type CodeExample, type MatrixRow } from './types.js';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

/** A problem in the book's source, with the file and 1-based line a writer needs to fix it. */
export interface CatalogProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface CompileResult {
  readonly catalog: Catalog | undefined;
  /** Format errors: the build fails on any of them. */
  readonly errors: readonly CatalogProblem[];
  /** Dangling references; the book's tests fail on them, the build only reports them. */
  readonly warnings: readonly CatalogProblem[];
}

const FILE_NAME = /^(\d\d)-([a-z0-9-]+)\.md$/;
const RULE_HEADING = /^### (R(\d+)\.(\d+)) (.+)$/;
const FENCE = /^(\s*)(```+|~~~+)\s*([A-Za-z]*)\s*(.*)$/;
const LANGUAGES = new Set(['python', 'javascript', 'typescript', 'tsx', 'ruby', 'java', 'go', 'yaml']);

/** Compiles the chapter files into the catalog, or reports every problem with its file and line. */
export function compileCatalog(files: readonly SourceFile[]): CompileResult {
  const errors: CatalogProblem[] = [];
  const warnings: CatalogProblem[] = [];
  const chapters: Chapter[] = [];
  const rules: Record<string, BookRule> = {};
  const aliases: Record<string, string> = {};
  const aliasLines: { file: string; line: number; from: string; to: string }[] = [];
  const examples: CodeExample[] = [];
  let matrix: MatrixRow[] = [];
  let checklist: ChecklistItem[] = [];

  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!FILE_NAME.test(file.name)) continue;
    const problem = (line: number, message: string): void => void errors.push({ file: file.name, line, message });
    const chapter = readChapter(file, problem);
    if (chapter === undefined) continue;
    chapters.push(chapter.chapter);
    for (const alias of chapter.aliases) {
      aliases[alias.from] = alias.to;
      aliasLines.push({ file: file.name, ...alias });
    }
    const lines = chapter.chapter.markdown.split(/\r?\n/);
    const lineOf = (i: number): number => chapter.chapter.bodyLine + i;
    const retired = new Set(chapter.aliases.map((a) => a.from));
    for (const rule of readRules(chapter.chapter, lines, lineOf, retired, problem)) {
      if (rules[rule.id] !== undefined) problem(rule.line, `duplicate rule id ${rule.id}`);
      rules[rule.id] = rule;
    }
    (chapter.chapter.ruleIds as string[]).push(...Object.values(rules).filter((r) => r.chapter === chapter.chapter.id).map((r) => r.id));
    examples.push(...readExamples(chapter.chapter, lines, lineOf, problem));
    if (chapter.chapter.id === 2) matrix = readMatrix(lines, lineOf, problem);
    if (chapter.chapter.id === 13) checklist = readChecklist(lines, lineOf, problem);
  }

  // An alias must lead to a live rule, and a live rule's id cannot also be retired.
  for (const alias of aliasLines) {
    const problem = (message: string): void => void errors.push({ file: alias.file, line: alias.line, message });
    if (rules[alias.from] !== undefined) problem(`alias ${alias.from} collides with the rule ${alias.from} of this chapter: a retired id has no rule heading`);
    if (rules[alias.to] === undefined) problem(`alias ${alias.from} points to ${alias.to}, which is not a rule of the book`);
  }
  const known = (id: string): boolean => rules[id] !== undefined || rules[aliases[id] ?? ''] !== undefined;
  // Checklist items written with a retired id count for the rule that replaced it.
  checklist = checklist.map((item) => (rules[aliases[item.ruleId] ?? ''] === undefined ? item : { ...item, ruleId: aliases[item.ruleId] ?? item.ruleId }));

  const ids = new Set(chapters.map((c) => c.id));
  for (let id = 1; id <= 13; id++) if (!ids.has(id)) warnings.push({ file: 'content', line: 0, message: `chapter ${id} is missing` });
  for (const chapter of chapters) {
    chapter.markdown.split(/\r?\n/).forEach((text, i) => {
      for (const m of text.matchAll(/\bR(\d+)\.(\d+)\b/g)) {
        if (!known(m[0])) warnings.push({ file: chapter.file, line: chapter.bodyLine + i, message: `reference to unknown rule ${m[0]}` });
      }
      for (const m of text.matchAll(/\b[Cc]hapters? (\d+)(?:(?:, | and | or )(\d+))*/g)) {
        for (const n of m[0].match(/\d+/g) ?? []) {
          if (!ids.has(Number(n)) && Number(n) >= 1 && Number(n) <= 13) continue;
          if (Number(n) < 1 || Number(n) > 13) warnings.push({ file: chapter.file, line: chapter.bodyLine + i, message: `reference to chapter ${n}, which does not exist` });
        }
      }
      if (/\bp\.\s*\d|\bpp\.\s*\d|\bpages? \d/i.test(text)) warnings.push({ file: chapter.file, line: chapter.bodyLine + i, message: 'citations name chapters and sections, never pages' });
    });
  }
  for (const row of matrix) for (const c of row.chapters) if (!ids.has(c)) warnings.push({ file: '02-decision-matrix.md', line: 0, message: `${row.id} names chapter ${c}, which does not exist` });
  for (const item of checklist) if (rules[item.ruleId] === undefined) warnings.push({ file: '13-self-audit-checklist.md', line: 0, message: `checklist item names unknown rule ${item.ruleId}` });

  if (errors.length > 0) return { catalog: undefined, errors, warnings };
  chapters.sort((a, b) => a.id - b.id);
  return { catalog: { version: 1, chapters, rules, aliases, matrix, checklist, examples }, errors, warnings };
}

interface Alias {
  readonly from: string;
  readonly to: string;
  /** 1-based line of the `aliases` key in the file. */
  readonly line: number;
}

const RULE_ID = /^R(\d+)\.(\d+)$/;

function readChapter(file: SourceFile, problem: (line: number, message: string) => void): { chapter: Chapter; aliases: Alias[] } | undefined {
  const nameMatch = FILE_NAME.exec(file.name);
  const text = file.text.replace(/^\uFEFF/, '');
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (fm === null || nameMatch === null) {
    problem(1, 'a chapter starts with front matter between --- lines');
    return undefined;
  }
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = parseYaml(fm[1] ?? '');
    data = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    problem(2, `front matter is not valid YAML: ${(error as Error).message}`);
    return undefined;
  }
  const id = data['id'];
  const slug = data['slug'];
  const title = data['title'];
  const loadWhen = data['load_when'];
  const sources = data['sources'];
  let ok = true;
  const need = (cond: boolean, message: string): void => {
    if (!cond) {
      ok = false;
      problem(2, message);
    }
  };
  need(typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 13, 'front matter `id` must be a chapter number from 1 to 13');
  need(id === Number(nameMatch[1]), 'front matter `id` must match the file name');
  need(typeof slug === 'string' && slug === nameMatch[2], 'front matter `slug` must match the file name');
  need(typeof title === 'string' && title.length > 0, 'front matter needs a `title`');
  need(typeof loadWhen === 'string' && loadWhen.length > 0, 'front matter needs `load_when`');
  need(Array.isArray(sources) && sources.every((s) => typeof s === 'string'), '`sources` must be a list of strings');
  if (!ok) return undefined;
  const aliases = readAliases(data['aliases'], id as number, 2 + Math.max(0, (fm[1] ?? '').split(/\r?\n/).findIndex((l) => l.startsWith('aliases:'))), problem);
  const bodyLine = (fm[0].match(/\n/g) ?? []).length + 1;
  const markdown = text.slice(fm[0].length);
  const h1 = markdown.split(/\r?\n/).findIndex((l) => l.startsWith('# '));
  if (h1 < 0 || markdown.split(/\r?\n/)[h1] !== `# ${String(title)}`) problem(bodyLine + Math.max(0, h1), `the body starts with "# ${String(title)}"`);
  const headings = markdown.split(/\r?\n/).filter((l) => l.startsWith('## '));
  if ((id as number) >= 3 && (id as number) <= 12) {
    if (!headings.includes('## Narrative')) problem(bodyLine, 'a content chapter has a "## Narrative" section');
    if (!headings.includes('## Agent rules')) problem(bodyLine, 'a content chapter has a "## Agent rules" section');
  }
  if (id === 2 && !headings.includes('## Matrix')) problem(bodyLine, 'chapter 2 has a "## Matrix" section');
  if (id === 13 && !headings.includes('## Checklist')) problem(bodyLine, 'chapter 13 has a "## Checklist" section');
  return {
    aliases,
    chapter: {
      id: id as number,
      slug: slug as string,
      title: title as string,
      loadWhen: (loadWhen as string).trim(),
      sources: sources as string[],
      file: file.name,
      markdown,
      bodyLine,
      ruleIds: [],
    },
  };
}

/**
 * `aliases: { R9.1: R3.2 }`: a chapter's retired rule ids and the rule of the book that now states
 * each. Only the chapter that numbered a rule can retire its id; the targets are checked once
 * every chapter is read.
 */
function readAliases(value: unknown, chapter: number, line: number, problem: (line: number, message: string) => void): Alias[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem(line, '`aliases` is a map from a retired rule id to the live rule id: `aliases: { R9.1: R3.2 }`');
    return [];
  }
  const result: Alias[] = [];
  for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
    const m = RULE_ID.exec(from);
    if (m === null || typeof to !== 'string' || !RULE_ID.test(to)) {
      problem(line, `alias ${from}: both sides are rule ids such as R9.1: R3.2`);
      continue;
    }
    if (Number(m[1]) !== chapter) {
      problem(line, `alias ${from}: a chapter retires only its own rule ids (R${chapter}.<n>)`);
      continue;
    }
    if (to === from) {
      problem(line, `alias ${from} points to itself`);
      continue;
    }
    result.push({ from, to, line });
  }
  return result;
}

function readRules(chapter: Chapter, lines: string[], lineOf: (i: number) => number, retired: ReadonlySet<string>, problem: (line: number, message: string) => void): BookRule[] {
  const result: BookRule[] = [];
  const start = lines.indexOf('## Agent rules');
  if (start < 0) return result;
  let expected = 1;
  let i = start + 1;
  while (i < lines.length && !lines[i]?.startsWith('## ')) {
    const line = lines[i] ?? '';
    if (line.startsWith('### ')) {
      const m = RULE_HEADING.exec(line);
      let end = i + 1;
      while (end < lines.length && !(lines[end] ?? '').startsWith('### ') && !(lines[end] ?? '').startsWith('## ')) end++;
      if (m === null) {
        problem(lineOf(i), 'a rule heading reads "### R<chapter>.<n> <title>"');
      } else {
        const [, id = '', ch, n, title = ''] = m;
        if (Number(ch) !== chapter.id) problem(lineOf(i), `${id} is in chapter ${chapter.id}`);
        // A retired id leaves its number unused: the rules after it keep theirs.
        while (Number(n) > expected && retired.has(`R${chapter.id}.${expected}`)) expected++;
        if (Number(n) !== expected) problem(lineOf(i), `rule ids are numbered without gaps: expected R${chapter.id}.${expected}`);
        expected = Number(n) + 1;
        const parts = splitRule(lines.slice(i + 1, end));
        if (parts === undefined) problem(lineOf(i), `${id} needs **RULE:**, **WHY:** and **APPLY:**, once each, in that order`);
        else result.push({ id, chapter: chapter.id, title: title.trim(), ...parts, anchor: ruleAnchor(id), line: lineOf(i) });
      }
      i = end;
      continue;
    }
    i++;
  }
  return result;
}

function splitRule(lines: string[]): { rule: string; why: string; apply: string } | undefined {
  const text = lines.join('\n');
  const labels = [...text.matchAll(/^\*\*(RULE|WHY|APPLY):\*\*/gm)];
  if (labels.length !== 3 || labels.map((l) => l[1]).join() !== 'RULE,WHY,APPLY') return undefined;
  const [r, w, a] = labels.map((l) => l.index ?? 0) as [number, number, number];
  return {
    rule: text.slice(r + '**RULE:**'.length, w).trim(),
    why: text.slice(w + '**WHY:**'.length, a).trim(),
    apply: text.slice(a + '**APPLY:**'.length).trim(),
  };
}

function readExamples(chapter: Chapter, lines: string[], lineOf: (i: number) => number, problem: (line: number, message: string) => void): CodeExample[] {
  const result: CodeExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```', language = '', rest = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    const claim = rest.trim();
    if (claim !== '') {
      const flags = /^flags=([a-z0-9-]+(?:,[a-z0-9-]+)*)$/.exec(claim);
      if (!LANGUAGES.has(language)) problem(lineOf(i), `checked examples use one of: ${[...LANGUAGES].join(', ')}`);
      else if (flags === null && claim !== 'clean') problem(lineOf(i), 'an example claim is "flags=<rule-id>[,<rule-id>]" or "clean"');
      else {
        const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
        result.push({
          chapter: chapter.id,
          file: chapter.file,
          line: lineOf(i),
          language,
          claim: flags === null ? { kind: 'clean' } : { kind: 'flags', rules: (flags[1] ?? '').split(',') },
          code: `${code}\n`,
        });
      }
    }
    i = end;
  }
  return result;
}

function readMatrix(lines: string[], lineOf: (i: number) => number, problem: (line: number, message: string) => void): MatrixRow[] {
  const start = lines.indexOf('## Matrix');
  const rows: MatrixRow[] = [];
  let header = true;
  for (let i = start + 1; i < lines.length && !(lines[i] ?? '').startsWith('## '); i++) {
    const line = (lines[i] ?? '').trim();
    if (!line.startsWith('|')) continue;
    const cells = line.replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (header) {
      if (cells.join('|') !== 'Row|Signal or task|Matches|Chapters|First move') problem(lineOf(i), 'the matrix columns are: Row | Signal or task | Matches | Chapters | First move');
      header = false;
      continue;
    }
    if (/^-+$/.test((cells[0] ?? '').replace(/:/g, ''))) continue;
    const [id = '', task = '', matches = '', chapters = '', firstMove = ''] = cells;
    if (cells.length !== 5) problem(lineOf(i), 'a matrix row has five cells');
    if (id !== `M${rows.length + 1}`) problem(lineOf(i), `matrix rows are numbered in order: expected M${rows.length + 1}`);
    const chapterNumbers = chapters.split(/\s*,\s*/).map(Number);
    if (chapterNumbers.some((n) => !Number.isInteger(n) || n < 1 || n > 13)) problem(lineOf(i), 'the Chapters cell lists chapter numbers');
    rows.push({
      id,
      task,
      matches: matches === '—' || matches === '' ? [] : [...matches.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
      chapters: chapterNumbers,
      firstMove,
    });
  }
  return rows;
}

function readChecklist(lines: string[], lineOf: (i: number) => number, problem: (line: number, message: string) => void): ChecklistItem[] {
  const start = lines.indexOf('## Checklist');
  const items: ChecklistItem[] = [];
  let group = '';
  for (let i = start + 1; i < lines.length && !(lines[i] ?? '').startsWith('## '); i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('### ')) group = line.slice(4).trim();
    if (!line.startsWith('- ')) continue;
    const m = /^- \[ \] \*\*(R\d+\.\d+)\*\* (.+?)(?: Answered by (.+?)\.)?$/.exec(line);
    if (m === null) {
      problem(lineOf(i), 'a checklist item reads "- [ ] **R5.1** Text. Answered by `rule-id`."');
      continue;
    }
    items.push({
      ruleId: m[1] ?? '',
      group,
      text: (m[2] ?? '').trim(),
      answeredBy: [...(m[3] ?? '').matchAll(/`([^`]+)`/g)].map((x) => x[1] ?? ''),
    });
  }
  return items;
}
