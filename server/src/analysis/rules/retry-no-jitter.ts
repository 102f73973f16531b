import type { CallFact, FileFacts } from '../facts/types.js';
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
