import assert from 'node:assert/strict';
import { RULES } from '../../server/src/analysis/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { repoRoot } from '../helpers/analyzer.js';
import { makeWorkspace, runCli, SAMPLE_PROJECT } from '../helpers/cli.js';

/**
 * The official SARIF 2.1.0 schema (the OASIS committee's final "rtm.5" text), as the
 * @microsoft/jest-sarif package ships it: taken from the registry, never copied into this repo.
 */
const SCHEMA = path.join(repoRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

describe('task-reliability check --format sarif', () => {
  let ws: { root: string; remove: () => void };
  let log: Log;
  before(() => {
    ws = makeWorkspace({ ...SAMPLE_PROJECT, 'app/space in name.py': SAMPLE_PROJECT['app/pay.py'] ?? '' });
    const run = runCli(['check', '--format', 'sarif', '-o', 'results.sarif'], ws.root);
    assert.equal(run.code, 0, run.stderr);
    log = JSON.parse(fs.readFileSync(path.join(ws.root, 'results.sarif'), 'utf8')) as Log;
  });
  after(() => ws.remove());

  it('is valid against the official SARIF 2.1.0 JSON schema', () => {
    // The schema's `language` pattern has a stray `]` that only non-Unicode regular expressions
    // accept, as JavaScript engines did when the schema was written; `strict: false` lets its
    // draft-04 keywords that Ajv merely ignores pass without failing the compile.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
  });

  it('describes every rule with short and full descriptions, the book as help, and tags', () => {
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.meta.id));
    for (const rule of rules) {
      assert.ok(rule.shortDescription?.text, rule.id);
      assert.match(rule.fullDescription?.text ?? '', /^R\d+\.\d+ /, rule.id);
      assert.match(rule.help?.markdown ?? '', /\*\*RULE:\*\*[\s\S]*\*\*WHY:\*\*[\s\S]*\*\*APPLY:\*\*/, rule.id);
      assert.equal(rule.helpUri, undefined, 'no public URL for the book yet');
      assert.ok(Array.isArray(rule.properties?.['tags']) && (rule.properties?.['tags'] as string[]).includes('reliability'));
    }
  });

  it('gives each result a physical location, a stable fingerprint and, when silenced, a suppression', () => {
    const results = log.runs[0]?.results ?? [];
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const pay = results.find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'app/pay.py');
    assert.deepEqual(pay?.locations?.[0]?.physicalLocation?.region, { startLine: 5, startColumn: 12, endLine: 5, endColumn: 25 });
    assert.equal(pay?.locations?.[0]?.physicalLocation?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.equal(log.runs[0]?.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(fs.realpathSync(ws.root)).href}/`);
    assert.ok(results.some((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'app/space%20in%20name.py'));
    for (const result of results) {
      assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
      assert.match(Object.values(result.partialFingerprints ?? {})[0] ?? '', /^[0-9a-f]{8}:\d+$/);
    }
    const suppressed = results.filter((r) => r.suppressions !== undefined);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'app/probe.py');
    assert.deepEqual(suppressed[0]?.suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'the probe has its own deadline' }]);
  });

  it('keeps a fingerprint when unrelated lines move', () => {
    const before = log.runs[0]?.results?.find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'app/pay.py');
    fs.writeFileSync(path.join(ws.root, 'app', 'pay.py'), `# a new comment\n\n${SAMPLE_PROJECT['app/pay.py'] ?? ''}`);
    const moved = JSON.parse(runCli(['check', 'app/pay.py', '--format', 'sarif'], ws.root).stdout) as Log;
    const after = moved.runs[0]?.results?.[0];
    assert.equal(after?.locations?.[0]?.physicalLocation?.region?.startLine, 7);
    assert.deepEqual(after?.partialFingerprints, before?.partialFingerprints);
  });
});
