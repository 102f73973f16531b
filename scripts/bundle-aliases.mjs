// Module aliases every esbuild bundle of the project needs (the extension's, the bench's, the eval's).
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const aliases = {
  // web-tree-sitter's ESM build reads import.meta.url, which is empty in CJS output: use its CJS build.
  'web-tree-sitter': require.resolve('web-tree-sitter'),
  // jsonc-parser's main entry is a UMD wrapper whose inner requires esbuild cannot follow: use its ESM build.
  'jsonc-parser': path.join(path.dirname(require.resolve('jsonc-parser/package.json')), 'lib', 'esm', 'main.js'),
};
