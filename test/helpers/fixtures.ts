import fs from 'node:fs';
import path from 'node:path';
import { languageFromPath } from '../../server/src/analysis/languages.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { repoRoot } from './analyzer.js';

/** A finding a fixture expects: the rule, and the span its carets mark on the code line above. */
export interface Expectation {
  readonly rule: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

export interface RuleFixture {
  readonly rule: string;
  readonly file: string;
  readonly kind: 'positive' | 'negative' | 'trap';
  readonly language: LanguageId;
  readonly text: string;
  readonly expectations: readonly Expectation[];
}

const ANNOTATION = /^(\s*)(#|\/\/)(\s*)(\^+)\s+([a-z0-9-]+)\s*$/;

/**
 * Reads `test/fixtures/rules/<rule>/<kind>[-name].<ext>`. Expectations are comment lines whose
 * carets sit under the flagged span of the nearest code line above them:
 *
 *     resp = requests.get(url)
 *     #      ^^^^^^^^^^^^ http-timeout
 *
 * The carets stand in the span's own columns, so a span that starts in column 0 or 1 cannot be
 * marked: fixtures put such code in a function or an assignment.
 */
export function ruleFixtures(): RuleFixture[] {
  const base = path.join(repoRoot, 'test', 'fixtures', 'rules');
  const result: RuleFixture[] = [];
  for (const rule of fs.readdirSync(base).sort()) {
    for (const file of fs.readdirSync(path.join(base, rule)).sort()) {
      const language = languageFromPath(file);
      const kind = /^(positive|negative|trap)/.exec(file)?.[1] as RuleFixture['kind'] | undefined;
      if (language === undefined || kind === undefined) throw new Error(`unexpected fixture ${rule}/${file}`);
      const text = fs.readFileSync(path.join(base, rule, file), 'utf8');
      result.push({ rule, file: `${rule}/${file}`, kind, language, text, expectations: parseExpectations(text) });
    }
  }
  return result;
}

export function parseExpectations(text: string): Expectation[] {
  const lines = text.split('\n');
  const expectations: Expectation[] = [];
  let codeLine = -1;
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (m === null) {
      codeLine = i;
      return;
    }
    const [, indent = '', marker = '', gap = '', carets = '', rule = ''] = m;
    const startColumn = indent.length + marker.length + gap.length;
    expectations.push({ rule, line: codeLine, startColumn, endColumn: startColumn + carets.length });
  });
  return expectations;
}

export interface FixFixture {
  readonly rule: string;
  readonly name: string;
  readonly language: LanguageId;
  readonly before: string;
  readonly after: string;
}

/** Reads `test/fixtures/fixes/<rule>/<name>.before.<ext>` with its `.after.<ext>`. */
export function fixFixtures(): FixFixture[] {
  const base = path.join(repoRoot, 'test', 'fixtures', 'fixes');
  const result: FixFixture[] = [];
  for (const rule of fs.readdirSync(base).sort()) {
    for (const file of fs.readdirSync(path.join(base, rule)).sort()) {
      const m = /^(.+)\.before(\.[a-z]+)$/.exec(file);
      if (m === null) continue;
      const language = languageFromPath(file);
      if (language === undefined) throw new Error(`unexpected fixture ${rule}/${file}`);
      const afterFile = path.join(base, rule, `${m[1]}.after${m[2]}`);
      result.push({
        rule,
        name: `${rule}/${file}`,
        language,
        before: fs.readFileSync(path.join(base, rule, file), 'utf8'),
        after: fs.readFileSync(afterFile, 'utf8'),
      });
    }
  }
  return result;
}
