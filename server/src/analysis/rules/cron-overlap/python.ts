import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { signalKindOf } from '../../signals.js';
import { calleeRange, eachCall, type RawFinding, type RuleContext } from '../rule.js';
import { callsIn, moduleFunction } from '../common/python.js';

/**
 * cron-overlap in Python: APScheduler 3 jobs (`add_job`, `@scheduled_job`) on a scheduler that
 * runs inside another program (`BackgroundScheduler`, `AsyncIOScheduler` and the other
 * framework-bound ones). Such a scheduler runs in every process that starts it, so a service
 * with several replicas, or a web server with several worker processes, runs each job once per
 * process at the same moment; `max_instances` (default 1) only stops overlap within one process.
 * Reported as information, like Spring's `@Scheduled`: a single-process deployment cannot be
 * seen from the file. A job whose function, defined in the file, takes a lock is not reported.
 *
 * Left alone: `BlockingScheduler` (a scheduler process of its own, the one-process form the book
 * recommends), APScheduler 4 (a pre-release whose schedulers coordinate through a shared data
 * store), Celery beat (one beat process is a deployment matter) and Airflow DAGs (their
 * concurrent runs cover different data intervals by design, so whether they conflict is beyond
 * the file).
 */
const EMBEDDED = ['BackgroundScheduler', 'AsyncIOScheduler', 'GeventScheduler', 'TornadoScheduler', 'TwistedScheduler', 'QtScheduler'];
const JOB_APIS = new Map(EMBEDDED.flatMap((s) => [[`apscheduler.${s}.add_job`, s], [`apscheduler.${s}.scheduled_job`, s]]));

export function checkPython(context: RuleContext): RawFinding[] {
  return eachCall(context, (facts, call) => {
    const scheduler = JOB_APIS.get(call.api);
    if (scheduler === undefined || call.args?.hasSplat === true) return undefined;
    const job = jobFunction(facts, call);
    if (job !== undefined && takesLock(facts, job)) return undefined;
    return {
      range: calleeRange(call),
      message: `APScheduler's \`${scheduler}\` runs this job in every process that starts it: with several replicas or web workers, each runs it at the same moment (\`max_instances\` only counts runs within one process). Start the scheduler in one process, or take a lock in the job (a single-process deployment cannot be seen from this file).`,
      fixes: [],
      severity: 'info',
    };
  });
}

/** The function the job runs, when this file defines it: the decorated one, or `add_job`'s `func` named by a module-level `def`. */
function jobFunction(facts: FileFacts, call: CallFact): Node | undefined {
  if (call.decorator !== undefined) return call.decorator.functionNode;
  const func = call.args?.keywords.get('func')?.value ?? call.args?.positional[0];
  return func?.kind === 'identifier' ? moduleFunction(facts, func.text) : undefined;
}

function takesLock(facts: FileFacts, fn: Node): boolean {
  return callsIn(facts, fn).some((c) => signalKindOf(facts.language, c) === 'lock');
}
