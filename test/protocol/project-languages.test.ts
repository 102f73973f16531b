import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/analyzer.js';
import { pullWithProject, startServer, type ServerUnderTest } from '../helpers/lsp-client.js';

const PROJECTS = ['ruby-shop', 'go-shop', 'java-orders'];

/**
 * An edit to a file that other open documents read — a Ruby base class, a Go file of the same
 * package, a Spring `application.yml` — analyses those documents again.
 */
describe('language server: dependents in Ruby, Go and Spring projects', () => {
  let server: ServerUnderTest;
  let base: string;
  const versions = new Map<string, number>();
  const uri = (rel: string): string => pathToFileURL(path.join(base, rel)).href;
  const pull = (rel: string): Promise<Diagnostic[]> => pullWithProject(server, uri(rel));
  const codes = async (rel: string): Promise<string[]> => (await pull(rel)).map((d) => `${String(d.code)}:${d.range.start.line + 1}`).sort();
  const open = async (rel: string, languageId: string): Promise<string> => {
    const text = fs.readFileSync(path.join(base, rel), 'utf8');
    versions.set(rel, 1);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(rel), languageId, version: 1, text } });
    return text;
  };
  const change = async (rel: string, text: string): Promise<void> => {
    const version = (versions.get(rel) ?? 1) + 1;
    versions.set(rel, version);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rel), version }, contentChanges: [{ text }] });
  };

  before(async () => {
    // Copies: the tests edit the projects.
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-projects-'));
    for (const project of PROJECTS) fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', project), path.join(base, project), { recursive: true });
    server = await startServer({ pull: true, workspaceFolders: PROJECTS.map((p) => path.join(base, p)) });
  });
  after(async () => {
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('Ruby: an edit to ApplicationJob\'s retry_on changes its subclass\'s findings; an edit inside a method does not', async () => {
    await open('ruby-shop/app/jobs/webhook_job.rb', 'ruby');
    const before = await pull('ruby-shop/app/jobs/webhook_job.rb');
    assert.deepEqual(before.map((d) => d.code), ['notify-in-retried-task']);
    assert.deepEqual(before[0]?.relatedInformation?.map((r) => `${r.location.uri}:${r.location.range.start.line}`), [`${uri('ruby-shop/app/jobs/application_job.rb')}:1`]);
    const text = await open('ruby-shop/app/jobs/application_job.rb', 'ruby');
    await pull('ruby-shop/app/jobs/application_job.rb');
    const withMethod = text.replace(/end\n$/, '\n  def log_failure(error)\n    Rails.logger.warn(error.message)\n  end\nend\n');
    await change('ruby-shop/app/jobs/application_job.rb', withMethod);
    await pull('ruby-shop/app/jobs/application_job.rb');
    assert.deepEqual(await codes('ruby-shop/app/jobs/webhook_job.rb'), ['notify-in-retried-task:5']);
    // One attempt of `retry_on` is no retry of its own, but the project runs Active Job on Sidekiq's
    // adapter: the failure goes back to Sidekiq, which retries it, and the finding now says so.
    await change('ruby-shop/app/jobs/application_job.rb', withMethod.replace('attempts: 3', 'attempts: 1'));
    await pull('ruby-shop/app/jobs/application_job.rb');
    const after = await pull('ruby-shop/app/jobs/webhook_job.rb');
    assert.deepEqual(after.map((d) => d.code), ['notify-in-retried-task']);
    assert.deepEqual(after[0]?.relatedInformation?.map((r) => r.location.uri), [uri('ruby-shop/config/application.rb')]);
  });

  const writeOnDisk = async (rel: string, edit: (text: string) => string): Promise<void> => {
    const file = path.join(base, rel);
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(rel), type: 2 }] });
  };

  it('Ruby: a base worker changed on disk, not open, that stops including Sidekiq::Job makes its subclass no job', async () => {
    await open('ruby-shop/app/workers/charge_worker.rb', 'ruby');
    assert.deepEqual(await codes('ruby-shop/app/workers/charge_worker.rb'), ['notify-in-retried-task:3']);
    await writeOnDisk('ruby-shop/app/workers/base_worker.rb', (text) => text.replace('  include Sidekiq::Job\n', ''));
    assert.deepEqual(await codes('ruby-shop/app/workers/charge_worker.rb'), []);
  });

  it('Go: a Timeout given on disk in another file of the package, not open, removes the finding at the call', async () => {
    await open('go-shop/jobs/sync.go', 'go');
    assert.ok((await codes('go-shop/jobs/sync.go')).includes('http-timeout:12'));
    await writeOnDisk('go-shop/jobs/client.go', (text) => text.replace('var partnerClient = &http.Client{}', 'var partnerClient = &http.Client{Timeout: billingTimeout}'));
    assert.ok(!(await codes('go-shop/jobs/sync.go')).includes('http-timeout:12'));
  });

  it('Spring: an edit to application.yml\'s acknowledge-mode changes the listener\'s findings', async () => {
    const listener = 'java-orders/src/main/java/com/acme/orders/OrderListener.java';
    await open(listener, 'java');
    assert.deepEqual(await codes(listener), ['consumer-auto-ack:8']);
    const yml = 'java-orders/src/main/resources/application.yml';
    const text = await open(yml, 'yaml');
    await change(yml, text.replace('acknowledge-mode: none', 'acknowledge-mode: auto'));
    // The edited file is analysed first, as an editor pulls every open document: the worker then holds its new text.
    await pull(yml);
    assert.deepEqual(await codes(listener), []);
  });
});
