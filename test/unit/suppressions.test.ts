import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { applyEdits } from '../../server/src/analysis/fixes/apply.js';
import type { AnalysisResult, LanguageId } from '../../server/src/analysis/types.js';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { ruleFixtures } from '../helpers/fixtures.js';

/** Every analysed language: each new one is covered as soon as it is supported. */
const LANGUAGES: readonly LanguageId[] = SUPPORTED_LANGUAGES;

function analyze(text: string, language: LanguageId): AnalysisResult {
  return testAnalyzer().analyzeSync(text, language);
}

function rules(result: AnalysisResult): string[] {
  return result.findings.map((f) => f.rule).sort();
}

/** One line with an http-timeout finding and one line with a retry finding, per language. */
const SAMPLES: Readonly<Record<LanguageId, { code: (comment: string) => string; rules: readonly string[] }>> = {
  python: {
    rules: ['http-timeout', 'retry-unbounded'],
    code: (comment) => `import requests\nfrom tenacity import Retrying\n\n\ndef sync(url):\n    ${comment}\n    return Retrying(reraise=True)(lambda: requests.get(url))\n`,
  },
  javascript: {
    rules: ['http-timeout', 'retry-unbounded'],
    code: (comment) => `const pRetry = require('p-retry');\n\nasync function sync(url) {\n  ${comment}\n  await pRetry(() => fetch(url), { forever: true, randomize: true });\n}\n`,
  },
  typescript: {
    rules: ['http-timeout', 'retry-unbounded'],
    code: (comment) => `import pRetry from 'p-retry';\n\nexport async function sync(url: string): Promise<void> {\n  ${comment}\n  await pRetry(() => fetch(url), { forever: true, randomize: true });\n}\n`,
  },
  tsx: {
    rules: ['http-timeout', 'retry-unbounded'],
    // A server-only module: JSX alone would make it browser code, where http-timeout is silent.
    code: (comment) => `import 'server-only';\nimport pRetry from 'p-retry';\n\nexport function Sync({ url }: { url: string }) {\n  ${comment}\n  const run = () => pRetry(() => fetch(url), { forever: true, randomize: true });\n  return <button onClick={run}>sync</button>;\n}\n`,
  },
  yaml: {
    rules: ['cron-missing-deadline', 'cron-overlap'],
    code: (comment) => `apiVersion: batch/v1\n${comment}\nkind: CronJob\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate: {}\n`,
  },
  java: {
    rules: ['cron-overlap', 'http-timeout'],
    code: (comment) => `import java.net.http.HttpClient;\nimport org.springframework.scheduling.annotation.Scheduled;\n\nclass Sync {\n    ${comment}\n    @Scheduled(fixedRate = 1000) void run() { HttpClient.newHttpClient(); }\n}\n`,
  },
  go: {
    rules: ['cron-overlap', 'http-timeout'],
    code: (comment) => `package sync\n\nimport (\n\t"net/http"\n\n\t"github.com/robfig/cron/v3"\n)\n\nfunc Start() {\n\t${comment}\n\tc, h := cron.New(), &http.Client{}\n\t_, _ = c, h\n}\n`,
  },
  ruby: {
    rules: ['http-timeout', 'retry-unbounded'],
    code: (comment) => `require "net/http"\n\ndef sync(uri)\n  ${comment}\n  begin; Net::HTTP.start(uri.host, read_timeout: nil) { |h| h.get("/") }; rescue Net::ReadTimeout; retry; end\nend\n`,
  },
};

/** The comment syntaxes of each language. */
const COMMENTS: Readonly<Record<keyof typeof SAMPLES, readonly ((body: string) => string)[]>> = {
  python: [(b) => `# ${b}`],
  javascript: [(b) => `// ${b}`, (b) => `/* ${b} */`],
  typescript: [(b) => `// ${b}`, (b) => `/* ${b} */`],
  tsx: [(b) => `// ${b}`, (b) => `/* ${b} */`],
  yaml: [(b) => `# ${b}`],
  java: [(b) => `// ${b}`, (b) => `/* ${b} */`],
  go: [(b) => `// ${b}`, (b) => `/* ${b} */`],
  ruby: [(b) => `# ${b}`],
};

describe('suppression comments', () => {
  before(async () => {
    for (const language of LANGUAGES) await testAnalyzer().prepare(language);
  });

  for (const language of LANGUAGES) {
    const sample = SAMPLES[language as keyof typeof SAMPLES];
    const comments = COMMENTS[language as keyof typeof SAMPLES];
    const [first = '', second = ''] = sample.rules;

    it(`${language}: the sample has both findings unsuppressed`, () => {
      const result = analyze(sample.code(comments[0]?.('nothing to see') ?? ''), language);
      assert.deepEqual(rules(result), [...sample.rules].sort());
      assert.equal(result.hasSyntaxErrors, false);
    });

    for (const [i, comment] of comments.entries()) {
      it(`${language} (syntax ${i + 1}): next-line suppresses one rule and records the reason`, () => {
        const text = sample.code(comment(`reliability-ignore-next-line ${first} -- the peer answers within a second`));
        const result = analyze(text, language);
        assert.deepEqual(rules(result), [second]);
        assert.deepEqual(result.suppressed.map((s) => [s.rule, s.suppression.kind, s.suppression.reason]), [[first, 'line', 'the peer answers within a second']]);
        const [suppression] = result.suppressions;
        assert.ok(suppression !== undefined);
        assert.deepEqual(suppression.rules.map((r) => text.slice(r.range.start, r.range.end)), [first]);
      });

      it(`${language} (syntax ${i + 1}): several ids separated by commas`, () => {
        const result = analyze(sample.code(comment(`reliability-ignore-next-line ${first},${second} -- both reviewed`)), language);
        assert.deepEqual(rules(result), []);
        assert.deepEqual(result.suppressed.map((s) => s.rule).sort(), [first, second].sort());
        const spaced = analyze(sample.code(comment(`reliability-ignore-next-line ${second} , ${first}`)), language);
        assert.deepEqual(rules(spaced), []);
        assert.ok(spaced.suppressed.every((s) => s.suppression.reason === undefined));
      });

      it(`${language} (syntax ${i + 1}): a suppression for another rule does not suppress`, () => {
        const result = analyze(sample.code(comment('reliability-ignore-next-line retry-no-jitter -- not this one')), language);
        assert.deepEqual(rules(result), [...sample.rules].sort());
        assert.deepEqual(result.suppressed, []);
      });

      it(`${language} (syntax ${i + 1}): ignore-file suppresses the rule everywhere`, () => {
        const text = `${comment(`reliability-ignore-file ${second}`)}\n${sample.code(comment('an ordinary comment'))}`;
        const result = analyze(text, language);
        assert.deepEqual(rules(result), [first]);
        assert.deepEqual(result.suppressed.map((s) => [s.rule, s.suppression.kind]), [[second, 'file']]);
      });
    }

    it(`${language}: a next-line comment two lines above does not suppress`, () => {
      const text = sample.code(`${comments[0]?.(`reliability-ignore-next-line ${first},${second}`) ?? ''}\n`);
      assert.deepEqual(rules(analyze(text, language)), [...sample.rules].sort());
    });
  }

  it('a suppression inside a string is not a comment', () => {
    const text = 'import requests\n\nNOTE = "# reliability-ignore-file http-timeout"\n\n\ndef sync(url):\n    return requests.get(url)\n';
    const result = analyze(text, 'python');
    assert.deepEqual(rules(result), ['http-timeout']);
    assert.deepEqual(result.suppressions, []);
  });

  it('a block comment over several lines suppresses the line after it ends', () => {
    const text = "async function sync(url) {\n  /*\n   * reliability-ignore-next-line http-timeout -- health check\n   */\n  return fetch(url);\n}\n";
    const result = analyze(text, 'javascript');
    assert.deepEqual(rules(result), []);
    assert.equal(result.suppressed[0]?.suppression.reason, 'health check');
  });

  it('a comment inside JSX children suppresses the element on the next line', () => {
    const text = 'import \'server-only\';\nexport const A = ({ url }: { url: string }) => (\n  <div>\n    {/* reliability-ignore-next-line http-timeout -- prefetch */}\n    <button onClick={() => fetch(url)}>go</button>\n  </div>\n);\n';
    const result = analyze(text, 'tsx');
    assert.deepEqual(rules(result), []);
    assert.equal(result.suppressed[0]?.suppression.reason, 'prefetch');
  });
});

describe('suppression edits', () => {
  const positives = ruleFixtures().filter((f) => f.kind === 'positive');
  before(async () => {
    for (const language of LANGUAGES) await testAnalyzer().prepare(language);
  });

  for (const fixture of positives) {
    it(`every finding of ${fixture.file} is suppressed by its own line and file edits`, () => {
      const initial = analyze(fixture.text, fixture.language);
      assert.ok(initial.findings.length > 0);
      for (const [i, finding] of initial.findings.entries()) {
        const sameRule = initial.findings.filter((f) => f.rule === finding.rule).length;
        const lineText = applyEdits(fixture.text, finding.suppressLine);
        const afterLine = analyze(lineText, fixture.language);
        assert.equal(afterLine.hasSyntaxErrors, false, `finding ${i}: the suppress-line edit keeps the file parsing`);
        assert.equal(afterLine.findings.filter((f) => f.rule === finding.rule).length, sameRule - 1, `finding ${i} (${finding.rule}) is suppressed by its line edit:\n${lineText}`);
        assert.ok(afterLine.suppressed.some((s) => s.rule === finding.rule && s.message === finding.message && s.suppression.kind === 'line'));

        const fileText = applyEdits(fixture.text, finding.suppressFile);
        const afterFile = analyze(fileText, fixture.language);
        assert.equal(afterFile.hasSyntaxErrors, false, `finding ${i}: the suppress-file edit keeps the file parsing`);
        assert.deepEqual(afterFile.findings.filter((f) => f.rule === finding.rule), [], `the file edit suppresses every ${finding.rule} finding`);
        assert.equal(afterFile.suppressed.filter((s) => s.rule === finding.rule).length, sameRule);
      }
    });
  }

  it('the file edit goes after a shebang and a Python encoding declaration', () => {
    const text = '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport requests\n\n\ndef sync(url):\n    return requests.get(url)\n';
    const [finding] = analyze(text, 'python').findings;
    assert.ok(finding !== undefined);
    const fixed = applyEdits(text, finding.suppressFile);
    assert.equal(fixed, `#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# reliability-ignore-file http-timeout\nimport requests\n\n\ndef sync(url):\n    return requests.get(url)\n`);
    assert.deepEqual(analyze(fixed, 'python').findings, []);
  });

  it('the file edit after a lone shebang line adds the missing line break', () => {
    const text = '#!/usr/bin/env node\nfetch(process.argv[2]);';
    const [finding] = analyze(text, 'javascript').findings;
    assert.ok(finding !== undefined);
    assert.equal(applyEdits(text, finding.suppressFile), '#!/usr/bin/env node\n// reliability-ignore-file http-timeout\nfetch(process.argv[2]);');
  });

  it('line edits follow CRLF line endings and the line\'s indentation', () => {
    const text = 'import requests\r\n\r\n\r\ndef sync(url):\r\n\treturn requests.get(url)\r\n';
    const [finding] = analyze(text, 'python').findings;
    assert.ok(finding !== undefined);
    const fixed = applyEdits(text, finding.suppressLine);
    assert.equal(fixed, 'import requests\r\n\r\n\r\ndef sync(url):\r\n\t# reliability-ignore-next-line http-timeout\r\n\treturn requests.get(url)\r\n');
    assert.deepEqual(analyze(fixed, 'python').findings, []);
  });

  it('among JSX children the line edit is a block comment in braces', () => {
    const text = 'import \'server-only\';\nexport const A = ({ url }: { url: string }) => (\n  <div>\n    <button onClick={() => fetch(url)}>go</button>\n  </div>\n);\n';
    const [finding] = analyze(text, 'tsx').findings;
    assert.ok(finding !== undefined);
    const fixed = applyEdits(text, finding.suppressLine);
    assert.ok(fixed.includes('    {/* reliability-ignore-next-line http-timeout */}\n    <button'), fixed);
    const after = analyze(fixed, 'tsx');
    assert.deepEqual(after.findings, []);
    assert.equal(after.hasSyntaxErrors, false);
  });
});
