import path from 'node:path';
import { runWithCodeCache } from './code-cache.js';
import { trace } from '../trace.js';

// The language server's entry: its bundle (server-main.js) runs through V8's code cache, which is
// written once the first diagnostics have usually been sent.
trace('server entry');
runWithCodeCache(path.join(__dirname, 'server-main.js'), 3000, module);
trace('server bundle run');
