// Drives the built MCP server (dist/mcp.js) over stdio with the SDK's own client, as an MCP host
// would: it lists the tools and resources, calls each tool, reads chapters, and sends bad input.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { distDir, repoRoot } from '../helpers/analyzer.js';

const client = new Client({ name: 'task-reliability-test', version: '1.0.0' });
let stderr = '';

/** The text of a tool result, and whether the server flagged it as an error. */
async function call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { text, isError: result.isError === true };
}

before(async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(distDir, 'mcp.js'), '--root', path.join(repoRoot, 'examples')],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await client.connect(transport);
});

after(async () => {
  await client.close();
});

describe('the MCP server over stdio', () => {
  it('introduces itself with instructions that say when to call route and audit', () => {
    assert.equal(client.getServerVersion()?.name, 'task-reliability');
    assert.match(client.getInstructions() ?? '', /Call `route` with the\s+task/);
  });

  it('lists the four tools, each with a description and an input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['audit', 'chapter', 'route', 'rule']);
    for (const tool of tools) {
      assert.ok((tool.description ?? '').length > 100, `${tool.name} description`);
      assert.equal(tool.inputSchema.type, 'object');
      assert.equal(tool.annotations?.readOnlyHint, true);
    }
    const route = tools.find((t) => t.name === 'route');
    assert.deepEqual(Object.keys(route?.inputSchema.properties ?? {}).sort(), ['budget', 'files', 'task']);
  });

  it('lists the contents and the thirteen chapters as resources', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes('book://contents'));
    for (let n = 1; n <= 13; n++) assert.ok(uris.includes(`book://chapter/${n}`), `book://chapter/${n}`);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ['book://chapter/{id}']);
  });

  it('reads a chapter resource as Markdown with its load trigger first', async () => {
    const { contents } = await client.readResource({ uri: 'book://chapter/5' });
    const [first] = contents;
    assert.ok(first !== undefined && 'text' in first);
    assert.equal(first.mimeType, 'text/markdown');
    assert.match(first.text, /^> Chapter 5 of .*\. Load when code retries/);
    assert.match(first.text, /# Retries, backoff and jitter/);
    assert.match(first.text, /### R5\.1 /);
  });

  it('rejects a chapter resource that does not exist, saying which do', async () => {
    await assert.rejects(client.readResource({ uri: 'book://chapter/99' }), /There is no chapter 99: chapters are numbered 1 to 13/);
  });

  it('routes a task to its chapters, matrix row and rules', async () => {
    const { text, isError } = await call('route', { task: 'retry the webhook on 5xx' });
    assert.equal(isError, false);
    assert.match(text, /## Read, in order\n1\. \[\*\*Chapter 12, Notifications, emails and webhooks\*\*\]\(book:\/\/chapter\/12\)/);
    assert.match(text, /\*\*M29\*\* Retry the webhook on 5xx/);
    assert.match(text, /### R5\.1 Bound every retry/);
    assert.match(text, /\*\*RULE:\*\*/);
    assert.ok(text.length <= 6000, `${text.length} characters`);
  });

  it('routes from files too, citing their findings with lines', async () => {
    const { text, isError } = await call('route', { task: 'charge the order and sync the invoice', files: ['billing/tasks.py'], budget: 5000 });
    assert.equal(isError, false);
    assert.match(text, /`billing\/tasks\.py:14:\d+` `http-timeout` \(R6\.1, warning\)/);
    assert.ok(text.length <= 5000, `${text.length} characters`);
    assert.match(text, /## More rules \(not shown\)\n.*To read one, call the `rule` tool with its id\./);
  });

  it('audits a file: findings with their fixes as edits, and the checklist', async () => {
    const { text, isError } = await call('audit', { files: ['billing/tasks.py'] });
    assert.equal(isError, false);
    assert.match(text, /## billing\/tasks\.py/);
    assert.match(text, /- \*\*14:\d+\*\* `http-timeout` \(\[R6\.1\]\(book:\/\/chapter\/6#r6-1\), warning\)/);
    assert.match(text, /Code: `response = requests\.post\(`/);
    assert.match(text, /Fix: .*\n  - (insert at|replace) \d+:\d+/);
    assert.match(text, /- \[ \] \[\*\*R6\.1\*\*\]\(book:\/\/chapter\/6#r6-1\) .*\*\*failing\*\*: \d+ findings? of `http-timeout`/);
    assert.match(text, /check by hand/);
  });

  it('audits a folder', async () => {
    const { text, isError } = await call('audit', { folder: 'k8s' });
    assert.equal(isError, false);
    assert.match(text, /## k8s\/cronjobs\.yaml/);
    assert.match(text, /`cron-overlap`/);
    assert.match(text, /Chapters touched: 10/);
  });

  it('returns a rule in full, accepting the id as people type it', async () => {
    const { text, isError } = await call('rule', { id: 'r5.1' });
    assert.equal(isError, false);
    assert.match(text, /^# R5\.1 Bound every retry/);
    assert.match(text, /\*\*WHY:\*\*/);
    assert.match(text, /The analyzer checks this rule as `retry-unbounded`/);
  });

  it('returns the live rule for a retired rule id', async () => {
    const { text, isError } = await call('rule', { id: 'R9.4' });
    assert.equal(isError, false);
    assert.match(text, /^# R3\.6 /);
    assert.match(text, /R9\.4 is no longer a rule of its own: the book states it as R3\.6\./);
  });

  it('returns a chapter part, and the contents when no chapter is given', async () => {
    const rules = await call('chapter', { chapter: 10, part: 'rules' });
    assert.equal(rules.isError, false);
    assert.match(rules.text, /## Agent rules/);
    assert.doesNotMatch(rules.text, /## Narrative/);
    const toc = await call('chapter', {});
    assert.match(toc.text, /^# Distributed Task Reliability/);
    assert.match(toc.text, /10\. \[\*\*Scheduled and cron jobs\*\*\]\(book:\/\/chapter\/10\): Load when/);
  });

  describe('bad input', () => {
    const cases: readonly [string, string, Record<string, unknown>, RegExp][] = [
      ['a route with neither task nor files', 'route', {}, /route needs `task` \(the work in words\), `files`, or both/],
      ['a budget below the minimum', 'route', { task: 'retry', budget: 10 }, /Input validation error.*budget/s],
      ['a task that is not a string', 'route', { task: 42 }, /Input validation error.*task/s],
      ['a path that does not exist', 'audit', { files: ['nope/missing.py'] }, /no such file or folder: nope\/missing\.py \(paths are relative to .*examples\)/],
      ['both files and a folder', 'audit', { files: ['billing/tasks.py'], folder: 'k8s' }, /give `files` or `folder`, not both/],
      ['an unknown checklist scope', 'audit', { checklist: 'some' }, /Input validation error.*checklist/s],
      ['a rule that does not exist', 'rule', { id: 'R5.99' }, /There is no rule R5\.99: chapter 5 has R5\.1 to R5\.\d+/],
      ['something that is not a rule id', 'rule', { id: 'retries' }, /"retries" is not a rule id: rule ids read R<chapter>\.<n>/],
      ['a chapter past the last', 'chapter', { chapter: 14 }, /Input validation error.*the book has 13 chapters/s],
      ['a chapter given in words', 'chapter', { chapter: 'five' }, /Input validation error.*chapter/s],
      ['a tool that does not exist', 'summarise', {}, /Tool summarise not found/],
    ];
    for (const [title, tool, args, message] of cases) {
      it(`rejects ${title} with a clear error`, async () => {
        const { text, isError } = await call(tool, args);
        assert.equal(isError, true, text);
        assert.match(text, message);
      });
    }
  });

  it('wrote nothing unexpected to standard error', () => {
    assert.equal(stderr, '');
  });
});
