import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact, ValueFact } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { goImport, goPackage, isConstantDuration, isGoFunction } from '../common/go.js';
import { retryLoops, type RetryLoop } from '../common/go-loops.js';
import { watermillRetry } from './go-watermill.js';

/**
 * retry-no-backoff in Go:
 * - cenkalti/backoff's `NewConstantBackOff(d)` (or a `ConstantBackOff{...}` literal) handed to
 *   `backoff.Retry` and its siblings, directly, through a variable, or wrapped in
 *   `WithMaxRetries`/`WithContext`. A constant backoff used elsewhere (a `Ticker` that polls) is
 *   not a retry. Fix (unsafe): `NewExponentialBackOff(WithInitialInterval(d))`, jittered by the
 *   library; it needs v4.2.0 or later and stops after `MaxElapsedTime` (15 minutes), which a
 *   constant backoff never does.
 * - watermill's `middleware.Retry{...}` whose wait never grows (`go-watermill.ts`).
 * - asynq's `Config.RetryDelayFunc` set to a function that returns the same duration every time.
 *   Fix (unsafe): `asynq.DefaultRetryDelayFunc`, exponential with jitter, when the function is
 *   written in place and no import is used only there.
 * - Hand retry loops that wait a constant time between attempts. Fix (safe) where the loop counts
 *   its attempts from zero up to a literal bound of at most 16: a full-jitter exponential wait.
 */
const BACKOFF = 'github.com/cenkalti/backoff';
const ASYNQ = 'github.com/hibiken/asynq';
const RETRIES = new Set(['Retry', 'RetryNotify', 'RetryWithData', 'RetryNotifyWithData', 'RetryNotifyWithTimer', 'WithBackOff'].map((f) => `${BACKOFF}.${f}`));
const WRAPPERS = new Set(['WithMaxRetries', 'WithContext'].map((f) => `${BACKOFF}.${f}`));
const MAX_SHIFT = 16;

export function checkGo(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    let finding: RawFinding | undefined;
    if (call.api === `${BACKOFF}.NewConstantBackOff` || call.api === `${BACKOFF}.ConstantBackOff`) finding = constantBackOff(facts, call);
    else if (call.api === `${ASYNQ}.Config` && call.isNew) finding = asynqDelay(facts, call);
    else finding = watermillRetry(facts, call);
    if (finding !== undefined) findings.push(finding);
  }
  for (const loop of retryLoops(facts)) {
    // A wait for a dependency to answer (a start-up probe) repeats no side effect: its fixed sleep is left alone.
    if (loop.readiness) continue;
    for (const delay of loop.delays) {
      if (!delay.constant) continue;
      findings.push({
        range: { start: delay.amount.startIndex, end: delay.amount.endIndex },
        message: `This retry loop waits the same delay (\`${delay.amount.text}\`) before every attempt: clients that failed together retry together, at a fixed pace.`,
        fixes: loopFix(facts, loop, delay.amount),
      });
    }
  }
  return findings;
}

/** A constant backoff that reaches a `Retry` call of the library. */
function constantBackOff(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (!reachesRetry(facts, call, 0)) return undefined;
  const pkg = call.node.childForFieldName(call.isNew ? 'type' : 'function')?.childForFieldName(call.isNew ? 'package' : 'operand')?.text;
  const interval = call.isNew ? undefined : call.args?.positional[0];
  const fixes: Fix[] = pkg === undefined || interval === undefined || call.args?.positional.length !== 1 ? [] : [{
    title: 'Back off exponentially, with jitter (backoff v4.2.0 or later; stops after 15 minutes by default)',
    edits: [replaceRange(call.start, call.end, `${pkg}.NewExponentialBackOff(${pkg}.WithInitialInterval(${interval.text}))`)],
    safe: false,
  }];
  return {
    range: calleeRange(call),
    message: 'A constant backoff retries at the same pace every time: clients that failed together retry together and keep a struggling dependency down.',
    fixes,
  };
}

/** Whether the backoff made by `made` is handed to a retry, directly or through variables and wrappers. */
function reachesRetry(facts: FileFacts, made: CallFact, depth: number): boolean {
  if (depth > 4) return false;
  const isIt = (value: ValueFact): boolean => value.start === made.start || value.origin === made.start;
  return facts.calls.some((c) => {
    const args = c.args?.positional ?? [];
    if (!args.some(isIt)) return false;
    return RETRIES.has(c.api) || (WRAPPERS.has(c.api) && reachesRetry(facts, c, depth + 1));
  });
}

/** `RetryDelayFunc: func(n int, err error, t *asynq.Task) time.Duration { return 10 * time.Second }`. */
function asynqDelay(facts: FileFacts, config: CallFact): RawFinding | undefined {
  const prop = config.args?.keywords.get('RetryDelayFunc');
  if (prop === undefined) return undefined;
  const fn = delayFunction(facts, prop.value);
  const body = fn?.childForFieldName('body');
  if (fn === undefined || body == null) return undefined;
  const returns = returnsOf(body);
  if (returns.length === 0 || !returns.every((r) => r !== undefined && isConstantDuration(facts, r, fn))) return undefined;
  return {
    range: { start: prop.start, end: prop.start + 'RetryDelayFunc'.length },
    message: `\`RetryDelayFunc\` returns the same delay (\`${returns[0]?.text ?? ''}\`) for every retry: failed tasks come back at a fixed pace and hit a struggling dependency in step.`,
    fixes: defaultDelayFix(facts, prop, fn),
  };
}

function delayFunction(facts: FileFacts, value: ValueFact): Node | undefined {
  if (value.kind === 'function') return value.node;
  if (value.kind !== 'identifier') return undefined;
  const declared = facts.root.namedChildren.filter((c) => c?.type === 'function_declaration' && c.childForFieldName('name')?.text === value.text);
  return declared.length === 1 ? (declared[0] ?? undefined) : undefined;
}

/** The single values the function's own `return` statements give (undefined for any other form). */
function returnsOf(body: Node): (Node | undefined)[] {
  const found: (Node | undefined)[] = [];
  const visit = (n: Node): void => {
    if (isGoFunction(n)) return;
    if (n.type === 'return_statement') {
      const values = n.namedChild(0)?.namedChildren ?? [];
      found.push(values.length === 1 ? (values[0] ?? undefined) : undefined);
      return;
    }
    for (const c of n.namedChildren) if (c !== null) visit(c);
  };
  visit(body);
  return found;
}

/**
 * `RetryDelayFunc: asynq.DefaultRetryDelayFunc`, replacing a function literal, unless an import
 * is used only inside it (removing its last use would not compile).
 */
function defaultDelayFix(facts: FileFacts, prop: PropertyFact, fn: Node): Fix[] {
  const pkg = goPackage(facts, ASYNQ);
  if (pkg === undefined || prop.value.kind !== 'function') return [];
  for (const local of facts.imports.keys()) {
    const uses = facts.root.descendantsOfType(['identifier', 'package_identifier']).filter((n) => n?.text === local);
    if (uses.some((n) => n !== null && n.startIndex >= fn.startIndex && n.endIndex <= fn.endIndex)
      && !uses.some((n) => n !== null && (n.startIndex < fn.startIndex || n.endIndex > fn.endIndex))) return [];
  }
  return [{
    title: 'Use asynq.DefaultRetryDelayFunc (exponential, with jitter)',
    edits: [replaceRange(prop.value.start, prop.value.end, `${pkg}.DefaultRetryDelayFunc`)],
    safe: false,
  }];
}

/**
 * `time.Duration(rand.Int63n(int64(d) << attempt))`: full jitter over a doubling wait, for a loop
 * that counts attempts from zero to a small literal bound (so the shift cannot overflow).
 */
function loopFix(facts: FileFacts, loop: RetryLoop, amount: Node): Fix[] {
  if (loop.counter === undefined || loop.bound === undefined || loop.bound > MAX_SHIFT) return [];
  // `rand.Int63n` panics on zero: a zero or negative wait is left to the author.
  if (/^(-|0+$)/.test(amount.text)) return [];
  // math/rand/v2 names its functions differently; its canonical path is the same as math/rand's.
  const v2 = [...facts.imports.values()].some((i) => i.node.text.includes('math/rand/v2'));
  const time = goImport(facts, 'time');
  const rand = v2 ? undefined : goImport(facts, 'math/rand');
  if (time === undefined || rand === undefined) return [];
  return [{
    title: 'Back off exponentially, with full jitter',
    edits: [replaceRange(amount.startIndex, amount.endIndex, `${time.name}.Duration(${rand.name}.Int63n(int64(${amount.text}) << ${loop.counter}))`), ...time.edits, ...rand.edits],
    safe: true,
  }];
}

