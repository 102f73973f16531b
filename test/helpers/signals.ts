import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from './analyzer.js';

/** A sample of code and the signals it must yield, as `kind api`, in source order. */
export interface SignalCase {
  readonly name: string;
  readonly code: string;
  readonly signals: readonly string[];
}

/** One test per case: the analyzer's signals for the code, as `kind api`, equal the expected list. */
export function describeSignals(title: string, language: LanguageId, cases: readonly SignalCase[]): void {
  describe(title, () => {
    before(async () => {
      await testAnalyzer().prepare(language);
    });

    for (const { name, code, signals } of cases) {
      it(name, () => {
        const result = testAnalyzer().analyzeSync(code, language);
        assert.deepEqual(result.signals.map((s) => `${s.kind} ${s.api}`), signals);
      });
    }
  });
}
