import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Catalog } from '../../server/src/catalog/types.js';
import { AnchorCounter } from '../../webview/src/anchors.js';
import { searchBook, snippet } from '../../webview/src/search.js';
import { buildSearchIndex, chapterHeadings, indexTokens, loadSearchIndex, plainText, queryTokens, searchDocuments, searchIndexJson } from '../../webview/src/search-index.js';
import { distDir } from '../helpers/analyzer.js';
import { compileContent } from '../helpers/catalog.js';

const catalog = compileContent().catalog as Catalog;
const index = buildSearchIndex(catalog);
const top = (query: string, n = 3): string[] => searchBook(index, query).slice(0, n).map((h) => h.ref);

describe('sidebar search: terms', () => {
  it('keeps identifiers whole and indexes their parts too', () => {
    assert.deepEqual(indexTokens('Set acks_late=True (R9.2), http-timeout; jobId.'), ['Set', 'acks_late', 'acks', 'late', 'True', 'R9.2', 'R9', '2', 'http-timeout', 'http', 'timeout', 'jobId', 'job', 'Id']);
    assert.deepEqual(queryTokens('acks_late R9.2 jobId'), ['acks_late', 'R9.2', 'jobId']);
  });

  it('turns Markdown into plain text for matching and snippets', () => {
    assert.equal(plainText('**RULE:** Set `acks_late=True` on [the task](x.md).\n\n```python\nx = 1\n```\n- item one'), 'RULE: Set acks_late=True on the task. x = 1 item one');
  });

  it('gives headings outside code fences the anchors the renderer gives them, repeats numbered', () => {
    const headings = chapterHeadings('# Title\n## Narrative\n```md\n## not a heading\n```\n### R5.1 Bound every retry\n## Notes\n## Notes\n');
    assert.deepEqual(headings.map((h) => h.anchor), ['s-title', 's-narrative', 'r5-1', 's-notes', 's-notes-2']);
    assert.equal(new AnchorCounter().next('Why `acks_late` *matters*'), 's-why-acks-late-matters');
  });
});

describe('sidebar search: the book', () => {
  it('finds rules by id, exactly and by prefix', () => {
    assert.equal(top('R5.3')[0], 'R5.3');
    assert.equal(top('r10.1')[0], 'R10.1');
    assert.ok(searchBook(index, 'R5').slice(0, 8).every((h) => h.ref.startsWith('R5.')), 'R5 lists chapter 5’s rules first');
  });

  it('finds framework option names', () => {
    assert.equal(top('acks_late')[0], 'R9.2');
    assert.ok(top('jobId', 5).includes('R4.2'));
    assert.ok(top('MessageDeduplicationId', 5).includes('R4.2'));
    assert.ok(top('concurrencyPolicy', 5).some((ref) => ref.startsWith('R10.') || ref === 'M20'));
  });

  it('matches prefixes and misspellings', () => {
    assert.equal(top('idempot', 10).length, 10);
    assert.equal(top('jiter')[0], 'R5.3', 'fuzzy: one letter missing');
    assert.ok(top('visibilty timeout', 5).includes('R3.6'), 'fuzzy: a typo in a two-word query');
  });

  it('shows each result with a snippet that marks the matched words', () => {
    const hit = searchBook(index, 'acks_late')[0];
    assert.ok(hit?.snippet.some((p) => p.mark && p.text.toLowerCase() === 'acks_late'), JSON.stringify(hit?.snippet));
    assert.equal(hit?.kind, 'rule');
    assert.equal(hit?.anchor, 'r9-2');
    assert.equal(hit?.chapter, 9);
  });

  it('answers nothing for nonsense or an empty query', () => {
    assert.deepEqual(searchBook(index, 'xyzzyplugh'), []);
    assert.deepEqual(searchBook(index, '   '), []);
  });

  it('indexes every rule, every matrix row and every chapter', () => {
    const docs = searchDocuments(catalog);
    for (const id of Object.keys(catalog.rules)) assert.ok(docs.some((d) => d.id === id), id);
    for (const row of catalog.matrix) assert.ok(docs.some((d) => d.id === row.id), row.id);
    for (const c of catalog.chapters) assert.ok(docs.some((d) => d.id === `c${c.id}`), `chapter ${c.id}`);
    assert.ok(docs.every((d) => d.text !== ''), 'no empty document');
  });

  it('ships a build-time index that loads and answers like a fresh one', (t) => {
    const file = path.join(distDir, 'search-index.json');
    if (!fs.existsSync(file)) return t.skip('run the build first');
    const json = fs.readFileSync(file, 'utf8');
    assert.equal(json, searchIndexJson(catalog), 'dist/search-index.json is out of date with content/');
    const loaded = loadSearchIndex(json);
    for (const q of ['acks_late', 'jitter', 'R6.1']) assert.deepEqual(searchBook(loaded, q).map((h) => h.id), searchBook(index, q).map((h) => h.id), q);
  });
});

describe('sidebar search: snippets', () => {
  it('cuts around the first match at word boundaries and marks every match', () => {
    const text = `${'lorem '.repeat(30)}set acks_late on the task; acks_late again ${'ipsum '.repeat(40)}`;
    const parts = snippet(text, ['acks_late']);
    assert.equal(parts[0]?.text, '…');
    assert.equal(parts[parts.length - 1]?.text, '…');
    assert.equal(parts.filter((p) => p.mark).length, 2);
    assert.ok(!parts[1]?.text.startsWith('orem'), 'does not start mid-word');
  });

  it('prefers the longer of overlapping terms and shows the start when nothing matches', () => {
    assert.deepEqual(snippet('Use acks_late.', ['acks', 'acks_late']).filter((p) => p.mark).map((p) => p.text), ['acks_late']);
    assert.deepEqual(snippet('Short text.', ['zzz']), [{ text: 'Short text.', mark: false }]);
  });
});
