import type { LanguageId } from '../types.js';
import { contentHash } from './hash.js';
import { sharePythonValues } from './python-summary.js';
import type { ModuleSummary } from './types.js';

/** Reads a module's export summary from its text (parsing it); undefined for a language without summaries. */
export type Summarize = (text: string, language: LanguageId) => ModuleSummary | undefined;

/** A process-wide table of summaries by content hash: the same text is summarised once. */
export class SummaryCache {
  private readonly byHash = new Map<string, ModuleSummary>();
  parses = 0;

  constructor(private readonly summarize: Summarize) {}

  get(text: string, language: LanguageId): ModuleSummary | undefined {
    const key = `${language}:${contentHash(text)}`;
    let summary = this.byHash.get(key);
    if (summary === undefined && !this.byHash.has(key)) {
      summary = mayExport(text, language) ? this.summarize(text, language) : emptySummary(language);
      this.parses++;
      if (summary !== undefined) this.byHash.set(key, summary);
    }
    return summary;
  }

  /** Records the summary of a text parsed elsewhere (an open document's own tree). */
  put(text: string, language: LanguageId, summary: ModuleSummary): void {
    this.byHash.set(`${language}:${contentHash(text)}`, summary);
  }

  /** Every summary held, for a host that persists them between sessions. */
  entries(): [string, ModuleSummary][] {
    return [...this.byHash];
  }

  load(entries: Iterable<readonly [string, ModuleSummary]>): void {
    for (const [key, summary] of entries) this.byHash.set(key, sharePythonValues(summary));
  }

  get size(): number {
    return this.byHash.size;
  }
}

/**
 * The prefilter: a module that imports nothing and sets none of the settings the rules read binds
 * no name a rule could care about, so it is not parsed at all.
 */
function mayExport(text: string, language: LanguageId): boolean {
  if (language === 'python') return /\bimport\b|acks_late|ACKS_LATE|beat_schedule|BEAT_SCHEDULE/.test(text);
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') return /\bimport\b|\bexport\b|\brequire\s*\(/.test(text);
  // A Ruby file that defines no class or module, requires nothing and configures nothing names nothing another file reads.
  if (language === 'ruby') return /\b(?:class|module|require|require_relative|config)\b/.test(text);
  return true;
}

function emptySummary(language: LanguageId): ModuleSummary {
  return { language, imports: {}, names: {}, celery: {}, settings: {}, environ: {}, reaches: [] };
}

/**
 * Whether two summaries say the same: the firewall between a module and its dependents. Where a
 * name is defined is left out: a line added above it moves it, and nothing a rule decides changes;
 * a dependent's related locations catch up at its next analysis.
 */
export function sameSummary(a: ModuleSummary | undefined, b: ModuleSummary | undefined): boolean {
  const withoutPositions = (key: string, value: unknown): unknown => (key === 'at' ? undefined : value);
  return JSON.stringify(a, withoutPositions) === JSON.stringify(b, withoutPositions);
}
