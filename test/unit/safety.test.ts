// Safety (issue 7): the webview's message checks never throw and accept only exact, typed messages
// (property-based, beside the hand-picked cases in sidebar-webview.test.ts); the project config file
// is data only; nothing in the extension or the server executes code from the workspace, so
// declaring untrusted-workspace support is true.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { receiveWebviewMessage, type WebviewHandlers } from '../../client/src/sidebar/dispatch.js';
import { parseHostMessage, parseWebviewMessage } from '../../client/src/sidebar/messages.js';
import { parseProjectConfig } from '../../server/src/config/project.js';
import { repoRoot } from '../helpers/analyzer.js';

/** The fuzz suite's seed (test/unit/fuzz.test.ts), so a failure replays. */
const options = { seed: 20_070_007, numRuns: 2000 };

/** Anything JSON can carry, plus objects shaped almost like our messages. */
const nearMessage = fc.record({
  type: fc.oneof(fc.constantFrom('ready', 'reveal', 'tick', 'export', 'error', 'taskMap', 'openTaskFile', '__proto__', 'constructor', 'init', 'navigate'), fc.anything()),
  folder: fc.oneof(fc.string(), fc.anything()),
  file: fc.oneof(fc.constantFrom('billing/tasks.py', '../../etc/passwd'), fc.string(), fc.anything()),
  line: fc.oneof(fc.integer(), fc.anything()),
  refresh: fc.oneof(fc.boolean(), fc.anything()),
  uri: fc.oneof(fc.string(), fc.anything()),
  range: fc.oneof(fc.record({ start: fc.record({ line: fc.integer(), character: fc.double() }), end: fc.anything() }), fc.anything()),
  ruleId: fc.oneof(fc.constantFrom('R5.1', 'R10.2', 'R1.1; rm -rf /', '<img onerror=1>'), fc.string()),
  ticked: fc.anything(),
  message: fc.oneof(fc.string(), fc.string({ minLength: 10_001, maxLength: 10_010 }), fc.anything()),
  location: fc.anything(),
}, { requiredKeys: [] });

const EXACT_KEYS: Readonly<Record<string, readonly string[]>> = {
  ready: ['type'], export: ['type'], reveal: ['range', 'type', 'uri'], tick: ['ruleId', 'ticked', 'type'], error: ['message', 'type'],
  openTaskFile: ['file', 'folder', 'line', 'type'],
};

describe('webview messages under fuzzing', () => {
  it('the host never throws on a message, and accepts only exact, well-typed ones', () => {
    const handled: string[] = [];
    const handlers: WebviewHandlers = {
      ready: () => handled.push('ready'), reveal: () => handled.push('reveal'), tick: () => handled.push('tick'),
      exportReport: () => handled.push('export'), error: () => handled.push('error'),
      taskMap: () => handled.push('taskMap'), openTaskFile: () => handled.push('openTaskFile'),
    };
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), nearMessage), (raw) => {
      const parsed = parseWebviewMessage(raw);
      const logged: string[] = [];
      const ok = receiveWebviewMessage(raw, handlers, (line) => logged.push(line));
      assert.equal(ok, parsed !== undefined);
      if (parsed === undefined) {
        assert.equal(logged.length, 1);
        assert.ok((logged[0] ?? '').length < 400, 'a short log line');
        return;
      }
      if (parsed.type === 'taskMap') {
        assert.ok(Object.keys(parsed).every((k) => ['type', 'folder', 'refresh'].includes(k)), 'only the known fields are kept');
        assert.ok(parsed.folder === undefined || typeof parsed.folder === 'string');
        assert.ok(parsed.refresh === undefined || parsed.refresh);
      } else {
        assert.deepEqual(Object.keys(parsed).sort(), EXACT_KEYS[parsed.type], 'only the known fields are kept');
      }
      if (parsed.type === 'openTaskFile') assert.ok(Number.isInteger(parsed.line) && parsed.line >= 0 && typeof parsed.file === 'string');
      if (parsed.type === 'tick') assert.match(parsed.ruleId, /^R\d{1,2}\.\d{1,3}$/);
      if (parsed.type === 'tick') assert.equal(typeof parsed.ticked, 'boolean');
      if (parsed.type === 'error') assert.ok(parsed.message.length <= 10_000);
      if (parsed.type === 'reveal') {
        for (const p of [parsed.range.start, parsed.range.end]) assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
      }
    }), options);
  });

  it('the webview never throws on a message from the host', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), nearMessage), (raw) => {
      const parsed = parseHostMessage(raw);
      assert.ok(parsed === undefined || ['init', 'navigate', 'file', 'findings', 'ticks', 'taskMap'].includes(parsed.type));
    }), options);
  });
});

describe('the project config file is data only', () => {
  it('never pollutes prototypes, runs nothing, and reports what it ignores', () => {
    const marker = path.join(os.tmpdir(), `task-reliability-safety-${process.pid}`);
    const text = JSON.stringify({
      __proto__: { polluted: true },
      constructor: { prototype: { polluted: true } },
      rules: { __proto__: 'off', constructor: 'off', toString: 'off', 'http-timeout': `$(touch ${marker})` },
      exclude: [`$(touch ${marker})`, '`touch x`'],
      overrides: [{ files: ['**'], rules: { hasOwnProperty: 'error' } }],
      fixTimeoutSeconds: 'require("child_process").execSync("touch x")',
    }).replace('"__proto__":{"polluted":true},', '"__proto__": {"polluted": true},');
    const read = parseProjectConfig('/work/.task-reliability.json', text);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype is untouched');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(fs.existsSync(marker), false, 'nothing was executed');
    assert.ok(read.problems.length >= 4, read.problems.join('\n'));
    assert.equal(read.config?.layer.fixTimeoutSeconds, undefined);
    assert.equal(Object.keys(read.config?.layer.rules ?? {}).length, 0, 'no rule setting from invalid entries');
  });
});

/** The file allowed to use vm: it runs the extension's own bundles through V8's code cache. */
const CODE_CACHE = path.join('server/src/boot/code-cache.ts');

describe('untrusted workspaces', () => {
  const sources = (dir: string): string[] => fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));

  it('nothing in the extension, the server or the webview evaluates code or starts processes', () => {
    const offenders: string[] = [];
    for (const file of [...sources('client/src'), ...sources('server/src'), ...sources('webview/src')]) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const [what, pattern] of [
        ['eval', /\beval\s*\(/], ['new Function', /\bnew\s+Function\s*\(/], ['child_process', /['"](node:)?child_process['"]/],
        ['vm', /['"](node:)?vm['"]/], ['dynamic import', /(?<![\w.@])import\([ \t]*[A-Za-z_$]/], ['dynamic require', /(?<![\w.@])require\([ \t]*[A-Za-z_$]/],
      ] as const) {
        if (pattern.test(text) && !(what === 'vm' && file === CODE_CACHE)) offenders.push(`${file}: ${what}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the one use of vm compiles the extension\'s own bundles, named by the entries beside them, never workspace content', () => {
    // The code cache (server/src/boot/code-cache.ts) compiles a bundle with vm.Script to hand V8 its cached bytecode.
    for (const [entry, bundle] of [['server/src/boot/server.ts', 'server-main.js'], ['server/src/boot/worker.ts', 'analysis-worker-main.js']] as const) {
      const text = fs.readFileSync(path.join(repoRoot, entry), 'utf8');
      assert.match(text, new RegExp(`runWithCodeCache\\(path\\.join\\(__dirname, '${bundle.replace('.', '\\.')}'\\)`), entry);
    }
    const users = [...sources('client/src'), ...sources('server/src'), ...sources('webview/src')]
      .filter((file) => /(loadWithCodeCache|runWithCodeCache)\(/.test(fs.readFileSync(path.join(repoRoot, file), 'utf8')));
    assert.deepEqual(users.sort(), [CODE_CACHE, 'server/src/boot/server.ts', 'server/src/boot/worker.ts'].map((f) => path.join(f)).sort());
  });

  it('package.json declares untrusted-workspace support, and no setting names a program to run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: boolean | string } };
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    const risky = Object.keys(pkg.contributes.configuration.properties).filter((k) => /path|command|executable|program|args|script/i.test(k));
    assert.deepEqual(risky, [], 'settings that would need restrictedConfigurations');
  });
});
