import type { CallFact, FileFacts } from '../facts/types.js';
import { unquote } from '../facts/common.js';
import { isCeleryTaskDecorator } from '../facts/python.js';
import { appendArgument, appendProperty, pythonName, replaceRange } from '../fixes/edits.js';
import { calleeRange, defineRule, eachCall, forJavaScript, isQualified, type RawFinding, type Rule, LOCAL } from './rule.js';
import { checkJavaScriptBackoffs } from './retry-no-jitter/javascript.js';
import { checkPythonBackoffs } from './retry-no-jitter/python.js';
import { checkGo } from './retry-no-jitter/go.js';
import { checkJava } from './retry-no-jitter/java.js';
import { checkRuby } from './retry-no-jitter/ruby.js';

/**
 * retry-no-jitter — exponential backoff without randomness.
 *
 * Why it matters: clients that failed together retry together; without jitter their retries stay
 * in lockstep and hit the recovering service as waves (chapter 5, R5.3).
 * Fix (safe): switch to the library's jittered form. BullMQ's `jitter` (5.54.0 and later) is safe
 * in JavaScript, where older versions ignore it, and unsafe in TypeScript, where their typings
 * reject it; Bull has no jitter and is not flagged.
 */
export const retryNoJitter: Rule = defineRule(
  {
    id: 'retry-no-jitter',
    ruleRef: 'R5.3',
    chapter: 5,
    description: 'Exponential backoff without jitter: clients that failed together retry together, in waves.',
    defaultSeverity: 'info',
    fix: 'safe',
  },
  {
    python: (context) => [...eachCall(context, checkPython), ...checkPythonBackoffs(context)],
    ...forJavaScript((context) => [...eachCall(context, checkJavaScript), ...checkJavaScriptBackoffs(context)]),
    java: checkJava,
    go: checkGo,
    ruby: checkRuby,
  },
  { python: LOCAL, ...forJavaScript(LOCAL), java: LOCAL, go: { moduleAssignments: true }, ruby: LOCAL },
);

function checkPython(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api === 'tenacity.wait_exponential') {
    if (hasRandomPart(facts, call)) return undefined;
    const jittered = pythonName(facts, 'tenacity', 'wait_random_exponential', call.start, isQualified(call));
    return {
      range: calleeRange(call),
      message: '`wait_exponential` has no jitter: retries from clients that failed together stay in lockstep.',
      fixes: [{
        title: `Use ${jittered.name}`,
        edits: [replaceRange(call.calleeStart, call.calleeEnd, jittered.name), ...jittered.edits],
        safe: true,
      }],
    };
  }
  if (call.api === 'backoff.on_exception' || call.api === 'backoff.on_predicate') {
    // backoff adds full jitter by default; `jitter=None` turns it off.
    const jitter = call.args?.keywords.get('jitter');
    const waitApi = call.args?.positional[0]?.api;
    if (jitter?.value.kind !== 'none' || (waitApi !== 'backoff.expo' && waitApi !== 'backoff.fibo')) return undefined;
    const full = pythonName(facts, 'backoff', 'full_jitter', call.start, isQualified(call));
    return {
      range: { start: jitter.start, end: jitter.end },
      message: `\`${call.api}\` with \`jitter=None\`: its retries stay in lockstep.`,
      fixes: [{ title: `Use jitter=${full.name}`, edits: [replaceRange(jitter.value.start, jitter.value.end, full.name), ...full.edits], safe: true }],
    };
  }
  if (URLLIB3_RETRY.test(call.api)) return urllib3Retry(call);
  if (call.decorator !== undefined && isCeleryTaskDecorator(call.api)) {
    const jitter = call.args?.keywords.get('retry_jitter');
    const backoff = call.args?.keywords.get('retry_backoff');
    if (jitter?.value.kind !== 'false' || backoff === undefined || backoff.value.kind === 'false') return undefined;
    return {
      range: { start: jitter.start, end: jitter.end },
      message: 'Celery task with `retry_backoff` and `retry_jitter=False`: its retries stay in lockstep.',
      fixes: [{ title: 'Set retry_jitter=True', edits: [replaceRange(jitter.value.start, jitter.value.end, 'True')], safe: true }],
    };
  }
  return undefined;
}

const URLLIB3_RETRY = /^urllib3\.(?:util\.(?:retry\.)?)?Retry$/;

/**
 * urllib3's `Retry(backoff_factor=...)` sleeps `backoff_factor * 2 ** (retries - 1)` and adds a
 * random part only when `backoff_jitter` is non-zero, which it is not by default
 * (`util/retry.py`, `get_backoff_time`). A factor of 0 (the default) is no backoff at all, which
 * this rule does not judge. No fix: `backoff_jitter` exists only in urllib3 2.0 and later, and
 * older versions reject the keyword.
 */
function urllib3Retry(call: CallFact): RawFinding | undefined {
  const args = call.args;
  const factor = args?.keywords.get('backoff_factor');
  if (args === undefined || factor === undefined || args.hasSplat || factor.value.kind === 'none' || /^0*\.?0*$/.test(factor.value.text)) return undefined;
  // Any `backoff_jitter`, 0 included, is the author's choice.
  if (args.keywords.has('backoff_jitter')) return undefined;
  return {
    range: calleeRange(call),
    message: `\`Retry(backoff_factor=${factor.value.text})\` backs off exponentially with no jitter (\`backoff_jitter\` defaults to 0): clients that failed together retry together, in waves.`,
    fixes: [],
  };
}

/**
 * Whether `wait_exponential(...)` is combined with a random wait: `+ wait_random(0, 1)`, or inside
 * `wait_combine(...)` with one. A sum with only fixed waits still has no jitter.
 */
function hasRandomPart(facts: FileFacts, call: CallFact): boolean {
  let top = call.node;
  for (let parent = top.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'binary_operator' || parent.type === 'parenthesized_expression') top = parent;
    else if (parent.type === 'argument_list' && parent.parent !== null && facts.calls.some((c) => c.node.id === parent.parent?.id && c.api === 'tenacity.wait_combine')) top = parent.parent;
    else break;
  }
  if (top.id === call.node.id) return false;
  const start = top.startIndex;
  const end = top.endIndex;
  return facts.calls.some((c) => c.start >= start && c.end <= end && RANDOM_WAITS.has(c.api));
}

const RANDOM_WAITS = new Set(['tenacity.wait_random', 'tenacity.wait_random_exponential', 'tenacity.wait_full_jitter', 'tenacity.wait_exponential_jitter']);

/** p-retry backs off exponentially with `randomize: false` by default; async-retry randomises. */
function checkJavaScript(facts: FileFacts, call: CallFact): RawFinding | undefined {
  if (call.api === 'exponential-backoff.backOff') return checkBackOff(facts, call);
  if (call.api !== 'p-retry' && call.api !== 'async-retry') return undefined;
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const options = args.positional[1];
  const message = `\`${call.api}\` backs off exponentially without jitter: retries stay in lockstep.`;
  if (options === undefined) {
    if (call.api === 'async-retry' || args.positional.length === 0) return undefined;
    return { range: calleeRange(call), message, fixes: [{ title: 'Add randomize: true', edits: appendArgument(facts, args, '{ randomize: true }'), safe: true }] };
  }
  const object = options.object;
  if (object === undefined) return undefined;
  // With `retries: 0` there is no retry to spread out.
  const retries = object.props.get('retries')?.value;
  if (retries?.kind === 'number' && Number(retries.text) === 0) return undefined;
  // `factor: 1` (or less) does not back off at all: retry-no-backoff reports that instead.
  const factor = object.props.get('factor')?.value;
  if (call.api === 'p-retry' && factor?.kind === 'number' && Number(factor.text) <= 1) return undefined;
  const randomize = object.props.get('randomize');
  if (randomize !== undefined) {
    if (randomize.value.kind !== 'false') return undefined;
    return { range: { start: randomize.start, end: randomize.end }, message, fixes: [{ title: 'Set randomize: true', edits: [replaceRange(randomize.value.start, randomize.value.end, 'true')], safe: true }] };
  }
  if (call.api === 'async-retry' || object.hasSpread) return undefined;
  return { range: calleeRange(call), message, fixes: [{ title: 'Add randomize: true', edits: appendProperty(facts, object, 'randomize: true'), safe: true }] };
}

/**
 * exponential-backoff's `backOff(fn, options)`: its `jitter` defaults to `"none"`, so with no
 * options, or options that do not set it, every caller that failed together waits the same
 * `startingDelay * timeMultiple ** n`. One attempt (`numOfAttempts: 1`) or a `timeMultiple` of 1
 * or less has no exponential wait to spread; a `jitter` that is not a literal is left alone.
 */
function checkBackOff(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat || args.positional.length === 0) return undefined;
  const full = `jitter: ${facts.quote}full${facts.quote}`;
  const message = '`backOff` (exponential-backoff) waits without jitter by default: callers that failed together retry together, in waves.';
  const options = args.positional[1];
  if (options === undefined) return { range: calleeRange(call), message, fixes: [{ title: `Add ${full}`, edits: appendArgument(facts, args, `{ ${full} }`), safe: true }] };
  const object = options.object;
  if (object === undefined) return undefined;
  const attempts = object.props.get('numOfAttempts')?.value;
  if (attempts?.kind === 'number' && Number(attempts.text) <= 1) return undefined;
  const multiple = object.props.get('timeMultiple')?.value;
  if (multiple !== undefined && (multiple.kind !== 'number' || Number(multiple.text) <= 1)) return undefined;
  const jitter = object.props.get('jitter');
  if (jitter !== undefined) {
    if (jitter.value.kind !== 'string' || unquote(jitter.value.text) !== 'none') return undefined;
    return { range: { start: jitter.start, end: jitter.end }, message, fixes: [{ title: `Set ${full}`, edits: [replaceRange(jitter.start, jitter.end, full)], safe: true }] };
  }
  if (object.hasSpread) return undefined;
  return { range: calleeRange(call), message, fixes: [{ title: `Add ${full}`, edits: appendProperty(facts, object, full), safe: true }] };
}
