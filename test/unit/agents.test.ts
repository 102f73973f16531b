import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { languageFromPath } from '../../server/src/analysis/index.js';
import { audit } from '../../server/src/agents/audit.js';
import { CLI_LINKS, MCP_LINKS } from '../../server/src/agents/links.js';
import { findChapter, findChapterOrRule, findRule, normaliseRuleId } from '../../server/src/agents/lookup.js';
import { withoutExamples } from '../../server/src/agents/markdown.js';
import { renderAudit } from '../../server/src/agents/render-audit.js';
import { renderBookRule, renderChapter, renderToc } from '../../server/src/agents/render-book.js';
import { renderRoute } from '../../server/src/agents/render-route.js';
import { Router } from '../../server/src/agents/route.js';
import { routeJson } from '../../server/src/agents/route-json.js';
import { TOOL_TEXT, VSCODE_TOOL_NAMES } from '../../server/src/agents/tool-text.js';
import type { FileAnalysis } from '../../server/src/agents/types.js';
import type { Catalog } from '../../server/src/catalog/types.js';
import { distDir, repoRoot, testAnalyzer } from '../helpers/analyzer.js';
import { compileContent } from '../helpers/catalog.js';

const catalog = compileContent().catalog as Catalog;
const router = new Router(catalog);
const files: FileAnalysis[] = [];

before(async () => {
  for (const rel of ['examples/billing/tasks.py', 'examples/notifications/worker.ts', 'examples/k8s/cronjobs.yaml']) {
    const text = fs.readFileSync(path.join(repoRoot, rel), 'utf8');
    const language = languageFromPath(rel);
    assert.ok(language);
    files.push({ path: rel, text, result: await testAnalyzer().analyze(text, language) });
  }
});

describe('the route within a budget', () => {
  const tasks = ['retry the webhook on 5xx', 'consume orders from SQS and charge the card', 'add a Celery task that emails the receipt'];
  for (const budget of [1000, 1500, 2500, 4000, 6000, 12000, 30000]) {
    it(`never exceeds ${budget} characters, and names every applicable rule`, () => {
      for (const task of tasks) {
        for (const withFiles of [false, true]) {
          const result = router.route({ task, files: withFiles ? files : [] });
          const rendered = renderRoute(result, MCP_LINKS, budget);
          assert.ok(rendered.markdown.length <= budget, `${task} (files: ${withFiles}): ${rendered.markdown.length} > ${budget}`);
          assert.deepEqual([...rendered.full, ...rendered.brief, ...rendered.omitted], result.rules.map((r) => r.rule.id));
          // Omitted rules are still named, by id or as a range such as R5.2–R5.8.
          for (const id of rendered.omitted) {
            const [chapter, n] = id.slice(1).split('.').map(Number) as [number, number];
            const named = rendered.markdown.includes(id) || [...rendered.markdown.matchAll(new RegExp(`R${chapter}\\.(\\d+)–R${chapter}\\.(\\d+)`, 'g'))]
              .some((m) => Number(m[1]) <= n && n <= Number(m[2]));
            assert.ok(named, `${id} is not named in the ${budget}-character route for "${task}"`);
          }
        }
      }
    });
  }

  it('routes the same with the prebuilt index in dist/ as with one built from the catalog', () => {
    const prebuilt = new Router(catalog, fs.readFileSync(path.join(distDir, 'search-index.json'), 'utf8'));
    for (const task of [...tasks, 'publish an event after saving the order', 'our Kafka consumer processes some messages twice']) {
      const ids = (r: Router): string => JSON.stringify(r.route({ task }).chapters.map((c) => c.chapter.id));
      assert.equal(ids(prebuilt), ids(router), task);
    }
  });

  it('shows more rules in full as the budget grows', () => {
    const result = router.route({ task: 'add a Celery task that emails the receipt' });
    const full = [2000, 6000, 20000].map((b) => renderRoute(result, MCP_LINKS, b).full.length);
    assert.ok(full[0]! <= full[1]! && full[1]! < full[2]!, full.join(' ≤ '));
  });

  it('keeps APPLY steps and leaves the checked code examples in the chapter', () => {
    const rendered = renderRoute(router.route({ task: 'bound the retries of the tenacity decorator' }), MCP_LINKS, 20000);
    assert.match(rendered.markdown, /\*\*APPLY:\*\*/);
    assert.doesNotMatch(rendered.markdown, /```/);
  });

  it('says so when nothing applies, instead of routing to noise', () => {
    const rendered = renderRoute(router.route({ task: 'center the logo with flexbox' }), CLI_LINKS);
    assert.match(rendered.markdown, /No chapter of the book applies/);
  });

  it('gives the same selection as JSON, with RULE and APPLY for rules shown in full', () => {
    const result = router.route({ task: 'retry the webhook on 5xx' });
    const rendered = renderRoute(result, CLI_LINKS, 4000);
    const json = routeJson(result, rendered);
    assert.equal(json.version, 1);
    assert.deepEqual(json.rules.filter((r) => r.shown === 'full').map((r) => r.id), rendered.full);
    for (const r of json.rules.filter((x) => x.shown === 'full')) assert.ok(r.rule !== undefined && r.apply !== undefined);
    assert.equal(json.chapters.at(-1)?.id, 13);
  });
});

describe('the audit', () => {
  it('reports findings with 1-based spans, the code line and the fix as edits', () => {
    const result = audit(catalog, { files: files.slice(0, 1) });
    const timeout = result.files[0]?.findings.find((f) => f.rule === 'http-timeout');
    assert.ok(timeout);
    assert.equal(timeout.line, 14);
    assert.equal(timeout.code, 'response = requests.post(');
    assert.ok(timeout.fix !== undefined && timeout.fix.edits.length > 0);
    assert.ok(timeout.fix.edits.every((e) => e.line >= 14 && e.newText.includes('timeout')), JSON.stringify(timeout.fix));
  });

  it('answers checklist items from the findings: failing, passed, or left to the reader', () => {
    const result = audit(catalog, { files: files.slice(0, 1) });
    const state = (id: string): string | undefined => result.checklist.find((c) => c.item.ruleId === id)?.state;
    assert.equal(state('R6.1'), 'failing');
    assert.equal(state('R5.1'), 'failing');
    assert.equal(state('R6.3'), 'open');
    assert.ok(result.chapters.includes(5) && result.chapters.includes(6));
    assert.ok(!result.checklist.some((c) => catalog.rules[c.item.ruleId]?.chapter === 10), 'no cron items for a file with no schedule');
    assert.ok(result.checklistOutOfScope > 0);
    const cron = audit(catalog, { files: files.slice(2) });
    const overlap = cron.checklist.find((c) => c.item.ruleId === 'R10.1');
    assert.equal(overlap?.state, 'failing');
  });

  it('scopes the checklist to everything on request, and says when no group applies', () => {
    assert.equal(audit(catalog, { files: [], checklist: 'all' }).checklist.length, catalog.checklist.length);
    const none = renderAudit(audit(catalog, { files: [] }), MCP_LINKS);
    assert.match(none, /no checklist group applies/);
  });

  it('renders failing items first, within its budget', () => {
    const text = renderAudit(audit(catalog, { files }), MCP_LINKS, 3000);
    assert.ok(text.length <= 3000, `${text.length}`);
    const items = text.split('\n').filter((l) => /^- \[[ x]\] /.test(l));
    // The demo files fail many items; if they fill the budget, no open item is shown at all.
    const firstOpen = items.findIndex((l) => !l.includes('**failing**'));
    assert.ok(items.length > 0 && items[0]?.includes('**failing**'), items.join('\n'));
    assert.ok(firstOpen === -1 || items.slice(firstOpen).every((l) => !l.includes('**failing**')), items.join('\n'));
  });
});

describe('the book for agents', () => {
  it('normalises rule ids as people type them', () => {
    assert.equal(normaliseRuleId('r5.1'), 'R5.1');
    assert.equal(normaliseRuleId(' R12-3 '), 'R12.3');
    assert.equal(normaliseRuleId('5.1'), 'R5.1');
    assert.equal(normaliseRuleId('retries'), undefined);
  });

  it('finds chapters and rules, and explains what exists when it cannot', () => {
    assert.equal(findChapterOrRule(catalog, '5').kind, 'chapter');
    assert.equal(findChapterOrRule(catalog, 'R5.1').kind, 'rule');
    assert.deepEqual(findChapter(catalog, 0), { kind: 'error', message: 'There is no chapter 0: chapters are numbered 1 to 13.' });
    const missing = findRule(catalog, 'R2.1');
    assert.equal(missing.kind, 'error');
    assert.match(missing.kind === 'error' ? missing.message : '', /There is no rule R2\.1: rules exist in chapters 3 to 12/);
  });

  it('renders the contents with every load trigger, a chapter part and a rule with its checklist item', () => {
    const toc = renderToc(catalog, CLI_LINKS);
    for (const c of catalog.chapters) assert.ok(toc.includes(c.loadWhen), `chapter ${c.id} trigger`);
    const chapter = catalog.chapters.find((c) => c.id === 5);
    assert.ok(chapter);
    const narrative = renderChapter(chapter, 'narrative');
    assert.match(narrative, /## Narrative/);
    assert.doesNotMatch(narrative, /## Agent rules/);
    const rule = catalog.rules['R6.1'];
    assert.ok(rule);
    const text = renderBookRule(catalog, rule, CLI_LINKS);
    assert.match(text, /The analyzer checks this rule as `http-timeout`/);
    assert.match(text, /Self-audit item \(Outbound calls and timeouts\)/);
  });

  it('strips fenced examples, whatever their fence, and nothing else', () => {
    assert.equal(withoutExamples('- a\n\n```python flags=x\ncode\n```\n- b'), '- a\n- b');
    assert.equal(withoutExamples('- a\n  ~~~yaml\n  k: v\n  ~~~\n- b'), '- a\n- b');
  });
});

describe('the tools as VS Code declares them', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    contributes: { languageModelTools: { name: string; modelDescription: string; toolReferenceName: string; canBeReferencedInPrompt: boolean; tags: string[]; inputSchema: { type: string } }[] };
  };

  it('declares the four tools with the same model descriptions as the MCP server', () => {
    const declared = pkg.contributes.languageModelTools;
    assert.deepEqual(declared.map((t) => t.name), Object.values(VSCODE_TOOL_NAMES));
    for (const [key, name] of Object.entries(VSCODE_TOOL_NAMES)) {
      const tool = declared.find((t) => t.name === name);
      assert.ok(tool);
      assert.equal(tool.modelDescription, TOOL_TEXT[key as keyof typeof VSCODE_TOOL_NAMES], `${name} drifted from TOOL_TEXT.${key}`);
      assert.equal(tool.canBeReferencedInPrompt, true);
      assert.match(tool.toolReferenceName, /^[\w-]+$/);
      assert.ok(tool.tags.includes('reliability') && tool.tags.every((t) => !/^(copilot|vscode)_/.test(t)));
      assert.equal(tool.inputSchema.type, 'object');
    }
  });

  it('ships the MCP server as a bin', () => {
    assert.equal(pkg.bin['task-reliability-mcp'], './bin/task-reliability-mcp.js');
    assert.ok(fs.existsSync(path.join(repoRoot, 'bin', 'task-reliability-mcp.js')));
  });
});
