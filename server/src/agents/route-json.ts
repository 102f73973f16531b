/**
 * The routing answer as JSON, for agents and scripts that parse rather than read. It carries the
 * same selection as the Markdown under the same budget: rules shown in full have RULE and APPLY,
 * rules shown in brief have RULE, the rest only their id and title.
 */
import { filterApply } from '../catalog/frameworks.js';
import { routeFilter, type RenderedRoute } from './render-route.js';
import { withoutExamples } from './markdown.js';
import type { RouteResult } from './types.js';

export interface RouteJson {
  readonly version: 1;
  readonly task: string | null;
  readonly files: readonly string[];
  /** The frameworks the files show; `apply` keeps only their steps and the general ones. */
  readonly frameworks: readonly string[];
  readonly chapters: readonly { id: number; title: string; loadWhen: string; via: readonly string[] }[];
  readonly rows: readonly { id: string; task: string; matches: readonly string[]; chapters: readonly number[]; firstMove: string; score: number }[];
  readonly findings: RouteResult['findings'];
  readonly rules: readonly { id: string; chapter: number; title: string; source: string; shown: 'full' | 'brief' | 'id'; rule?: string; apply?: string }[];
}

export function routeJson(result: RouteResult, rendered: RenderedRoute): RouteJson {
  const full = new Set(rendered.full);
  const brief = new Set(rendered.brief);
  const filter = routeFilter(result);
  return {
    version: 1,
    task: result.task ?? null,
    files: result.files,
    frameworks: result.frameworks,
    chapters: result.chapters.map(({ chapter, via }) => ({ id: chapter.id, title: chapter.title, loadWhen: chapter.loadWhen, via })),
    rows: result.rows.map(({ row, score }) => ({ id: row.id, task: row.task, matches: row.matches, chapters: row.chapters, firstMove: row.firstMove, score })),
    findings: result.findings,
    rules: result.rules.map(({ rule, source }) => {
      const base = { id: rule.id, chapter: rule.chapter, title: rule.title, source };
      if (full.has(rule.id)) return { ...base, shown: 'full' as const, rule: rule.rule, apply: withoutExamples(filter === undefined ? rule.apply : filterApply(rule.apply, filter)) };
      if (brief.has(rule.id)) return { ...base, shown: 'brief' as const, rule: rule.rule };
      return { ...base, shown: 'id' as const };
    }),
  };
}
