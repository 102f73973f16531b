import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNAL_CHAPTERS, SIGNAL_KINDS, SIGNAL_RISKS } from '../../server/src/analysis/index.js';
import { renderSignalCard } from '../../server/src/catalog/render.js';
import type { Catalog } from '../../server/src/catalog/types.js';
import { compileContent } from '../helpers/catalog.js';

const catalog = compileContent().catalog as Catalog;
const links = { rule: (id: string) => `rule:${id}`, chapter: (id: number) => `chapter:${id}` };

describe('hover cards', () => {
  for (const kind of SIGNAL_KINDS) {
    it(`a ${kind} signal shows the rules of chapter ${SIGNAL_CHAPTERS[kind][0]}`, () => {
      const chapters = SIGNAL_CHAPTERS[kind];
      const card = renderSignalCard(catalog, { kind, api: 'example.api', chapters, risk: SIGNAL_RISKS[kind] }, [], links);
      const first = catalog.chapters.find((c) => c.id === chapters[0]);
      assert.ok(first);
      assert.ok(card.includes(SIGNAL_RISKS[kind]));
      assert.ok(card.includes(`Chapter ${first.id} · [${first.title}](chapter:${first.id})`), card);
      assert.ok(first.ruleIds.length > 0 && card.includes(`[${first.ruleIds[0]}](rule:${first.ruleIds[0]})`), card);
    });
  }

  it('shows a finding with its book rule in full: RULE, WHY and APPLY', () => {
    const card = renderSignalCard(catalog, { kind: 'http-call', api: 'requests.get', chapters: SIGNAL_CHAPTERS['http-call'], risk: 'r' },
      [{ rule: 'http-timeout', ruleRef: 'R6.1', severity: 'warning', message: 'no timeout' }], links);
    assert.match(card, /\*\*Warning\*\* `http-timeout`: no timeout/);
    assert.match(card, /\*\*RULE:\*\*/);
    assert.match(card, /\*\*WHY:\*\*/);
    assert.match(card, /\*\*APPLY:\*\*/);
    assert.doesNotMatch(card, /```/);
  });
});
