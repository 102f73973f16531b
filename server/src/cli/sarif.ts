import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULES, type Finding, type SuppressedFinding } from '../analysis/index.js';
import { bookRule, type BookRule, type Catalog } from '../catalog/types.js';
import { position, type FileReport } from './report.js';

const LEVEL: Readonly<Record<string, Result.level>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The rule's book text as code scanning shows it under "Show more": RULE, WHY and APPLY. */
function helpMarkdown(rule: BookRule, catalog: Catalog): string {
  const chapter = catalog.chapters.find((c) => c.id === rule.chapter);
  // Checked code examples stay in the chapter: the alert page has the offending code already.
  const apply = rule.apply.replace(/\n*(```|~~~)[\s\S]*?\1[^\n]*\n?/g, '\n').trim();
  return [
    `**${rule.id} ${rule.title}**`, '',
    `**RULE:** ${rule.rule}`, '',
    `**WHY:** ${rule.why}`, '',
    '**APPLY:**', '', apply, '',
    `From chapter ${rule.chapter}${chapter === undefined ? '' : `, *${chapter.title}*`}, of the book *Distributed Task Reliability* that ships with Task Reliability Hints${chapter === undefined ? '' : ` (\`content/${chapter.file}\`)`}.`,
  ].join('\n');
}

function descriptors(catalog: Catalog): ReportingDescriptor[] {
  return RULES.map(({ meta }) => {
    const book = bookRule(catalog, meta.ruleRef);
    // No helpUri: the project has no public address for the book yet, and SARIF wants an absolute URI.
    return {
      id: meta.id,
      name: meta.id.replace(/(^|-)([a-z])/g, (_m, _d: string, ch: string) => ch.toUpperCase()),
      shortDescription: { text: meta.description },
      fullDescription: { text: book === undefined ? meta.description : `${book.id} ${book.title}: ${book.rule}` },
      help: book === undefined
        ? { text: meta.description }
        : { text: `${book.rule}\n\nWhy: ${book.why}`, markdown: helpMarkdown(book, catalog) },
      defaultConfiguration: { level: LEVEL[meta.defaultSeverity] ?? 'warning' },
      properties: { tags: ['reliability', `chapter-${meta.chapter}`, meta.ruleRef], precision: 'high', 'problem.severity': meta.defaultSeverity === 'error' ? 'error' : meta.defaultSeverity === 'warning' ? 'warning' : 'recommendation' },
    };
  });
}

/** FNV-1a of the rule, the file and the flagged line's text: stable when unrelated lines move. */
function lineHash(report: FileReport, finding: Finding): string {
  const line = report.lines.lineOf(finding.range.start);
  const text = report.lines.text.slice(report.lines.lineStart(line), report.lines.lineStart(line + 1)).trim();
  let hash = 2166136261;
  for (const ch of `${finding.rule}\u0000${report.path}\u0000${text}`) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
const uriReference = (relative: string): string => relative.split('/').map(encodeURIComponent).join('/');

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one reportingDescriptor per rule, results with a
 * physical location relative to %SRCROOT% (the working directory), a partial fingerprint for
 * stable tracking, and the findings silenced by a suppression comment reported with `suppressions` (so they show as
 * dismissed in source rather than vanishing).
 */
export function toSarif(files: readonly FileReport[], catalog: Catalog, version: string, root: string): string {
  const rules = descriptors(catalog);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const file of files) {
    const seen = new Map<string, number>();
    const all: (Finding | SuppressedFinding)[] = [...file.result.findings, ...file.result.suppressed].sort((a, b) => a.range.start - b.range.start);
    for (const f of all) {
      const p = position(file.lines, f.range);
      const hash = lineHash(file, f);
      const occurrence = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, occurrence);
      const suppression = 'suppression' in f ? f.suppression : undefined;
      results.push({
        ruleId: f.rule,
        ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
        level: LEVEL[f.severity] ?? 'warning',
        message: { text: `${f.message} (${f.ruleRef})` },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: uriReference(file.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
          },
        }],
        partialFingerprints: { 'taskReliabilityLineHash/v1': `${hash}:${occurrence}` },
        ...(suppression === undefined ? {} : {
          suppressions: [{ kind: 'inSource', status: 'accepted', ...(suppression.reason === undefined ? {} : { justification: suppression.reason }) }],
        }),
      });
    }
  }
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'task-reliability', version, semanticVersion: version, rules } },
      // SARIF wants the base as an absolute URI ending in a slash; results stay relative to it.
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href.replace(/\/$/, '')}/` } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}
