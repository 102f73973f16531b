import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './analyzer.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/task-reliability.js ARGS` in `cwd`, as a CI job would; colour comes only from `env`. */
export function runCli(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): CliRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR' && k !== 'NO_COLOR'));
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'task-reliability.js'), ...args], {
    cwd, encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder holding `files` (relative path → text); removed by the returned function. */
export function makeWorkspace(files: Readonly<Record<string, string>>): { root: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A small project with findings at several severities, a suppression, and files to leave out. */
export const SAMPLE_PROJECT: Readonly<Record<string, string>> = {
  '.gitignore': 'build-output/\n',
  'app/pay.py': 'import requests\n\n\ndef charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n',
  'app/ok.py': 'import requests\n\n\ndef ping():\n    return requests.get("https://example.com/health", timeout=5)\n',
  'app/probe.py': 'import requests\n\n# reliability-ignore-next-line http-timeout -- the probe has its own deadline\nrequests.get("http://localhost/health")\n',
  'tests/test_pay.py': 'import requests\n\nrequests.get("https://example.com")\n',
  'k8s/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 2 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: job\n              image: example/job:1\n',
  'build-output/gen.py': 'import requests\nrequests.get("https://example.com")\n',
  'node_modules/lib/index.js': 'const axios = require("axios");\naxios.get("https://example.com");\n',
  'README.md': 'requests.get("https://example.com") in prose is not code.\n',
};
