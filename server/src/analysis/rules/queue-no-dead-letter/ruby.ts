import { optionsOf, rubyJobs } from '../common/ruby.js';
import type { RawFinding, RuleContext } from '../rule.js';

/**
 * queue-no-dead-letter in Ruby: a Sidekiq job with `sidekiq_options dead: false`. Sidekiq keeps a
 * job that exhausts its retries in the dead set (its dead-letter queue); `dead: false` drops it
 * instead, leaving nothing to inspect or retry. Not reported when the job handles exhaustion
 * itself (`sidekiq_retries_exhausted`); a global death handler is out of the file's view, hence
 * information only. No fix: dropping may be the author's choice for jobs that are safe to lose.
 */
export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  for (const job of rubyJobs(facts)) {
    if (job.kind !== 'sidekiq' || job.dsl.some((c) => c.api === 'Sidekiq::Job.sidekiq_retries_exhausted')) continue;
    for (const call of job.dsl) {
      if (call.api !== 'Sidekiq::Job.sidekiq_options') continue;
      const options = optionsOf(call.args, 0);
      const dead = options === 'unknown' ? undefined : options?.get('dead');
      if (dead?.value.kind !== 'false') continue;
      findings.push({
        range: { start: dead.start, end: dead.end },
        message: '`dead: false`: a job that exhausts its retries is dropped, with no entry in Sidekiq\'s dead set to inspect or retry. Keep the dead set, or handle exhaustion in `sidekiq_retries_exhausted`.',
        fixes: [],
      });
    }
  }
  return findings;
}
