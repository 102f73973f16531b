import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Analyzer, LineIndex, languageFromPath, type Severity } from '../analysis/index.js';
import type { Catalog } from '../catalog/types.js';
import { CONFIG_FILE, ConfigError, readConfigFile } from '../config.js';
import { DEFAULT_SETTINGS, type Settings } from '../lsp/settings.js';
import { collectFiles } from './walk.js';
import { toJson, toSarif, toText, type FileReport } from './report.js';

const VERSION = '0.1.0';
const dist = __dirname;

/** Exit codes of the CLI contract: findings at error severity → 1, bad usage or config → 2. */
const EXIT_USAGE = 2;

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  signals: boolean;
  config?: string;
  maxWarnings?: number;
  quiet: boolean;
  output?: string;
  color: boolean;
}

async function check(paths: string[], options: CheckOptions): Promise<number> {
  const cwd = process.cwd();
  let settings: Settings = DEFAULT_SETTINGS;
  const configFile = options.config ?? (fs.existsSync(path.join(cwd, CONFIG_FILE)) ? path.join(cwd, CONFIG_FILE) : undefined);
  if (configFile !== undefined) {
    const read = readConfigFile(configFile);
    settings = read.settings;
    for (const problem of read.problems) process.stderr.write(`task-reliability: ${problem}\n`);
  }
  const files = collectFiles(paths.length === 0 ? ['.'] : paths, settings.exclude, cwd);
  const catalog = JSON.parse(fs.readFileSync(path.join(dist, 'catalog.json'), 'utf8')) as Catalog;
  const analyzer = new Analyzer({ wasmPath: (file) => path.join(dist, file) });
  const reports: FileReport[] = [];
  for (const file of files) {
    const language = languageFromPath(file);
    if (language === undefined) continue;
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (stat.size > settings.maxFileSize) {
        process.stderr.write(`task-reliability: skipped ${rel}: larger than maxFileSize (${settings.maxFileSize} bytes)\n`);
        continue;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`task-reliability: cannot read ${rel}: ${(error as Error).message}\n`);
      continue;
    }
    if (text.includes('\u0000')) {
      process.stderr.write(`task-reliability: skipped ${rel}: binary content\n`);
      continue;
    }
    const result = await analyzer.analyze(text, language, { rules: settings.rules, fixTimeoutSeconds: settings.fixTimeoutSeconds });
    const shown = options.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
    reports.push({ path: rel, result: shown, lines: new LineIndex(text) });
  }
  const output = options.format === 'json' ? toJson(reports, options.signals)
    : options.format === 'sarif' ? toSarif(reports, catalog, VERSION)
      : toText(reports, options.color && options.output === undefined && process.stdout.isTTY === true, options.signals);
  if (options.output !== undefined) fs.writeFileSync(options.output, `${output}\n`);
  else process.stdout.write(`${output}\n`);
  const count = (s: Severity): number => reports.reduce((n, r) => n + r.result.findings.filter((f) => f.severity === s).length, 0);
  if (count('error') > 0) return 1;
  if (options.maxWarnings !== undefined && count('warning') > options.maxWarnings) {
    process.stderr.write(`task-reliability: ${count('warning')} warnings, more than --max-warnings ${options.maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
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
  .action(async (paths: string[], options: CheckOptions) => {
    process.exitCode = await check(paths, options);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') {
      process.exitCode = 0;
    } else if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof ConfigError) {
      process.stderr.write(`task-reliability: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof Error && /^no such file or folder/.test(error.message)) {
      process.stderr.write(`task-reliability: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      throw error;
    }
  }
}

void main();
