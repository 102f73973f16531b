#!/usr/bin/env node
// The MCP server (stdio) lives in the bundle; run `npm run build` first when using it from a checkout.
require('../dist/mcp.js');
