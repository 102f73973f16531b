/**
 * `task-reliability-mcp`: the MCP server over stdio. Standard output is the transport, so nothing
 * else may write to it; problems go to standard error, which MCP clients show in their logs.
 */
import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Analyzer } from '../analysis/index.js';
import { loadCatalog, loadSearchIndexJson } from '../agents/read-files.js';
import { createMcpServer, projectRoot } from './server.js';

const VERSION = '0.1.0';
/** The bundle lives in dist/ beside the catalog and the grammars. */
const dist = __dirname;

const USAGE = 'usage: task-reliability-mcp [--root DIR]   (an MCP server over stdio; paths in tool calls are relative to DIR)';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (argv.includes('--version')) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const unknown = argv.filter((a, i) => a !== '--root' && argv[i - 1] !== '--root');
  if (unknown.length > 0 || (argv.includes('--root') && argv[argv.indexOf('--root') + 1] === undefined)) {
    process.stderr.write(`task-reliability-mcp: bad arguments: ${argv.join(' ')}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const server = createMcpServer({
    catalog: loadCatalog(dist),
    searchIndexJson: loadSearchIndexJson(dist),
    analyzer: new Analyzer({ wasmPath: (file) => path.join(dist, file) }),
    root: projectRoot(argv, process.env, process.cwd()),
    version: VERSION,
  });
  await server.connect(new StdioServerTransport());
}

main().catch((error: unknown) => {
  process.stderr.write(`task-reliability-mcp: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
