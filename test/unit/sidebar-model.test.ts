import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkspaceFinding } from '../../client/src/sidebar/messages.js';
import type { Catalog, ChecklistItem, MatrixRow } from '../../server/src/catalog/types.js';
import type { FileReport } from '../../server/src/protocol.js';
import { goBack, goForward, navigate, replace, startHistory } from '../../webview/src/history.js';
import { checklistView, factsOf, groupByChapter, matrixView, NO_FACTS } from '../../webview/src/model.js';
import { restoreState } from '../../webview/src/state.js';

const range = (line: number, character = 0) => ({ start: { line, character }, end: { line, character: character + 5 } });

function row(id: string, task: string, matches: string[], chapters: number[], firstMove = 'Do the thing.'): MatrixRow {
  return { id, task, matches, chapters, firstMove };
}

const chapter = (id: number, title: string) => ({ id, slug: `c${id}`, title, loadWhen: 'Load when.', sources: [], file: `${id}.md`, markdown: `# ${title}\n`, bodyLine: 5, ruleIds: [] });

const item = (ruleId: string, group: string, answeredBy: string[] = []): ChecklistItem => ({ ruleId, group, text: `Item ${ruleId}.`, answeredBy });

const CATALOG: Catalog = {
  version: 1,
  chapters: [chapter(5, 'Retries, backoff and jitter'), chapter(6, 'Timeouts and deadlines'), chapter(9, 'Queues and workers'), chapter(10, 'Scheduled and cron jobs')],
  rules: {},
  aliases: {},
  matrix: [
    row('M1', 'An outbound HTTP call (`requests.post`)', ['http-call'], [6, 5]),
    row('M2', 'A retry policy', ['retry'], [5]),
    row('M7', 'A schedule', ['schedule'], [10]),
    row('M10', 'Celery task with early ack', ['task-ack-early-side-effects'], [9], 'Set `acks_late=True`.'),
    row('M12', 'Outbound call with no timeout', ['http-timeout'], [6, 5]),
    row('M30', 'Run the nightly export on Kubernetes', [], [10, 6]),
  ],
  checklist: [
    item('R5.1', 'Retries', ['retry-unbounded']),
    item('R5.3', 'Retries', ['retry-no-jitter']),
    item('R6.1', 'Timeouts', ['http-timeout']),
    item('R10.3', 'Schedules'),
  ],
  examples: [],
};

const REPORT: FileReport = {
  uri: 'file:///w/app.py',
  version: 3,
  signals: [
    { kind: 'http-call', api: 'requests.post', chapters: [6, 5], range: range(12) },
    { kind: 'http-call', api: 'requests.get', chapters: [6, 5], range: range(4) },
    { kind: 'retry', api: 'tenacity.retry', chapters: [5, 4], range: range(2) },
  ],
  findings: [{ rule: 'http-timeout', ruleRef: 'R6.1', chapter: 6, severity: 'warning', message: 'No timeout.', range: range(12) }],
};

describe('sidebar model: decision matrix', () => {
  it('counts the signals and findings of the active file per row, and puts findings first', () => {
    const view = matrixView(CATALOG, factsOf(REPORT), { filter: '', onlyApplicable: false });
    assert.equal(view.total, 6);
    assert.equal(view.applicable, 3);
    assert.deepEqual(view.rows.slice(0, 3).map((r) => [r.row.id, r.findingCount, r.signalCount]), [['M12', 1, 0], ['M1', 0, 2], ['M2', 0, 1]]);
    assert.deepEqual(view.rows.filter((r) => !r.applies).map((r) => r.row.id), ['M7', 'M10', 'M30']);
  });

  it('highlights nothing without an active file', () => {
    const view = matrixView(CATALOG, NO_FACTS, { filter: '', onlyApplicable: false });
    assert.equal(view.applicable, 0);
    assert.deepEqual(view.rows.map((r) => r.row.id), ['M1', 'M2', 'M7', 'M10', 'M12', 'M30']);
    assert.equal(factsOf(null), NO_FACTS);
  });

  it('filters on every word, in the task, the first move, the matches and the chapter titles', () => {
    const ids = (filter: string, onlyApplicable = false) => matrixView(CATALOG, factsOf(REPORT), { filter, onlyApplicable }).rows.map((r) => r.row.id).sort();
    assert.deepEqual(ids('acks_late'), ['M10']);
    assert.deepEqual(ids('OUTBOUND timeout'), ['M1', 'M12'], 'M1 through its chapter 6, Timeouts and deadlines');
    assert.deepEqual(ids('http-call'), ['M1']);
    assert.deepEqual(ids('cron'), ['M30', 'M7'], 'chapter 10’s title names cron jobs');
    assert.deepEqual(ids('nothing-like-this'), []);
  });

  it('reads row ids and chapter references as exact', () => {
    const ids = (filter: string) => matrixView(CATALOG, NO_FACTS, { filter, onlyApplicable: false }).rows.map((r) => r.row.id).sort();
    assert.deepEqual(ids('m1'), ['M1'], 'm1 is not a prefix of M10 and M12');
    assert.deepEqual(ids('ch10'), ['M30', 'M7']);
    assert.deepEqual(ids('chapter6 kubernetes'), ['M30']);
  });

  it('shows only the applicable rows when asked', () => {
    const view = matrixView(CATALOG, factsOf(REPORT), { filter: '', onlyApplicable: true });
    assert.deepEqual(view.rows.map((r) => r.row.id), ['M12', 'M1', 'M2']);
    assert.equal(view.applicable, 3);
  });
});

describe('sidebar model: this file', () => {
  it('groups findings and signals by their first chapter, chapters with findings first, lines in order', () => {
    const groups = groupByChapter(CATALOG, REPORT);
    assert.deepEqual(groups.map((g) => [g.chapter, g.title, g.findings.length, g.signals.length]), [
      [6, 'Timeouts and deadlines', 1, 2],
      [5, 'Retries, backoff and jitter', 0, 1],
    ]);
    assert.deepEqual(groups[0]?.signals.map((s) => s.range.start.line), [4, 12]);
  });
});

describe('sidebar model: self-audit checklist', () => {
  const finding = (rule: string, name: string, line: number): WorkspaceFinding => ({ rule, uri: `file:///w/${name}`, name, range: range(line), message: 'm', severity: 'warning' });

  it('fails the items whose answering rules have findings, with the findings in file and line order', () => {
    const findings = [finding('http-timeout', 'b.py', 3), finding('http-timeout', 'a.py', 9), finding('http-timeout', 'a.py', 2), finding('cron-overlap', 'k.yaml', 1)];
    const view = checklistView(CATALOG.checklist, findings, new Set());
    const r61 = view.groups.flatMap((g) => g.items).find((i) => i.item.ruleId === 'R6.1');
    assert.equal(r61?.status, 'failing');
    assert.deepEqual(r61?.findings.map((f) => `${f.name}:${f.range.start.line}`), ['a.py:2', 'a.py:9', 'b.py:3']);
    assert.deepEqual(view.counts, { failing: 1, done: 0, open: 3, total: 4 });
  });

  it('counts ticked items as done, but a finding overrides a tick', () => {
    const view = checklistView(CATALOG.checklist, [finding('retry-unbounded', 'a.py', 1)], new Set(['R5.1', 'R5.3', 'R10.3']));
    const status = Object.fromEntries(view.groups.flatMap((g) => g.items).map((i) => [i.item.ruleId, [i.status, i.ticked, i.automated]]));
    assert.deepEqual(status, { 'R5.1': ['failing', true, true], 'R5.3': ['done', true, true], 'R6.1': ['open', false, true], 'R10.3': ['done', true, false] });
    assert.deepEqual(view.counts, { failing: 1, done: 2, open: 1, total: 4 });
  });

  it('keeps the book’s groups in order', () => {
    assert.deepEqual(checklistView(CATALOG.checklist, [], new Set()).groups.map((g) => [g.name, g.items.length]), [['Retries', 2], ['Timeouts', 1], ['Schedules', 1]]);
  });
});

describe('sidebar state: history and restore', () => {
  it('goes back and forward, and a new place clears the forward steps', () => {
    let h = startHistory({ tab: 'matrix' });
    h = navigate(h, { tab: 'chapters', chapter: 5 });
    h = navigate(h, { tab: 'chapters', chapter: 5, anchor: 'r5-3' });
    h = goBack(h);
    assert.deepEqual(h.current, { tab: 'chapters', chapter: 5 });
    h = goForward(h);
    assert.deepEqual(h.current, { tab: 'chapters', chapter: 5, anchor: 'r5-3' });
    h = goBack(goBack(h));
    assert.deepEqual(h.current, { tab: 'matrix' });
    h = navigate(h, { tab: 'search' });
    assert.equal(h.forward.length, 0);
    assert.equal(goForward(h), h);
    assert.deepEqual(replace(h, { tab: 'file' }).back, h.back);
    assert.equal(navigate(h, { tab: 'search' }), h, 'the same place is not a new step');
  });

  it('restores a saved state, and falls back to defaults for anything malformed', () => {
    const saved = {
      version: 1,
      history: { current: { tab: 'chapters', chapter: 9, anchor: 'r9-2' }, back: [{ tab: 'matrix' }], forward: [] },
      matrixFilter: 'retry', onlyApplicable: true, searchQuery: 'acks_late', chapters: { tab: 'chapters', chapter: 9 }, scroll: { matrix: 120, bad: -1, worse: 'x' },
    };
    const state = restoreState(saved);
    assert.deepEqual(state.history.current, { tab: 'chapters', chapter: 9, anchor: 'r9-2' });
    assert.equal(state.searchQuery, 'acks_late');
    assert.deepEqual(state.scroll, { matrix: 120 });
    assert.deepEqual(restoreState({ ...saved, history: { current: { tab: 'nowhere' }, back: [], forward: [] } }).history.current, { tab: 'matrix' });
    assert.deepEqual(restoreState('garbage').history.current, { tab: 'matrix' });
    assert.deepEqual(restoreState({ ...saved, version: 2 }).searchQuery, '');
  });
});
