// The language-model tools inside a real VS Code: they are listed in vscode.lm.tools, and
// vscode.lm.invokeTool returns text parts built from the book and the analyzer, on the demo
// workspace (examples/) that run-exthost-tests.mjs opens.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'task-reliability-hints.task-reliability-hints';
const NAMES = ['taskReliability_audit', 'taskReliability_chapter', 'taskReliability_map', 'taskReliability_route', 'taskReliability_rule'];

/** Invokes one of our tools outside a chat request (no invocation token) and returns its text. */
async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  assert.ok(result.content.length > 0, `${name} returned no part`);
  for (const part of result.content) assert.ok(part instanceof vscode.LanguageModelTextPart, `${name} returned a part that is not text`);
  return result.content.map((p) => (p as vscode.LanguageModelTextPart).value).join('\n');
}

describe('language-model tools (vscode.lm)', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('lm.tools lists our five tools with their descriptions, schemas and tags', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('taskReliability_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), NAMES);
    for (const tool of ours) {
      assert.ok(tool.description.length > 100, `${tool.name} description`);
      assert.ok(tool.inputSchema !== undefined, `${tool.name} input schema`);
      assert.ok(tool.tags.includes('reliability'), `${tool.name} tags`);
    }
  });

  it('lm map answers the demo workspace\'s task map from the language server', async () => {
    const map = JSON.parse(await invoke('taskReliability_map', {})) as { version: number; tasks: { name: string; framework: string; file: string }[] };
    assert.equal(map.version, 1);
    const task = map.tasks.find((t) => t.name === 'charge_order');
    assert.ok(task, 'the Celery task of billing/tasks.py is on the map');
    assert.equal(task.framework, 'celery');
    assert.equal(task.file, 'billing/tasks.py');
  });

  it('lm route answers a task with its chapters, matrix row and rules', async () => {
    const text = await invoke('taskReliability_route', { task: 'retry the webhook on 5xx' });
    assert.match(text, /## Read, in order\n1\. \[\*\*Chapter 12, Notifications, emails and webhooks\*\*\]\(file:\/\/.*\/dist\/content\/12-notifications-emails-webhooks\.md\)/);
    assert.match(text, /\*\*M29\*\* Retry the webhook on 5xx/);
    assert.match(text, /### R5\.1 Bound every retry/);
  });

  it('lm route reads the active editor, unsaved edits included', async () => {
    const [file] = await vscode.workspace.findFiles('billing/tasks.py');
    assert.ok(file, 'billing/tasks.py is in the demo workspace');
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\n\ndef ping():\n    return requests.get("https://status.example")\n'));
    const text = await invoke('taskReliability_route', { task: 'charge the order', activeEditor: true });
    assert.match(text, /`billing\/tasks\.py:14:\d+` `http-timeout` \(R6\.1, warning\)/);
    assert.match(text, new RegExp(`\`billing/tasks\\.py:${doc.lineCount - 1}:\\d+\` \`http-timeout\``));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('lm audit returns the findings of a demo file with their fixes, and the open checklist items', async () => {
    const text = await invoke('taskReliability_audit', { files: ['billing/tasks.py'] });
    assert.match(text, /^# Reliability audit/);
    assert.match(text, /## billing\/tasks\.py/);
    assert.match(text, /- \*\*14:\d+\*\* `http-timeout` \(\[R6\.1\]\(file:\/\/[^)]*06-timeouts-and-deadlines\.md#r6-1\), warning\)/);
    assert.match(text, /Fix: .*\n  - (insert at|replace) \d+:\d+/);
    assert.match(text, /## Self-audit checklist \(chapter 13\)/);
    assert.match(text, /\*\*failing\*\*: \d+ findings? of `http-timeout`/);
    assert.match(text, /check by hand/);
  });

  it('lm audit walks a folder', async () => {
    const text = await invoke('taskReliability_audit', { folder: 'k8s' });
    assert.match(text, /## k8s\/cronjobs\.yaml/);
    assert.match(text, /`cron-overlap`/);
  });

  it('lm rule and chapter return the book text', async () => {
    assert.match(await invoke('taskReliability_rule', { id: 'R10.1' }), /^# R10\.1 .*\n[\s\S]*\*\*RULE:\*\*[\s\S]*\*\*WHY:\*\*[\s\S]*\*\*APPLY:\*\*/);
    const chapter = await invoke('taskReliability_chapter', { chapter: 10, part: 'rules' });
    assert.match(chapter, /^> Chapter 10 of /);
    assert.match(chapter, /## Agent rules/);
    assert.match(await invoke('taskReliability_chapter', {}), /^# Distributed Task Reliability/);
  });

  it('lm tools reject bad input with a message that says what exists', async () => {
    await assert.rejects(invoke('taskReliability_rule', { id: 'R5.99' }), /There is no rule R5\.99: chapter 5 has R5\.1 to R5\.\d+/);
    await assert.rejects(invoke('taskReliability_route', {}), /Give `task`/);
    await assert.rejects(invoke('taskReliability_audit', { files: ['nope/missing.py'] }), /no such file or folder in the workspace: nope\/missing\.py/);
  });
});
