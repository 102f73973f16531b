import type { Node } from 'web-tree-sitter';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { rubyExtras } from '../../facts/ruby.js';
import type { RubyView } from '../../project/ruby-model.js';
import { sendsNotification } from '../../signals.js';
import type { RelatedLocation } from '../../types.js';
import { jobPerforming, retryOnAttempts, rubyJobs, SAME_DATABASE, sidekiqRetries, type RubyJob } from '../common/ruby.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { rubyWrapperParts } from '../../apis/ruby-libraries.js';

/**
 * notify-in-retried-task in Ruby: an Action Mailer delivery (`deliver_now`, `deliver_later`, the
 * older `deliver`), a Twilio message, a GOV.UK Notify email, SMS or letter, or a webhook delivery
 * (an HTTP POST to a webhook, facts/webhook.ts) sent from the `perform` of a job that retries, or
 * from an instance method of the job that `perform` calls, with no guard before it.
 *
 * A Sidekiq job retries unless `sidekiq_options retry: false` (or 0); an Active Job retries where
 * it declares `retry_on`, or, without one, when the project runs it on Sidekiq's adapter (see
 * `onSidekiq`); other adapters' retries the file does not show. `deliver_later` counts too: a
 * retried `perform` enqueues the email again, unless the adapter keeps jobs in the same database
 * and the mail is enqueued in the transaction that ends the method (`committedWith`). A send
 * inside a condition, or after any statement that can return early, may be guarded by a
 * sent-marker; so may a send to rows the job's own helper claimed (`sendsToClaimed`), and a
 * webhook that carries the job's id (`carriesDeliveryKey`): not reported. No fix: the guard needs
 * a record keyed by the notification's identity (chapter 12).
 */
const SENDS = new Set([
  'ActionMailer::MessageDelivery#deliver_now', 'ActionMailer::MessageDelivery#deliver_now!',
  'ActionMailer::MessageDelivery#deliver_later', 'ActionMailer::MessageDelivery#deliver_later!', 'Twilio::Messages.create',
  'ActionMailer::MessageDelivery#deliver', 'ActionMailer::MessageDelivery#deliver!',
  'Notifications::Client#send_email', 'Notifications::Client#send_sms', 'Notifications::Client#send_letter', 'Notifications::Client#send_precompiled_letter',
]);
const CONDITIONS = new Set(['if', 'unless', 'if_modifier', 'unless_modifier', 'conditional', 'case', 'case_match', 'rescue', 'while', 'until']);

/** Calls that write a row or a key: where a job records that it sent. */
const WRITES = new Set([
  'update', 'update_column', 'update_columns', 'update_attribute', 'update_attributes', 'update_all', 'save', 'create', 'insert',
  'insert_all', 'upsert', 'upsert_all', 'touch', 'destroy', 'delete', 'delete_all', 'find_or_create_by', 'create_or_find_by',
  'set', 'setex', 'setnx', 'sadd', 'hset', 'hsetnx', 'incr', 'incrby', 'lpush', 'rpush', 'zadd', 'with_lock', 'transaction',
]);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const findings: RawFinding[] = [];
  const project = rubyExtras(facts).project;
  const reached = new Map<RubyJob, Map<number, Node>>();
  for (const call of facts.calls) {
    // A project method of another file that sends (project/ruby-wrappers.ts) is judged here, in the job that calls it.
    const wrapper = rubyWrapperParts(call.api);
    const webhook = !SENDS.has(call.api) && wrapper === undefined && sendsNotification('ruby', call);
    if (!SENDS.has(call.api) && wrapper?.kind !== 'notify' && !webhook) continue;
    const place = jobRunning(facts, call.node, reached);
    if (place === undefined) continue;
    const { job, method } = place;
    const found = retriesOf(job, project);
    if (found === undefined || guardedSend(call, method) || committedWith(call, method, job, project) || sendsToClaimed(call, method)) continue;
    if (webhook && (carriesDeliveryKey(method) || (job.perform !== undefined && carriesDeliveryKey(job.perform)))) continue;
    // A send in a helper is guarded as well by a test that returns early from `perform` before it calls the helper.
    if (method.id !== job.perform?.id && job.perform !== undefined && guardsRun(job.perform, call)) continue;
    const { retries, related } = found;
    const send = wrapper !== undefined ? `\`${wrapper.method}\` (a project method that calls \`${wrapper.library}\`)` : webhook ? 'This webhook delivery' : call.api.startsWith('Twilio') ? 'This SMS' : call.api.startsWith('Notifications::') ? `GOV.UK Notify's \`${call.api.slice(call.api.indexOf('#') + 1)}\`` : `\`${call.api.slice(call.api.indexOf('#') + 1)}\``;
    const where = method.id === job.perform?.id ? '' : ` (in \`${method.childForFieldName('name')?.text ?? ''}\`, which \`perform\` calls)`;
    findings.push({
      range: calleeRange(call),
      message: `${send}${where} runs in a job that retries (${retries}) with no guard: a failure after the send sends it again on every retry.`,
      fixes: [],
      ...(related.length === 0 ? {} : { related }),
    });
  }
  return findings;
}

/**
 * The job whose run reaches `node`, and the method that holds it: `perform`, or an instance method
 * of the job's class that `perform` calls by name (`post_hook_relay` → `post`), at any depth.
 */
function jobRunning(facts: FileFacts, node: Node, reached: Map<RubyJob, Map<number, Node>>): { job: RubyJob; method: Node } | undefined {
  const job = jobPerforming(facts, node);
  if (job?.perform !== undefined) return { job, method: job.perform };
  for (const candidate of rubyJobs(facts)) {
    if (candidate.perform === undefined || node.startIndex < candidate.node.startIndex || node.endIndex > candidate.node.endIndex) continue;
    let methods = reached.get(candidate);
    if (methods === undefined) reached.set(candidate, methods = calledFromPerform(candidate));
    for (const method of methods.values()) {
      if (method.startIndex <= node.startIndex && node.endIndex <= method.endIndex) return { job: candidate, method };
    }
  }
  return undefined;
}

/** The instance methods of a job's class that `perform` calls by a bare name or on `self`, and those they call. */
function calledFromPerform(job: RubyJob): Map<number, Node> {
  const byName = new Map<string, Node>();
  for (const member of job.node.childForFieldName('body')?.namedChildren ?? []) {
    const name = member?.type === 'method' ? member.childForFieldName('name')?.text : undefined;
    if (member != null && name !== undefined && name !== 'perform') byName.set(name, member);
  }
  const reached = new Map<number, Node>();
  const queue: Node[] = job.perform === undefined ? [] : [job.perform];
  for (let method = queue.shift(); method !== undefined; method = queue.shift()) {
    for (const use of method.descendantsOfType(['identifier', 'call'])) {
      if (use === null) continue;
      const receiver = use.type === 'call' ? use.childForFieldName('receiver') : null;
      if (receiver !== null && receiver.type !== 'self') continue;
      const name = use.type === 'call' ? use.childForFieldName('method')?.text : use.text;
      const callee = name === undefined ? undefined : byName.get(name);
      if (callee === undefined || reached.has(callee.id)) continue;
      reached.set(callee.id, callee);
      queue.push(callee);
    }
  }
  return reached;
}

/**
 * A `deliver_later` inside a `transaction` block that ends the method, in a job whose queue
 * adapter keeps jobs in the application's database (GoodJob, Que, Delayed Job, Solid Queue): the
 * mail job is a row of that transaction. A failure inside it rolls the mail back with the rest;
 * nothing runs after the commit to fail and retry the job.
 */
function committedWith(call: CallFact, method: Node, job: RubyJob, project: RubyView | undefined): boolean {
  if (!call.api.startsWith('ActionMailer::MessageDelivery#deliver_later')) return false;
  const adapter = job.inherited?.queueAdapter?.value ?? project?.config.queueAdapter?.value;
  if (typeof adapter !== 'string' || !SAME_DATABASE.has(adapter)) return false;
  const statements = method.childForFieldName('body')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
  const last = statements[statements.length - 1];
  if (last == null || last.type !== 'call' || last.childForFieldName('method')?.text !== 'transaction' || last.childForFieldName('block') === null) return false;
  return last.startIndex <= call.start && call.end <= last.endIndex;
}

/**
 * How the job retries, in words, or undefined when it does not (or the file cannot tell); with the
 * places in its base classes that make it retry, when they are another file's.
 */
function retriesOf(job: RubyJob, project: RubyView | undefined): { retries: string; related: RelatedLocation[] } | undefined {
  const base = job.inherited;
  if (job.kind === 'sidekiq') {
    const retries = sidekiqRetries(job);
    if (retries === undefined || retries <= 0) return undefined;
    const related: RelatedLocation[] = [];
    const ownRetry = job.dsl.some((c) => c.api === 'Sidekiq::Job.sidekiq_options' && c.args?.keywords.has('retry') === true);
    const inherited = ownRetry ? undefined : base?.sidekiq['retry'];
    if (inherited !== undefined) related.push({ origin: inherited.origin, message: `\`retry\` is set for this job by its base class \`${inherited.owner ?? base?.name ?? ''}\`` });
    else if (base !== undefined && base.kind === 'sidekiq') related.push({ origin: base.origin, message: `\`${base.name}\` is ${base.description}` });
    return { retries: retries === 25 && inherited === undefined ? 'Sidekiq: 25 times by default' : `Sidekiq: ${retries} times`, related };
  }
  // `retry_on` of a base class the project defines counts as the job's own.
  const candidates = [
    ...(base?.retryOn ?? []).map((r) => ({ attempts: r.attempts === 'unlimited' ? 'unlimited' as const : typeof r.attempts === 'number' ? r.attempts : undefined, origin: r.origin, owner: r.owner })),
    ...job.dsl.filter((c) => c.api === 'ActiveJob::Base.retry_on').map((c) => ({ attempts: retryOnAttempts(c), origin: undefined, owner: undefined })),
  ];
  const most = candidates.find((a) => a.attempts === 'unlimited' || (a.attempts !== undefined && a.attempts > 1));
  if (most?.attempts === undefined) return onSidekiq(job, project);
  const related: RelatedLocation[] = most.origin === undefined ? [] : [{ origin: most.origin, message: `\`retry_on\` in \`${most.owner ?? ''}\` retries this job` }];
  return { retries: most.attempts === 'unlimited' ? '`retry_on`, without limit' : `\`retry_on\`, up to ${most.attempts} attempts`, related };
}

/**
 * An Active Job run by Sidekiq's adapter (`config.active_job.queue_adapter = :sidekiq`) is a
 * Sidekiq job underneath: a failure that `retry_on` does not handle goes back to Sidekiq, which
 * retries it 25 times by default (or as its `sidekiq_options retry:` says).
 */
function onSidekiq(job: RubyJob, project: RubyView | undefined): { retries: string; related: RelatedLocation[] } | undefined {
  const adapter = job.inherited?.queueAdapter ?? project?.config.queueAdapter;
  if (adapter?.value !== 'sidekiq') return undefined;
  const retries = sidekiqRetries(job);
  if (retries === undefined || retries <= 0) return undefined;
  return {
    retries: `Sidekiq, the Active Job adapter: ${retries === 25 ? '25 times by default' : `${retries} times`}`,
    related: [{ origin: adapter.origin, message: 'The queue adapter is `:sidekiq`: Sidekiq retries the jobs it runs.' }],
  };
}

/** Inside a condition, or after a statement of `perform` that can return early (the task map's reading: any test may guard). */
export function guarded(call: CallFact, perform: Node): boolean {
  return guardedIf(call, perform, () => true);
}

/**
 * `guarded`, where the test may be a sent-marker: the job records something (a save, update,
 * create, touch, key set, attribute assignment, bang method or helper of its own class), or the
 * test itself reads a name that says sent or when (`welcomed?`, `receipt_sent_at`). A `perform`
 * that writes nothing and tests something else (`user.plan.trial?`) repeats the send on every
 * retry whatever it tests first.
 */
function guardedSend(call: CallFact, perform: Node): boolean {
  const writes = records(perform, call);
  return guardedIf(call, perform, (test) => writes || readsMarker(test));
}

/** `perform` returns early on a test that may read a sent-marker (see `guardedSend`), before what it runs. */
function guardsRun(perform: Node, send: CallFact): boolean {
  const writes = records(perform, send);
  // The last statement is what `perform` runs (and returns), not a test before it.
  const statements = (perform.childForFieldName('body')?.namedChildren ?? []).slice(0, -1);
  return statements.some((statement) => statement !== null && (statement.type === 'return' || statement.descendantsOfType(['return', 'next']).length > 0) && (writes || readsMarker(statement)));
}

function guardedIf(call: CallFact, perform: Node, marker: (test: Node) => boolean): boolean {
  for (let n = call.node.parent; n !== null && n.id !== perform.id; n = n.parent) {
    if (CONDITIONS.has(n.type) && marker(n.childForFieldName('condition') ?? n)) return true;
  }
  const body = perform.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    if (statement === null || statement.startIndex >= call.start) break;
    if ((statement.type === 'return' || statement.descendantsOfType(['return', 'next']).length > 0) && marker(statement)) return true;
  }
  return false;
}

/**
 * Names that say a thing was sent or done, or when: what a sent-marker is called. The word stands
 * alone or after an underscore (`sent?`, `email_sent`, `welcomed?`): Rails' `present?` ends in
 * "sent" and only says a value is there.
 */
const MARKER = /(?:^|_)(?:sent|notified|delivered|emailed|mailed|welcomed|reminded|processed|completed|done)\??$|_at\??$/;

function readsMarker(node: Node): boolean {
  return node.descendantsOfType(['identifier', 'call']).some((n) => n !== null && MARKER.test(n.type === 'call' ? n.childForFieldName('method')?.text ?? '' : n.text));
}

/**
 * A webhook whose payload or headers carry the job's own id (Active Job's `job_id`, Sidekiq's
 * `jid`, both the same on every retry) or an idempotency key: the receiver can drop a delivery it
 * has had, which is the guard a retried delivery needs.
 */
function carriesDeliveryKey(method: Node): boolean {
  const named = method.descendantsOfType(['identifier', 'call']).some((n) => {
    const name = n?.type === 'call' ? n.childForFieldName('method')?.text : n?.text;
    return name === 'job_id' || name === 'jid';
  });
  return named || method.descendantsOfType('string_content').some((n) => n !== null && /idempotency[-_ ]?key/i.test(n.text));
}

/**
 * A send inside an iteration over what a method of the class returned, where that method also
 * writes rows (`user_ids = expire_plan("timed")` selects the expired users and marks them
 * suspended, then `user_ids.each { |id| ... deliver_later }`): a retry selects again and no longer
 * finds the users it marked, so none is mailed twice. Claim, then send.
 */
function sendsToClaimed(call: CallFact, method: Node): boolean {
  const cls = method.parent?.parent;
  const helpers = new Map<string, Node>();
  for (const member of cls?.type === 'class' || cls?.type === 'module' ? cls.childForFieldName('body')?.namedChildren ?? [] : []) {
    const name = member?.type === 'method' ? member.childForFieldName('name')?.text : undefined;
    if (member != null && name !== undefined) helpers.set(name, member);
  }
  for (let n = call.node.parent; n !== null && n.id !== method.id; n = n.parent) {
    const iteration = n.type === 'do_block' || n.type === 'block' ? n.parent : null;
    let source = iteration?.type === 'call' ? iteration.childForFieldName('receiver') : null;
    if (source?.type === 'identifier') {
      const local = source.text;
      const assignment = method.descendantsOfType('assignment').find((a) => a !== null && a.startIndex < call.start && a.childForFieldName('left')?.text === local);
      source = assignment?.childForFieldName('right') ?? null;
    }
    const name = source?.type === 'call' && source.childForFieldName('receiver') === null ? source.childForFieldName('method')?.text : source?.type === 'identifier' ? source.text : undefined;
    const helper = name === undefined ? undefined : helpers.get(name);
    if (helper !== undefined && helper.id !== method.id && writesRows(helper)) return true;
  }
  return false;
}

/** A method that writes rows or keys itself: a write call or a bang method other than a delivery. */
function writesRows(method: Node): boolean {
  return method.descendantsOfType('call').some((n) => {
    const name = n?.childForFieldName('method')?.text ?? '';
    return WRITES.has(name.replace(/!$/, '')) || (name.endsWith('!') && !name.startsWith('deliver'));
  });
}

/** Whether `perform` may record anything besides the send itself (see `guarded`). */
function records(perform: Node, send: CallFact): boolean {
  const cls = perform.parent?.parent;
  const own = new Set((cls?.type === 'class' || cls?.type === 'module' ? cls.childForFieldName('body')?.namedChildren ?? [] : [])
    .filter((m): m is Node => m !== null && m.type === 'method' && m.id !== perform.id).map((m) => m.childForFieldName('name')?.text ?? ''));
  for (const node of perform.descendantsOfType(['call', 'identifier', 'assignment', 'operator_assignment'])) {
    if (node === null || node.startIndex === send.start) continue;
    if (node.type === 'assignment' || node.type === 'operator_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'call' || left?.type === 'element_reference' || left?.type === 'instance_variable') return true;
      continue;
    }
    const name = node.type === 'call' ? node.childForFieldName('method')?.text ?? '' : node.text;
    // A bare identifier is a call of the class's own helper only when no local of that name exists: names of helpers are what is read.
    if (node.type === 'identifier' && !own.has(name)) continue;
    if (own.has(name) || WRITES.has(name.replace(/!$/, '')) || (name.endsWith('!') && !name.startsWith('deliver'))) return true;
  }
  return false;
}
