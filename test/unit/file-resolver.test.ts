import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileResolver } from '../../server/src/workspace/resolver.js';

describe('FileResolver', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-resolver-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('answers "not found" for a candidate that runs through a file (ENOTDIR), instead of throwing', () => {
    fs.writeFileSync(path.join(root, 'logo.png'), 'not an image');
    fs.writeFileSync(path.join(root, 'app.ts'), "import logo from './logo.png/inner';\n");
    fs.writeFileSync(path.join(root, 'util.ts'), 'export const x = 1;\n');
    const resolver = new FileResolver(root);
    const app = path.join(root, 'app.ts');
    assert.equal(resolver.resolve(app, './logo.png/inner', 'typescript'), undefined);
    assert.equal(resolver.resolve(app, './util', 'typescript'), path.join(root, 'util.ts'));
  });
});
