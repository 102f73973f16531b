import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readScriptConfig } from '../../server/src/workspace/tsconfig.js';

describe('readScriptConfig', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-tsconfig-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads JSON with comments and trailing commas, leaving comment-like and comma text inside strings alone', () => {
    const dir = path.join(root, 'commented');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), [
      '{',
      '  // Paths are resolved from the source folder.',
      '  "compilerOptions": {',
      '    /* a block comment, with a comma, */',
      '    "baseUrl": "./src",',
      '    "paths": { "@server/*": ["server/*",], "odd,]": ["a//b/*"], },',
      '  },',
      '}',
    ].join('\n'));
    const config = readScriptConfig(path.join(dir, 'tsconfig.json'), 0);
    assert.deepEqual(config, {
      paths: [['@server/*', ['server/*']], ['odd,]', ['a//b/*']]],
      base: path.join(dir, 'src'),
      baseUrl: path.join(dir, 'src'),
    });
  });

  it('takes paths from a relative extends when the file sets none', () => {
    const dir = path.join(root, 'extends');
    fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tsconfig.base.json'), '{ "compilerOptions": { "paths": { "@lib/*": ["lib/*"] } } }');
    fs.writeFileSync(path.join(dir, 'app', 'tsconfig.json'), '{ "extends": "../tsconfig.base", "compilerOptions": { "strict": true } }');
    const config = readScriptConfig(path.join(dir, 'app', 'tsconfig.json'), 0);
    assert.deepEqual(config, { paths: [['@lib/*', ['lib/*']]], base: dir, baseUrl: undefined });
  });

  it('treats a file with a syntax error, or a missing one, as absent', () => {
    const dir = path.join(root, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": "./src" ');
    assert.equal(readScriptConfig(path.join(dir, 'tsconfig.json'), 0), undefined);
    assert.equal(readScriptConfig(path.join(dir, 'missing.json'), 0), undefined);
  });
});
