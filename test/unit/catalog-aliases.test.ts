import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../../server/src/analysis/index.js';
import { CLI_LINKS, MCP_LINKS } from '../../server/src/agents/links.js';
import { findRule } from '../../server/src/agents/lookup.js';
import { renderBookRule } from '../../server/src/agents/render-book.js';
import { compileCatalog, type SourceFile } from '../../server/src/catalog/compile.js';
import { bookRule, liveRuleId, resolveRuleAnchor, type Catalog } from '../../server/src/catalog/types.js';
import { hoverAt } from '../../server/src/lsp/hover.js';
import { makeLinks } from '../../server/src/lsp/links.js';
import { compileContent } from '../helpers/catalog.js';

/** A content chapter with the given rule numbers, and an `aliases` line when one is given. */
function chapterFile(id: number, slug: string, numbers: readonly number[], aliases?: string): SourceFile {
  const rules = numbers.map((n) => `### R${id}.${n} Rule ${n}\n\n**RULE:** Do ${n}.\n\n**WHY:** Because (source).\n\n**APPLY:**\n- **Any framework:** do it.\n`);
  return {
    name: `${String(id).padStart(2, '0')}-${slug}.md`,
    text: [
      '---',
      `id: ${id}`,
      `slug: ${slug}`,
      `title: Chapter ${id}`,
      'load_when: Load when testing.',
      ...(aliases === undefined ? [] : [`aliases: ${aliases}`]),
      'sources:',
      '  - a source',
      '---',
      '',
      `# Chapter ${id}`,
      '',
      '## Narrative',
      '',
      'Text.',
      '',
      '## Agent rules',
      '',
      ...rules,
    ].join('\n'),
  };
}

const compileWith = (aliases: string | undefined, numbers: readonly number[] = [2, 3]) =>
  compileCatalog([chapterFile(3, 'delivery', [1, 2, 3]), chapterFile(9, 'queues', numbers, aliases)]);

describe('rule aliases in the catalog compiler', () => {
  it('reads a chapter\'s aliases into the catalog and lets the retired numbers stay unused', () => {
    const result = compileWith('{ R9.1: R3.2, R9.4: R3.3 }', [2, 3, 5]);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.catalog?.aliases, { 'R9.1': 'R3.2', 'R9.4': 'R3.3' });
    assert.deepEqual(result.catalog?.chapters.find((c) => c.id === 9)?.ruleIds, ['R9.2', 'R9.3', 'R9.5']);
  });

  it('still reports a gap in the numbering that no alias explains', () => {
    const result = compileWith('{ R9.1: R3.2 }', [2, 4]);
    assert.deepEqual(result.errors.map((e) => e.message), ['rule ids are numbered without gaps: expected R9.3']);
  });

  it('rejects an alias whose target is not a rule, at the line of the aliases key', () => {
    const result = compileWith('{ R9.1: R3.7 }');
    assert.equal(result.catalog, undefined);
    assert.deepEqual(result.errors, [{ file: '09-queues.md', line: 6, message: 'alias R9.1 points to R3.7, which is not a rule of the book' }]);
  });

  it('rejects an alias that collides with a live rule id', () => {
    const result = compileWith('{ R9.2: R3.2 }', [1, 2, 3]);
    assert.deepEqual(result.errors.map((e) => e.message), ['alias R9.2 collides with the rule R9.2 of this chapter: a retired id has no rule heading']);
  });

  it('rejects an alias of another chapter\'s id, a malformed alias and a list', () => {
    assert.deepEqual(compileWith('{ R5.1: R3.2, R9.1: R3.2 }').errors.map((e) => e.message), ['alias R5.1: a chapter retires only its own rule ids (R9.<n>)']);
    assert.deepEqual(compileWith('{ R9.1: three }').errors.map((e) => e.message), ['alias R9.1: both sides are rule ids such as R9.1: R3.2', 'rule ids are numbered without gaps: expected R9.1']);
    assert.match(compileWith('[R9.1, R3.2]').errors[0]?.message ?? '', /`aliases` is a map from a retired rule id to the live rule id/);
  });

  it('accepts references to a retired id and moves checklist items to the live rule', () => {
    const checklist = {
      name: '13-self-audit-checklist.md',
      text: '---\nid: 13\nslug: self-audit-checklist\ntitle: Checklist\nload_when: Load when testing.\nsources: []\n---\n\n# Checklist\n\nSee R9.1.\n\n## Checklist\n\n### Delivery\n\n- [ ] **R9.1** Ack late. Answered by `consumer-auto-ack`.\n',
    };
    const result = compileCatalog([chapterFile(3, 'delivery', [1, 2, 3]), chapterFile(9, 'queues', [2], '{ R9.1: R3.2 }'), checklist]);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.filter((w) => /rule/.test(w.message)), []);
    assert.equal(result.catalog?.checklist[0]?.ruleId, 'R3.2');
  });

  it('resolves ids and old anchors through the aliases', () => {
    const catalog = compileWith('{ R9.1: R3.2 }').catalog as Catalog;
    assert.equal(liveRuleId(catalog, 'R9.1'), 'R3.2');
    assert.equal(liveRuleId(catalog, 'R9.2'), 'R9.2');
    assert.equal(bookRule(catalog, 'R9.1')?.id, 'R3.2');
    assert.equal(bookRule(catalog, 'R9.7'), undefined);
    assert.equal(bookRule(catalog, 'constructor'), undefined);
    assert.deepEqual(resolveRuleAnchor(catalog, 9, 'r9-1'), { chapter: 3, anchor: 'r3-2' });
    assert.deepEqual(resolveRuleAnchor(catalog, 9, 'r9-2'), { chapter: 9, anchor: 'r9-2' });
    assert.deepEqual(resolveRuleAnchor(catalog, 9, 's-narrative'), { chapter: 9, anchor: 's-narrative' });
  });
});

describe('the book\'s retired rule ids', () => {
  const catalog = compileContent().catalog as Catalog;
  const links = { rule: (id: string) => `rule:${id}`, chapter: (id: number) => `chapter:${id}` };

  it('lists R9.1, R9.4 and R9.8 as aliases of R3.2, R3.6 and R6.6', () => {
    assert.deepEqual(catalog.aliases, { 'R9.1': 'R3.2', 'R9.4': 'R3.6', 'R9.8': 'R6.6' });
    for (const id of Object.keys(catalog.aliases)) assert.equal(catalog.rules[id], undefined, `${id} is retired but still has a heading`);
  });

  it('finds the live rule for a retired id, and says so, in the rule tool and the book command', () => {
    const found = findRule(catalog, 'r9.1');
    assert.equal(found.kind, 'rule');
    assert.ok(found.kind === 'rule');
    assert.equal(found.rule.id, 'R3.2');
    assert.equal(found.retiredId, 'R9.1');
    for (const agentLinks of [MCP_LINKS, CLI_LINKS]) {
      const text = renderBookRule(catalog, found.rule, agentLinks, undefined, found.retiredId);
      assert.match(text, /^# R3\.2 /);
      assert.match(text, /R9\.1 is no longer a rule of its own: the book states it as R3\.2\./);
    }
    const live = findRule(catalog, 'R3.2');
    assert.ok(live.kind === 'rule' && live.retiredId === undefined);
  });

  it('links a retired id to the live rule\'s chapter file and anchor', () => {
    const href = makeLinks(catalog, 'file', '/book').rule('R9.4');
    assert.match(href, /\/03-delivery-semantics\.md#r3-6$/);
  });

  it('shows the live rule in the hover of a finding that cites a retired id', () => {
    const text = 'channel.basic_consume(queue="q", on_message_callback=cb, auto_ack=True)\n';
    const doc = TextDocument.create('file:///w/consumer.py', 'python', 1, text);
    const finding = {
      rule: 'consumer-auto-ack', ruleRef: 'R9.1', chapter: 9, severity: 'warning' as const, message: 'acknowledged before processing',
      range: { start: 0, end: text.length - 1 }, fixes: [], suppressLine: [], suppressFile: [],
    };
    const result: AnalysisResult = { language: 'python', signals: [], findings: [finding], suppressed: [], suppressions: [], hasSyntaxErrors: false };
    const hover = hoverAt(doc, result, 5, catalog, links);
    const value = hover === null ? '' : (hover.contents as { value: string }).value;
    assert.match(value, /\*\*\[R3\.2\]\(rule:R3\.2\) /);
    assert.doesNotMatch(value, /\[R9\.1\]/, 'the card links the live rule, never the retired id');
  });
});
