import fc from 'fast-check';
import assert from 'node:assert/strict';
import type { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';

/**
 * Constructs that real code repeats: builder and stream chains, nested calls, nested lambdas and
 * blocks, nested literals, long binary expressions, stacked decorators and annotations, long string
 * concatenations. Each is a whole file with the construct repeated `n` times, written around the
 * APIs the analyzer recognises so that the repeated part reaches the detectors and the rules. The
 * scaling test analyses each at two sizes and checks the cost grows about linearly; the fuzzer
 * mixes them, at random sizes, into its generated programs.
 */
export interface ScalingCase {
  readonly name: string;
  readonly text: (n: number) => string;
}

const repeat = (n: number, f: (i: number) => string, separator = ''): string => Array.from({ length: n }, (_, i) => f(i)).join(separator);

const PYTHON: readonly ScalingCase[] = [
  { name: 'a chain of session calls', text: (n) => `import requests\n\ns = requests.Session()${'.mount("https://", adapter)'.repeat(n)}\nr = requests.Session()${'.get(url)'.repeat(n)}\n` },
  { name: 'nested calls around a request', text: (n) => `import requests\n\nx = ${'wrap('.repeat(n)}requests.get(url)${')'.repeat(n)}\n` },
  { name: 'nested lambdas', text: (n) => `import requests\n\nf = ${'lambda a: '.repeat(n)}requests.post(url, json=a)\n` },
  { name: 'nested dict literals as options', text: (n) => `import requests\n\nrequests.post(url, json=${'{"a": '.repeat(n)}1${'}'.repeat(n)})\n` },
  { name: 'a long binary expression', text: (n) => `import requests\n\nrequests.get(base${' + "/x"'.repeat(n)}, timeout=1 ${'+ 1 '.repeat(n)})\n` },
  { name: 'stacked retry decorators', text: (n) => `from tenacity import retry, wait_exponential\n\n${'@retry(wait=wait_exponential())\n'.repeat(n)}def work():\n    pass\n` },
  { name: 'a long string concatenation', text: (n) => `import requests\n\nurl = ${repeat(n, (i) => `"p${i}"`, ' + ')}\nrequests.get(url)\n` },
];

const js = (typescript: boolean): readonly ScalingCase[] => [
  { name: 'a chain of client calls', text: (n) => `import axios from 'axios';\nexport const load = (url) => axios${'.create({ timeout: 1 })'.repeat(n)}.get(url);\n` },
  { name: 'a promise chain', text: (n) => `export const load = (url) => fetch(url)${'.then((r) => r)'.repeat(n)};\n` },
  { name: 'nested calls around a request', text: (n) => `import axios from 'axios';\nexport const x = ${'wrap('.repeat(n)}axios.get(url)${')'.repeat(n)};\n` },
  { name: 'nested arrow functions', text: (n) => `import axios from 'axios';\nexport const f = ${'(a) => '.repeat(n)}axios.post(url, a);\n` },
  { name: 'nested object literals as options', text: (n) => `import axios from 'axios';\naxios.get(url, ${'{ a: '.repeat(n)}1${' }'.repeat(n)});\n` },
  { name: 'a long binary expression', text: (n) => `import axios from 'axios';\naxios.get(base${" + '/x'".repeat(n)}, { timeout: 1${' + 1'.repeat(n)} });\n` },
  { name: 'a long string concatenation', text: (n) => `import axios from 'axios';\nconst url = ${repeat(n, (i) => `'p${i}'`, ' + ')};\naxios.get(url);\n` },
  ...(typescript ? [{ name: 'stacked decorators', text: (n: number) => `import { Processor } from '@nestjs/bullmq';\nexport class W {\n${'  @Process()\n'.repeat(n)}  handle(): void {}\n}\n` }] : []),
];

const JAVA: readonly ScalingCase[] = [
  { name: 'a builder chain', text: (n) => `class T {\n    void m() {\n        Message<String> message = MessageBuilder.withPayload("x")\n${'                .setHeader("k", "v")\n'.repeat(n)}                .build();\n    }\n}\n` },
  { name: 'a client builder chain', text: (n) => `import java.net.http.HttpClient;\nclass T {\n    HttpClient c = HttpClient.newBuilder()${'.version(HttpClient.Version.HTTP_2)'.repeat(n)}.build();\n}\n` },
  { name: 'a stream chain', text: (n) => `import java.util.List;\nclass T {\n    List<Integer> m(List<Integer> xs) {\n        return xs.stream()${'.map(x -> x + 1)'.repeat(n)}.toList();\n    }\n}\n` },
  { name: 'nested calls around a request', text: (n) => `import org.springframework.web.client.RestTemplate;\nclass T {\n    RestTemplate rt = new RestTemplate();\n    Object m(String u) {\n        return ${'wrap('.repeat(n)}rt.getForObject(u, String.class)${')'.repeat(n)};\n    }\n}\n` },
  { name: 'nested lambdas', text: (n) => `import java.util.function.Function;\nclass T {\n    Object f = ${'a -> '.repeat(n)}a;\n}\n` },
  { name: 'nested array initialisers', text: (n) => `class T {\n    Object[] a = ${'{'.repeat(n)}1${'}'.repeat(n)};\n}\n` },
  { name: 'a long binary expression', text: (n) => `class T {\n    int x = 1${' + 1'.repeat(n)};\n}\n` },
  { name: 'stacked annotations', text: (n) => `import org.springframework.retry.annotation.Retryable;\nclass T {\n${'    @Retryable\n'.repeat(n)}    void m() {}\n}\n` },
  { name: 'a long string concatenation', text: (n) => `import org.springframework.web.client.RestTemplate;\nclass T {\n    RestTemplate rt = new RestTemplate();\n    Object m() {\n        return rt.getForObject(${repeat(n, (i) => `"p${i}"`, ' + ')}, String.class);\n    }\n}\n` },
];

const GO: readonly ScalingCase[] = [
  { name: 'a chain of calls', text: (n) => `package main\n\nimport "net/http"\n\nfunc m() {\n\treq, _ := http.NewRequest("GET", "u", nil)\n\treq.Header${'.Clone()'.repeat(n)}.Set("k", "v")\n\thttp.DefaultClient.Do(req)\n}\n` },
  { name: 'nested calls around a request', text: (n) => `package main\n\nimport "net/http"\n\nfunc m() {\n\t_ = ${'wrap('.repeat(n)}http.Get("u")${')'.repeat(n)}\n}\n` },
  { name: 'nested function literals', text: (n) => `package main\n\nimport "net/http"\n\nvar f = ${'func() interface{} { return '.repeat(n)}http.Client{}${' }'.repeat(n)}\n` },
  { name: 'nested composite literals', text: (n) => `package main\n\nvar x = ${'[]interface{}{'.repeat(n)}1${'}'.repeat(n)}\n` },
  { name: 'a long binary expression', text: (n) => `package main\n\nvar x = 1${' + 1'.repeat(n)}\n` },
  { name: 'a long string concatenation', text: (n) => `package main\n\nimport "net/http"\n\nfunc m() {\n\thttp.Get(${repeat(n, (i) => `"p${i}"`, ' + ')})\n}\n` },
];

const RUBY: readonly ScalingCase[] = [
  { name: 'a chain of calls', text: (n) => `require 'faraday'\n\nconn = Faraday.new(url: 'u')${'.tap { |c| c }'.repeat(n)}\nconn.get('/x')\n` },
  { name: 'nested calls around a request', text: (n) => `require 'net/http'\n\nx = ${'wrap('.repeat(n)}Net::HTTP.get(uri)${')'.repeat(n)}\n` },
  { name: 'nested blocks', text: (n) => `require 'net/http'\n\n${'each do\n'.repeat(n)}Net::HTTP.get(uri)\n${'end\n'.repeat(n)}` },
  { name: 'nested hash literals as options', text: (n) => `class J\n  include Sidekiq::Job\n  sidekiq_options retry: ${'{ a: '.repeat(n)}1${' }'.repeat(n)}\nend\n` },
  { name: 'a long binary expression', text: (n) => `x = 1${' + 1'.repeat(n)}\n` },
  { name: 'a long string concatenation', text: (n) => `require 'net/http'\n\nNet::HTTP.get(URI(${repeat(n, (i) => `"p${i}"`, ' + ')}))\n` },
];

const YAML: readonly ScalingCase[] = [
  { name: 'many CronJobs', text: (n) => repeat(n, (i) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c${i}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: []\n`, '---\n') },
  { name: 'nested mappings', text: (n) => `kind: CronJob\nspec:\n${repeat(n, (i) => `${'  '.repeat(i + 1)}k${i}:`, '\n')} 1\n` },
  { name: 'a long workflow schedule list', text: (n) => `on:\n  schedule:\n${'    - cron: "*/5 * * * *"\n'.repeat(n)}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n` },
];

export const SCALING_CASES: Readonly<Record<LanguageId, readonly ScalingCase[]>> = {
  python: PYTHON,
  javascript: js(false),
  typescript: js(true),
  tsx: js(true),
  java: JAVA,
  go: GO,
  ruby: RUBY,
  yaml: YAML,
};

/** One scaling case at a random size, for the fuzzer's generated programs. */
export function scaledProgram(language: LanguageId): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...SCALING_CASES[language]), fc.integer({ min: 1, max: 300 })).map(([c, n]) => c.text(n));
}

const SMALL = 100;
const LARGE = 1000;
/**
 * Ten times the input may cost at most this many times as much: linear growth gives 10, and the
 * margin covers a garbage collection that lands in one reading and costs that grow with the
 * number of findings' fixes. A quadratic cost gives 100.
 */
const MAX_RATIO = 30;
/** Below this much CPU time for the large input, the ratio is noise (a collection, a cold cache on a busy CI machine), not a cost that matters: the Java chain this guards against took seconds at n = 25. */
const NOISE_FLOOR_MS = 50;
const READINGS = 3;

function cpuMsOf(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The lowest of a few readings: the input's own cost, with the least noise on top. */
function lowestCpuMs(run: () => void, readings: number): number {
  let lowest = Infinity;
  for (let i = 0; i < readings; i++) lowest = Math.min(lowest, cpuMsOf(run));
  return lowest;
}

/**
 * Analyses `c` at n = 100 and n = 1,000 and fails when ten times the construct costs more than
 * about ten times as much. The comparison uses CPU time, as the fuzzer's limit does, and measures
 * again before it fails: one reading can carry a garbage collection of earlier work or a first
 * compilation. It times the analysis of an opened document, not the parse: tree-sitter's own parse
 * of code nested a thousand deep grows faster than linearly (0.4 ms at 100 levels, 10 ms at 1,000
 * for Python dictionaries), and it is not ours to fix.
 */
export function checkScaling(analyzer: Analyzer, language: LanguageId, c: ScalingCase): void {
  const smallDoc = analyzer.open(c.text(SMALL), language);
  const largeDoc = analyzer.open(c.text(LARGE), language);
  try {
    // Warm the paths up once at each size, so that neither reading is a first compilation: the
    // large input reaches deeper paths (nesting a thousand deep) that the small one never ran.
    smallDoc.analyze();
    largeDoc.analyze();
    const analyseSmall = (): void => void smallDoc.analyze();
    const analyseLarge = (): void => void largeDoc.analyze();
    let small = lowestCpuMs(analyseSmall, READINGS);
    let large = lowestCpuMs(analyseLarge, 1);
    if (large > NOISE_FLOOR_MS && large > MAX_RATIO * small) {
      small = Math.min(small, lowestCpuMs(analyseSmall, READINGS));
      large = Math.min(large, lowestCpuMs(analyseLarge, 2));
    }
    assert.ok(large <= NOISE_FLOOR_MS || large <= MAX_RATIO * small,
      `${c.name}: n = ${LARGE} cost ${large.toFixed(1)} ms of CPU, ${(large / small).toFixed(1)} times n = ${SMALL} (${small.toFixed(1)} ms); linear growth is about 10 times`);
  } finally {
    smallDoc.dispose();
    largeDoc.dispose();
  }
}
