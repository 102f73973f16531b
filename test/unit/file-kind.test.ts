import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { classifyFile, treatmentOf, type FileKind } from '../../server/src/analysis/file-kind.js';
import { parseProjectConfig } from '../../server/src/config/project.js';
import { ConfigScope } from '../../server/src/config/scope.js';

const CODE = 'import requests\n\nrequests.get(url)\n';
const kindOf = (path: string, text = CODE): FileKind => classifyFile(path, text).kind;

describe('file kinds: test and example code by each ecosystem\'s conventions', () => {
  it('recognises test files by name', () => {
    for (const path of [
      'app/test_billing.py', 'app/billing_test.py', 'conftest.py', 'shop/tests.py',
      'pkg/worker_test.go',
      'lib/charge_spec.rb', 'lib/charge_test.rb',
      'src/queue.test.ts', 'src/queue.spec.js', 'src/Widget.test.tsx', 'src/worker.spec.mjs', 'web/src/otel-api.servertest.ts',
      'src/main/java/com/acme/LabelServiceTest.java', 'LabelServiceTests.java',
    ]) assert.equal(kindOf(path), 'test', path);
  });

  it('recognises test and example folders, whatever their case', () => {
    for (const path of ['tests/billing.py', 'test/queue.js', 'spec/jobs/charge.rb', 'src/__tests__/queue.ts', 'src/test/java/com/acme/Label.java', 'pkg/testdata/a.go', 'Tests/a.py',
      '.semgrep/security/requests/no-use-requests-lib.py', 'src/__fixtures__/client.ts', 'spec/fixtures/files/hook.rb',
      'pkg/testhelpers/session.go', 'internal/testutil/server.go', 'src/mocks/api.ts', 'integration-tests/environment-helpers/use-api.js', 'apps/web/playwright/mailhog.ts', 'cypress/support/commands.js', 'web/src/__e2e__/api.ts']) {
      assert.equal(kindOf(path), 'test', path);
    }
    for (const path of ['examples/billing/tasks.py', 'example/main.go', 'samples/app.js', 'sample/app.rb', 'demo/server.ts', 'docs/Examples/a.py', '_examples/real-world-examples/counter/run.go']) {
      assert.equal(kindOf(path), 'example', path);
    }
  });

  it('takes a file in a scripts/, script/ or bin/ folder for a script run by hand, and treats it like example code', () => {
    for (const path of ['apps/web/scripts/tinybird/delete-links.ts', 'bin/release_manager.py', 'script/backfill.rb', 'Scripts/sync.js']) {
      assert.equal(kindOf(path), 'script', path);
    }
    assert.equal(classifyFile('scripts/backfill.py', CODE).reason, 'a script run by hand (in a folder named scripts/)');
    assert.equal(treatmentOf('script', 'hint'), 'hint');
    assert.equal(treatmentOf('script', 'skip'), 'skip');
    assert.equal(treatmentOf('script', 'report'), 'analyse');
    // A test under scripts/ is a test; a JVM package named scripts ships in the build.
    assert.equal(kindOf('scripts/tests/test_backfill.py'), 'test');
    assert.equal(kindOf('src/main/java/com/acme/scripts/Runner.java'), 'production');
    assert.equal(classifyFile('scripts/backfill.py', CODE, 'production').kind, 'production', 'the project config wins');
  });

  it('leaves production code alone, however close its name', () => {
    for (const path of [
      'app/billing.py', 'app/testing_utils.py', 'app/contest.py', 'src/latest/queue.ts', 'lib/attest.rb', 'pkg/test.go',
      'src/main/java/com/acme/Contest.java', 'src/specification/a.ts', 'src/queue.testing.ts', 'billing/tasks.py', 'app/user_demographics/report.py',
      'app/transcripts/sync.py', 'src/binary/upload.ts', 'cmd/worker/main.go', 'src/servertest.ts', 'src/e2e_helpers/page.ts',
    ]) assert.equal(kindOf(path), 'production', path);
  });

  it('takes the mocks a Go package exports for tests for test code, and not a name that only contains mock', () => {
    for (const path of ['mockbroker.go', 'mocks/producer.go', 'internal/store/mock_store.go', 'pkg/client/client_mock.go']) assert.equal(kindOf(path), 'test', path);
    for (const path of ['pkg/hammock.go', 'internal/mockup/render.ts', 'app/mock.py']) assert.equal(kindOf(path), 'production', path);
  });

  it('takes a JVM package named like an example folder for production code, and a folder above the source set for an example', () => {
    for (const path of ['src/main/java/com/example/schedulingtasks/ScheduledTasks.java', 'service/src/main/java/io/acme/examples/Seed.java', 'src/main/kotlin/com/example/demo/Jobs.kt']) {
      assert.equal(kindOf(path), 'production', path);
    }
    assert.equal(kindOf('examples/billing/src/main/java/com/acme/Billing.java'), 'example');
    assert.equal(kindOf('mall-demo/src/main/java/com/macro/mall/demo/controller/RestTemplateDemoController.java'), 'example');
    assert.equal(kindOf('order-history-service/src/main/java/io/eventuate/examples/tram/OrderHistoryViewService.java'), 'production');
    assert.equal(kindOf('src/test/java/com/example/JobsIT.java'), 'test');
  });

  it('judges the path relative to the project root: a root named examples/ is not example code', () => {
    const scope = new ConfigScope('/work/examples', undefined);
    assert.equal(scope.classify('/work/examples/billing/tasks.py', CODE).kind, 'production');
    assert.equal(scope.classify('/work/examples/tests/a.py', CODE).kind, 'test');
    assert.equal(scope.classify('/elsewhere/examples/a.py', CODE).kind, 'production', 'outside the root only the name counts');
    assert.equal(scope.classify('/elsewhere/tests/test_a.py', CODE).kind, 'test');
  });

  it('takes a guide\'s initial/ and complete/ folders side by side for example code, and one complete/ folder alone for production', () => {
    const guide = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'app-'));
    try {
      for (const dir of ['initial', 'complete']) fs.mkdirSync(path.join(guide, dir));
      fs.mkdirSync(path.join(alone, 'complete'));
      const file = 'complete/src/main/java/com/example/messaging/Application.java';
      assert.equal(new ConfigScope(guide, undefined).classify(path.join(guide, file), CODE).kind, 'example');
      assert.equal(new ConfigScope(guide, undefined).classify(path.join(guide, 'tools/src/main/java/Tool.java'), CODE).kind, 'production');
      assert.equal(new ConfigScope(alone, undefined).classify(path.join(alone, file), CODE).kind, 'production');
    } finally {
      fs.rmSync(guide, { recursive: true, force: true });
      fs.rmSync(alone, { recursive: true, force: true });
    }
  });
});

describe('file kinds: generated and minified files', () => {
  it('recognises generated headers in each language\'s comments', () => {
    for (const [path, text] of [
      ['pkg/api.pb.go', '// Code generated by protoc-gen-go. DO NOT EDIT.\n// versions:\n\npackage api\n'],
      ['app/api_pb2.py', '# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n# source: api.proto\nimport requests\n'],
      ['src/client.ts', '/**\n * @generated by openapi-typescript\n */\nexport const a = 1;\n'],
      ['db/schema.rb', '# This file is auto-generated from the current state of the database.\nActiveRecord::Schema.define do\nend\n'],
      ['src/Api.java', '/*\n * Generated by OpenAPI Generator. Do not edit manually.\n */\npackage api;\n'],
      ['src/x.js', '#!/usr/bin/env node\n// This file was generated by a tool\nrequire("a");\n'],
    ] as const) assert.equal(kindOf(path, text), 'generated', path);
  });

  it('reads only the leading comments, and only the markers', () => {
    for (const [path, text] of [
      ['app/tasks.py', 'import requests\n# DO NOT EDIT the retry count below\nMAX = 3\n'],
      ['app/report.py', '# Celery tasks for reports generated by users.\nimport requests\n'],
      ['app/doc.py', '"""Generated by hand: do not edit."""\nimport requests\n'],
      ['src/a.ts', 'const msg = "// Code generated by x. DO NOT EDIT.";\n'],
      ['app/b.py', '# do not edit lightly\n'],
    ] as const) assert.equal(kindOf(path, text), 'production', text);
  });

  it('recognises minified JavaScript by name and by its long, dense lines', () => {
    assert.equal(kindOf('public/vendor.min.js', 'var a=1;'), 'minified');
    assert.equal(kindOf('public/jquery-3.7.1.min.js', 'var a=1;'), 'minified');
    const bundle = `!function(e){${'var t=e.a+1;fetch(t).then(function(n){return n.json()});'.repeat(60)}}(window);\n`;
    assert.equal(kindOf('static/app.js', bundle), 'minified');
    // A hand-written file with one long data line stays production code: most of it is readable.
    const readable = `${'const client = axios.create({ baseURL: url });\n'.repeat(80)}const logo = "${'A'.repeat(1500)}";\n`;
    assert.equal(kindOf('src/app.js', readable), 'production');
    // Long prose-like lines have whitespace; Python is never judged by line length.
    assert.equal(kindOf('src/a.js', `// ${'word '.repeat(400)}\n`), 'production');
    assert.equal(kindOf('app/a.py', `x = "${'A'.repeat(2000)}"\n`), 'production');
  });

  it('lets the project config declare paths, but never revive a generated file', () => {
    assert.equal(classifyFile('qa/checks.py', CODE, 'test').kind, 'test');
    assert.equal(classifyFile('examples/app.py', CODE, 'production').kind, 'production');
    assert.equal(classifyFile('examples/app.min.js', 'var a=1', 'production').kind, 'minified');
  });
});

describe('file kinds: treatment', () => {
  it('never analyses generated or minified files; test code follows the mode', () => {
    for (const mode of ['report', 'hint', 'skip'] as const) {
      assert.equal(treatmentOf('generated', mode), 'skip');
      assert.equal(treatmentOf('minified', mode), 'skip');
      assert.equal(treatmentOf('production', mode), 'analyse');
    }
    assert.equal(treatmentOf('test', 'report'), 'analyse');
    assert.equal(treatmentOf('example', 'hint'), 'hint');
    assert.equal(treatmentOf('test', 'skip'), 'skip');
  });
});

describe('file kinds: the project config', () => {
  const read = parseProjectConfig('/repo/.task-reliability.json', JSON.stringify({ testCode: { mode: 'skip', paths: ['qa/**'], exclude: ['examples/**'] } }));

  it('reads testCode.mode, paths and exclude', () => {
    assert.deepEqual(read.problems, []);
    const scope = new ConfigScope('/repo', read.config);
    assert.equal(scope.settingsFor('/repo/a.py').testCode, 'skip');
    assert.equal(scope.classify('/repo/qa/smoke.py', CODE).kind, 'test');
    assert.equal(scope.classify('/repo/examples/app.py', CODE).kind, 'production');
    assert.equal(scope.classify('/repo/tests/a.py', CODE).kind, 'test');
    assert.equal(new ConfigScope('/repo', read.config, { testCode: 'report' }).settingsFor('/repo/a.py').testCode, 'report', 'the editor setting wins');
    assert.equal(new ConfigScope('/repo', undefined).settingsFor('/repo/a.py').testCode, 'hint', 'the default');
  });

  it('reports a bad testCode value and keeps the rest', () => {
    const bad = parseProjectConfig('/repo/.task-reliability.json', JSON.stringify({ testCode: { mode: 'loud', paths: 'qa', colour: 1 }, maxFileSize: 10 }));
    assert.equal(bad.problems.length, 3, bad.problems.join('\n'));
    assert.match(bad.problems.join('\n'), /testCode\.mode must be one of report, hint, skip/);
    assert.equal(bad.config?.layer.maxFileSize, 10);
    assert.equal(parseProjectConfig('/r/.task-reliability.json', '{"testCode": "skip"}').problems.length, 1);
  });
});
