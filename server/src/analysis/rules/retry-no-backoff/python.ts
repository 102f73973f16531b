import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts, PropertyFact } from '../../facts/types.js';
import { appendArgument, replaceRange } from '../../fixes/edits.js';
import type { Fix } from '../../types.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { autoretryFor, celeryTasks, constantNumber, enclosingFunction, randomUniform, type CeleryTask } from '../common/python.js';
import { retryLoops } from '../common/python-loops.js';

/**
 * retry-no-backoff in Python: Celery tasks with `autoretry_for` and no `retry_backoff` (they wait
 * `default_retry_delay`, 180 s, every time), `self.retry(countdown=<constant>)`, RQ `Retry` with
 * no interval or a constant one, and hand retry loops that sleep a constant time.
 */
export function checkPython(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  const tasks = celeryTasks(facts);
  for (const task of tasks) {
    const finding = autoretry(facts, task);
    if (finding !== undefined) findings.push(finding);
  }
  for (const call of facts.calls) {
    const finding = call.api === 'celery.Task.retry' ? selfRetry(facts, tasks, call) : call.api === 'rq.Retry' ? rqRetry(facts, call) : call.api === 'celery.Task.autoretry_for' ? classAutoretry(facts, call) : undefined;
    if (finding !== undefined) findings.push(finding);
  }
  for (const loop of retryLoops(facts)) {
    // A wait for a dependency to answer (a start-up probe) repeats no side effect: its fixed sleep is left alone.
    if (loop.readiness) continue;
    for (const delay of loop.delays) {
      if (delay.shape !== 'constant') continue;
      const amount = delay.amount;
      const fixes: Fix[] = loop.counter === undefined ? [] : [exponentialFix(facts, amount, `2 ** ${loop.counter}`)];
      findings.push({
        range: { start: amount.startIndex, end: amount.endIndex },
        message: `This retry loop sleeps the same delay (\`${amount.text}\`) before every attempt: clients that failed together retry together, at a fixed pace.`,
        fixes,
      });
    }
  }
  return findings;
}

/** `autoretry_for` retries with `default_retry_delay` (or `retry_kwargs` countdown) unless `retry_backoff` is on. */
function autoretry(facts: FileFacts, task: CeleryTask): RawFinding | undefined {
  const options = task.options;
  // A custom base class may set `retry_backoff` itself; `**options` may pass it.
  if (options === undefined || options.hasSplat || options.keywords.has('base')) return undefined;
  const retried = autoretryFor(options);
  if (retried === undefined) return undefined;
  const backoff = options.keywords.get('retry_backoff');
  const countdown = options.keywords.get('retry_kwargs')?.value.object?.props.get('countdown');
  const wait = countdown === undefined ? '`default_retry_delay` (180 s by default)' : `the same countdown (\`${countdown.value.text}\`)`;
  if (backoff === undefined) {
    return {
      range: { start: retried.start, end: retried.end },
      message: `Celery task with \`autoretry_for\` and no \`retry_backoff\`: every retry waits ${wait}, so tasks that failed together retry together.`,
      fixes: [{ title: 'Add retry_backoff=True (jittered by default)', edits: appendArgument(facts, options, 'retry_backoff=True'), safe: true }],
    };
  }
  // Celery reads the factor with int(): False, 0 and 0.5 all turn backoff off.
  const factor = backoff.value.kind === 'false' ? 0 : constantNumber(facts, backoff.value.node);
  if (factor === undefined || Math.trunc(factor) !== 0) return undefined;
  return {
    range: { start: backoff.start, end: backoff.end },
    message: `Celery task with \`${backoff.value.text === 'False' ? 'retry_backoff=False' : `retry_backoff=${backoff.value.text}`}\` (read as 0): every autoretry waits ${wait}.`,
    fixes: [{ title: 'Set retry_backoff=True', edits: [replaceRange(backoff.value.start, backoff.value.end, 'True')], safe: true }],
  };
}

/**
 * A Celery task class with `autoretry_for` in its body and no `retry_backoff` there (or one Celery
 * reads as 0): every retry waits `default_retry_delay`. A class that also derives from another
 * project class may inherit `retry_backoff` from it, so only a class whose every base is Celery's
 * `Task` or a name the file does not define as a class is judged; the finding is on
 * `autoretry_for`, where the retry is declared.
 */
function classAutoretry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const body = call.node.parent?.parent?.parent;
  const cls = body?.parent;
  if (body?.type !== 'block' || cls?.type !== 'class_definition') return undefined;
  const attrs = new Map<string, Node>();
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    if (left?.type === 'identifier' && right != null) attrs.set(left.text, right);
  }
  const delay = attrs.get('default_retry_delay');
  const wait = delay === undefined ? '`default_retry_delay` (180 s by default)' : `\`default_retry_delay\` (\`${delay.text}\`)`;
  const backoff = attrs.get('retry_backoff');
  // A base class of the project defined in this file may set it.
  const localBases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).some((b) => b?.type === 'identifier' && facts.root.namedChildren.some((c) => c?.type === 'class_definition' && c.childForFieldName('name')?.text === b.text && c.id !== cls.id));
  if (localBases) return undefined;
  if (backoff === undefined) {
    return { range: calleeRange(call), message: `Celery task class with \`autoretry_for\` and no \`retry_backoff\`: every retry waits ${wait}, so tasks that failed together retry together.`, fixes: [] };
  }
  const factor = backoff.type === 'false' ? 0 : constantNumber(facts, backoff);
  if (factor === undefined || Math.trunc(factor) !== 0) return undefined;
  return {
    range: calleeRange(call),
    message: `Celery task class with \`autoretry_for\` and \`retry_backoff = ${backoff.text}\` (read as 0): every autoretry waits ${wait}, so tasks that failed together retry together.`,
    fixes: [{ title: 'Set retry_backoff = True', edits: [replaceRange(backoff.startIndex, backoff.endIndex, 'True')], safe: true }],
  };
}

/** `self.retry(countdown=60)` in a bound task: the same wait before every retry. */
function selfRetry(facts: FileFacts, tasks: readonly CeleryTask[], call: CallFact): RawFinding | undefined {
  const countdown = call.args?.keywords.get('countdown');
  if (countdown === undefined || call.args?.keywords.has('eta') === true) return undefined;
  const seconds = constantNumber(facts, countdown.value.node);
  const task = taskOf(tasks, call);
  if (seconds === undefined || task?.self === undefined) return undefined;
  return {
    range: { start: countdown.start, end: countdown.end },
    message: `\`${task.self}.retry(countdown=${countdown.value.text})\` waits the same time before every retry: tasks that failed together retry together.`,
    // Capped at 600 s, Celery's own `retry_backoff_max`, so a long wait never outlives the broker's visibility timeout.
    fixes: [exponentialFix(facts, countdown.value.node, `2 ** ${task.self}.request.retries`, 600)],
  };
}

/** The bound task whose `self.retry` this is. */
function taskOf(tasks: readonly CeleryTask[], call: CallFact): CeleryTask | undefined {
  const fn = enclosingFunction(call.node);
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object')?.text;
  return tasks.find((t) => t.fn.id === fn?.id && t.self !== undefined && t.self === receiver);
}

/** RQ re-enqueues at once without `interval`; a number (or one repeated value) waits the same every time. */
function rqRetry(facts: FileFacts, call: CallFact): RawFinding | undefined {
  const args = call.args;
  if (args === undefined || args.hasSplat) return undefined;
  const interval: PropertyFact | undefined = args.keywords.get('interval')
    ?? (args.positional[1] === undefined ? undefined : { key: 'interval', value: args.positional[1], start: args.positional[1].start, end: args.positional[1].end });
  if (interval === undefined) {
    return { range: { start: call.calleeStart, end: call.calleeEnd }, message: 'RQ `Retry` with no `interval` re-enqueues a failed job at once, again and again.', fixes: [] };
  }
  const node = interval.value.node;
  const values = node.type === 'list' ? node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map((c) => constantNumber(facts, c)) : [constantNumber(facts, node)];
  if (values.length === 0 || values.some((v) => v === undefined) || new Set(values).size !== 1) return undefined;
  return {
    range: { start: interval.start, end: interval.end },
    message: `RQ \`Retry\` with a fixed interval (\`${interval.value.text}\`): failed jobs come back at the same pace and hit a struggling dependency in step.`,
    fixes: [],
  };
}

/**
 * Replaces a constant wait with a full-jitter exponential one: `random.uniform(0, base * 2 ** n)`,
 * capped when `cap` is given. A zero or negative wait grows from one second.
 */
function exponentialFix(facts: FileFacts, amount: Node, growth: string, cap?: number): Fix {
  const positive = (constantNumber(facts, amount) ?? 0) > 0;
  const base = !positive ? '1' : /^[\w.]+$/.test(amount.text) ? amount.text : `(${amount.text})`;
  const grown = `${base} * ${growth}`;
  return randomUniform(facts, amount, cap === undefined ? grown : `min(${cap}, ${grown})`, 'Back off exponentially, with full jitter');
}
