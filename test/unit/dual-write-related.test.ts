import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageFromPath, type LanguageId } from '../../server/src/analysis/index.js';
import { toDiagnostic } from '../../server/src/lsp/convert.js';
import { repoRoot, testAnalyzer } from '../helpers/analyzer.js';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'rules', 'dual-write');
const links = { rule: (id: string) => `command:showRule?${id}`, chapter: (id: number) => `command:openChapter?${id}` };

/** For each dual write of a positive fixture: the line of the send, and the text and line of the place it names. */
async function relatedOf(file: string): Promise<[number, string, number][]> {
  const text = fs.readFileSync(path.join(fixtures, file), 'utf8');
  const result = await testAnalyzer().analyze(text, languageFromPath(file) as LanguageId);
  const line = (offset: number): number => text.slice(0, offset).split('\n').length;
  return result.findings.filter((f) => f.rule === 'dual-write').map((f) => {
    assert.equal(f.related?.length, 1, `${file}:${line(f.range.start)} names one place`);
    const range = f.related?.[0]?.range;
    assert.ok(range !== undefined, 'in the same file');
    return [line(f.range.start), text.slice(range.start, range.end), line(range.start)];
  });
}

describe('dual-write names the write (or the transaction) it pairs the send with', () => {
  it('Python: the write in the transaction, or the uncommitted write before the send', async () => {
    assert.deepEqual(await relatedOf('positive.py'), [
      [18, 'order.save', 17], [25, 'Order.objects.filter(id=order_id).update', 27], [39, 'session.add', 38], [47, 'session.add', 46], [56, 'Order.objects.filter(pk__in=ids).update', 55],
    ]);
  });

  it('JavaScript and TypeScript: the ORM or SQL write', async () => {
    assert.deepEqual(await relatedOf('positive.js'), [[12, 'prisma.order.create', 11], [20, 'tx.order.update', 19], [27, 'pool.query', 26]]);
    assert.deepEqual(await relatedOf('positive.ts'), [[11, 'orders.save', 10]]);
  });

  it('Go and Java: the write in the transaction', async () => {
    assert.deepEqual(await relatedOf('positive.go'), [[24, 'tx.ExecContext', 20], [35, 'db.Exec', 32], [45, 'tx.Create', 42]]);
    assert.deepEqual((await relatedOf('positive.java')).map(([send, , write]) => [send, write]), [[36, 35], [43, 42], [50, 49], [57, 56]]);
  });

  it('Ruby: where the transaction opens, the block or the save callback', async () => {
    assert.deepEqual(await relatedOf('positive.rb'), [[8, 'Order.transaction', 5], [17, 'ActiveRecord::Base.transaction', 14], [30, 'after_create', 24], [35, 'after_save', 25], [45, 'before_create', 42], [53, 'transaction', 51]]);
  });

  it('reaches the editor as related information in the same document', async () => {
    const text = fs.readFileSync(path.join(fixtures, 'positive.py'), 'utf8');
    const result = await testAnalyzer().analyze(text, 'python');
    const finding = result.findings.find((f) => f.rule === 'dual-write');
    assert.ok(finding !== undefined);
    const doc = TextDocument.create('file:///shop/orders.py', 'python', 1, text);
    const diagnostic = toDiagnostic(doc, finding, links);
    assert.deepEqual(diagnostic.relatedInformation, [{
      location: { uri: 'file:///shop/orders.py', range: { start: { line: 16, character: 8 }, end: { line: 16, character: 18 } } },
      message: '`order.save` writes in the same transaction, which commits only after the send',
    }]);
  });
});
