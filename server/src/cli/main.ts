import { Command, InvalidArgumentError, Option } from 'commander';
import { TEST_CODE_MODES } from '../analysis/index.js';
import { CONFIG_FILE } from '../config/project.js';
import { check, UsageError, type CheckOptions } from './check.js';
import { registerBookCommand } from './book-command.js';
import { EXIT_USAGE } from './exit-codes.js';
import { registerRouteCommand } from './route-command.js';
import { registerMapCommand } from './map-command.js';
import { DEFAULT_TIME_BUDGET_MS } from '../worker/client.js';

const VERSION = '0.1.0';
/** The bundle lives in dist/ beside the catalog and the grammars. */
const dist = __dirname;

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

const program = new Command('task-reliability')
  .description('Finds distributed-task reliability mistakes (timeouts, retries, queues, cron, outbox, webhooks) and explains them from the book.')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('check')
  .description('analyse files and folders (folders are walked, honouring .gitignore and the exclude globs)')
  .argument('[paths...]', 'files or folders', [])
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
  .option('--signals', 'also list the recognised APIs (signals)', false)
  .option('-c, --config <file>', `project config file (default: ./${CONFIG_FILE} when present)`)
  .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', nonNegativeInteger)
  .option('--quiet', 'report errors only', false)
  .option('-o, --output <file>', 'write the report to a file')
  .option('--no-color', 'no colours in text output')
  .option('--max-file-ms <ms>', 'abandon a file whose analysis takes longer than this (it is named, and the exit code is 2)', positiveInteger, DEFAULT_TIME_BUDGET_MS)
  .option('--root <dir>', 'project root for resolving imports (default: the nearest folder with .git, pyproject.toml, package.json, go.mod, Gemfile, pom.xml or build.gradle)')
  .option('--no-project', 'analyse each file alone, without following imports into the project')
  .addOption(new Option('--test-code <mode>', 'findings in test and example code: report them as in production code, as hints (left out of SARIF and the exit code), or skip the files (default: the config\'s testCode.mode, else hint)').choices([...TEST_CODE_MODES]))
  .action(async (paths: string[], options: CheckOptions) => {
    process.exitCode = await check(paths, options, dist, VERSION);
  });

registerRouteCommand(program, dist);
registerBookCommand(program, dist);
registerMapCommand(program, dist);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') {
      process.exitCode = 0;
    } else if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof UsageError) {
      process.stderr.write(`task-reliability: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      throw error;
    }
  }
}

void main();
