import { spawnSync } from 'node:child_process';

/** The CLI's `--format json --signals` document (SPEC: "The CLI contract"), as far as the eval reads it. */
export interface CliReport {
  readonly files: readonly {
    readonly path: string;
    /** production, test or example: the CLI's classification of the file. */
    readonly kind?: string;
    readonly findings: readonly { rule: string; message: string; line: number; severity?: string }[];
    readonly signals?: readonly { kind: string; api: string; line: number }[];
  }[];
}

export interface CliRun {
  readonly report: CliReport | undefined;
  /** Set when the CLI timed out, crashed or printed no JSON. */
  readonly error?: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs the built CLI as its users run it, from the repository's root, so that whatever the CLI
 * does with its working directory (a project config, the project model's root) happens here too.
 */
export function runCli(cli: string, root: string, paths: readonly string[], timeoutMs: number): CliRun {
  const started = Date.now();
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--signals', '--no-color', '--', ...paths], {
    cwd: root,
    timeout: timeoutMs,
    maxBuffer: 2 ** 30,
    encoding: 'utf8',
  });
  const ms = Date.now() - started;
  const stderr = run.stderr ?? '';
  if (run.error !== undefined) return { report: undefined, error: `${run.error.message}`, stderr, ms };
  // Exit 1 means findings at error severity and 2 an incomplete check; both still print the report.
  try {
    return { report: JSON.parse(run.stdout) as CliReport, stderr, ms, ...(run.status === 2 ? { error: 'incomplete check (exit 2)' } : {}) };
  } catch {
    return { report: undefined, error: `exit ${run.status ?? run.signal}: no JSON on stdout`, stderr, ms };
  }
}
