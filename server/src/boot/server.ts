import path from 'node:path';
import { runWithCodeCache } from './code-cache.js';
import { trace } from '../trace.js';
import { SERVER_LEARN_BUDGET_MS, SERVER_WORKER_LIMITS, startEarly, workerDataFor } from '../worker/early.js';

// The language server's entry: its bundle (server-main.js) runs through V8's code cache, which is
// written once the first diagnostics have usually been sent.
trace('server entry');
// The analysis thread boots while this one loads its bundle: both are on the path to the first
// diagnostics. The server adopts it (see worker/early.ts); `--version` needs none.
if (!process.argv.includes('--version')) startEarly(path.join(__dirname, 'analysis-worker.js'), workerDataFor(__dirname, SERVER_LEARN_BUDGET_MS), SERVER_WORKER_LIMITS);
runWithCodeCache(path.join(__dirname, 'server-main.js'), 3000, module);
trace('server bundle run');
