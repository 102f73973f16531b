import type { CallFact, FileFacts, PropertyFact } from '../facts/types.js';
import { isCeleryTaskDecorator } from '../facts/python.js';
import { appendArgument, pythonName, replaceRange } from '../fixes/edits.js';
import type { TextEdit } from '../types.js';
import { calleeRange, defineRule, eachCall, forJavaScript, isQualified, type RawFinding, type Rule, LOCAL } from './rule.js';
import { checkJavaScriptLoopsAndQueues } from './retry-unbounded/javascript.js';
import { checkPythonLoopsAndActors } from './retry-unbounded/python.js';
import { checkGo } from './retry-unbounded/go.js';
import { checkJava } from './retry-unbounded/java.js';
import { checkRuby } from './retry-unbounded/ruby.js';
import { waitsUntilReady } from './common/wait-loops.js';

/**
 * retry-unbounded — a retry with no attempt or time limit.
 *
 * Why it matters: a permanent failure is retried forever, holding a worker and adding load to a
 * dependency that is already failing (chapter 5, R5.1).
 * Fix (safe): add the library's own bound — five attempts. Hand `while (true)` retry loops get no
 * fix: where the bound goes depends on the loop.
 */
const ATTEMPTS = 5;

export const retryUnbounded: Rule = defineRule(
  {
    id: 'retry-unbounded',
    ruleRef: 'R5.1',
    chapter: 5,
    description: 'Retry with no attempt or time limit: a permanent failure is retried forever.',
    defaultSeverity: 'warning',
    fix: 'safe',
  },
  {
    python: (context) => [...eachCall(context, checkPython), ...checkPythonLoopsAndActors(context, ATTEMPTS)],
    ...forJavaScript((context) => [
      ...eachCall(context, (_facts, call) => checkJavaScript(call)),
      ...checkJavaScriptLoopsAndQueues(context, ATTEMPTS),
    ]),
    java: checkJava,
    go: checkGo,
    ruby: (context) => checkRuby(context, ATTEMPTS),
  },
  { python: LOCAL, ...forJavaScript(LOCAL), java: LOCAL, go: { moduleAssignments: true }, ruby: LOCAL },
);

function checkPython(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  // A decorated function that only waits for a dependency or keeps a subscriber connected (CTFd's
  // `@retry(wait=...)` around a Redis pub/sub listen loop) is meant to go on until it succeeds,
  // as the hand-written loops of `wait-loops.ts` are.
  const decorated = call.decorator?.functionNode;
  if (decorated !== undefined && waitsUntilReady([decorated.childForFieldName('body')])) return undefined;
  if (call.api === 'tenacity.retry' || call.api === 'tenacity.Retrying' || call.api === 'tenacity.AsyncRetrying') {
    const name = call.api.replace('tenacity.', '');
    const stop = args?.keywords.get('stop');
    const stopAfter = pythonName(facts, 'tenacity', 'stop_after_attempt', call.start, isQualified(call));
    const bound = `${stopAfter.name}(${ATTEMPTS})`;
    if (stop !== undefined) {
      // `stop=stop_never` spells the default out: still unbounded.
      if (stop.value.kind === 'call' || stop.value.api !== 'tenacity.stop_never') return undefined;
      return {
        range: { start: stop.start, end: stop.end },
        message: `\`${name}\` with \`stop=stop_never\` retries forever.`,
        fixes: [{ title: `Use stop=${bound}`, edits: [replaceRange(stop.value.start, stop.value.end, bound), ...stopAfter.edits], safe: true }],
      };
    }
    if (args?.hasSplat === true) return undefined;
    const edits: TextEdit[] = args === undefined
      ? [{ start: call.calleeEnd, end: call.calleeEnd, newText: `(stop=${bound})` }]
      : appendArgument(facts, args, `stop=${bound}`);
    return {
      range: calleeRange(call),
      message: `\`${name}\` has no \`stop\`: tenacity retries forever by default.`,
      fixes: [{ title: `Add stop=${bound}`, edits: [...edits, ...stopAfter.edits], safe: true }],
    };
  }
  if (call.api === 'backoff.on_exception' || call.api === 'backoff.on_predicate') {
    if (args === undefined || args.hasSplat) return undefined;
    const maxTries = args.keywords.get('max_tries');
    const maxTime = args.keywords.get('max_time');
    // An explicit None is the same as leaving the limit out.
    const bounded = (p: PropertyFact | undefined): boolean => p !== undefined && p.value.kind !== 'none';
    if (bounded(maxTries) || bounded(maxTime)) return undefined;
    const message = `\`${call.api}\` has neither \`max_tries\` nor \`max_time\`: it retries forever.`;
    const edits = maxTries === undefined
      ? appendArgument(facts, args, `max_tries=${ATTEMPTS}`)
      : [replaceRange(maxTries.value.start, maxTries.value.end, String(ATTEMPTS))];
    return { range: calleeRange(call), message, fixes: [{ title: `Set max_tries=${ATTEMPTS}`, edits, safe: true }] };
  }
  if (call.decorator !== undefined && isCeleryTaskDecorator(call.api)) {
    // `max_retries` is read from the task option, or from `retry_kwargs` by autoretry.
    const direct = args?.keywords.get('max_retries');
    const viaKwargs = args?.keywords.get('retry_kwargs')?.value.object?.props.get('max_retries');
    const maxRetries = direct?.value.kind === 'none' ? direct : viaKwargs?.value.kind === 'none' ? viaKwargs : undefined;
    if (maxRetries === undefined) return undefined;
    return {
      range: { start: maxRetries.start, end: maxRetries.end },
      message: 'Celery task with `max_retries=None`: it is retried forever.',
      fixes: [{ title: `Set max_retries to ${ATTEMPTS}`, edits: [replaceRange(maxRetries.value.start, maxRetries.value.end, String(ATTEMPTS))], safe: true }],
    };
  }
  return undefined;
}

/** p-retry and async-retry take `retries` (default 10) and `forever`. */
function checkJavaScript(call: CallFact): RawFinding | undefined {
  if (call.api !== 'p-retry' && call.api !== 'async-retry') return undefined;
  const options = call.args?.positional[1]?.object;
  if (options === undefined) return undefined;
  const forever = options.props.get('forever');
  const retries = options.props.get('retries');
  if (forever?.value.kind === 'true') {
    // With `retries` also given, turning `forever` off leaves that bound; else `retries` replaces it.
    const edit = retries === undefined ? replaceRange(forever.start, forever.end, `retries: ${ATTEMPTS}`) : replaceRange(forever.value.start, forever.value.end, 'false');
    return {
      range: { start: forever.start, end: forever.end },
      message: `\`${call.api}\` with \`forever: true\` retries without limit.`,
      fixes: [{ title: retries === undefined ? `Replace with retries: ${ATTEMPTS}` : 'Set forever: false', edits: [edit], safe: true }],
    };
  }
  if (retries !== undefined && isInfinity(retries.value.node)) {
    return {
      range: { start: retries.start, end: retries.end },
      message: `\`${call.api}\` with \`retries: Infinity\` retries without limit.`,
      fixes: [{ title: `Set retries: ${ATTEMPTS}`, edits: [replaceRange(retries.value.start, retries.value.end, String(ATTEMPTS))], safe: true }],
    };
  }
  return undefined;
}

/** `Infinity` or `Number.POSITIVE_INFINITY`, read off the syntax tree. */
export function isInfinity(node: CallFact['node']): boolean {
  if (node.type === 'identifier') return node.text === 'Infinity';
  return node.type === 'member_expression' && node.childForFieldName('object')?.text === 'Number' && node.childForFieldName('property')?.text === 'POSITIVE_INFINITY';
}
