// Generates a synthetic workspace for measuring the workspace scan: N supported source files
// (Python, TypeScript, TSX, JavaScript, Kubernetes YAML) across nested folders, about one in five
// with a reliability mistake, plus what a scan must leave out: a node_modules tree, a git-ignored
// folder and unsupported files. Deterministic for a given seed.
// Usage: node scripts/gen-workspace.mjs OUT_DIR [--files 5000] [--seed 42]
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const out = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]?.startsWith('--')));
if (!out) {
  console.error('usage: node scripts/gen-workspace.mjs OUT_DIR [--files 5000] [--seed 42]');
  process.exit(2);
}
const total = flag('--files', 5000);

/** mulberry32: a small seeded generator, so the same seed gives the same workspace. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(flag('--seed', 42));
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const PY_MISTAKES = [
  'def charge(order):\n    return requests.post("https://pay.example.com/charge", json=order)\n',
  '@retry(wait=wait_exponential(multiplier=1, max=60))\ndef sync_inventory():\n    return requests.get("https://inventory.example.com/items", timeout=5).json()\n',
];
const PY_CLEAN = (i) => `def helper_${i}(items):\n    total = 0\n    for item in items:\n        total += item.get("amount", 0)\n    return total\n`;
const TS_MISTAKES = [
  "export async function notify(url: string, body: unknown) {\n  return axios.post(url, body);\n}\n",
  "export async function poll(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n",
];
const TS_CLEAN = (i) => `export function format${i}(values: number[]): string {\n  return values.map((v) => v.toFixed(2)).join(', ');\n}\n`;
const CRON = (i, mistake) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job-${i}\nspec:\n  schedule: "*/15 * * * *"\n${mistake ? '' : '  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 300\n'}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: job\n              image: example/job:${i}\n`;

function python(i, mistake) {
  const body = Array.from({ length: between(3, 12) }, (_, k) => PY_CLEAN(i * 100 + k)).join('\n\n');
  return `import requests\nfrom tenacity import retry, stop_after_attempt, wait_exponential\n\n\n${body}\n\n${mistake ? pick(PY_MISTAKES) : PY_CLEAN(i)}`;
}
function typescript(i, mistake) {
  const body = Array.from({ length: between(3, 12) }, (_, k) => TS_CLEAN(i * 100 + k)).join('\n');
  return `import axios from 'axios';\n\n${body}\n${mistake ? pick(TS_MISTAKES) : TS_CLEAN(i)}`;
}

const write = (rel, text) => {
  const file = path.join(out, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
fs.rmSync(out, { recursive: true, force: true });
let mistakes = 0;
for (let i = 0; i < total; i++) {
  const dir = `services/svc-${i % 40}/${pick(['api', 'workers', 'jobs', 'clients', 'lib'])}/m${Math.floor(i / 40) % 10}`;
  const mistake = random() < 0.2;
  if (mistake) mistakes++;
  const kind = random();
  if (kind < 0.4) write(`${dir}/mod_${i}.py`, python(i, mistake));
  else if (kind < 0.65) write(`${dir}/mod${i}.ts`, typescript(i, mistake));
  else if (kind < 0.75) write(`${dir}/view${i}.tsx`, typescript(i, mistake));
  else if (kind < 0.9) write(`${dir}/mod${i}.js`, typescript(i, mistake).replace(/: (string|unknown|number\[\])/g, '').replace(/\): string/g, ')'));
  else write(`${dir}/cron-${i}.yaml`, CRON(i, mistake));
}
// What the scan must not read: a dependency tree, git-ignored output, files of other languages.
for (let i = 0; i < 500; i++) write(`node_modules/dep-${i % 25}/lib/index${i}.js`, typescript(i, true));
for (let i = 0; i < 300; i++) write(`generated/gen_${i}.py`, python(i, true));
for (let i = 0; i < 200; i++) write(`docs/page-${i}.md`, `# Page ${i}\n\nrequests.post(url) in prose.\n`);
write('.gitignore', 'generated/\n');
console.log(`${out}: ${total} source files (${mistakes} with a mistake), plus 500 in node_modules, 300 git-ignored, 200 Markdown`);
