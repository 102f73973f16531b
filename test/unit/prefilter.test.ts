import fc from 'fast-check';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import { mayHaveSignals, prefilterKeys } from '../../server/src/analysis/prefilter.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { compileContent } from '../helpers/catalog.js';
import { fixtureFiles } from '../fuzz/mutations.js';
import { PROGRAM_GENERATORS } from '../fuzz/programs.js';
import { SCALING_CASES, scaledProgram } from '../fuzz/scaling.js';

const EXAMPLE_LANGUAGES: Readonly<Record<string, LanguageId>> = {
  python: 'python', javascript: 'javascript', typescript: 'typescript', tsx: 'tsx', yaml: 'yaml', ruby: 'ruby', java: 'java', go: 'go',
};
const SEED = 20_261_207;
/** Generated programs per language: enough to draw every statement of each generator many times. */
const PROGRAMS = 300;

interface Sample {
  readonly name: string;
  readonly language: LanguageId;
  readonly text: string;
}

/** Every text the project holds that the analysis has something to say about, or might. */
function samples(): Sample[] {
  const result: Sample[] = fixtureFiles().map((f) => ({ name: `fixture ${f.file}`, language: f.language, text: f.text }));
  for (const example of compileContent().catalog?.examples ?? []) {
    const language = EXAMPLE_LANGUAGES[example.language];
    if (language !== undefined) result.push({ name: `book ${example.file}:${example.line}`, language, text: example.code });
  }
  for (const language of SUPPORTED_LANGUAGES) {
    const programs = fc.sample(PROGRAM_GENERATORS[language], { seed: SEED, numRuns: PROGRAMS });
    programs.forEach((text, i) => result.push({ name: `${language} program ${i}`, language, text }));
    const scaled = fc.sample(scaledProgram(language), { seed: SEED, numRuns: 20 });
    scaled.forEach((text, i) => result.push({ name: `${language} scaled program ${i}`, language, text }));
    for (const c of SCALING_CASES[language]) result.push({ name: `${language} scaling case ${c.name}`, language, text: c.text(3) });
  }
  return result;
}

describe('the prefilter', () => {
  before(async () => {
    for (const language of SUPPORTED_LANGUAGES) await testAnalyzer().prepare(language);
  });

  it('never skips a text with a signal, a finding or a suppression', () => {
    const all = samples();
    let withSignals = 0;
    const skippedWrongly: string[] = [];
    for (const sample of all) {
      const result = testAnalyzer().analyzeSync(sample.text, sample.language, {}, false);
      const hasSomething = result.signals.length + result.findings.length + result.suppressed.length + result.suppressions.length > 0;
      if (!hasSomething) continue;
      withSignals++;
      if (!mayHaveSignals(sample.text, sample.language)) skippedWrongly.push(sample.name);
    }
    assert.deepEqual(skippedWrongly, []);
    // The corpus must hold texts with signals in every language, or the check above proves little.
    assert.ok(withSignals > all.length / 4, `${withSignals} of ${all.length} texts have a signal`);
  });

  it('skips texts that name no known library, in every language', () => {
    const plain: Readonly<Record<LanguageId, string>> = {
      python: 'import os\n\ndef total(items):\n    return sum(i.price for i in items)\n',
      javascript: "import path from 'node:path';\nexport const join = (a, b) => path.join(a, b);\n",
      typescript: "import path from 'node:path';\nexport const join = (a: string, b: string): string => path.join(a, b);\n",
      tsx: 'export const Title = ({ text }: { text: string }) => <h1>{text}</h1>;\n',
      yaml: 'name: app\nversion: 1\n',
      ruby: "class Invoice\n  def total\n    items.sum(&:price)\n  end\nend\n",
      java: 'package app;\n\nimport java.util.List;\n\nclass Totals { int sum(List<Integer> xs) { return xs.size(); } }\n',
      go: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
    };
    for (const language of SUPPORTED_LANGUAGES) {
      assert.equal(mayHaveSignals(plain[language], language), false, language);
      assert.deepEqual(testAnalyzer().analyzeSync(plain[language], language).signals, [], language);
    }
  });

  it('lets a file with a suppression comment through, so the comment keeps its hover', () => {
    const text = 'x = 1  # reliability-ignore-next-line http-timeout -- no call here\n';
    assert.equal(mayHaveSignals(text, 'python'), true);
    assert.equal(testAnalyzer().analyzeSync(text, 'python').suppressions.length, 1);
  });

  it('keys every language by names, none of them empty or contained in another', () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const { names, groups } = prefilterKeys(language);
      assert.ok(names.length > 0, language);
      for (const key of [...names, ...groups.flat()]) assert.notEqual(key.trim(), '', language);
      for (const key of names) assert.ok(!names.some((other) => other !== key && key.includes(other)), `${language}: ${key} contains another key`);
    }
  });

  it('lets a Go file through by the old path of a moved module, which the facts resolve to the new one', () => {
    const text = 'package main\n\nimport "github.com/Shopify/sarama"\n\nfunc main() { sarama.NewSyncProducer(nil, nil) }\n';
    assert.ok(testAnalyzer().analyzeSync(text, 'go', {}, false).signals.length > 0);
    assert.equal(mayHaveSignals(text, 'go'), true);
  });

  it('lets a Ruby rescue that sleeps before retry through, though it names no library', () => {
    const text = 'def fetch_rates\n  attempts = 0\n  begin\n    load_rates\n  rescue Timeout::Error\n    sleep 2\n    retry if (attempts += 1) < 5\n  end\nend\n';
    assert.ok(testAnalyzer().analyzeSync(text, 'ruby', {}, false).findings.length > 0);
    assert.equal(mayHaveSignals(text, 'ruby'), true);
  });

  it('lets a Java file through when whitespace splits a dotted name, which the analysis reads joined', async () => {
    // Found by the fuzzer: an import line being edited, with a signal from the error-recovered parse.
    const initial = 'package com.acme.ledger;\n\nimport org.springframework.amqp.rabbit.annotation.RabbitListener;\n\npublic class EntryListener {\n    @RabbitListener(queues = "entries")\n    public void onEntry(String entry) {\n        System.out.println(entry);\n    }\n}\n';
    const text = `${initial.slice(0, 47)} ${initial.slice(47)}`;
    await testAnalyzer().prepare('java');
    assert.ok(testAnalyzer().analyzeSync(text, 'java', {}, false).signals.length > 0, 'the analysis finds the listener');
    assert.equal(mayHaveSignals(text, 'java'), true);
    assert.equal(mayHaveSignals('class A {\n    int x = 1;\n}\n', 'java'), false);
  });

  it('lets a Django module through only when it names the mail API', () => {
    assert.equal(mayHaveSignals('from django.db import models\n\nclass Order(models.Model):\n    pass\n', 'python'), false);
    assert.equal(mayHaveSignals('from django.core import mail\n\nmail.send_mail("a", "b", "c", ["d"])\n', 'python'), true);
  });

  it('parses an open document once an edit lets it through, and its analysis equals a whole one', () => {
    const doc = testAnalyzer().open('def work():\n    pass\n', 'python');
    assert.deepEqual(doc.analyze().signals, []);
    doc.update([{ start: 0, end: 0, newText: 'import requests\n' }]);
    doc.update([{ start: doc.text.indexOf('pass'), end: doc.text.indexOf('pass') + 4, newText: 'requests.get(url)' }]);
    assert.deepEqual(doc.analyze(), testAnalyzer().analyzeSync(doc.text, 'python', {}, false));
    assert.equal(doc.analyze().findings.length, 1);
    doc.update([{ start: 0, end: 'import requests\n'.length, newText: '' }]);
    assert.deepEqual(doc.analyze(), testAnalyzer().analyzeSync(doc.text, 'python'));
    doc.dispose();
  });
});
