import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { appendProperty, replaceRange } from '../../fixes/edits.js';
import type { RawFinding, RuleContext } from '../rule.js';
import { backoffShape, BULLMQ_JITTER, isAdd, isQueueConstructor, jitterFixIsSafe, jobOptions, queueDefaults, schedulerJobOptions } from '../common/bull.js';
import { numberValue, propertyOf } from '../common/javascript.js';
import { retryLoops, type Delay, type RetryLoop } from '../common/javascript-loops.js';

/**
 * retry-no-jitter in JavaScript, beyond p-retry: BullMQ exponential backoff without `jitter`, and
 * hand retry loops whose wait doubles with no random part. Bull has no jitter option, so its
 * exponential backoff is not flagged: there is nothing in the library to switch on.
 *
 * Not flagged either: a BullMQ queue whose only job in the file is one repeatable job
 * (`queue.add(name, data, { repeat: {...} })` and no other `add` or `addBulk` on that queue).
 * A repeatable job has one instance at a time, so its retries have no crowd to spread out; the
 * queue may receive jobs from other files, which this file cannot show. For the same reason a job
 * scheduler (`upsertJobScheduler`) is flagged only when its id is not a literal: a computed id
 * makes one scheduler per value, whose jobs meet the same outage together.
 */
export function checkJavaScriptBackoffs(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const backoff = bullmqBackoff(facts, call);
    const finding = backoff === undefined ? undefined : checkBullmq(facts, backoff);
    if (finding !== undefined) findings.push(finding);
  }
  for (const loop of retryLoops(facts)) {
    for (const delay of loop.delays) {
      const finding = checkLoopDelay(loop, delay);
      if (finding !== undefined) findings.push(finding);
    }
  }
  return findings;
}

/** The `backoff` a BullMQ queue's defaults or a BullMQ `add` sets itself. */
function bullmqBackoff(facts: FileFacts, call: CallFact): PropertyFact | undefined {
  if (isQueueConstructor(call) && call.api === 'bullmq.Queue') {
    const prop = propertyOf(queueDefaults(call), 'backoff');
    if (typeof prop === 'string') return undefined;
    return onlyOneRepeatableJob(facts.calls.filter((c) => c.receiver === call)) ? undefined : prop;
  }
  const template = schedulerJobOptions(call);
  if (template !== undefined) {
    // A scheduler named by a literal is one scheduler, with one job at a time; one named by a
    // value (`definition.id`) is one per value, and their jobs fail and retry together.
    const prop = propertyOf(template, 'backoff');
    return typeof prop === 'string' || call.args?.positional[0]?.kind === 'string' ? undefined : prop;
  }
  if (!isAdd(call) || call.api !== 'bullmq.Queue.add') return undefined;
  const job = jobOptions(call);
  const prop = job === undefined ? 'unknown' : propertyOf(job.own, 'backoff');
  if (typeof prop === 'string') return undefined;
  // Asked only of an add that sets its own backoff: rare enough that a scan of the file's calls is cheap.
  return onlyOneRepeatableJob(facts.calls.filter((c) => sameQueue(c, call))) ? undefined : prop;
}

/** The calls on one queue: the same queue instance when known, else the same receiver written the same way. */
function sameQueue(other: CallFact, call: CallFact): boolean {
  if (call.receiver !== undefined) return other.receiver === call.receiver;
  const receiver = (c: CallFact): string | undefined => c.node.childForFieldName('function')?.childForFieldName('object')?.text;
  return other.api.startsWith('bullmq.Queue.') && receiver(other) !== undefined && receiver(other) === receiver(call);
}

/** Exactly one job is added to the queue in the file, and it is repeatable (`repeat: {...}`). */
function onlyOneRepeatableJob(onQueue: readonly CallFact[]): boolean {
  const adds = onQueue.filter((c) => c.api === 'bullmq.Queue.add' || c.api === 'bullmq.Queue.addBulk');
  const only = adds.length === 1 ? adds[0] : undefined;
  if (only?.api !== 'bullmq.Queue.add') return false;
  const job = jobOptions(only);
  const repeat = job === undefined ? 'unknown' : propertyOf(job.own, 'repeat');
  return typeof repeat !== 'string' && repeat.value.kind === 'object' && !mayRunMoreThanOnce(only.node);
}

/** An add in a loop, or in a callback (`names.forEach((n) => queue.add(...))`), adds several jobs. */
function mayRunMoreThanOnce(node: Node): boolean {
  for (let n = node.parent; n !== null; n = n.parent) {
    if (/^(for_statement|for_in_statement|while_statement|do_statement)$/.test(n.type)) return true;
    if ((n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'function') && n.parent?.type === 'arguments') return true;
  }
  return false;
}

function checkBullmq(facts: FileFacts, backoff: PropertyFact): RawFinding | undefined {
  const shape = backoffShape(facts, backoff);
  const object = backoff.value.object;
  if (shape.kind !== 'exponential' || object === undefined) return undefined;
  const jitter = shape.jitter;
  if (jitter !== undefined && numberValue(facts, jitter.value) !== 0) return undefined;
  const edits = jitter === undefined ? appendProperty(facts, object, BULLMQ_JITTER) : [replaceRange(jitter.start, jitter.end, BULLMQ_JITTER)];
  const safe = jitterFixIsSafe(facts);
  return {
    range: { start: backoff.start, end: backoff.end },
    message: 'BullMQ exponential `backoff` without `jitter`: jobs that failed together retry together, in waves. Set `jitter` (bullmq 5.54.0 or later) or use a custom backoff strategy that randomises.',
    fixes: [{ title: `Add ${BULLMQ_JITTER}${safe ? '' : ' (needs bullmq 5.54.0 or later)'}`, edits, safe }],
  };
}

/** A wait that grows exponentially (`base * 2 ** attempt`, or a delay doubled each round) with no random part. */
function checkLoopDelay(loop: RetryLoop, delay: Delay): RawFinding | undefined {
  if (delay.constant || mentionsRandom(delay.amount)) return undefined;
  const amount = delay.amount;
  const grows = hasPowerOfTwo(amount) || (amount.type === 'identifier' && isDoubledIn(loop.loop, amount.text));
  if (!grows) return undefined;
  // A product needs no parentheses after `Math.random() *`; a sum or a conditional does.
  const plain = amount.type === 'identifier' || amount.type === 'member_expression' || amount.type === 'call_expression' || isProduct(amount);
  const jittered = `Math.random() * ${plain ? amount.text : `(${amount.text})`}`;
  return {
    range: { start: amount.startIndex, end: amount.endIndex },
    message: 'This retry loop backs off exponentially with no random part: clients that failed together retry together, in waves.',
    fixes: [{ title: 'Add full jitter', edits: [replaceRange(amount.startIndex, amount.endIndex, jittered)], safe: true }],
  };
}

function isProduct(node: Node): boolean {
  if (node.type !== 'binary_expression') return false;
  const operator = node.childForFieldName('operator')?.type;
  return operator === '*' || operator === '**';
}

function hasPowerOfTwo(node: Node): boolean {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.type === '**' && node.childForFieldName('left')?.text === '2') return true;
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'Math.pow' && node.childForFieldName('arguments')?.namedChild(0)?.text === '2') return true;
  return node.namedChildren.some((c) => c !== null && hasPowerOfTwo(c));
}

function mentionsRandom(node: Node): boolean {
  if (node.type === 'member_expression' && node.text.replace(/\s/g, '') === 'Math.random') return true;
  return node.namedChildren.some((c) => c !== null && mentionsRandom(c));
}

/** `delay *= 2` or `delay = delay * 2` (also inside `Math.min`) in the loop, with no random factor. */
function isDoubledIn(loop: Node, name: string): boolean {
  let doubled = false;
  const visit = (node: Node): void => {
    if (node.type === 'augmented_assignment_expression' && node.childForFieldName('left')?.text === name) {
      const operator = node.childForFieldName('operator')?.type;
      const right = node.childForFieldName('right');
      if (operator === '*=' && right !== null && !mentionsRandom(right)) doubled = true;
    } else if (node.type === 'assignment_expression' && node.childForFieldName('left')?.text === name) {
      const right = node.childForFieldName('right');
      if (right !== null && !mentionsRandom(right) && multipliesName(right, name)) doubled = true;
    }
    for (const child of node.namedChildren) if (child !== null) visit(child);
  };
  visit(loop);
  return doubled;
}

function multipliesName(node: Node, name: string): boolean {
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.type === '*'
    && (node.childForFieldName('left')?.text === name || node.childForFieldName('right')?.text === name)) return true;
  return node.namedChildren.some((c) => c !== null && multipliesName(c, name));
}
