/**
 * `task-reliability route "<task>" [files…]`: the chapters, matrix rows and rules for a task, as
 * Markdown (for agents that read command output) or JSON. Same routing as the MCP server and the
 * editor's tools.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Analyzer } from '../analysis/index.js';
import { CLI_LINKS } from '../agents/links.js';
import { analyzePaths, loadCatalog, loadSearchIndexJson, PathError } from '../agents/read-files.js';
import { DEFAULT_ROUTE_BUDGET, MAX_ROUTE_BUDGET, MIN_ROUTE_BUDGET, renderRoute } from '../agents/render-route.js';
import { Router } from '../agents/route.js';
import { routeJson } from '../agents/route-json.js';
import { EXIT_USAGE } from './exit-codes.js';

interface RouteOptions {
  budget: number;
  format: 'markdown' | 'json';
}

function budget(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_ROUTE_BUDGET || n > MAX_ROUTE_BUDGET) {
    throw new InvalidArgumentError(`expected a whole number of characters from ${MIN_ROUTE_BUDGET} to ${MAX_ROUTE_BUDGET}`);
  }
  return n;
}

export function registerRouteCommand(program: Command, dist: string): void {
  program
    .command('route')
    .description('which chapters, decision-matrix rows and rules apply to a task and/or files, as Markdown (for coding agents)')
    .argument('<task>', 'the task in words, quoted ("" to route from the files alone)')
    .argument('[files...]', 'files or folders whose findings and signals also route', [])
    .option('-b, --budget <chars>', 'the most characters to print; rules past it are listed by id', budget, DEFAULT_ROUTE_BUDGET)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .action(async (task: string, files: string[], options: RouteOptions) => {
      process.exitCode = await route(task, files, options, dist);
    });
}

async function route(task: string, paths: readonly string[], options: RouteOptions, dist: string): Promise<number> {
  if (task.trim() === '' && paths.length === 0) {
    process.stderr.write('task-reliability: route needs a task in words, files, or both\n');
    return EXIT_USAGE;
  }
  const catalog = loadCatalog(dist);
  let read;
  try {
    read = paths.length === 0 ? undefined : await analyzePaths(new Analyzer({ wasmPath: (f) => path.join(dist, f) }), paths, process.cwd());
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    process.stderr.write(`task-reliability: ${error.message}\n`);
    return EXIT_USAGE;
  }
  for (const problem of read?.configProblems ?? []) process.stderr.write(`task-reliability: ${problem}\n`);
  for (const s of read?.skipped ?? []) process.stderr.write(`task-reliability: skipped ${s.path}: ${s.reason}\n`);
  const result = new Router(catalog, loadSearchIndexJson(dist)).route({ task, files: read?.files });
  const rendered = renderRoute(result, CLI_LINKS, options.budget);
  const output = options.format === 'json' ? JSON.stringify(routeJson(result, rendered), null, 2) : rendered.markdown;
  process.stdout.write(`${output}\n`);
  return 0;
}
