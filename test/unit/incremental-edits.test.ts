// The in-body edit's fast path (server/src/analysis/incremental.ts) against a whole analysis: seeded
// random edits of every fixture, of generated fuzz programs and of the benchmark's generated files;
// after each, the document's result must equal a whole analysis of its new text in every detail.
// A failure names the seed, the file, the edit and the path the document took; rerun with
// INCREMENTAL_SEED=<seed> to replay it.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Analyzer } from '../../server/src/analysis/index.js';
import { fastPath } from '../../server/src/analysis/incremental.js';
import type { AnalysisResult, AnalyzeOptions, LanguageId, TextEdit } from '../../server/src/analysis/types.js';
import { FileResolver } from '../../server/src/workspace/resolver.js';
import { generate, seeded } from '../../scripts/bench/generate.js';
import { repoRoot, testAnalyzer } from '../helpers/analyzer.js';
import { fixtureFiles } from '../fuzz/mutations.js';
import { PROGRAM_GENERATORS } from '../fuzz/programs.js';

const SEED = Number(process.env['INCREMENTAL_SEED'] ?? 20_261_207);
/**
 * More seeds for the fixtures, fuzz programs and generated files, which hold every rule in every
 * language it supports: each reaches edits the others do not (seed 4 an asynq delay function whose
 * fix reads the file's other uses of an import, seed 0 an ambiguous JavaScript text reparsed after
 * an error). A replay (INCREMENTAL_SEED) runs its seed alone.
 */
const MORE_SEEDS: readonly number[] = process.env['INCREMENTAL_SEED'] === undefined ? [0, 4] : [];
/** The languages with a fast path: the others always take the whole analysis. */
const LANGUAGES: readonly LanguageId[] = ['python', 'javascript', 'typescript', 'tsx', 'go', 'ruby', 'java', 'yaml'];

/** Code that names what the analysis recognises, typed into a body. */
const API_TEXT: Readonly<Record<string, readonly string[]>> = {
  python: ['requests.get(url)', 'time.sleep(2)', 'self.retry(countdown=5)', 'send_mail("s", "b", "f", ["t"])', 'task.delay(1)', 'requests', 'stripe.Charge.create(amount=1)', 'session', 'app', 'log', 'HTTP_TIMEOUT'],
  javascript: ['fetch(url)', 'axios.get(u)', 'await queue.add("x", {})', 'setTimeout', 'await sleep(1000)', 'stripe.charges.create({})', 'TIMEOUT_MS', 'pRetry'],
  go: ['http.Get(url)', 'time.Sleep(time.Second)', 'client.Enqueue(task)', 'http.DefaultClient', 'backoff.NewExponentialBackOff()', 'ctx'],
  java: ['rest.postForObject(url, body, String.class);', 'Thread.sleep(1000);', 'kafkaTemplate.send("t", v);', 'HttpClient.newHttpClient()', 'client', 'rest', 'RetryConfig.custom()', 'Duration.ofSeconds(5)'],
  // YAML: the keys the rules read, and a line that starts a new document (which the fast path must see).
  yaml: ['kind: Job', 'kind: CronJob', 'schedule: "*/5 * * * *"', 'concurrencyPolicy: Forbid', 'activeDeadlineSeconds: 60', 'backoffLimit: 3', 'cron: "0 * * * *"', '\n---\n', '\n---\nkind: Job\n', 'every: 1h', '- ', '{kind: Job}'],
  ruby: ['Net::HTTP.get(uri)', 'sleep 1', 'perform_async(1)', 'retry', 'Faraday.new', 'HTTParty.get(url)', 'Stripe::Charge.create(amount: 1)'],
};
const COMMENT: Readonly<Record<string, string>> = { python: '#', javascript: '//', go: '//', ruby: '#', java: '//', yaml: '#' };
const family = (language: LanguageId): string => (language === 'typescript' || language === 'tsx' ? 'javascript' : language);
const ONE_CHARACTER = ['x', 'e', '_', ' ', '(', ')', '"', "'", ':', ',', '.', '{', '}', '\n', '#', '/', '0', '\t'];

/** A seeded random edit of `text`, mostly inside indented lines (a body, where the fast path applies). */
function randomEdit(text: string, language: LanguageId, next: () => number): { edit: TextEdit; kind: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const lines: { start: number; end: number; indent: number }[] = [];
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    const indent = /^[ \t]*/.exec(text.slice(start, stop))?.[0].length ?? 0;
    if (indent > 0 && indent < stop - start) lines.push({ start, end: stop, indent });
    if (end < 0) break;
    start = end + 1;
  }
  const line = lines.length > 0 && next() < 0.9 ? pick(lines) : { start: 0, end: text.length, indent: 0 };
  const at = line.start + line.indent + Math.floor(next() * (line.end - line.start - line.indent + 1));
  const indent = text.slice(line.start, line.start + line.indent);
  const comment = COMMENT[family(language)] as string;
  const kind = pick(['char', 'char', 'delete', 'api', 'line', 'comment', 'suppress', 'rename', 'rename']);
  switch (kind) {
    case 'char': return { kind, edit: { start: at, end: at, newText: pick(ONE_CHARACTER) } };
    case 'delete': return { kind, edit: { start: at, end: Math.min(at + 1, text.length), newText: '' } };
    case 'api': return { kind, edit: { start: at, end: at, newText: pick(API_TEXT[family(language)] as readonly string[]) } };
    case 'line': {
      // The line that holds `at`: an edit anywhere in the text (not in an indented line) must not
      // delete the whole text, after which every later edit of the input lands in nothing.
      const start = text.lastIndexOf('\n', at - 1) + 1;
      const end = text.indexOf('\n', at);
      return { kind, edit: { start, end: end < 0 ? text.length : end + 1, newText: '' } };
    }
    case 'comment': return { kind, edit: { start: line.start + line.indent, end: line.start + line.indent, newText: `${comment} ` } };
    case 'suppress': {
      const what = pick(['reliability-ignore-next-line http-timeout', 'reliability-ignore-next-line', 'reliability-ignore-file http-timeout', 'noqa: S113', 'reliability-ignore-next-line retry-no-backoff -- tested']);
      return { kind, edit: { start: line.start, end: line.start, newText: `${indent}${comment} ${what}\n` } };
    }
    default: {
      // The benchmark's edit: a letter typed after the first letter of a word of the line.
      const word = /[A-Za-z_]\w*/.exec(text.slice(line.start + line.indent, line.end));
      const offset = word === null ? at : line.start + line.indent + word.index + 1;
      return { kind, edit: { start: offset, end: offset, newText: 'x' } };
    }
  }
}

interface Input {
  readonly label: string;
  readonly language: LanguageId;
  readonly text: string;
  readonly edits: number;
  /** The file's path in its project, when it is analysed with one (see `PROJECTS`). */
  readonly file?: string;
}

function inputs(seed = SEED): Input[] {
  const list: Input[] = [];
  for (const fixture of fixtureFiles()) {
    if (LANGUAGES.includes(fixture.language)) list.push({ label: `fixture ${fixture.file}`, language: fixture.language, text: fixture.text, edits: 2 });
  }
  for (const language of LANGUAGES) {
    const programs = fc.sample(PROGRAM_GENERATORS[language] as fc.Arbitrary<string>, { seed, numRuns: 6 });
    programs.forEach((text, i) => list.push({ label: `fuzz program ${language} #${i}`, language, text, edits: 3 }));
    list.push({ label: `generated ${language} (1,000 lines)`, language, text: generate(language, 1000), edits: 12 });
  }
  return list;
}

/** The first place two results differ, for a readable failure. */
function firstDifference(a: AnalysisResult, b: AnalysisResult): string {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AnalysisResult>) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x === y) continue;
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => JSON.stringify(item)) : [JSON.stringify(value)]);
    const only = (p: string[], q: string[]): string[] => p.filter((item) => !q.includes(item)).slice(0, 2);
    return `${key}: only in the document's: ${only(list(a[key]), list(b[key])).join(' | ') || '(order)'}; only in the whole: ${only(list(b[key]), list(a[key])).join(' | ') || '(order)'}`;
  }
  return 'none in JSON (undefined properties)';
}

/**
 * Edits every input as an editor does, analysing after each edit or burst with `optionsOf`'s
 * options, and compares the document's result with a whole analysis of its text. `edited` sees
 * each new text (the project's resolver reads an open document's text, as the server's does).
 * Returns how many edits of each language took the fast path.
 */
function exercise(t: TestContext, analyzer: Analyzer, list: readonly Input[], optionsOf: (input: Input) => AnalyzeOptions | undefined, edited: (input: Input, text: string) => void = () => undefined, seed = SEED): Map<LanguageId, number> {
  const next = seeded(seed);
  const fast = new Map<LanguageId, number>();
  let total = 0;
  const reasons = new Map<string, number>();
  for (const input of list) {
    const options = optionsOf(input);
    edited(input, input.text);
    const doc = analyzer.open(input.text, input.language, options?.project === undefined);
    try {
      doc.analyze(options);
      const history: string[] = [];
      const check = (step: string): void => {
        fastPath.fallback = '';
        edited(input, doc.text);
        const result = doc.analyze(options);
        const whole = analyzer.analyzeSync(doc.text, input.language, options, options?.project === undefined);
        total++;
        if (doc.lastPath === 'edit') fast.set(input.language, (fast.get(input.language) ?? 0) + 1);
        if (process.env['INCREMENTAL_REASONS'] !== undefined && doc.lastPath !== 'edit') reasons.set(`${input.language}: ${fastPath.fallback}`, (reasons.get(`${input.language}: ${fastPath.fallback}`) ?? 0) + 1);
        assert.deepEqual(result, whole, [
          `seed ${seed}, ${input.label}, ${step}`,
          `path: ${doc.lastPath}${fastPath.fallback === '' ? '' : ` (fallback: ${fastPath.fallback})`}`,
          `first difference: ${firstDifference(result, whole)}`,
          `the edits before: ${history.join(' / ') || 'none'}`,
        ].join('\n'));
        history.push(step);
      };
      for (let i = 0; i < input.edits; i++) {
        // One edit in four is a burst of two or three, analysed once, as an editor pulls after typing.
        const burst = next() < 0.25 ? 2 + Math.floor(next() * 2) : 1;
        const made: { edit: TextEdit; kind: string; removed: string }[] = [];
        for (let j = 0; j < burst; j++) {
          const change = randomEdit(doc.text, input.language, next);
          made.push({ ...change, removed: doc.text.slice(change.edit.start, change.edit.end) });
          doc.edit(change.edit);
        }
        doc.reparse();
        check(`edit ${i + 1}: ${made.map((m) => `${m.kind} ${JSON.stringify(m.edit)}`).join(', ')}`);
        // Typing on after an insertion, a character at a time with an analysis after each, as an
        // editor pulls: the same declaration edited again, without a line added, is a path of its own.
        const last = made.at(-1);
        if (last !== undefined && last.edit.newText.length > 0 && !last.edit.newText.includes('\n') && next() < 0.4) {
          for (let k = 0; k < 3; k++) {
            const at = (made.at(-1) as (typeof made)[number]).edit.start + (made.at(-1) as (typeof made)[number]).edit.newText.length;
            const edit = { start: at, end: at, newText: 'x' };
            made.push({ edit, kind: 'typed on', removed: '' });
            doc.edit(edit);
            doc.reparse();
            check(`typed on ${JSON.stringify(edit)}`);
          }
        }
        const described = made.map((m) => `${m.kind} ${JSON.stringify(m.edit)}`).join(', ');
        // An edit that broke the syntax is undone (most are typed on), so that the next ones start
        // from a text the fast path can take; the undo is checked too.
        if (doc.analyze(options).hasSyntaxErrors || next() < 0.3) {
          for (const m of [...made].reverse()) doc.edit({ start: m.edit.start, end: m.edit.start + m.edit.newText.length, newText: m.removed });
          doc.reparse();
          check(`undo of edit ${i + 1}: ${described}`);
        }
      }
    } finally {
      doc.dispose();
    }
  }
  for (const [reason, n] of [...reasons].sort()) t.diagnostic(`${reason}: ${n}`);
  t.diagnostic(`fast path: ${[...new Set(list.map((i) => i.language))].map((l) => `${l} ${fast.get(l) ?? 0}`).join(', ')} of ${total} edits`);
  return fast;
}

/**
 * Small projects whose task module imports the project's own modules (an app, a helper that calls
 * out, a queue, a client), each with the module the differential test edits. The edited module
 * is the header here followed by a generated file, so that the edits have bodies to land in.
 */
const PROJECTS: readonly { readonly language: LanguageId; readonly file: string; readonly files: Readonly<Record<string, string>>; readonly header: string }[] = [
  {
    language: 'python',
    file: 'shop/tasks.py',
    files: {
      'shop/__init__.py': '',
      'shop/celeryconf.py': 'from celery import Celery\n\napp = Celery("shop")\napp.conf.task_acks_late = True\n',
      'shop/helpers.py': 'import requests\n\n\ndef charge(order_id):\n    return requests.post("https://pay.example.com", json={"id": order_id})\n\n\ndef notify(user):\n    requests.get("https://mail.example.com")\n',
    },
    header: [
      'from .celeryconf import app',
      'from .helpers import charge, notify',
      'from . import helpers',
      '',
      '',
      '@app.task(bind=True, max_retries=3)',
      'def pay(self, order_id):',
      '    charge(order_id)',
      '    notify(order_id)',
      '',
      '',
      '@app.task',
      'def remind(user):',
      '    helpers.notify(user)',
      '    pay.delay(user)',
      '',
      '',
      'def later(order_id):',
      '    pay.delay(order_id)',
      '    charge(order_id)',
      '',
      '',
    ].join('\n'),
  },
  {
    language: 'javascript',
    file: 'src/jobs.js',
    files: {
      'package.json': '{ "name": "shop", "dependencies": { "bullmq": "5.0.0", "axios": "1.0.0" } }\n',
      'src/queue.js': "const { Queue } = require('bullmq');\n\nconst emailQueue = new Queue('email');\n\nmodule.exports = { emailQueue };\n",
      'src/http.js': "const axios = require('axios');\n\nconst client = axios.create({ baseURL: 'https://api.example.com' });\n\nmodule.exports = { client };\n",
    },
    header: [
      "const { emailQueue } = require('./queue');",
      "const { client } = require('./http');",
      '',
      'async function sendWelcome(user) {',
      "  await emailQueue.add('welcome', { id: user.id });",
      "  await client.get('/users');",
      '}',
      '',
      'async function refresh(id) {',
      '  const response = await client.post(`/orders/${id}`);',
      '  return response.data;',
      '}',
      '',
      '',
    ].join('\n'),
  },
  {
    language: 'typescript',
    file: 'src/jobs.ts',
    files: {
      'package.json': '{ "name": "shop", "dependencies": { "bullmq": "5.0.0", "axios": "1.0.0" } }\n',
      'src/queue.ts': "import { Queue } from 'bullmq';\n\nexport const emailQueue = new Queue('email');\n",
      'src/http.ts': "import axios from 'axios';\n\nexport const client = axios.create({ baseURL: 'https://api.example.com' });\n\nexport async function fetchUser(id: string) {\n  return axios.get(`/users/${id}`);\n}\n",
    },
    header: [
      "import { emailQueue } from './queue';",
      "import { client, fetchUser } from './http';",
      '',
      'export async function sendWelcome(user: { id: string }) {',
      "  await emailQueue.add('welcome', { id: user.id });",
      '  await fetchUser(user.id);',
      '}',
      '',
      'export async function refresh(id: string): Promise<unknown> {',
      '  const { data } = await client.post(`/orders/${id}`, { timeout: 5000 });',
      '  return data;',
      '}',
      '',
      '',
    ].join('\n'),
  },
];

/** Files of the fixture projects (test/fixtures/projects) edited in place, with their projects: the languages the small projects above leave out. */
const FIXTURE_PROJECTS: readonly { readonly fixture: string; readonly file: string; readonly language: LanguageId }[] = [
  { fixture: 'python-shop', file: 'shop/orders/tasks.py', language: 'python' },
  { fixture: 'ts-workers', file: 'src/jobs/worker.ts', language: 'typescript' },
  { fixture: 'go-shop', file: 'jobs/sync.go', language: 'go' },
  { fixture: 'ruby-shop', file: 'app/workers/charge_worker.rb', language: 'ruby' },
  { fixture: 'ruby-shop', file: 'app/jobs/payments/charge_job.rb', language: 'ruby' },
];

describe('in-body edits: the fast path equals a whole analysis', () => {
  before(async () => {
    for (const language of LANGUAGES) await testAnalyzer().prepare(language);
  });

  for (const seed of [SEED, ...MORE_SEEDS]) {
    it(`random edits of fixtures, fuzz programs and generated files (seed ${seed})`, (t) => {
      const fast = exercise(t, testAnalyzer(), inputs(seed), () => undefined, undefined, seed);
      // The test must reach the fast path, or it proves nothing about it.
      for (const language of LANGUAGES) assert.ok((fast.get(language) ?? 0) > 0, `no edit of ${language} took the fast path`);
    });
  }

  it(`random edits of YAML streams with the task map, as the language server analyses them (seed ${SEED})`, (t) => {
    const fast = exercise(t, testAnalyzer(), inputs().filter((input) => input.language === 'yaml'), () => ({ map: true }));
    assert.ok((fast.get('yaml') ?? 0) > 0, 'no edit of yaml took the fast path with the task map');
  });

  describe('with the options the language server uses: the project and the task map', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-project-'));
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it(`random edits of a task module in a project (seed ${SEED})`, (t) => {
      const analyzer = testAnalyzer();
      const list: Input[] = [];
      // Each edited file's resolver and model, by its path.
      const projects = new Map<string, { resolver: FileResolver; options: AnalyzeOptions }>();
      const add = (folder: string, input: Omit<Input, 'file'>, file: string): void => {
        const resolver = new FileResolver(folder);
        projects.set(input.label, { resolver, options: { map: true, project: { model: analyzer.projectModel(resolver), path: file } } });
        list.push({ ...input, file });
      };
      for (const project of PROJECTS) {
        const folder = path.join(root, project.language);
        for (const [file, text] of Object.entries(project.files)) {
          fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
          fs.writeFileSync(path.join(folder, file), text);
        }
        const file = path.join(folder, project.file);
        const generated = generate(project.language, 400);
        add(folder, { label: `project ${project.language} ${project.file}`, language: project.language, text: `${project.header}${generated}`, edits: 40 }, file);
        // The header alone: the edits land in the bodies that use the project's names.
        add(folder, { label: `project ${project.language} ${project.file} (header only)`, language: project.language, text: project.header, edits: 20 }, file);
      }
      for (const project of FIXTURE_PROJECTS) {
        const folder = path.join(root, project.fixture);
        if (!fs.existsSync(folder)) fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', project.fixture), folder, { recursive: true });
        const file = path.join(folder, project.file);
        add(folder, { label: `fixture project ${project.fixture} ${project.file}`, language: project.language, text: fs.readFileSync(file, 'utf8'), edits: 25 }, file);
      }
      const of = (input: Input): { resolver: FileResolver; options: AnalyzeOptions } => {
        const project = projects.get(input.label);
        assert.ok(project !== undefined && input.file !== undefined, `${input.label} has its project`);
        return project;
      };
      const fast = exercise(t, analyzer, list, (input) => of(input).options, (input, text) => of(input).resolver.setOpen(input.file ?? '', text));
      for (const language of new Set(list.map((input) => input.language))) assert.ok((fast.get(language) ?? 0) > 0, `no edit of ${language} took the fast path with its project`);
    });
  });
});
