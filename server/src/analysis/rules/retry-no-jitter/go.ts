import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { goImport } from '../common/go.js';
import { localValue, retryLoops, type Delay, type RetryLoop } from '../common/go-loops.js';

/**
 * retry-no-jitter in Go: a hashicorp/go-retryablehttp client left with its `DefaultBackoff`
 * (exponential, capped, no jitter), unless the file sets `Backoff` on it or hands the client to
 * code it cannot see. Fix (unsafe): `client.Backoff = retryablehttp.LinearJitterBackoff`, the
 * library's jittered backoff; it grows linearly, not exponentially, which is a change of pace.
 *
 * Also hand retry loops whose wait grows exponentially (`base << attempt`, `math.Pow(2, n)`, or a
 * delay the loop doubles) with nothing random in the loop. Fix (unsafe): full jitter,
 * `time.Duration(rand.Int63n(int64(wait)))`, which panics if the wait is ever zero or negative
 * (an overflowed shift), so the author must check the bound.
 */
const RETRYABLE = 'github.com/hashicorp/go-retryablehttp';

export function checkGo(context: RuleContext): RawFinding[] {
  const findings = eachCall(context, check);
  const facts = context.facts;
  if (facts === undefined) return findings;
  for (const loop of retryLoops(facts)) {
    for (const delay of loop.delays) {
      const finding = checkLoopDelay(facts, loop, delay);
      if (finding !== undefined) findings.push(finding);
    }
  }
  return findings;
}

function check(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api !== `${RETRYABLE}.NewClient`) return undefined;
  const config = facts.instanceConfig.get(call.start);
  if (config?.has('Backoff') === true || config?.has('*') === true) return undefined;
  return {
    range: calleeRange(call),
    message: 'go-retryablehttp\'s default backoff is exponential without jitter: clients that failed together retry together, in waves.',
    fixes: jitterFix(facts, call),
  };
}

/** `name.Backoff = pkg.LinearJitterBackoff` on the line after `name := pkg.NewClient()`. */
function jitterFix(facts: FileFacts, call: CallFact): Fix[] {
  const statement = call.node.parent?.parent;
  if (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement') return [];
  const names = statement.childForFieldName('left')?.namedChildren ?? [];
  const name = names.length === 1 ? names[0] : undefined;
  const pkg = call.node.childForFieldName('function')?.childForFieldName('operand')?.text;
  if (name?.type !== 'identifier' || pkg === undefined) return [];
  const lines = facts.lines;
  const text = `${lines.eol}${lines.indentAt(statement.startIndex)}${name.text}.Backoff = ${pkg}.LinearJitterBackoff`;
  return [{ title: 'Use LinearJitterBackoff', edits: [{ start: statement.endIndex, end: statement.endIndex, newText: text }], safe: false }];
}

const RANDOM = new Set(['math/rand', 'crypto/rand']);

/** A wait that grows exponentially with no random part anywhere in the loop. */
function checkLoopDelay(facts: FileFacts, loop: RetryLoop, delay: Delay): RawFinding | undefined {
  if (delay.constant || drawsRandom(facts, loop.loop)) return undefined;
  const amount = delay.amount;
  // A wait read from a local the loop sets first (`backoff := ... math.Pow(2, attempt) ...`) grows as its value does.
  const local = amount.type === 'identifier' ? localValue(loop.loop, amount.text, delay.call) : undefined;
  if (delay.grows !== true && !grows(amount) && !(local !== undefined && grows(local)) && !(amount.type === 'identifier' && doubledIn(loop.loop, amount.text))) return undefined;
  const time = goImport(facts, 'time');
  // math/rand/v2 names its functions differently; its canonical path is the same as math/rand's.
  const v2 = [...facts.imports.values()].some((i) => i.node.text.includes('math/rand/v2'));
  const rand = v2 ? undefined : goImport(facts, 'math/rand');
  return {
    range: { start: amount.startIndex, end: amount.endIndex },
    message: 'This retry loop backs off exponentially with no random part: clients that failed together retry together, in waves.',
    fixes: time === undefined || rand === undefined ? [] : [{
      title: 'Add full jitter (the wait must stay positive)',
      edits: [replaceRange(amount.startIndex, amount.endIndex, `${time.name}.Duration(${rand.name}.Int63n(int64(${amount.text})))`), ...time.edits, ...rand.edits],
      safe: false,
    }],
  };
}

/** The loop calls into a random package, or a helper whose name says it randomises (`jitter(d)`). */
function drawsRandom(facts: FileFacts, loop: Node): boolean {
  return loop.descendantsOfType('call_expression').some((call) => {
    const fn = call?.childForFieldName('function');
    const operand = fn?.type === 'selector_expression' ? fn.childForFieldName('operand')?.text : undefined;
    const target = operand === undefined ? undefined : facts.imports.get(operand)?.target;
    return (target !== undefined && RANDOM.has(target)) || /jitter|rand/i.test(fn?.text ?? '');
  });
}

/** `base << attempt` or `math.Pow(2, n)` in the wait. */
function grows(node: Node): boolean {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '<<') return true;
  if (node.type === 'call_expression' && /(^|\.)Pow$/.test(node.childForFieldName('function')?.text ?? '') && node.childForFieldName('arguments')?.namedChild(0)?.text === '2') return true;
  return node.namedChildren.some((c) => c !== null && grows(c));
}

/** `delay *= 2`, `delay <<= 1` or `delay = delay * 2` (also inside `min(...)`) in the loop. */
function doubledIn(loop: Node, name: string): boolean {
  return loop.descendantsOfType('assignment_statement').some((n) => {
    if (n?.childForFieldName('left')?.text !== name) return false;
    const operator = n.childForFieldName('operator')?.text;
    const right = n.childForFieldName('right');
    if (operator === '*=' || operator === '<<=') return true;
    return operator === '=' && right !== null && right.descendantsOfType('binary_expression').concat(right.type === 'binary_expression' ? [right] : [])
      .some((b) => b !== null && /^(\*|<<)$/.test(b.childForFieldName('operator')?.text ?? '') && [b.childForFieldName('left')?.text, b.childForFieldName('right')?.text].includes(name));
  });
}
