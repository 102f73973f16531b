import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver';
import { languageFromPath, RULES, SIGNAL_CHAPTERS, SIGNAL_KINDS, SIGNAL_RISKS, type AnalysisResult } from '../../server/src/analysis/index.js';
import { shortWhy, visibleLength, visibleText } from '../../server/src/catalog/card-text.js';
import { CARD_MAX, renderFindingsCard, renderSignalCard } from '../../server/src/catalog/render.js';
import type { Catalog } from '../../server/src/catalog/types.js';
import { hoverAt } from '../../server/src/lsp/hover.js';
import { repoRoot, testAnalyzer } from '../helpers/analyzer.js';
import { compileContent } from '../helpers/catalog.js';

const catalog = compileContent().catalog as Catalog;
const links = { rule: (id: string) => `command:showRule?${id}`, chapter: (id: number) => `command:openChapter?${id}` };
const timeout = { rule: 'http-timeout', ruleRef: 'R6.1', severity: 'warning', message: '`requests.post` has no timeout: it can wait forever.', fix: 'Add timeout=10' };

describe('visible text of a card', () => {
  it('counts what a reader sees: no link targets, emphasis markers or backticks', () => {
    assert.equal(visibleText('**RULE:** see [R6.1](command:x?%5B%22R6.1%22%5D "Give a timeout") and `timeout=10`'), 'RULE: see R6.1 and timeout=10');
    assert.equal(visibleText('*Release It!*, chapter "Timeouts"'), 'Release It!, chapter "Timeouts"');
    assert.equal(visibleText('- a\n  b\n\n- c'), '- a b - c');
    assert.equal(visibleText('line one\\\nline two'), 'line one line two');
    assert.equal(visibleLength('`retry_backoff` not set'), 'retry_backoff not set'.length);
  });
});

describe('a short WHY', () => {
  it('keeps whole first sentences, their source, and about three lines', () => {
    for (const rule of Object.values(catalog.rules)) {
      const why = shortWhy(rule.why, 300);
      const flat = rule.why.replace(/\s+/g, ' ');
      assert.ok(visibleLength(why) <= 420, `${rule.id}: ${visibleLength(why)} ${why}`);
      assert.match(why, /[.)…]$/, `${rule.id} ends a sentence: ${why}`);
      if (/\(\*[^)]*\*/.test(flat)) assert.match(why, /\(\*|documentation|docs/, `${rule.id} keeps its source: ${why}`);
      const words = why.replace(/[…]/g, ' ').split(/\s+/).filter((w) => w !== '');
      for (const word of words.slice(0, -1)) assert.ok(flat.includes(word), `${rule.id}: "${word}" is a whole word of the book`);
    }
  });

  it('returns a WHY that already fits unchanged', () => {
    assert.equal(shortWhy('One sentence (*Release It!*, "Timeouts").', 300), 'One sentence (*Release It!*, "Timeouts").');
  });
});

describe('the card for a finding', () => {
  const card = renderSignalCard(catalog, { kind: 'http-call', api: 'requests.post', chapters: SIGNAL_CHAPTERS['http-call'], risk: SIGNAL_RISKS['http-call'] }, [timeout], links, 'python');

  it('shows the message, the rule, a short WHY, APPLY for requests only, the quick fix and the links', () => {
    assert.match(card, /\*\*Warning\*\* `http-timeout`: `requests\.post` has no timeout/);
    assert.match(card, /\*\*\[R6\.1\]\(command:showRule\?R6\.1\) Give every outbound call a timeout\.\*\* \*\*RULE:\*\* Pass an explicit timeout/);
    assert.match(card, /\*\*WHY:\*\* A call without a timeout .*\(\*Release It!\*/);
    assert.match(card, /\*\*APPLY \(requests\):\*\*[\s\S]*timeout=\(3\.05, 10\)/);
    for (const other of ['**axios:**', '**got:**', '**Go:**', '**Java:**', 'gRPC']) assert.ok(!card.includes(other), other);
    assert.match(card, /\*\*Quick fix:\*\* Add timeout=10 \(Ctrl\+\.\)/);
    assert.match(card, /\[Open R6\.1 in the book\]\(command:showRule\?R6\.1\) · \[All rules of chapter 6\]\(command:openChapter\?6\)/);
    assert.doesNotMatch(card, /```/);
  });

  it('lists the other rules of the chapter as one line of links, not their text', () => {
    const line = card.split('\n').filter((l) => l.includes('[R6.2]'));
    assert.equal(line.length, 1);
    assert.match(line[0] ?? '', /\[All rules of chapter 6\]\(command:openChapter\?6\): \[R6\.2\]\(command:showRule\?R6\.2 "Bound connect, read and total time separately"\) · \[R6\.3\]/);
    assert.doesNotMatch(card, /\*\*RULE:\*\*[\s\S]*\*\*RULE:\*\*/, 'one RULE only');
  });

  it('fits', () => assert.ok(visibleLength(card) <= CARD_MAX, String(visibleLength(card))));

  it("leaves the message out for a client whose hover shows the diagnostic above the card", () => {
    const vscode = renderSignalCard(catalog, { kind: 'http-call', api: 'requests.post', chapters: SIGNAL_CHAPTERS['http-call'], risk: SIGNAL_RISKS['http-call'] }, [timeout], links, 'python', { withMessages: false });
    assert.doesNotMatch(vscode, /has no timeout/);
    assert.match(vscode, /^\*\*\[R6\.1\]\(command:showRule\?R6\.1\) Give every outbound call a timeout\.\*\* \*\*RULE:\*\*/);
    assert.match(vscode, /\*\*Quick fix:\*\* Add timeout=10/);
  });

  it('shows a second finding on the same call in one line', () => {
    const two = renderFindingsCard(catalog, [timeout, { rule: 'retry-unbounded', ruleRef: 'R5.1', severity: 'warning', message: 'no bound' }], links, { language: 'python', api: 'requests.post' });
    assert.match(two, /---\n\n\*\*Warning\*\* `retry-unbounded`: no bound \[R5\.1\]\(command:showRule\?R5\.1\) /);
    assert.ok(visibleLength(two) <= CARD_MAX, String(visibleLength(two)));
  });

  it('shows the APPLY steps of the framework under the cursor: Sidekiq in Ruby, BullMQ in TypeScript', () => {
    const sidekiq = renderFindingsCard(catalog, [{ rule: 'retry-unbounded', ruleRef: 'R5.1', severity: 'warning', message: 'm' }], links, { language: 'ruby', api: 'Sidekiq::Job.sidekiq_options' });
    assert.match(sidekiq, /APPLY \(Sidekiq\)/);
    assert.match(sidekiq, /sidekiq_options retry: 5/);
    assert.doesNotMatch(sidekiq, /\*\*(Celery|tenacity|BullMQ|Spring)\b/);
    const bull = renderFindingsCard(catalog, [{ rule: 'retry-no-backoff', ruleRef: 'R5.2', severity: 'warning', message: 'm' }], links, { language: 'typescript', api: 'bullmq.Queue.add' });
    assert.match(bull, /\*\*APPLY \(BullMQ\):\*\*/);
    assert.doesNotMatch(bull, /\*\*(Celery|Sidekiq|tenacity):\*\*/);
  });
});

describe('the card for a signal without a finding', () => {
  for (const kind of SIGNAL_KINDS) {
    it(`a ${kind} signal says what can go wrong, names its rules and links its chapters, and fits`, () => {
      const chapters = SIGNAL_CHAPTERS[kind];
      const card = renderSignalCard(catalog, { kind, api: 'example.api', chapters, risk: SIGNAL_RISKS[kind] }, [], links, 'python');
      assert.ok(card.includes(`**What can go wrong:** ${SIGNAL_RISKS[kind]}`), card);
      const rules = [...card.matchAll(/^\s*- \*\*\[(R\d+\.\d+)\]/gm)].map((m) => m[1]);
      assert.ok(rules.length >= 1 && rules.length <= 2, card);
      for (const id of chapters) assert.ok(card.includes(`(command:openChapter?${id})`), `chapter ${id}`);
      assert.ok(visibleLength(card) <= CARD_MAX, `${visibleLength(card)}\n${card}`);
    });
  }

  it("shows a Celery task's retry bound, backoff, jitter and acks_late as the code sets them", async () => {
    const text = 'from celery import Celery\napp = Celery("x")\n\n@app.task(bind=True, max_retries=5, autoretry_for=(IOError,))\ndef charge(self, order_id):\n    return order_id\n';
    const result = await testAnalyzer().analyze(text, 'python');
    const hover = hoverAt(TextDocument.create('file:///t.py', 'python', 1, text), result, text.indexOf('app.task') + 5, catalog, links);
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /\*\*Set here:\*\* `autoretry_for=\(IOError,\)` · `max_retries=5` · `retry_backoff` not set · `retry_jitter` not set · `acks_late` not set/);
    assert.match(value, /\*\*Rules for `Celery`:\*\*/);
  });

  it("shows a CronJob's concurrencyPolicy, starting deadline and job limits as the manifest writes them", async () => {
    const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: n\nspec:\n  schedule: "0 2 * * *"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n        spec:\n          restartPolicy: OnFailure\n';
    const result = await testAnalyzer().analyze(text, 'yaml');
    const settings = result.signals.find((s) => s.api === 'kubernetes.CronJob')?.settings ?? [];
    assert.deepEqual(settings.map((s) => `${s.name} ${s.state} ${s.value ?? ''}`.trim()), [
      'concurrencyPolicy set Forbid', 'startingDeadlineSeconds unset', 'backoffLimit set 2', 'activeDeadlineSeconds unset',
    ]);
  });

  it('points from a call through a client to the line where the client is made, and to the finding there, beside the settings', async () => {
    const text = "import axios from 'axios';\n\nconst crm = axios.create({ baseURL: 'https://crm.example.com' });\n\nexport async function sync() {\n  return crm.post('/contacts', {});\n}\n";
    const result = await testAnalyzer().analyze(text, 'typescript');
    const post = result.signals.find((s) => s.api.endsWith('.post'));
    assert.deepEqual(post?.client, { start: text.indexOf('axios.create'), end: text.indexOf('axios.create') + 'axios.create'.length });
    const hover = hoverAt(TextDocument.create('file:///w/crm.ts', 'typescript', 1, text), result, text.indexOf('crm.post') + 5, catalog, links);
    assert.match((hover?.contents as MarkupContent).value, /\*\*Set here:\*\* `timeout` not set · `signal` not set · client: `axios\.create` on \[line 3\]\(file:\/\/\/w\/crm\.ts#L3\), with `http-timeout`\n/);
  });

  it('says where a client without a finding is made, and says nothing of a client for a call on a module', async () => {
    const text = 'import requests\n\nsession = requests.Session()\n\ndef sync():\n    return session.get("https://crm.example.com", timeout=5)\n\ndef ping():\n    return requests.get("https://crm.example.com", timeout=5)\n';
    const result = await testAnalyzer().analyze(text, 'python');
    const doc = TextDocument.create('file:///w/crm.py', 'python', 1, text);
    const viaSession = hoverAt(doc, result, text.indexOf('session.get') + 9, catalog, links);
    assert.match((viaSession?.contents as MarkupContent).value, /\*\*Set here:\*\* `timeout=5` · client: `requests\.Session` on \[line 3\]\(file:\/\/\/w\/crm\.py#L3\)\n/);
    const direct = hoverAt(doc, result, text.indexOf('requests.get') + 9, catalog, links);
    assert.doesNotMatch((direct?.contents as MarkupContent).value, /client:/);
  });

  it('reads acks_late from the app config, and says unknown where kwargs hide the options', async () => {
    const text = 'from celery import Celery\napp = Celery("x")\napp.conf.task_acks_late = True\n\n@app.task(**OPTIONS)\ndef charge(order_id):\n    return order_id\n';
    const result = await testAnalyzer().analyze(text, 'python');
    const settings = result.signals.find((s) => s.api === 'celery.task')?.settings ?? [];
    assert.deepEqual(settings.map((s) => `${s.name} ${s.state} ${s.value ?? ''}`.trim()), [
      'autoretry_for unknown', 'max_retries unknown', 'retry_backoff unknown', 'retry_jitter unknown', 'acks_late set True (app config)',
    ]);
  });
});

/** Every demo file and every rule fixture, in every language the analyzer reads. */
function corpus(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (languageFromPath(full) !== undefined) files.push(full);
    }
  };
  walk(path.join(repoRoot, 'examples'));
  walk(path.join(repoRoot, 'test', 'fixtures', 'rules'));
  return files;
}

describe('every hover fits without scrolling', () => {
  it(`is at most ${CARD_MAX} visible characters over every finding and signal of the demo files and rule fixtures`, async () => {
    const hoveredRules = new Map<string, Set<string>>();
    let hovers = 0;
    let longest = 0;
    for (const file of corpus()) {
      const language = languageFromPath(file);
      assert.ok(language !== undefined);
      const text = fs.readFileSync(file, 'utf8');
      const result: AnalysisResult = await testAnalyzer().analyze(text, language);
      const doc = TextDocument.create(`file://${file}`, language, 1, text);
      const offsets = [...result.findings.map((f) => f.range.start), ...result.signals.map((s) => s.range.start), ...result.suppressions.flatMap((c) => c.rules.map((r) => r.range.start))];
      for (const offset of offsets) {
        const hover = hoverAt(doc, result, offset, catalog, links);
        assert.ok(hover !== null, `${file}@${offset}`);
        const value = (hover.contents as MarkupContent).value;
        const length = visibleLength(value);
        hovers++;
        longest = Math.max(longest, length);
        assert.ok(length <= CARD_MAX, `${path.relative(repoRoot, file)}@${offset}: ${length} visible characters\n${value}`);
        for (const f of result.findings.filter((x) => x.range.start <= offset && offset <= x.range.end)) {
          hoveredRules.set(f.rule, (hoveredRules.get(f.rule) ?? new Set()).add(language));
          assert.ok(value.includes(`\`${f.rule}\``), `${file}@${offset} shows ${f.rule}`);
        }
      }
    }
    assert.ok(hovers > 500, String(hovers));
    // Each rule was hovered in every language it supports. A rule over the joined project reports
    // nothing in one file's analysis: its findings are checked on projects (test/cli/map-rules.test.ts).
    for (const rule of RULES.filter((r) => r.checkProject === undefined)) {
      const seen = hoveredRules.get(rule.meta.id) ?? new Set();
      for (const language of rule.meta.languages.filter((l) => l !== 'tsx' && l !== 'javascript')) assert.ok(seen.has(language), `${rule.meta.id} hovered in ${language}`);
    }
    assert.ok(longest > CARD_MAX / 2, `the longest card has ${longest} visible characters`);
  });
});
