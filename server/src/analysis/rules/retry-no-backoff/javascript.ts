import type { CallFact, FileFacts, ObjectFact, PropertyFact } from '../../facts/types.js';
import { appendProperty, replaceRange } from '../../fixes/edits.js';
import type { JobDefaults } from '../../project/types.js';
import type { Fix, TextEdit } from '../../types.js';
import type { RawFinding, RuleContext } from '../rule.js';
import { attemptsOf, backoffShape, BULLMQ_JITTER, effectiveOption, isQueueConstructor, jitterFixIsSafe, jobOptions, queueDefaults, type BullLibrary } from '../common/bull.js';
import { numberValue, propertyOf, quoted } from '../common/javascript.js';
import { retryLoops } from '../common/javascript-loops.js';

/**
 * retry-no-backoff in JavaScript: BullMQ and Bull jobs that retry (`attempts` above 1) with no
 * `backoff` or a fixed one (both libraries retry at once when `backoff` is absent), and hand
 * retry loops that wait a constant time between attempts.
 */
export function checkJavaScript(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const finding = isQueueConstructor(call) ? checkQueue(facts, call) : call.api === 'p-retry' ? checkPRetry(facts, call) : checkAdd(facts, call);
    if (finding !== undefined) findings.push(finding);
  }
  for (const loop of retryLoops(facts)) {
    // A wait for a dependency to answer (a start-up probe) repeats no side effect: its fixed sleep is left alone.
    if (loop.readiness) continue;
    for (const delay of loop.delays) {
      if (!delay.constant) continue;
      const amount = delay.amount.text;
      const fixes: Fix[] = loop.counter === undefined ? [] : [{
        title: 'Back off exponentially, with full jitter',
        edits: [replaceRange(delay.amount.startIndex, delay.amount.endIndex, `Math.random() * ${amount} * 2 ** ${loop.counter}`)],
        safe: true,
      }];
      findings.push({
        range: { start: delay.amount.startIndex, end: delay.amount.endIndex },
        message: `This retry loop waits the same delay (\`${amount}\`) before every attempt: clients that failed together retry together, at a fixed pace.`,
        fixes,
      });
    }
  }
  return findings;
}

/**
 * p-retry waits `minTimeout * factor ** attempt` (factor 2 by default): `factor: 1` makes every wait
 * the same `minTimeout`, a constant delay. With `randomize: true` each wait is spread by a random
 * factor, so clients do not retry together; that is left alone, as is `retries: 0`.
 */
function checkPRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const options = call.args?.positional[1]?.object;
  const factor = options?.props.get('factor');
  if (options === undefined || factor === undefined || factor.value.kind !== 'number' || Number(factor.value.text) > 1) return undefined;
  const retries = options.props.get('retries')?.value;
  if (retries?.kind === 'number' && Number(retries.text) === 0) return undefined;
  const randomize = options.props.get('randomize');
  if (randomize !== undefined && randomize.value.kind !== 'false') return undefined;
  return {
    range: { start: factor.start, end: factor.end },
    message: `\`p-retry\` with \`factor: ${factor.value.text}\` waits the same delay before every attempt: clients that failed together retry together, at a fixed pace.`,
    // The fix turns on p-retry's random factor too, so that retry-no-jitter has nothing left to say.
    fixes: [{
      title: 'Back off exponentially, with jitter (factor: 2, randomize: true)',
      edits: [
        replaceRange(factor.value.start, factor.value.end, '2'),
        ...(randomize === undefined ? (options.hasSpread ? [] : appendProperty(facts, options, 'randomize: true')) : [replaceRange(randomize.value.start, randomize.value.end, 'true')]),
      ],
      safe: true,
    }],
  };
}

/** `new Queue(name, { defaultJobOptions: { attempts: 5 } })`: every job of the queue retries at once. */
function checkQueue(facts: FileFacts, queue: CallFact): RawFinding | undefined {
  const defaults = queueDefaults(queue);
  if (defaults.kind !== 'object') return undefined;
  const library: BullLibrary = queue.api === 'bullmq.Queue' ? 'bullmq' : 'bull';
  return checkOptions(facts, library, defaults.object, propertyOf(defaults, 'backoff'), 'Jobs of this queue retry');
}

function checkAdd(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const job = jobOptions(call, facts);
  if (job === undefined || job.own.kind !== 'object') return undefined;
  const own = job.own.object;
  const backoff = effectiveOption(job, 'backoff');
  const attemptsUnknown = !own.props.has('attempts') && effectiveOption(job, 'attempts') === 'unknown';
  if (job.project !== undefined && (backoff === 'unknown' || attemptsUnknown)) return throughProjectQueue(facts, job.library, own, job.project);
  if (own.props.has('attempts')) {
    const inherited = backoff !== 'unknown' && backoff !== 'absent' && !backoff.own;
    return checkOptions(facts, job.library, own, backoff === 'unknown' || backoff === 'absent' ? backoff : backoff.prop, 'This job retries', inherited);
  }
  // A fixed `backoff` of its own on a job that retries through the queue's default `attempts`.
  const ownBackoff = own.props.get('backoff');
  const attempts = effectiveOption(job, 'attempts');
  if (ownBackoff === undefined || attempts === 'unknown' || attempts === 'absent') return undefined;
  return fixedBackoff(facts, job.library, ownBackoff, attemptsOf(facts, attempts.prop));
}

/**
 * An `add` on a queue another project file builds (a `createQueue` factory): the queue's
 * `defaultJobOptions` come from that file's summary. A job whose own `attempts` meet no `backoff`
 * there retries at once; a job's own fixed `backoff` under the queue's `attempts` keeps its pace.
 * A queue default that retries at once is reported where the queue is built, not at every `add`.
 */
function throughProjectQueue(facts: FileFacts, library: BullLibrary, own: ObjectFact, defaults: Exclude<JobDefaults, 'unknown'>): RawFinding | undefined {
  const ownBackoff = own.props.get('backoff');
  if (own.props.has('attempts')) return ownBackoff === undefined && defaults.backoff === 'absent' ? checkOptions(facts, library, own, 'absent', 'This job retries') : undefined;
  if (ownBackoff === undefined || typeof defaults.attempts !== 'number') return undefined;
  return fixedBackoff(facts, library, ownBackoff, defaults.attempts);
}

/**
 * Options that set `attempts`: flags a missing backoff on `attempts`, a fixed one on `backoff`.
 * A fixed default backoff under a job's own `attempts` is flagged on `attempts`, with a fix that
 * gives the job its own exponential backoff.
 */
function checkOptions(facts: FileFacts, library: BullLibrary, options: ObjectFact, backoff: PropertyFact | 'absent' | 'unknown', subject: string, inherited = false): RawFinding | undefined {
  const attemptsProp = options.props.get('attempts');
  if (attemptsProp === undefined) return undefined;
  const attempts = attemptsOf(facts, attemptsProp);
  if (attempts === undefined || attempts <= 1 || backoff === 'unknown') return undefined;
  const range = { start: attemptsProp.start, end: attemptsProp.end };
  if (backoff === 'absent' || inherited) {
    if (backoff !== 'absent' && backoffShape(facts, backoff).kind !== 'fixed') return undefined;
    return {
      range,
      message: backoff === 'absent'
        ? `${subject} (\`attempts: ${attemptsProp.value.text}\`) with no \`backoff\`: ${library === 'bullmq' ? 'BullMQ' : 'Bull'} retries a failed job at once, again and again.`
        : `${subject} with the queue's fixed \`backoff\`: failed jobs come back at the same pace and hit a struggling dependency in step.`,
      fixes: backoffFix(facts, library, (withJitter) => appendProperty(facts, options, `backoff: ${exponential(facts, '1000', withJitter)}`)),
    };
  }
  return fixedBackoff(facts, library, backoff, attempts);
}

function fixedBackoff(facts: FileFacts, library: BullLibrary, backoff: PropertyFact, attempts: number | undefined): RawFinding | undefined {
  const shape = backoffShape(facts, backoff);
  if (shape.kind !== 'fixed' || attempts === undefined || attempts <= 1) return undefined;
  const typeProp = shape.typeProp;
  const object = backoff.value.object;
  return {
    range: { start: backoff.start, end: backoff.end },
    message: 'Fixed `backoff` on retried jobs: failed jobs come back at the same pace and hit a struggling dependency in step.',
    fixes: backoffFix(facts, library, (withJitter) => {
      if (typeProp === undefined || object === undefined) {
        return [replaceRange(backoff.value.start, backoff.value.end, exponential(facts, shape.delay ?? '1000', withJitter))];
      }
      const edits: TextEdit[] = [replaceRange(typeProp.value.start, typeProp.value.end, quoted(facts, 'exponential'))];
      if (!withJitter) return edits;
      // A fixed backoff may carry its own jitter (BullMQ 5.54.0 and later): a non-zero one stays.
      const jitter = object.props.get('jitter');
      if (jitter === undefined) return [...edits, ...appendProperty(facts, object, BULLMQ_JITTER)];
      return numberValue(facts, jitter.value) === 0 ? [...edits, replaceRange(jitter.start, jitter.end, BULLMQ_JITTER)] : edits;
    }),
  };
}

/**
 * Bull has no jitter, so its fix is the plain exponential backoff (safe). BullMQ's fix is the
 * exponential backoff with jitter, since a plain one would only trade this finding for
 * retry-no-jitter's; `jitter` exists from 5.54.0 (see `jitterFixIsSafe` for when that is safe).
 */
function backoffFix(facts: FileFacts, library: BullLibrary, edits: (withJitter: boolean) => TextEdit[]): Fix[] {
  if (library === 'bull') return [{ title: 'Use exponential backoff', edits: edits(false), safe: true }];
  const safe = jitterFixIsSafe(facts);
  return [{ title: `Use exponential backoff with jitter${safe ? '' : ' (needs bullmq 5.54.0 or later)'}`, edits: edits(true), safe }];
}

function exponential(facts: FileFacts, delay: string, withJitter: boolean): string {
  return `{ type: ${quoted(facts, 'exponential')}, delay: ${delay}${withJitter ? `, ${BULLMQ_JITTER}` : ''} }`;
}
