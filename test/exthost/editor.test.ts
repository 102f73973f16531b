import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const PY = `import requests


def charge(order):
    return requests.post("https://pay.example.com/charge", json=order)
`;
const CRON = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: example/job:1
`;

const JAVA = `import org.springframework.retry.annotation.Retryable;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

@Service
class Labels {
  private final RestTemplate http = new RestTemplate();

  @Retryable(maxAttempts = 4)
  String label(String id) {
    return http.getForObject("https://carrier.example.com/labels/" + id, String.class);
  }
}
`;
const GO = `package main

import "net/http"

var client = &http.Client{}

func main() {
	client.Get("https://example.com")
}
`;
const RUBY = `class ChargeJob
  include Sidekiq::Job

  def perform(order_id, cents)
    Stripe::Charge.create(amount: cents, currency: "usd")
  end
end
`;

const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'task-reliability');

/** Resolves when the document's diagnostics satisfy `accept`: waits for the event, never a clock. */
function diagnosticsWhere(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const now = ours(uri);
    if (accept(now)) {
      resolve(now);
      return;
    }
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const current = ours(uri);
      if (accept(current)) {
        sub.dispose();
        resolve(current);
      }
    });
  });
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

async function open(language: string, content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('Task Reliability in a real VS Code', () => {
  it('shows a warning on requests.post with the rule id and a link to the book', async () => {
    const doc = await open('python', PY);
    const [d] = await diagnosticsWhere(doc.uri, (ds) => ds.length > 0);
    assert.ok(d);
    assert.equal(codeOf(d), 'http-timeout');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(d.range), 'requests.post');
    assert.ok(typeof d.code === 'object' && d.code.target.toString().startsWith('command:taskReliability.showRule'));
  });

  it('hovers the call with rule R6.1 of chapter 6, leaving the message to the diagnostic', async () => {
    const doc = await open('python', PY);
    await diagnosticsWhere(doc.uri, (ds) => ds.length > 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(4, 16));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    // VS Code shows the diagnostic's message above the card, so the card does not repeat it.
    assert.doesNotMatch(text, /has no timeout: it can wait forever/);
    assert.match(text, /\*\*RULE:\*\*/);
    assert.match(text, /Open R6\.1 in the book/);
    assert.match(text, /All rules of chapter 6/);
  });

  it('applies the quick fix and the diagnostic disappears', async () => {
    const doc = await open('python', PY);
    const [d] = await diagnosticsWhere(doc.uri, (ds) => ds.length > 0);
    assert.ok(d);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred === true);
    assert.ok(fix?.edit, `no preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /json=order, timeout=10\)/);
    await diagnosticsWhere(doc.uri, (ds) => ds.length === 0);
  });

  it('flags a CronJob without concurrencyPolicy and fixes it', async () => {
    const doc = await open('yaml', CRON);
    const ds = await diagnosticsWhere(doc.uri, (x) => x.some((d) => codeOf(d) === 'cron-overlap'));
    const overlap = ds.find((d) => codeOf(d) === 'cron-overlap');
    assert.ok(overlap);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, overlap.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Add concurrencyPolicy: Forbid');
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /schedule: "0 2 \* \* \*"\n {2}concurrencyPolicy: Forbid\n/);
    await diagnosticsWhere(doc.uri, (x) => !x.some((d) => codeOf(d) === 'cron-overlap'));
  });

  it('flags Java, Go and Ruby files through the editors\' own language ids', async () => {
    const expected: [string, string, string[]][] = [
      ['java', JAVA, ['http-timeout', 'retry-no-backoff']],
      ['go', GO, ['http-timeout']],
      ['ruby', RUBY, ['payment-no-idempotency-key']],
    ];
    for (const [language, content, rules] of expected) {
      const doc = await open(language, content);
      const ds = await diagnosticsWhere(doc.uri, (x) => x.length >= rules.length);
      assert.deepEqual(ds.map(codeOf).sort(), rules, language);
    }
  });

  it('fixes a Go http.Client without a timeout, importing time', async () => {
    const doc = await open('go', GO);
    const [d] = await diagnosticsWhere(doc.uri, (ds) => ds.length > 0);
    assert.ok(d);
    assert.equal(doc.getText(d.range), 'http.Client');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred === true);
    assert.ok(fix?.edit, `no preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /&http\.Client\{Timeout: \d+ \* time\.Second\}/);
    assert.match(doc.getText(), /"time"/);
    await diagnosticsWhere(doc.uri, (ds) => ds.length === 0);
  });
});
