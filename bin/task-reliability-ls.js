#!/usr/bin/env node
// The language server for any LSP editor: `task-reliability-ls --stdio`.
if (!process.argv.includes('--stdio') && !process.argv.includes('--node-ipc') && !process.argv.includes('--version')) {
  process.argv.push('--stdio');
}
require('../dist/server.js');
