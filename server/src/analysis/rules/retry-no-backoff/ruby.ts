import type { Node } from 'web-tree-sitter';
import { durationSeconds, symbolName } from '../../facts/ruby-values.js';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { appendArgument, replaceRange } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { rescueRetries, retryOnAttempts, type RescueRetry } from '../common/ruby.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';

/**
 * retry-no-backoff in Ruby.
 *
 * - Active Job `retry_on` with a fixed `wait:` (a number or a duration such as `5.seconds`), or
 *   with no `wait:` at all, which waits a fixed 3 seconds. Fix (unsafe): `wait: :polynomially_longer`
 *   (executions**4 + 2 s, with jitter), which needs Rails 7.1 or later: older versions raise when
 *   the retry is scheduled.
 * - Sidekiq `sidekiq_retry_in { |count| 30 }`: a constant retry delay.
 * - A `rescue` that sleeps a constant time before `retry`. Fix (safe) when the loop counts its
 *   attempts (`retry if (attempts += 1) < 5`): a full-jitter exponential sleep on that counter.
 */
const FIXED_DEFAULT_SECONDS = 3;
const GROWING = new Set(['polynomially_longer', 'exponentially_longer']);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const finding = call.api === 'ActiveJob::Base.retry_on' ? checkRetryOn(facts, call)
      : call.api === 'Sidekiq::Job.sidekiq_retry_in' ? checkRetryIn(call) : undefined;
    if (finding !== undefined) findings.push(finding);
  }
  for (const found of rescueRetries(facts)) findings.push(...checkSleep(found));
  return findings;
}

function checkRetryOn(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  const attempts = retryOnAttempts(call);
  // `retry_on(*ERRORS)` names its exceptions through a splat, which cannot carry `wait:` (see `keywordSplat`).
  if (args === undefined || args.keywordSplat === true || attempts === 1 || attempts === 0) return undefined;
  const wait = args.keywords.get('wait');
  const fix = (edits: Fix['edits']): Fix[] => [{ title: 'Use wait: :polynomially_longer (Rails 7.1+)', edits, safe: false }];
  if (wait === undefined) {
    return {
      range: calleeRange(call),
      message: `\`retry_on\` without \`wait:\` waits a fixed ${FIXED_DEFAULT_SECONDS} seconds between attempts: every failed job comes back at the same pace.`,
      // Nothing can follow a `&block` argument, so there the fix is left to the author.
      fixes: blockArgument(call) ? [] : fix(appendArgument(facts, args, 'wait: :polynomially_longer')),
    };
  }
  const name = symbolName(wait.value);
  if (name !== undefined && GROWING.has(name)) return undefined;
  if (durationSeconds(wait.value) === undefined) return undefined;
  return {
    range: { start: wait.start, end: wait.end },
    message: `\`retry_on\` with \`wait: ${wait.value.text}\` waits the same time before every attempt: failed jobs retry at a fixed pace.`,
    fixes: fix([replaceRange(wait.value.start, wait.value.end, ':polynomially_longer')]),
  };
}

function blockArgument(call: CallFact): boolean {
  return call.node.childForFieldName('arguments')?.namedChildren.some((c) => c?.type === 'block_argument') === true;
}

/** `sidekiq_retry_in { |count| 30 }` or `do |count, exception| 10.minutes end`. */
function checkRetryIn(call: CallFact): RawFinding | undefined {
  const body = call.node.childForFieldName('block')?.childForFieldName('body');
  const statements = body?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
  const only = statements.length === 1 ? statements[0] : undefined;
  if (only == null || !isConstantDelay(only)) return undefined;
  return {
    range: { start: only.startIndex, end: only.endIndex },
    message: `\`sidekiq_retry_in\` returns a constant delay (\`${only.text}\`): every retry waits the same, so failed jobs come back in step.`,
    fixes: [],
  };
}

function checkSleep(found: RescueRetry): RawFinding[] {
  const body = found.rescue.childForFieldName('body');
  if (body === null) return [];
  const counter = counterOf(found);
  return body.descendantsOfType('call').flatMap((call) => {
    const method = call.childForFieldName('method')?.text;
    const receiver = call.childForFieldName('receiver');
    const amount = call.childForFieldName('arguments')?.namedChild(0);
    if (method !== 'sleep' || (receiver !== null && receiver.text !== 'Kernel') || amount == null || !isConstantDelay(amount)) return [];
    const fixes: Fix[] = counter === undefined || amount.type === 'call' ? [] : [{
      title: 'Back off exponentially, with full jitter',
      edits: [replaceRange(amount.startIndex, amount.endIndex, `rand * ${amount.text} * 2**${counter}`)],
      safe: true,
    }];
    return [{
      range: { start: amount.startIndex, end: amount.endIndex },
      message: `This rescue sleeps the same time (\`${amount.text}\`) before every \`retry\`: clients that failed together retry together, at a fixed pace.`,
      fixes,
    }];
  });
}

/** A number, a duration literal (`5.seconds`) or a constant (`RETRY_DELAY`). */
function isConstantDelay(node: Node): boolean {
  if (node.type === 'constant' || node.type === 'integer' || node.type === 'float') return true;
  return node.type === 'call' && durationSeconds({ kind: 'call', text: node.text, start: node.startIndex, end: node.endIndex, node }) !== undefined;
}

/** The variable a retry loop counts with: `attempts += 1` in the attempt or the rescue. */
function counterOf(found: RescueRetry): string | undefined {
  for (const scope of [...found.attempt, found.rescue]) {
    const increments = scope.type === 'operator_assignment' ? [scope] : scope.descendantsOfType('operator_assignment');
    for (const node of increments) {
      const left = node.childForFieldName('left');
      if (node.childForFieldName('operator')?.text === '+=' && left?.type === 'identifier') return left.text;
    }
  }
  return undefined;
}
