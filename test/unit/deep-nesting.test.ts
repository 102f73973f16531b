// Code nested thousands of levels deep is analysed like the same code nested once: the detectors
// walk chains and nested literals with lists, not recursion, so they neither exhaust the stack
// (which would leave the file with no findings at all) nor skip what sits at the bottom.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AnalysisResult, LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';

const DEPTH = 10_000;

interface Case {
  readonly name: string;
  readonly language: LanguageId;
  /** The file with `depth` levels of nesting. */
  readonly text: (depth: number) => string;
}

const CASES: readonly Case[] = [
  {
    name: 'a member chain of 10,000 calls',
    language: 'javascript',
    text: (depth) => `import axios from 'axios';\nexport const load = (url) => axios${'.create()'.repeat(depth)}.get(url);\n`,
  },
  {
    name: 'options behind 10,000 type assertions',
    language: 'typescript',
    text: (depth) => `import axios from 'axios';\nexport const load = (url: string) => axios.get(url, ${'('.repeat(depth)}{ timeout: 0 }${' as const)'.repeat(depth)});\n`,
  },
  {
    name: 'options behind 10,000 parentheses',
    language: 'javascript',
    text: (depth) => `import axios from 'axios';\nexport const load = (url) => axios.get(url, ${'('.repeat(depth)}{ timeout: 0 }${')'.repeat(depth)});\n`,
  },
  {
    name: 'a call in 10,000 parentheses',
    language: 'ruby',
    text: (depth) => `require 'net/http'\n\nclass Sync\n  def call(uri)\n    ${'('.repeat(depth)}Net::HTTP.get(uri)${')'.repeat(depth)}\n  end\nend\n`,
  },
  {
    name: 'a call at the bottom of a chain of 10,000 calls',
    language: 'ruby',
    text: (depth) => `require 'net/http'\n\nclass Sync\n  def call(uri)\n    Net::HTTP.new(uri.host).get(uri)${'.body'.repeat(depth)}\n  end\nend\n`,
  },
  {
    name: 'a call on a name bound 10,000 brackets out',
    language: 'ruby',
    text: (depth) => `require 'net/http'\n\nhttp = Net::HTTP.new('example.com')\n${'['.repeat(depth)}http.request(nil)${']'.repeat(depth)}\n`,
  },
];

const rules = (result: AnalysisResult): string[] => result.findings.map((f) => `${f.rule} (${f.severity})`).sort();

describe('deep nesting', () => {
  before(async () => {
    for (const language of new Set(CASES.map((c) => c.language))) await testAnalyzer().prepare(language);
  });

  for (const c of CASES) {
    it(`${c.language}: ${c.name} has the findings of the same code nested once`, () => {
      const shallow = testAnalyzer().analyzeSync(c.text(1), c.language);
      assert.ok(shallow.findings.length > 0, 'the shallow form has a finding to compare');
      const deep = testAnalyzer().analyzeSync(c.text(DEPTH), c.language);
      assert.deepEqual(rules(deep), rules(shallow));
    });
  }
});
