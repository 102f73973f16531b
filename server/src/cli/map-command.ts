/**
 * `task-reliability map [PATH]`: every task and schedule of the project with its effective
 * settings, its enqueue sites and its side effects, as JSON (the `TaskMap` contract), Markdown or
 * Graphviz dot. The root is found as `check` finds it: `--root`, else the nearest marker.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { Analyzer, TEST_CODE_MODES, taskMapDot, taskMapMarkdown } from '../analysis/index.js';
import { PathError } from '../agents/read-files.js';
import { projectTaskMap } from '../agents/task-map.js';
import { EXIT_USAGE } from './exit-codes.js';

interface MapOptions {
  format: 'json' | 'markdown' | 'dot';
  root?: string;
  testCode?: 'report' | 'hint' | 'skip';
}

export function registerMapCommand(program: Command, dist: string): void {
  program
    .command('map')
    .description('the task map: every task and schedule with its settings, who enqueues it and what it touches')
    .argument('[path]', 'a folder or file of the project', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'markdown', 'dot']).default('markdown'))
    .addOption(new Option('--test-code <mode>', 'test and example code: map it with the rest (report, hint) or leave it out (skip, the default: its tasks and enqueues are not the product\'s)').choices([...TEST_CODE_MODES]))
    .option('--root <dir>', 'project root for resolving imports and showing paths (default: the nearest folder with .git, pyproject.toml, package.json, go.mod, Gemfile, pom.xml or build.gradle)')
    .action(async (target: string, options: MapOptions) => {
      process.exitCode = await map(target, options, dist);
    });
}

async function map(target: string, options: MapOptions, dist: string): Promise<number> {
  let result;
  try {
    const testCode = options.testCode !== undefined && options.testCode !== 'skip';
    result = await projectTaskMap(new Analyzer({ wasmPath: (f) => path.join(dist, f) }), target, process.cwd(), options.root, { testCode });
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    process.stderr.write(`task-reliability: ${error.message}\n`);
    return EXIT_USAGE;
  }
  for (const problem of result.configProblems) process.stderr.write(`task-reliability: ${problem}\n`);
  const leftOut = result.leftOut === 0 ? undefined : `${result.leftOut} test and example ${result.leftOut === 1 ? 'file was' : 'files were'} left out: \`--test-code report\` maps them too.`;
  const output = options.format === 'json' ? JSON.stringify(result.map, null, 2) : options.format === 'dot' ? taskMapDot(result.map) : taskMapMarkdown(result.map, leftOut);
  process.stdout.write(`${output}\n`);
  // JSON and dot keep to their format: the note goes to stderr, where a reader of an empty map sees it.
  if (leftOut !== undefined && options.format !== 'markdown' && result.map.tasks.length === 0 && result.map.schedules.length === 0) process.stderr.write(`task-reliability: no tasks or schedules in production code; ${leftOut}\n`);
  return 0;
}
