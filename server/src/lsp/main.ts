import fs from 'node:fs';
import path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { Catalog } from '../catalog/types.js';
import { ReliabilityServer } from './server.js';
import { trace } from '../trace.js';

// The bundle lives in dist/ beside the catalog, the grammars and the book's Markdown.
const dist = __dirname;
if (process.argv.includes('--version')) {
  process.stdout.write('task-reliability-ls 0.1.0\n');
  process.exit(0);
}
const connection = createConnection(ProposedFeatures.all);
// The catalog (half a megabyte of JSON) is read when first needed: a hover, the book, a file link.
let catalog: Catalog | undefined;
new ReliabilityServer(connection, {
  get catalog() {
    if (catalog === undefined) {
      catalog = JSON.parse(fs.readFileSync(path.join(dist, 'catalog.json'), 'utf8')) as Catalog;
      trace('catalog read');
    }
    return catalog;
  },
  wasmPath: (file) => path.join(dist, file),
  contentDir: path.join(dist, 'content'),
  workerScript: path.join(dist, 'analysis-worker.js'),
}).listen();
