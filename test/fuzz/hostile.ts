import type { LanguageId } from '../../server/src/analysis/types.js';

/** A fixed input that has broken parsers and analyzers elsewhere, for one language. */
export interface HostileInput {
  readonly name: string;
  readonly text: string;
}

/** The default `taskReliability.maxFileSize`: the server analyses nothing larger. */
export const SIZE_LIMIT = 1_000_000;

/** `unit` repeated until the text is just under `size` code units. */
function fill(unit: string, size = SIZE_LIMIT - 64): string {
  return unit.repeat(Math.floor(size / unit.length));
}

const DEPTH = 10_000;

/** A typical call of each language, to embed in the hostile shapes. */
const CALL: Readonly<Record<LanguageId, string>> = {
  python: 'requests.get(url)',
  javascript: 'axios.get(url)',
  typescript: 'axios.get<T>(url)',
  tsx: 'fetch(url)',
  yaml: 'kind: CronJob',
  ruby: 'Net::HTTP.get(uri)',
  java: 'new RestTemplate()',
  go: 'http.Get(url)',
};

const HEADER: Readonly<Record<LanguageId, string>> = {
  python: 'import requests\nfrom tenacity import retry, wait_exponential\n',
  javascript: "import axios from 'axios';\nimport pRetry from 'p-retry';\n",
  typescript: "import axios from 'axios';\n",
  tsx: '',
  yaml: '',
  ruby: "require 'net/http'\n",
  java: 'import org.springframework.web.client.RestTemplate;\n',
  go: 'package main\nimport "net/http"\n',
};

/** A small file with findings in each language, to dress in odd encodings and line breaks. */
const SAMPLE: Readonly<Record<LanguageId, string>> = {
  python: 'import requests\nfrom tenacity import retry, wait_exponential\n\n\n@retry(wait=wait_exponential())\ndef sync(url):\n    return requests.get(url)\n',
  javascript: "import axios from 'axios';\nimport pRetry from 'p-retry';\n\nexport async function sync(url) {\n  await pRetry(() => axios.get(url), { retries: Infinity });\n}\n",
  typescript: "import axios from 'axios';\n\nexport async function sync(url: string): Promise<void> {\n  await axios.get<string>(url);\n  await fetch(url, {\n    method: 'POST',\n  });\n}\n",
  tsx: 'export function A({ url }: { url: string }) {\n  return <button onClick={() => fetch(url)}>Go</button>;\n}\n',
  yaml: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate: {}\n',
  ruby: "require 'net/http'\n\nclass Sync\n  def call(uri)\n    Net::HTTP.get(uri)\n  end\nend\n",
  java: 'import org.springframework.web.client.RestTemplate;\n\nclass Sync {\n  RestTemplate rest = new RestTemplate();\n}\n',
  go: 'package main\n\nimport "net/http"\n\nfunc sync(url string) {\n\thttp.Get(url)\n}\n',
};

/** Deep nesting in the shapes each language's grammar recurses on. */
function nesting(language: LanguageId): HostileInput[] {
  const brackets = (open: string, close: string, inner: string): string => open.repeat(DEPTH) + inner + close.repeat(DEPTH);
  const common = [
    { name: '10,000 nested parentheses', text: brackets('(', ')', CALL[language]) },
    { name: '10,000 nested square brackets', text: brackets('[', ']', CALL[language]) },
    { name: '10,000 nested braces', text: brackets('{', '}', CALL[language]) },
    { name: '10,000 unclosed brackets', text: '(['.repeat(DEPTH / 2) + CALL[language] },
    { name: '10,000 closing brackets', text: CALL[language] + ')]}'.repeat(DEPTH / 3) },
  ];
  switch (language) {
    case 'python':
      return [...common,
        { name: '10,000 nested calls', text: `${HEADER.python}x = ${'requests.get('.repeat(DEPTH)}url${')'.repeat(DEPTH)}\n` },
        { name: 'an attribute chain 10,000 long', text: `${HEADER.python}requests${'.session'.repeat(DEPTH)}.get(url)\n` },
        { name: '10,000 nested dicts', text: `${HEADER.python}requests.get(url, **${'{"a": '.repeat(DEPTH)}1${'}'.repeat(DEPTH)})\n` },
        { name: '1,000 nested blocks', text: `${HEADER.python}${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n')}\n${' '.repeat(1000)}requests.get(url)\n` },
        { name: '10,000 nested lambdas', text: `${HEADER.python}f = ${'lambda: '.repeat(DEPTH)}requests.get(url)\n` },
        { name: '10,000 stacked decorators', text: `${HEADER.python}${'@retry(wait=wait_exponential())\n'.repeat(DEPTH)}def f():\n    pass\n` },
      ];
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return [...common,
        { name: '10,000 nested calls', text: `${HEADER[language]}x = ${'axios.get('.repeat(DEPTH)}url${')'.repeat(DEPTH)};\n` },
        { name: 'a member chain 10,000 long', text: `${HEADER[language]}axios${'.create()'.repeat(DEPTH)}.get(url);\n` },
        { name: '10,000 nested object literals', text: `${HEADER[language]}axios.get(url, ${'{ timeout: '.repeat(DEPTH)}1${' }'.repeat(DEPTH)});\n` },
        { name: '10,000 nested arrow functions', text: `${HEADER[language]}const f = ${'() => '.repeat(DEPTH)}fetch(url);\n` },
        { name: '10,000 nested blocks', text: `${HEADER[language]}${'{'.repeat(DEPTH)}fetch(url);${'}'.repeat(DEPTH)}\n` },
        { name: '10,000 nested parenthesised awaits', text: `${HEADER[language]}async function f() { ${'(await '.repeat(DEPTH)}fetch(url)${')'.repeat(DEPTH)} }\n` },
        { name: '10,000 nested template literals', text: `${HEADER[language]}const s = ${'`${'.repeat(DEPTH)}fetch(url)${'}`'.repeat(DEPTH)};\n` },
        ...(language === 'javascript' || language === 'typescript' ? [{ name: '10,000 nested type assertions', text: `${HEADER[language]}axios.get(url, ${'('.repeat(DEPTH)}{ timeout: 0 }${' as const)'.repeat(DEPTH)});\n` }] : []),
        ...(language === 'tsx' ? [{ name: '5,000 nested JSX elements', text: `const a = ${'<div>'.repeat(DEPTH / 2)}{fetch(url)}${'</div>'.repeat(DEPTH / 2)};\n` }] : []),
      ];
    case 'yaml':
      return [...common,
        { name: '10,000 nested flow sequences', text: `kind: CronJob\nspec: ${'['.repeat(DEPTH)}1${']'.repeat(DEPTH)}\n` },
        { name: '10,000 nested flow maps', text: `kind: CronJob\nspec: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\n` },
        { name: '2,000 nested block maps', text: `kind: CronJob\nspec:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}a${i}:`).join('\n')} 1\n` },
        { name: '5,000 nested block sequences', text: `${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i * 2)}-`).join('\n')} kind: CronJob\n` },
      ];
    default:
      return common;
  }
}

/** YAML's own attacks: alias bombs and huge streams. */
function yamlOnly(): HostileInput[] {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const cronjob = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate: {}\n';
  return [
    { name: 'billion laughs (12 levels of 9 aliases)', text: `${laughs.join('\n')}\nkind: CronJob\nspec: *l\n` },
    { name: 'alias bomb as merge keys', text: `base: &b {concurrencyPolicy: Allow}\n${Array.from({ length: 5000 }, (_, i) => `m${i}: &m${i}\n  <<: *${i === 0 ? 'b' : `m${i - 1}`}`).join('\n')}\nkind: CronJob\nspec: *m4999\n` },
    { name: '10,000 aliases of one CronJob spec', text: `kind: CronJob\nspec: &s\n  schedule: "* * * * *"\n${Array.from({ length: DEPTH }, (_, i) => `k${i}: *s`).join('\n')}\n` },
    { name: 'an undefined alias', text: 'kind: CronJob\nspec: *nowhere\n' },
    { name: 'a stream of CronJobs just under the size limit', text: fill(`---\n${cronjob}`) },
    { name: '100,000 empty documents', text: '---\n'.repeat(100_000) },
    { name: 'a kind: List of 5,000 CronJobs', text: `kind: List\nitems:\n${`- kind: CronJob\n  spec:\n    schedule: "* * * * *"\n`.repeat(5000)}` },
    { name: 'a 1 MB block scalar', text: `kind: CronJob\nspec:\n  x: |\n${fill('    schedule: "* * * * *"\n', SIZE_LIMIT - 100)}` },
    { name: 'a 1 MB flow sequence on one line', text: `kind: CronJob\nspec: [${fill('1, ')}1]\n` },
    { name: 'tabs as indentation', text: cronjob.replace(/^ {2}/gm, '\t') },
    { name: 'duplicate keys', text: `${cronjob}spec:\n  concurrencyPolicy: Allow\nkind: CronJob\n` },
  ];
}

/** A 1 MB single line in each language's own shape. */
function longLine(language: LanguageId): HostileInput[] {
  const unit: Readonly<Record<LanguageId, string>> = {
    python: 'requests.get(url); ',
    javascript: 'axios.get(url); ',
    typescript: 'axios.get<T>(url); ',
    tsx: 'fetch(url); ',
    yaml: '',
    ruby: 'Net::HTTP.get(uri); ',
    java: 'x = new RestTemplate(); ',
    go: 'http.Get(url); ',
  };
  const inputs = [
    { name: 'a 1 MB line of one identifier', text: `x${'a'.repeat(SIZE_LIMIT - 64)}` },
    { name: 'a 1 MB string literal', text: `${HEADER[language]}${language === 'yaml' ? 'kind: ' : 'x = '}"${'a'.repeat(SIZE_LIMIT - 128)}"\n` },
    { name: 'a 1 MB comment', text: `${language === 'python' || language === 'yaml' || language === 'ruby' ? '#' : '//'}${'requests.get(url) '.repeat((SIZE_LIMIT - 64) / 18)}\n` },
  ];
  if (unit[language] !== '') inputs.push({ name: 'a 1 MB line of calls', text: HEADER[language] + fill(unit[language]) });
  return inputs;
}

/** The sample in other encodings' leftovers and line breaks. */
function dressed(language: LanguageId): HostileInput[] {
  const sample = SAMPLE[language];
  return [
    { name: 'NUL bytes', text: sample.replace(/\n/g, '\u0000\n').replace(/\(/g, '(\u0000') },
    { name: 'only NUL bytes', text: '\u0000'.repeat(10_000) },
    { name: 'lone high surrogates', text: sample.replace(/url/g, 'u\ud800rl') },
    { name: 'lone low surrogates', text: sample.replace(/ /g, '\udc00 ') },
    { name: 'a lone surrogate at the very end', text: `${sample}\ud83d` },
    { name: 'a byte order mark', text: `\ufeff${sample}` },
    { name: 'two byte order marks', text: `\ufeff\ufeff${sample}` },
    { name: 'CRLF line breaks', text: sample.replace(/\n/g, '\r\n') },
    { name: 'CR line breaks', text: sample.replace(/\n/g, '\r') },
    { name: 'mixed line breaks', text: sample.split('\n').map((l, i) => l + ['\n', '\r\n', '\r', '\u2028'][i % 4]).join('') },
    { name: 'tabs for indentation', text: sample.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)) },
    { name: 'tabs and spaces mixed', text: sample.replace(/^ {4}/gm, '\t    ') },
    { name: 'a BOM, CRLF and NUL together', text: `\ufeff${sample.replace(/\n/g, '\r\n')}\u0000` },
    { name: 'random binary', text: Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 65536)).join('') },
    { name: 'the empty file', text: '' },
    { name: 'only line breaks', text: '\r\n\r\r\n\n'.repeat(10_000) },
  ];
}

export function hostileInputs(language: LanguageId): HostileInput[] {
  return [...nesting(language), ...longLine(language), ...dressed(language), ...(language === 'yaml' ? yamlOnly() : [])];
}
