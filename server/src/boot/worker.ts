import path from 'node:path';
import { runWithCodeCache } from './code-cache.js';
import { trace } from '../trace.js';

// The analysis worker thread's entry: its bundle (analysis-worker-main.js) runs through V8's code
// cache, written a second after it starts: the thread is often ended from outside, when no exit
// handler runs, and by then it has loaded a grammar and run its first analysis.
trace('worker entry');
runWithCodeCache(path.join(__dirname, 'analysis-worker-main.js'), 1000, module);
trace('worker bundle run');
