import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AnalyzedDocument, TextChange } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import { LineIndex, pointAt, pointFrom } from '../../server/src/analysis/parsing/positions.js';
import { testAnalyzer } from '../helpers/analyzer.js';
import { ruleFixtures } from '../helpers/fixtures.js';

/** Every analysed language: each new one is covered as soon as it is supported. */
const LANGUAGES: readonly LanguageId[] = SUPPORTED_LANGUAGES;

/** The document's own analysis must equal a fresh analysis of its text, in every detail. */
function assertSameAsWhole(doc: AnalyzedDocument, step: string): void {
  const incremental = doc.analyze();
  const whole = testAnalyzer().analyzeSync(doc.text, doc.language);
  assert.deepEqual(incremental, whole, `${step}: incremental analysis differs from a whole-text analysis of:\n${doc.text}`);
}

/** Finds `needle` in the current text (the `nth` occurrence) and replaces it, as an editor change. */
function replace(text: string, needle: string, newText: string, nth = 0): TextChange {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`"${needle}" not found in:\n${text}`);
  return { start, end: start + needle.length, newText };
}

/** The characters of `text` as an editor types them (a surrogate pair at once), with their UTF-16 offsets. */
function typed(text: string): { ch: string; offset: number }[] {
  const result: { ch: string; offset: number }[] = [];
  let offset = 0;
  for (const ch of text) {
    result.push({ ch, offset });
    offset += ch.length;
  }
  return result;
}

interface Script {
  readonly language: LanguageId;
  readonly initial: string;
  /** Each step is one `update` call; a step may hold several changes, applied in order. */
  readonly steps: readonly ((text: string) => TextChange[])[];
  readonly final: string;
}

const SCRIPTS: readonly Script[] = [
  {
    language: 'python',
    initial: 'import requests\n\n\ndef sync(url):\n    return requests.get(url)\n',
    steps: [
      // Typing a new call one character at a time, as an editor sends it.
      ...typed('\n    requests.post(url, json={"name": "Zoë 中文 🚀"})').map(({ ch, offset }) => (text: string) => {
        const at = text.indexOf('requests.get(url)') + 'requests.get(url)'.length + offset;
        return [{ start: at, end: at, newText: ch }];
      }),
      (t) => [replace(t, 'requests.get(url)', 'requests.get(url, timeout=5)')],
      (t) => [replace(t, '"Zoë 中文 🚀"', '"Ωmega"')],
      // A multi-line insertion above, then a deletion of a whole line, in one update.
      (t) => [replace(t, 'import requests\n', 'import requests\nfrom tenacity import retry\n\n\n@retry\ndef again():\n    pass\n')],
      (t) => [replace(t, '    pass\n', ''), replace(t.replace('    pass\n', ''), 'def again():\n', 'def again():\n    return requests.head("https://é.example")\n')],
    ],
    final: 'import requests\nfrom tenacity import retry\n\n\n@retry\ndef again():\n    return requests.head("https://é.example")\n\n\ndef sync(url):\n    return requests.get(url, timeout=5)\n    requests.post(url, json={"name": "Ωmega"})\n',
  },
  {
    language: 'typescript',
    initial: "import axios from 'axios';\r\n\r\nexport async function load(url: string): Promise<unknown> {\r\n  return axios.get(url);\r\n}\r\n",
    steps: [
      (t) => [replace(t, 'axios.get(url)', 'axios.get(url, { timeout: 1_000 })')],
      (t) => [replace(t, '}\r\n', '}\r\n\r\n// Ünïcödé 日本語 😀\r\nexport const ping = (u: string) => fetch(u);\r\n')],
      (t) => [replace(t, 'fetch(u)', 'fetch(u, { method: "HEAD" })'), replace(t.replace('fetch(u)', 'fetch(u, { method: "HEAD" })'), '😀', '🚀🚀')],
      (t) => [replace(t, ', { timeout: 1_000 }', '')],
    ],
    final: "import axios from 'axios';\r\n\r\nexport async function load(url: string): Promise<unknown> {\r\n  return axios.get(url);\r\n}\r\n\r\n// Ünïcödé 日本語 🚀🚀\r\nexport const ping = (u: string) => fetch(u, { method: \"HEAD\" });\r\n",
  },
  {
    language: 'tsx',
    initial: 'import \'server-only\';\nexport function A({ url }: { url: string }) {\n  return <button onClick={() => fetch(url)}>Go</button>;\n}\n',
    steps: [
      (t) => [replace(t, 'Go', 'Los geht’s — 🚀')],
      (t) => [replace(t, '<button', '<div>\n    {/* reliability-ignore-next-line http-timeout -- ok */}\n    <button'), replace(t.replace('<button', '<div>\n    {/* reliability-ignore-next-line http-timeout -- ok */}\n    <button'), '</button>', '</button>\n  </div>')],
      (t) => [replace(t, '  return ', '  return (\n    '), replace(t.replace('  return ', '  return (\n    '), '</div>;', '</div>\n  );')],
    ],
    final: 'import \'server-only\';\nexport function A({ url }: { url: string }) {\n  return (\n    <div>\n    {/* reliability-ignore-next-line http-timeout -- ok */}\n    <button onClick={() => fetch(url)}>Los geht’s — 🚀</button>\n  </div>\n  );\n}\n',
  },
  {
    language: 'javascript',
    initial: "const pRetry = require('p-retry');\n\nasync function sync(run) {\n  await pRetry(run, { retries: 5 });\n}\n",
    steps: [
      (t) => [replace(t, '{ retries: 5 }', '{\n    retries: Infinity,\n    randomize: true,\n  }')],
      (t) => [replace(t, 'Infinity', '5')],
      (t) => [replace(t, '    randomize: true,\n', '')],
      () => [{ start: 0, end: 0, newText: '// 👋 émoji first\n' }],
    ],
    final: "// 👋 émoji first\nconst pRetry = require('p-retry');\n\nasync function sync(run) {\n  await pRetry(run, {\n    retries: 5,\n  });\n}\n",
  },
  {
    language: 'yaml',
    initial: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate: {}\n',
    steps: [
      (t) => [replace(t, '  jobTemplate', '  concurrencyPolicy: Forbid\n  jobTemplate')],
      (t) => [{ start: t.length, end: t.length, newText: '---\nkind: CronJob # “zweiter” ✓\nspec:\n  schedule: "0 * * * *"\n' }],
      (t) => [replace(t, 'Forbid', 'Allow')],
    ],
    final: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "*/5 * * * *"\n  concurrencyPolicy: Allow\n  jobTemplate: {}\n---\nkind: CronJob # “zweiter” ✓\nspec:\n  schedule: "0 * * * *"\n',
  },
];

/** A small deterministic generator, so that a failing sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['é', '中文', '🚀', '\n', '\r\n', '    ', '(', ')', '{', '}', ',', 'timeout=5', 'requests.get(u)', 'fetch(u)', '"', "'", '#', '//', 'x'];

/** Edits that keep surrogate pairs and CRLF pairs whole, as an editor's changes do. */
function randomChange(text: string, next: () => number): TextChange {
  const boundary = (at: number): number => {
    let i = Math.max(0, Math.min(text.length, at));
    const code = text.charCodeAt(i);
    if ((code >= 0xdc00 && code <= 0xdfff) || (code === 10 && text[i - 1] === '\r')) i--;
    return i;
  };
  const start = boundary(Math.floor(next() * (text.length + 1)));
  const end = next() < 0.5 ? start : boundary(start + Math.floor(next() * 12));
  const newText = next() < 0.3 ? '' : (SNIPPETS[Math.floor(next() * SNIPPETS.length)] ?? '');
  return { start, end: Math.max(start, end), newText };
}

describe('incremental analysis', () => {
  before(async () => {
    for (const language of LANGUAGES) await testAnalyzer().prepare(language);
  });

  for (const script of SCRIPTS) {
    it(`${script.language}: a scripted series of edits ends where a whole analysis does`, () => {
      const doc = testAnalyzer().open(script.initial, script.language);
      try {
        assertSameAsWhole(doc, 'initial');
        script.steps.forEach((step, i) => {
          doc.update(step(doc.text));
          assertSameAsWhole(doc, `step ${i + 1}`);
        });
        assert.equal(doc.text, script.final);
        const final = doc.analyze();
        assert.ok(final.findings.length + final.suppressed.length > 0, 'the final text still has findings to compare');
      } finally {
        doc.dispose();
      }
    });
  }

  it('several changes in one update apply in order, each against the text before it', () => {
    const doc = testAnalyzer().open('import requests\n\n\ndef a(u):\n    return requests.get(u)\n', 'python');
    try {
      const afterTwo = '# ünïcode\nimport httpx\nimport requests\n\n\ndef a(u):\n    return requests.get(u)\n';
      const at = afterTwo.indexOf('get(u') + 'get(u'.length;
      doc.update([
        { start: 0, end: 0, newText: '# ünïcode\n' },
        { start: 10, end: 10, newText: 'import httpx\n' },
        { start: at, end: at, newText: ', timeout=None' },
      ]);
      assert.equal(doc.text, '# ünïcode\nimport httpx\nimport requests\n\n\ndef a(u):\n    return requests.get(u, timeout=None)\n');
      assertSameAsWhole(doc, 'batch');
    } finally {
      doc.dispose();
    }
  });

  it('replace() after updates starts over from the new text', () => {
    const doc = testAnalyzer().open('fetch(u);\n', 'javascript');
    try {
      doc.update([{ start: 0, end: 0, newText: '// 🚀\n' }]);
      doc.replace('const x = 1;\r\nfetch(x);\r\n');
      assertSameAsWhole(doc, 'replace');
    } finally {
      doc.dispose();
    }
  });

  // Random edits over the positive fixtures: after every edit the incremental tree must give the
  // same analysis as a fresh parse, including while the text is broken.
  const positives = ruleFixtures().filter((f) => f.kind === 'positive');
  for (const fixture of positives) {
    for (const eol of ['\n', '\r\n']) {
      const name = `${fixture.file}${eol === '\n' ? '' : ' (CRLF)'}`;
      it(`random edits keep ${name} in step with a whole analysis`, () => {
        randomEdits(fixture.text.replace(/\r?\n/g, eol), fixture.language, name.length * 7919 + fixture.text.length);
      });
    }
  }
});

function randomEdits(initial: string, language: LanguageId, seed: number): void {
  const next = random(seed);
  const doc = testAnalyzer().open(initial, language);
  try {
    for (let i = 0; i < 40; i++) {
      const count = 1 + Math.floor(next() * 3);
      const batch: TextChange[] = [];
      let text = doc.text;
      for (let c = 0; c < count; c++) {
        const change = randomChange(text, next);
        batch.push(change);
        text = text.slice(0, change.start) + change.newText + text.slice(change.end);
      }
      doc.update(batch);
      assert.equal(doc.text, text);
      assertSameAsWhole(doc, `random step ${i + 1} (${JSON.stringify(batch)})`);
    }
  } finally {
    doc.dispose();
  }
}

describe('the YAML edit fast path', () => {
  const STREAM = [
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "*/5 * * * *"\n',
    '---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\nspec:\n  backoffLimit: 3\n',
    '---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "0 * * * *"\n',
  ].join('');

  before(async () => testAnalyzer().prepare('yaml'));

  /** Applies `change`, checks the result against a whole analysis, and returns the path the document took. */
  function step(doc: AnalyzedDocument, change: TextChange): string {
    doc.update([change]);
    assertSameAsWhole(doc, JSON.stringify(change));
    return doc.lastPath;
  }

  it('an edit inside one document re-analyses that document; one that adds, removes or joins a `---` line does not', () => {
    const doc = testAnalyzer().open(STREAM, 'yaml');
    try {
      doc.analyze();
      // The second document's backoffLimit, then the third's schedule: each moves the findings after it.
      assert.equal(step(doc, replace(doc.text, 'backoffLimit: 3', 'backoffLimit: 30\n  activeDeadlineSeconds: 60')), 'edit');
      assert.equal(step(doc, replace(doc.text, '"0 * * * *"', '"*/2 * * * *"\n  concurrencyPolicy: Forbid')), 'edit');
      // A new `---` line inside the first document splits it in two.
      assert.equal(step(doc, replace(doc.text, 'metadata:\n  name: a\n', 'metadata:\n  name: a\n---\nkind: Job\n')), 'whole');
      // Deleting the line break before a `---` joins two documents.
      const marker = doc.text.indexOf('\n---', doc.text.indexOf('name: b'));
      assert.equal(step(doc, { start: marker, end: marker + 1, newText: '' }), 'whole');
      step(doc, { start: marker, end: marker, newText: '\n' });
      assert.equal(step(doc, replace(doc.text, 'name: b', 'name: b2')), 'edit');
      // A file suppression in one document reaches the others: an edit of another takes the whole analysis.
      assert.equal(step(doc, replace(doc.text, 'name: c\n', 'name: c\n# reliability-ignore-file cron-missing-deadline\n')), 'whole');
      assert.equal(step(doc, replace(doc.text, 'name: a', 'name: a2')), 'whole');
    } finally {
      doc.dispose();
    }
  });

  it('keeps its last analysis when the project asks the prefilter again (a YAML text has no tree to drop)', () => {
    const doc = testAnalyzer().open(STREAM, 'yaml');
    try {
      doc.analyze();
      doc.refilter();
      assert.equal(step(doc, replace(doc.text, 'backoffLimit: 3', 'backoffLimit: 4')), 'edit');
    } finally {
      doc.dispose();
    }
  });
});

describe('points of edits', () => {
  it('pointAt gives the point LineIndex gives, for every offset and kind of line break', () => {
    for (const text of ['', 'a', 'ab\ncd\r\nef\rgh', '\r\n\r\n', '\r\r\n\n\r', 'x\ry\r\n', 'é😀\nz']) {
      const lines = new LineIndex(text);
      for (let offset = 0; offset <= text.length + 1; offset++) {
        assert.deepEqual(pointAt(text, offset), lines.point(offset), `${JSON.stringify(text)} at ${offset}`);
      }
    }
  });

  it('pointFrom, scanning on from a known point, gives the point LineIndex gives', () => {
    for (const text of ['ab\ncd\r\nef\rgh', '\r\r\n\n\r', 'x\ry\r\n', 'é😀\nz']) {
      const lines = new LineIndex(text);
      for (let from = 0; from <= text.length; from++) {
        for (let offset = from; offset <= text.length; offset++) {
          assert.deepEqual(pointFrom(text, offset, from, pointAt(text, from)), lines.point(offset), `${JSON.stringify(text)} from ${from} at ${offset}`);
        }
      }
    }
  });
});
