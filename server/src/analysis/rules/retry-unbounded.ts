import type { CallFact, FileFacts } from '../facts/types.js';
import { isCeleryTaskDecorator } from '../facts/python.js';
import { appendArgument, pythonName, replaceRange } from '../fixes/edits.js';
import type { TextEdit } from '../types.js';
import { calleeRange, type RawFinding, type Rule, type RuleContext } from './rule.js';

/**
 * retry-unbounded — a retry with no attempt or time limit.
 *
 * Why it matters: a permanent failure is retried forever, holding a worker and adding load to a
 * dependency that is already failing (chapter 5, R5.1).
 * Fix (safe): add the library's own bound — five attempts.
 */
const ATTEMPTS = 5;

export const retryUnbounded: Rule = {
  meta: {
    id: 'retry-unbounded',
    ruleRef: 'R5.1',
    chapter: 5,
    description: 'Retry with no attempt or time limit: a permanent failure is retried forever.',
    defaultSeverity: 'warning',
    languages: ['python', 'javascript', 'typescript', 'tsx'],
    fix: 'safe',
  },
  check(context: RuleContext): RawFinding[] {
    const facts = context.facts;
    if (facts === undefined) return [];
    const findings: RawFinding[] = [];
    for (const call of facts.calls) {
      const finding = facts.language === 'python' ? checkPython(facts, call) : checkJavaScript(call);
      if (finding !== undefined) findings.push(finding);
    }
    return findings;
  },
};

function checkPython(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (call.api === 'tenacity.retry' || call.api === 'tenacity.Retrying' || call.api === 'tenacity.AsyncRetrying') {
    if (args?.keywords.has('stop') === true || args?.hasSplat === true) return undefined;
    const stop = pythonName(facts, 'tenacity', 'stop_after_attempt');
    const bound = `stop=${stop.name}(${ATTEMPTS})`;
    const edits: TextEdit[] = args === undefined
      ? [{ start: call.calleeEnd, end: call.calleeEnd, newText: `(${bound})` }]
      : appendArgument(facts, args, bound);
    return {
      range: calleeRange(call),
      message: `\`${call.api.replace('tenacity.', '')}\` has no \`stop\`: tenacity retries forever by default.`,
      fixes: [{ title: `Add ${bound}`, edits: [...edits, ...stop.edits], safe: true }],
    };
  }
  if (call.api === 'backoff.on_exception' || call.api === 'backoff.on_predicate') {
    if (args === undefined || args.hasSplat || args.keywords.has('max_tries') || args.keywords.has('max_time')) return undefined;
    return {
      range: calleeRange(call),
      message: `\`${call.api}\` has neither \`max_tries\` nor \`max_time\`: it retries forever.`,
      fixes: [{ title: `Add max_tries=${ATTEMPTS}`, edits: appendArgument(facts, args, `max_tries=${ATTEMPTS}`), safe: true }],
    };
  }
  if (call.decorator !== undefined && isCeleryTaskDecorator(call.api)) {
    const maxRetries = args?.keywords.get('max_retries');
    if (maxRetries?.value.kind !== 'none') return undefined;
    return {
      range: { start: maxRetries.start, end: maxRetries.end },
      message: 'Celery task with `max_retries=None`: it is retried forever.',
      fixes: [{ title: `Set max_retries=${ATTEMPTS}`, edits: [replaceRange(maxRetries.value.start, maxRetries.value.end, String(ATTEMPTS))], safe: true }],
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
  if (forever?.value.kind === 'true') {
    return {
      range: { start: forever.start, end: forever.end },
      message: `\`${call.api}\` with \`forever: true\` retries without limit.`,
      fixes: [{ title: `Replace with retries: ${ATTEMPTS}`, edits: [replaceRange(forever.start, forever.end, `retries: ${ATTEMPTS}`)], safe: true }],
    };
  }
  const retries = options.props.get('retries');
  if (retries !== undefined && retries.value.text === 'Infinity') {
    return {
      range: { start: retries.start, end: retries.end },
      message: `\`${call.api}\` with \`retries: Infinity\` retries without limit.`,
      fixes: [{ title: `Set retries: ${ATTEMPTS}`, edits: [replaceRange(retries.value.start, retries.value.end, String(ATTEMPTS))], safe: true }],
    };
  }
  return undefined;
}
