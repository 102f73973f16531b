import path from 'node:path';
import { Query, type Language, type Tree } from 'web-tree-sitter';
import { ParserPool } from '../../server/src/analysis/parsing/parser.js';
import { Analyzer } from '../../server/src/analysis/session.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { median, time } from './core.js';
import { generate } from './generate.js';

/**
 * `npm run bench -- designs [--lines N] [--json]`: what each way of reading facts off a
 * web-tree-sitter tree costs against the bare parse, on the bench's generated files. The cold
 * analysis target is 1.3 parses; a design whose bare traversal already costs most of a parse,
 * before a single fact is built from it, cannot meet it. Measured, per language:
 *
 * - `parse`: the bare parse (the unit of every ratio);
 * - `analyze`: the analysis as it is (facts, signals, rules), parse excluded;
 * - `cursor_walk`: a TreeCursor over every node reading its type and offsets (no `Node` objects);
 * - `node_walk`: the same walk through `Node` objects (`namedChildren`), as extractors read a tree;
 * - `call_captures`: one query capturing only the call nodes, reading their offsets (the floor of
 *   "facts read from query captures only": every fact starts at a call);
 * - `call_matches_text`: the same query through `matches`, reading each call's callee text, which
 *   is the least any recogniser needs to name the API.
 *
 * Each figure is the median of several runs after a warm-up, in one process; the ratios within a
 * run are what compare on a shared machine.
 */

const CALL_QUERIES: Partial<Record<LanguageId, string>> = {
  python: '(call function: (_) @callee) @call',
  javascript: '(call_expression function: (_) @callee) @call',
  typescript: '(call_expression function: (_) @callee) @call',
  tsx: '(call_expression function: (_) @callee) @call',
  go: '(call_expression function: (_) @callee) @call',
  java: '(method_invocation name: (_) @callee) @call',
  ruby: '(call method: (_) @callee) @call',
};

interface DesignRow {
  readonly language: LanguageId;
  readonly lines: number;
  readonly nodes: number;
  readonly calls: number;
  readonly parse_ms: number;
  readonly analyze_ms: number;
  readonly cursor_walk_ms: number;
  readonly node_walk_ms: number;
  readonly call_captures_ms: number;
  readonly call_matches_text_ms: number;
}

function measure(run: () => void, warm: number, runs: number): number {
  for (let i = 0; i < warm; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(time(run));
  return median(samples);
}

/** Every node once, depth first, through one cursor: reads type and offsets, builds no `Node`. */
function cursorWalk(tree: Tree): number {
  const cursor = tree.walk();
  let count = 0;
  let sink = 0;
  for (;;) {
    count++;
    sink += cursor.nodeType.length + cursor.startIndex + cursor.endIndex;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return count + (sink < 0 ? 1 : 0);
      }
    }
  }
}

/** Every named node once through `Node` objects, with an explicit stack (trees can be deep). */
function nodeWalk(tree: Tree): number {
  let count = 0;
  let sink = 0;
  const stack = [tree.rootNode];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    count++;
    sink += node.type.length + node.startIndex + node.endIndex;
    for (const child of node.namedChildren) if (child !== null) stack.push(child);
  }
  return count + (sink < 0 ? 1 : 0);
}

function callCaptures(query: Query, tree: Tree): number {
  let sink = 0;
  const captures = query.captures(tree.rootNode);
  for (const c of captures) if (c.name === 'call') sink += c.node.startIndex + c.node.endIndex;
  return sink;
}

function callMatchesText(query: Query, tree: Tree): number {
  let sink = 0;
  for (const m of query.matches(tree.rootNode)) {
    for (const c of m.captures) if (c.name === 'callee') sink += c.node.text.length;
  }
  return sink;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lines = Number(args[args.indexOf('--lines') + 1] ?? 10_000) || 10_000;
  const json = args.includes('--json');
  const distDir = path.resolve(__dirname, '..');
  const locator = { wasmPath: (file: string) => path.join(distDir, file) };
  const analyzer = new Analyzer(locator);
  await analyzer.startRuntime();
  const pool = new ParserPool(locator);
  await pool.init();
  const rows: DesignRow[] = [];
  for (const language of Object.keys(CALL_QUERIES) as LanguageId[]) {
    if (language === 'yaml') continue;
    await analyzer.prepare(language);
    await pool.load(language);
    const text = generate(language, lines);
    const grammar: Language = pool.language(language);
    const query = new Query(grammar, CALL_QUERIES[language] ?? '');
    const tree = pool.parse(language, text);
    const nodes = cursorWalk(tree);
    const calls = query.captures(tree.rootNode).filter((c) => c.name === 'call').length;
    const parse = measure(() => pool.parse(language, text).delete(), 1, 5);
    const whole = measure(() => analyzer.analyzeSync(text, language, {}, false), 1, 5);
    rows.push({
      language, lines, nodes, calls,
      parse_ms: parse,
      // The analysis parses first: what it adds is the whole minus a parse.
      analyze_ms: Math.max(0, whole - parse),
      cursor_walk_ms: measure(() => cursorWalk(tree), 1, 5),
      node_walk_ms: measure(() => nodeWalk(tree), 1, 5),
      call_captures_ms: measure(() => callCaptures(query, tree), 1, 5),
      call_matches_text_ms: measure(() => callMatchesText(query, tree), 1, 5),
    });
    tree.delete();
    query.delete();
    process.stderr.write(`${language}: done\n`);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    return;
  }
  const ratio = (ms: number, parse: number): string => `${ms.toFixed(1)} (${(ms / parse).toFixed(2)}×)`;
  const out = [
    '| language | lines | nodes | calls | parse ms | analysis ms (× parse) | cursor walk | node walk | call captures | call matches + text |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.language} | ${r.lines} | ${r.nodes} | ${r.calls} | ${r.parse_ms.toFixed(1)} | ${ratio(r.analyze_ms, r.parse_ms)} | ${ratio(r.cursor_walk_ms, r.parse_ms)} | ${ratio(r.node_walk_ms, r.parse_ms)} | ${ratio(r.call_captures_ms, r.parse_ms)} | ${ratio(r.call_matches_text_ms, r.parse_ms)} |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
