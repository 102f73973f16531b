import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receiveWebviewMessage, type WebviewHandlers } from '../../client/src/sidebar/dispatch.js';
import { makeNonce, sidebarErrorHtml, sidebarHtml } from '../../client/src/sidebar/html.js';
import { parseHostMessage, parseWebviewMessage, type WorkspaceFinding } from '../../client/src/sidebar/messages.js';
import { renderReport } from '../../client/src/sidebar/report.js';
import type { Catalog } from '../../server/src/catalog/types.js';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const resource = (file: string) => `${CSP_SOURCE}/ext/dist/${file}`;

interface Tag {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  /** The text between an opening tag and its closing tag, for <script> and <style>. */
  readonly body: string;
}

/** A small HTML tag scanner: enough to read back the document the extension generates. */
function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const tagPattern = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(tagPattern)) {
    const attrs = new Map<string, string>();
    for (const a of (m[2] ?? '').matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      attrs.set((a[1] ?? '').toLowerCase(), value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    }
    const name = (m[1] ?? '').toLowerCase();
    const end = (m.index ?? 0) + m[0].length;
    const close = ['script', 'style'].includes(name) ? html.indexOf(`</${name}>`, end) : -1;
    tags.push({ name, attrs, body: close < 0 ? '' : html.slice(end, close) });
  }
  return tags;
}

function csp(tags: readonly Tag[]): Map<string, string[]> {
  const meta = tags.filter((t) => t.name === 'meta' && t.attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy');
  assert.equal(meta.length, 1, 'exactly one CSP meta tag');
  return new Map((meta[0]?.attrs.get('content') ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0] !== '').map((d) => [d[0] ?? '', d.slice(1)]));
}

describe('sidebar webview HTML', () => {
  const nonce = makeNonce();
  const html = sidebarHtml({ cspSource: CSP_SOURCE, nonce, scriptUri: resource('webview.js'), styleUri: resource('sidebar.css'), codiconsUri: resource('codicons/codicon.css') });
  const tags = parseTags(html);

  it('has a strict Content-Security-Policy: nothing by default, styles and fonts from the webview only, scripts by nonce', () => {
    const policy = csp(tags);
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(policy.get('style-src'), [CSP_SOURCE]);
    assert.deepEqual(policy.get('font-src'), [CSP_SOURCE]);
    for (const [directive, sources] of policy) {
      assert.ok(!sources.some((s) => /unsafe-(inline|eval)|^\*$|^https?:$|^data:$/.test(s)), `${directive} allows ${sources.join(' ')}`);
    }
  });

  it('runs only its nonce’d bundle: no inline script, no event-handler attribute, no inline style', () => {
    const scripts = tags.filter((t) => t.name === 'script');
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.attrs.get('nonce'), nonce);
    assert.equal(scripts[0]?.attrs.get('src'), resource('webview.js'));
    assert.equal(scripts[0]?.body.trim(), '');
    assert.ok(tags.every((t) => ![...t.attrs.keys()].some((k) => k.startsWith('on'))), 'no on* attributes');
    assert.ok(tags.every((t) => !t.attrs.has('style')) && !tags.some((t) => t.name === 'style'), 'no inline styles');
  });

  it('loads nothing remote: every URL is a webview resource', () => {
    const urls = tags.flatMap((t) => ['src', 'href'].map((a) => t.attrs.get(a)).filter((v): v is string => v !== undefined));
    assert.deepEqual(urls.sort(), [resource('codicons/codicon.css'), resource('sidebar.css'), resource('webview.js')].sort());
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => makeNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{22}==$/, '128 bits, base64');
  });

  it('escapes what it puts in attributes', () => {
    const tricky = sidebarHtml({ cspSource: CSP_SOURCE, nonce: 'a"b', scriptUri: 'x"><script>alert(1)</script>', styleUri: 's', codiconsUri: 'c' });
    assert.equal(parseTags(tricky).filter((t) => t.name === 'script').length, 1);
  });
});

describe('sidebar error page', () => {
  const html = sidebarErrorHtml({ cspSource: CSP_SOURCE, styleUri: resource('sidebar.css'), message: 'dist/webview.js is <missing> & "gone"' });
  const tags = parseTags(html);

  it('runs no script at all and loads only its stylesheet', () => {
    const policy = csp(tags);
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.equal(policy.get('script-src'), undefined, 'no script source: default-src none forbids every script');
    assert.equal(tags.filter((t) => t.name === 'script').length, 0);
    const urls = tags.flatMap((t) => ['src', 'href'].map((a) => t.attrs.get(a)).filter((v): v is string => v !== undefined));
    assert.deepEqual(urls, [resource('sidebar.css')]);
  });

  it('shows the message as text, escaped, in an alert', () => {
    assert.match(html, /<p class="load-error" role="alert">dist\/webview\.js is &lt;missing&gt; &amp; &quot;gone&quot;<\/p>/);
    assert.doesNotMatch(html, /Loading the book/);
  });
});

describe('sidebar messages', () => {
  const calls: string[] = [];
  const logged: string[] = [];
  const handlers: WebviewHandlers = {
    ready: () => calls.push('ready'),
    reveal: (uri, range) => calls.push(`reveal ${uri} ${range.start.line}`),
    tick: (ruleId, ticked) => calls.push(`tick ${ruleId} ${ticked}`),
    exportReport: () => calls.push('export'),
    taskMap: (folder, refresh) => calls.push(`taskMap ${folder ?? '(current)'} ${refresh}`),
    openTaskFile: (folder, file, line) => calls.push(`open ${folder} ${file}:${line}`),
    error: (message) => calls.push(`error ${message}`),
  };
  const receive = (raw: unknown) => receiveWebviewMessage(raw, handlers, (line) => logged.push(line));

  it('dispatches each well-formed message from the webview', () => {
    calls.length = 0;
    const range = { start: { line: 4, character: 0 }, end: { line: 4, character: 9 } };
    assert.ok(receive({ type: 'ready' }));
    assert.ok(receive({ type: 'reveal', uri: 'file:///w/a.py', range }));
    assert.ok(receive({ type: 'tick', ruleId: 'R5.1', ticked: true }));
    assert.ok(receive({ type: 'export' }));
    assert.ok(receive({ type: 'error', message: 'boom' }));
    assert.ok(receive({ type: 'taskMap' }));
    assert.ok(receive({ type: 'taskMap', folder: 'file:///w', refresh: true }));
    assert.ok(receive({ type: 'openTaskFile', folder: 'file:///w', file: 'billing/tasks.py', line: 12 }));
    assert.deepEqual(calls, ['ready', 'reveal file:///w/a.py 4', 'tick R5.1 true', 'export', 'error boom',
      'taskMap (current) false', 'taskMap file:///w true', 'open file:///w billing/tasks.py:12']);
  });

  it('ignores and logs malformed and unknown messages without calling a handler', () => {
    calls.length = 0;
    logged.length = 0;
    const bad: unknown[] = [
      null, 42, 'ready', [], {}, { type: 'nope' }, { type: '__proto__' },
      { type: 'reveal', uri: 'file:///a' },
      { type: 'reveal', uri: 7, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
      { type: 'reveal', uri: 'file:///a', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 1 } } },
      { type: 'reveal', uri: 'file:///a', range: { start: { line: 0.5, character: 0 }, end: { line: 0, character: 1 } } },
      { type: 'tick', ruleId: 'R5.1' },
      { type: 'tick', ruleId: 'rm -rf', ticked: true },
      { type: 'tick', ruleId: 'R5.1', ticked: 'yes' },
      { type: 'error', message: 'x'.repeat(20_000) },
      { type: 'taskMap', folder: 3 },
      { type: 'taskMap', refresh: 'yes' },
      { type: 'openTaskFile', folder: 'file:///w', file: 'a.py' },
      { type: 'openTaskFile', folder: 'file:///w', file: 'a.py', line: 1.5 },
      { type: 'openTaskFile', file: 'a.py', line: 1 },
    ];
    for (const message of bad) assert.equal(receive(message), false, JSON.stringify(message)?.slice(0, 80));
    assert.deepEqual(calls, []);
    assert.equal(logged.length, bad.length);
    assert.ok(logged.every((l) => l.startsWith('Sidebar: ignored') && l.length < 320), 'logged briefly');
  });

  it('keeps only the known fields of an accepted message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'export', extra: { huge: true } }), { type: 'export' });
  });

  it('checks messages from the host in the webview too', () => {
    assert.equal(parseHostMessage({ type: 'navigate', location: { tab: 'chapters', chapter: 5, anchor: 'r5-1' } })?.type, 'navigate');
    assert.equal(parseHostMessage({ type: 'navigate', location: { tab: 'chapters', anchor: '"><img>' } }), undefined);
    assert.equal(parseHostMessage({ type: 'navigate', location: { tab: 'settings' } }), undefined);
    assert.equal(parseHostMessage({ type: 'file', file: null })?.type, 'file');
    assert.equal(parseHostMessage({ type: 'file', file: { uri: 'file:///a', name: 'a', supported: true, report: { signals: 'no' } } }), undefined);
    assert.equal(parseHostMessage({ type: 'ticks', ticks: ['R5.1', 3] }), undefined);
    assert.equal(parseHostMessage({ type: 'init', catalog: {}, searchIndex: '{}', ticks: [], file: null, findings: [] }), undefined);
  });
});

describe('sidebar self-audit report', () => {
  const catalog: Catalog = {
    version: 1, chapters: [], rules: {}, aliases: {}, matrix: [], examples: [],
    checklist: [
      { ruleId: 'R6.1', group: 'Timeouts', text: 'Every outbound call has a timeout.', answeredBy: ['http-timeout'] },
      { ruleId: 'R10.3', group: 'Schedules', text: 'Each scheduled job is safe to run twice.', answeredBy: [] },
      { ruleId: 'R5.1', group: 'Retries', text: 'Every retry is bounded.', answeredBy: ['retry-unbounded'] },
    ],
  };
  const finding: WorkspaceFinding = { rule: 'http-timeout', uri: 'file:///w/app.py', name: 'src/app.py', range: { start: { line: 11, character: 4 }, end: { line: 11, character: 20 } }, message: 'requests.post has no `timeout`', severity: 'warning' };
  const other: WorkspaceFinding = { ...finding, rule: 'cron-overlap', name: 'k8s/job.yaml', message: 'May overlap.' };

  it('writes the checklist with its state and the findings with file and line', () => {
    const text = renderReport({ catalog, findings: [finding, other], ticks: new Set(['R10.3']), workspaceName: 'shop', date: '2025-01-31' });
    assert.match(text, /^# Self-audit report: shop\n/);
    assert.match(text, /Task Reliability Hints on 2025-01-31/);
    assert.match(text, /\*\*1 failing · 1 done · 1 open\*\* of 3 items\./);
    assert.match(text, /## Timeouts\n\n- \[ \] \*\*R6\.1\*\* Every outbound call has a timeout\. — \*\*failing\*\* \(1 finding\)\n {2}- `src\/app\.py:12:5` http-timeout: requests\.post has no `timeout`\n/);
    assert.match(text, /- \[x\] \*\*R10\.3\*\* Each scheduled job is safe to run twice\.\n/);
    assert.match(text, /- \[ \] \*\*R5\.1\*\* Every retry is bounded\. — no findings in the open files; not yet confirmed/);
    assert.match(text, /## Other findings\n\n- `k8s\/job\.yaml:12:5` cron-overlap: May overlap\.\n$/);
  });

  it('says so when the book has no checklist', () => {
    assert.match(renderReport({ catalog: { ...catalog, checklist: [] }, findings: [], ticks: new Set(), workspaceName: 'w', date: '2025-01-01' }), /chapter 13 is missing/);
  });
});
