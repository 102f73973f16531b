import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sameSummary, type Analyzer, type ModuleResolver } from '../../server/src/analysis/index.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/** A Go module held in memory: files by path, packages by folder under the module path `example.com/app`. */
function goProject(files: Record<string, string>): ModuleResolver & { reads: string[] } {
  const reads: string[] = [];
  const dirOf = (file: string): string => file.slice(0, file.lastIndexOf('/'));
  return {
    reads,
    resolve: () => undefined,
    read: (file) => {
      reads.push(file);
      return files[file];
    },
    display: (file) => file,
    packageFiles: (from, importPath) => {
      const dir = importPath === undefined ? dirOf(from) : importPath.startsWith('example.com/app/') ? importPath.slice('example.com/app/'.length) : undefined;
      if (dir === undefined) return undefined;
      const found = Object.keys(files).filter((f) => dirOf(f) === dir && !f.endsWith('_test.go')).sort();
      return found.length === 0 ? undefined : found;
    },
  };
}

describe('project model (Go)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('go');
  });

  const summaryOf = (text: string) => analyzer.summaries().get(text, 'go');

  it('keeps a file summary equal for an edit inside a function body or a comment, and not for a changed declaration or init()', () => {
    const text = 'package jobs\n\nimport "net/http"\n\nvar client = &http.Client{}\n\nfunc run() error {\n\treturn nil\n}\n';
    const base = summaryOf(text);
    assert.ok(sameSummary(base, summaryOf(text.replace('return nil', 'x := 1\n\t_ = x\n\treturn nil'))));
    assert.ok(sameSummary(base, summaryOf(`// Package jobs.\n${text}`)));
    assert.ok(!sameSummary(base, summaryOf(text.replace('&http.Client{}', '&http.Client{Timeout: t}'))));
    assert.ok(!sameSummary(base, summaryOf(`${text}\nfunc init() {\n\tclient.Timeout = t\n}\n`)));
  });

  it('resolves package-level names of other files and exported names of project packages, leaves project types and ambiguous names unknown, and reads only the packages reached', async () => {
    const resolver = goProject({
      'jobs/client.go': 'package jobs\n\nimport "net/http"\n\nvar partner = &http.Client{}\nvar timed = &http.Client{Timeout: limit}\nvar own = &Client{}\n',
      'jobs/limit.go': 'package jobs\n\nimport "time"\n\nconst limit = 5 * time.Second\n\ntype Client struct{}\n',
      'jobs/twice_a.go': 'package jobs\n\nimport "net/http"\n\nvar twice = &http.Client{}\n',
      'jobs/twice_b.go': 'package jobs\n\nimport "net/http"\n\nvar twice = &http.Client{}\n',
      'queue/queue.go': 'package queue\n\nimport "github.com/hibiken/asynq"\n\nfunc New() *asynq.Client {\n\treturn build()\n}\n\nfunc build() *asynq.Client { return nil }\n',
      'unrelated/unrelated.go': 'package unrelated\n\nimport "net/http"\n\nvar C = &http.Client{}\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'package jobs\n\nimport (\n\t"github.com/hibiken/asynq"\n\n\t"example.com/app/queue"\n)\n\nfunc Run() {\n\tpartner.Get("u")\n\ttimed.Get("u")\n\town.Get("u")\n\ttwice.Get("u")\n\tqueue.New().Enqueue(asynq.NewTask("t", nil))\n}\n';
    const result = await analyzer.analyze(text, 'go', { project: { model, path: 'jobs/run.go' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), ['http-call:net/http.Client.Get', 'http-call:net/http.Client.Get', 'enqueue:github.com/hibiken/asynq.Client.Enqueue']);
    assert.deepEqual(result.findings.map((f) => `${f.rule}:${f.related?.[0]?.message ?? ''}`), [
      'http-timeout:`partner` is an http.Client defined in jobs/client.go:5',
      // The enqueue's receiver is the project function's result, written in the same call.
      'enqueue-no-idempotency-key:`queue.New` is a function that returns an asynq Client defined in queue/queue.go:5',
    ]);
    assert.deepEqual(result.projectNames?.map((n) => n.message), [
      '`partner` is an http.Client defined in jobs/client.go:5',
      '`timed` is an http.Client defined in jobs/client.go:6',
      '`queue.New` is a function that returns an asynq Client defined in queue/queue.go:5',
    ]);
    assert.ok(!resolver.reads.includes('unrelated/unrelated.go'));
    assert.deepEqual(result.dependencies, ['jobs/client.go', 'jobs/limit.go', 'jobs/twice_a.go', 'jobs/twice_b.go', 'queue/queue.go']);
  });
});
