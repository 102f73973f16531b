import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { sameSummary, type Analyzer, type ModuleResolver } from '../../server/src/analysis/index.js';
import { repoRoot, testAnalyzer } from '../helpers/analyzer.js';

/** A project held in memory: Python modules by dotted name, resolved absolutely or relative to `pkg`. */
function memoryProject(files: Record<string, string>): ModuleResolver & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    resolve: (from, specifier) => {
      const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
      const base = dots === 0 ? [] : from.split('/').slice(0, -dots);
      const name = [...base, ...specifier.slice(dots).split('.').filter((p) => p !== '')].join('/');
      return [`${name}.py`, `${name}/__init__.py`].find((f) => files[f] !== undefined);
    },
    read: (file) => {
      reads.push(file);
      return files[file];
    },
    display: (file) => file,
  };
}

describe('project model (core)', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('python');
  });

  const summaryOf = (text: string) => analyzer.summaries().get(text, 'python');

  it('keeps a module summary equal for an edit inside a function body or a comment, and not for a changed binding', () => {
    const text = 'from celery import Celery\n\napp = Celery("x")\n\ndef helper():\n    return 1\n';
    const base = summaryOf(text);
    assert.ok(sameSummary(base, summaryOf(text.replace('return 1', 'x = 2\n    return 1'))));
    // Positions are not compared: a line added above moves them, and dependents need not be analysed again for that.
    assert.ok(sameSummary(base, summaryOf(`# settings\n${text}`)));
    assert.ok(!sameSummary(base, summaryOf(text.replace('app = Celery("x")', 'app = object()'))));
  });

  it('keeps a TypeScript summary equal for an edit inside a function body, and not for a changed export', async () => {
    await analyzer.prepare('typescript');
    const cache = analyzer.summaries();
    const text = "import { Queue } from 'bullmq';\n\nexport const emailQueue = new Queue('email');\n\nexport function size(xs: number[]) {\n  let n = 0;\n  return n;\n}\n";
    const base = cache.get(text, 'typescript');
    assert.ok(sameSummary(base, cache.get(text.replace('let n = 0;', 'let n = xs.length;'), 'typescript')));
    assert.ok(!sameSummary(base, cache.get(text.replace("new Queue('email')", "makeQueue('email')"), 'typescript')));
  });

  it('summarises a text once per content, and skips parsing a module that imports nothing', () => {
    const cache = analyzer.summaries();
    cache.get('import os\n', 'python');
    cache.get('import os\n', 'python');
    cache.get('X = 1\n', 'python');
    assert.equal(cache.parses, 2);
    assert.deepEqual(cache.get('X = 1\n', 'python')?.names, {});
  });


  it('reads what a Python summary keeps of function bodies and imports whatever the words of the text skip', () => {
    const summary = summaryOf([
      'import requests',
      'try:',
      '    import advocate as http',
      'except ImportError:',
      '    import requests as http',
      '',
      'def make_session():',
      '    session = http.Session()',
      '    return session',
      '',
      'def ping(url):',
      '    requests.get(url)',
      '',
      'def lazy():',
      '    # no return here',
      '    from shop.mail import send',
      '    send()',
      '',
      'def local():',
      '    return 1',
      '',
    ].join('\n'));
    assert.ok(summary !== undefined);
    // The replaced import and the one inside a body are reached all the same.
    assert.deepEqual(summary.reaches, ['advocate', 'requests', 'shop.mail.send']);
    assert.deepEqual(summary.names['make_session']?.value, { kind: 'function', returns: [{ kind: 'call', callee: 'http.Session' }], calls: ['http.Session'] });
    assert.deepEqual(summary.names['ping']?.value, { kind: 'function', returns: [], calls: ['requests.get'] });
    assert.deepEqual(summary.names['lazy']?.value, { kind: 'function', returns: [] });
    assert.deepEqual(summary.names['local']?.value, { kind: 'function', returns: [{ kind: 'unknown' }] });
    // Opaque functions share one frozen value, which a summary read back from storage shares too.
    const cache = analyzer.summaries();
    cache.load([['python:x', JSON.parse(JSON.stringify(summary)) as typeof summary]]);
    assert.ok(Object.isFrozen(summary.names['local']?.value));
    assert.equal(cache.entries()[0]?.[1].names['local']?.value, summary.names['local']?.value);
  });
  it('follows re-exports and factories through several modules, ends cycles as unknown, and reads only the modules reached', async () => {
    const resolver = memoryProject({
      'proj/__init__.py': 'from .conf import app\n',
      'proj/conf.py': 'from proj.factory import build\napp = build()\n',
      'proj/factory.py': 'from celery import Celery\n\ndef build():\n    a = Celery("p")\n    return a\n',
      'proj/a.py': 'from proj.b import loop\n',
      'proj/b.py': 'from proj.a import loop\n',
      'proj/unrelated.py': 'import requests\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'from proj import app\nfrom proj.a import loop\n\n@app.task(autoretry_for=(IOError,), retry_backoff=True, max_retries=None)\ndef t():\n    pass\n\n@loop.task(max_retries=None)\ndef u():\n    pass\n';
    const result = await analyzer.analyze(text, 'python', { project: { model, path: 'proj/tasks.py' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), ['task-def:celery.task', 'retry:celery.task']);
    assert.deepEqual(result.findings.map((f) => f.rule), ['retry-unbounded']);
    assert.deepEqual(result.findings[0]?.related?.map((r) => r.message), ['`app` is the Celery app defined in proj/conf.py:2']);
    assert.ok(!resolver.reads.includes('proj/unrelated.py'));
    assert.deepEqual(result.dependencies, ['proj/__init__.py', 'proj/a.py', 'proj/b.py', 'proj/conf.py', 'proj/factory.py']);
  });

  it('reads a functools.partial of a subclass of a library decorator as that decorator, and a partial of anything else as unknown', async () => {
    const resolver = memoryProject({
      'app/__init__.py': '',
      'app/worker.py': 'from functools import partial\nfrom rq.decorators import job as rq_job\n\nclass Recording(rq_job):\n    pass\n\njob = partial(Recording, connection=None)\nother = partial(print, end="")\n',
    });
    const model = analyzer.projectModel(resolver);
    const text = 'from app.worker import job, other\n\n@job("emails")\ndef send(to):\n    pass\n\n@other("x")\ndef quiet():\n    pass\n';
    const result = await analyzer.analyze(text, 'python', { project: { model, path: 'app/tasks.py' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), ['task-def:rq.decorators.job']);
  });
});

describe('project model: Python wrappers across modules', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = testAnalyzer();
    await analyzer.prepare('python');
  });

  const project = {
    'core/__init__.py': '',
    'core/utils.py': [
      'import requests',
      'import redis',
      'from contextlib import contextmanager',
      'from django.core.cache import cache',
      'from django.core.mail import send_mail',
      'from django.conf import settings',
      'from core.tasks import mail_task',
      'from core.redis import redis_instance',
      '',
      'session = requests.Session()',
      '',
      'def post_json(url, body):',
      '    return session.post(url, json=body, timeout=5)',
      '',
      'def post_webhook(hook, body):',
      '    requests.post(hook.url, json=body, timeout=5)',
      '',
      'def send_email(to):',
      '    send_mail("s", "b", "f", [to])',
      '',
      'def queue_email(to):',
      '    mail_task.delay(to)',
      '',
      '@contextmanager',
      'def memcache_lock(key, expire):',
      '    acquired = cache.add(key, "1", expire)',
      '    try:',
      '        yield acquired',
      '    finally:',
      '        cache.delete(key)',
      '',
      'def acquire_lock(key):',
      '    client = redis_instance()',
      '    return client.set(key, "1", nx=True, ex=30)',
      '',
      'def remember(key):',
      '    cache.add(key, "1", 30)',
      '',
      'def notify_all(to):',
      '    send_email(to)',
      '',
      'def read(url):',
      '    return len(url)',
    ].join('\n'),
    'core/tasks.py': 'from celery import shared_task\n\n@shared_task\ndef mail_task(to):\n    pass\n',
    'core/redis.py': 'import redis\nfrom django.conf import settings\n\ndef redis_instance():\n    if settings.SSL:\n        ri = redis.Redis(ssl=True)\n    else:\n        ri = redis.Redis.from_url(settings.URL)\n    return ri\n',
  };

  it('makes a call of a project function a signal of the kind of the library call it wraps, and leaves the rest alone', async () => {
    const model = analyzer.projectModel(memoryProject(project));
    const text = [
      'from core.utils import post_json, post_webhook, send_email, queue_email, memcache_lock, acquire_lock, remember, notify_all, read',
      '',
      'def view(hook, to):',
      '    post_json("https://example.com", {})',
      '    post_webhook(hook, {})',
      '    send_email(to)',
      '    queue_email(to)',
      '    with memcache_lock("k", 60) as acquired:',
      '        pass',
      '    acquire_lock("k")',
      '    remember("k")',
      '    notify_all(to)',
      '    read("x")',
      '    queue_email.delay(to)',
    ].join('\n');
    const result = await analyzer.analyze(text, 'python', { project: { model, path: 'app/views.py' } });
    assert.deepEqual(result.signals.map((s) => `${s.kind}:${s.api}`), [
      'http-call:requests.Session.post (through a project function)',
      'notify:requests.post (through a project function)',
      'notify:django.core.mail.send_mail (through a project function)',
      'enqueue:celery.Task.delay (through a project function)',
      'lock:django.core.cache.cache.add (through a project function)',
      'lock:redis.Redis.set (through a project function)',
      // A wrapper of a wrapper of its own module is not followed: only library calls and imports are read.
      'enqueue:celery.Task.delay',
    ]);
    // The wrapper's own HTTP call is judged where it is written: its caller gets no http-timeout finding.
    assert.deepEqual(result.findings.map((f) => f.rule), []);
  });

  it('reports a wrapped webhook delivery or send in a retried task of the caller, and not an HTTP call or a lock', async () => {
    const model = analyzer.projectModel(memoryProject(project));
    const text = [
      'from celery import shared_task',
      'from core.utils import post_json, post_webhook, acquire_lock',
      '',
      '@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)',
      'def deliver(hook):',
      '    acquire_lock("k")',
      '    post_json("https://example.com", {})',
      '    post_webhook(hook, {})',
    ].join('\n');
    const result = await analyzer.analyze(text, 'python', { project: { model, path: 'app/tasks.py' } });
    const notify = result.findings.filter((f) => f.rule === 'notify-in-retried-task');
    assert.equal(notify.length, 1);
    assert.match(notify[0]?.message ?? '', /post_webhook/);
  });

  it('keeps a wrapper module summary equal for an edit that calls the same library functions', () => {
    const cache = analyzer.summaries();
    const text = project['core/utils.py'];
    assert.ok(sameSummary(cache.get(text, 'python'), cache.get(text.replace('send_mail("s", "b", "f", [to])', 'x = to\n    send_mail("t", "b", "f", [x])'), 'python')));
    assert.ok(!sameSummary(cache.get(text, 'python'), cache.get(text.replace('nx=True, ex=30', 'ex=30'), 'python')));
  });
});

describe('boundaries', () => {
  const sources = (dir: string): string[] => fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  const importsOf = (file: string): string[] => [...fs.readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] as string);

  it('the analysis core imports no file system, editor or LSP module, and no host code', () => {
    const offenders: string[] = [];
    for (const file of sources('server/src/analysis')) {
      for (const spec of importsOf(file)) {
        if (/^(?:node:)?(?:fs|fs\/promises|path|child_process|worker_threads)$|^vscode|^\.\.\/\.\.\/(?:lsp|cli|workspace|mcp)\b|^\.\.\/(?:lsp|cli|workspace|mcp)\b/.test(spec)) offenders.push(`${file}: ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the client imports nothing from the analysis core, directly or through the server modules it imports: it asks the language server', () => {
    // Type-only imports are erased from the bundle; every other import is followed into server/src.
    const valueImports = (file: string): string[] => [...fs.readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/(?:^|\n)\s*(import|export)\b(\s+type\b)?[^'"]*?from\s+['"]([^'"]+)['"]/g)]
      .filter((m) => m[2] === undefined).map((m) => m[3] as string);
    const offenders: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, via: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of valueImports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '');
        const resolved = [`${target}.ts`, path.join(target, 'index.ts')].find((f) => fs.existsSync(path.join(repoRoot, f)));
        if (resolved === undefined) continue;
        if (resolved.startsWith(path.join('server', 'src', 'analysis'))) offenders.push(`${via} → ${file}: ${spec}`);
        else visit(resolved, via);
      }
    };
    for (const file of sources('client/src')) visit(file, file);
    assert.deepEqual(offenders, []);
    // The check follows imports: a client file that named the core directly would be found.
    assert.ok(valueImports('client/src/lm-tools.ts').some((spec) => spec.includes('server/src')));
  });
});
