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

  it('lists the five tools, each with a description and an input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['audit', 'chapter', 'map', 'route', 'rule']);
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

  it('maps the project: tasks with their settings and callers, as Markdown or as the TaskMap JSON', async () => {
    const markdown = await call('map', {});
    assert.equal(markdown.isError, false, markdown.text);
    assert.match(markdown.text, /^# Task map/);
    const json = await call('map', { format: 'json' });
    const map = JSON.parse(json.text) as { version: number; tasks: { name: string; framework: string }[] };
    assert.equal(map.version, 1);
    assert.ok(map.tasks.length > 0, 'the examples define tasks');
    const missing = await call('map', { folder: 'no-such-folder' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /no-such-folder/);
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

  it('returns a chapter with only one framework\'s APPLY steps and the general ones', async () => {
    const whole = await call('chapter', { chapter: 9, part: 'rules' });
    const celery = await call('chapter', { chapter: 9, part: 'rules', framework: 'celery' });
    assert.equal(celery.isError, false);
    assert.match(celery.text, /> APPLY steps for Celery and for any framework only/);
    assert.match(celery.text, /^- \*\*Celery:\*\* `@app\.task\(acks_late=True\)`/m);
    assert.match(whole.text, /^- \*\*(BullMQ|Sidekiq|Spring Kafka|kafkajs):/m);
    assert.doesNotMatch(celery.text, /^- \*\*(BullMQ|Sidekiq|Spring Kafka|kafkajs):/m);
    assert.match(celery.text, /^\*\*WHY:\*\*/m, 'RULE and WHY stay whole');
    assert.ok(celery.text.length < whole.text.length * 0.8, `${celery.text.length} of ${whole.text.length}`);
  });

  it('returns a rule for one framework', async () => {
    const { text, isError } = await call('rule', { id: 'R6.1', framework: 'axios' });
    assert.equal(isError, false);
    assert.match(text, /^- \*\*axios:\*\* `timeout: 0`/m);
    assert.doesNotMatch(text, /\*\*(requests|got|Go|Java):\*\*/);
  });

  it('routes files with the APPLY steps of the frameworks they use', async () => {
    const { text, isError } = await call('route', { files: ['billing/tasks.py'], budget: 20000 });
    assert.equal(isError, false);
    assert.match(text, /APPLY steps for Celery, requests, tenacity \(the frameworks your files use\) and for any framework\./);
    assert.match(text, /^- \*\*Celery:\*\*/m);
    assert.doesNotMatch(text, /^- \*\*(BullMQ|Sidekiq|axios):\*\*/m);
  });

  it('documents `framework` in the chapter and rule schemas', async () => {
    const { tools } = await client.listTools();
    for (const name of ['chapter', 'rule']) {
      const schema = tools.find((t) => t.name === name)?.inputSchema.properties?.['framework'] as { type?: string; description?: string } | undefined;
      assert.equal(schema?.type, 'string', name);
      assert.match(schema?.description ?? '', /Celery, BullMQ/);
    }
  });

  describe('bad input', () => {
    const cases: readonly [string, string, Record<string, unknown>, RegExp][] = [
      ['a route with neither task nor files', 'route', {}, /route needs `task` \(the work in words\), `files`, or both/],
      ['a framework the book does not name', 'chapter', { chapter: 5, framework: 'celeryx' }, /"celeryx" is not a framework the book names\. Use one of: Celery, RQ,/],
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
