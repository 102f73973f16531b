import path from 'node:path';
import { runWithCodeCache } from './code-cache.js';

// The language server's entry: its bundle (server-main.js) runs through V8's code cache, which is
// written once the first diagnostics have usually been sent.
runWithCodeCache(path.join(__dirname, 'server-main.js'), 3000, module);
