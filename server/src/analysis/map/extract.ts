import type { FileFacts } from '../facts/types.js';
import type { ModuleSummary } from '../project/types.js';
import { EMPTY_MAP_FACTS, type MapFileFacts } from './facts.js';
import { goMapFacts } from './go.js';
import { javaMapFacts } from './java.js';
import { javascriptMapFacts } from './javascript.js';
import { pythonMapFacts } from './python.js';
import { rubyMapFacts } from './ruby.js';

/**
 * The task map's facts of a parsed file, read with its analysis. `summary` is the file's export
 * summary (its module-level imports), which the join uses to resolve names across files.
 */
export function mapFactsOf(facts: FileFacts, summary: ModuleSummary | undefined): MapFileFacts {
  switch (facts.language) {
    case 'python':
      return pythonMapFacts(facts, summary);
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return javascriptMapFacts(facts, summary);
    case 'ruby':
      return rubyMapFacts(facts);
    case 'go':
      return goMapFacts(facts);
    case 'java':
      return javaMapFacts(facts);
    default:
      return EMPTY_MAP_FACTS;
  }
}

/** Whether a file's map facts hold nothing: no task, enqueue, schedule or function with effects. */
export function isEmptyMap(map: MapFileFacts): boolean {
  return map.tasks.length === 0 && map.enqueues.length === 0 && map.schedules.length === 0 && map.queues.length === 0 && map.bases.length === 0 && map.functions.every((f) => f.effects.length === 0 && f.calls.length === 0);
}
