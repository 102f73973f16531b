import type { Node } from 'web-tree-sitter';
import { classBodyOf } from '../../facts/ruby-names.js';
import type { CallFact, FileFacts } from '../../facts/types.js';
import { replaceRange } from '../../fixes/edits.js';
import { lookupTable } from '../../lookup.js';
import type { Fix, RelatedLocation } from '../../types.js';
import { rubyExtras } from '../../facts/ruby.js';
import { rubyWrapperParts } from '../../apis/ruby-libraries.js';
import type { RubyValue, RubyView } from '../../project/ruby-model.js';
import { nestingOf, refKey } from '../../project/ruby-summary.js';
import { calleeRange, type RawFinding, type RuleContext } from '../rule.js';
import { SAME_DATABASE } from '../common/ruby.js';

/**
 * dual-write in Ruby: a Sidekiq `perform_async`/`perform_in`/`perform_at` or an Active Job
 * `perform_later` that can leave without the database write it belongs to.
 *
 * - Inside a `transaction do ... end` block: the job can run before the commit (and find no row),
 *   or run for a transaction that rolls back.
 * - In a method registered as `after_create`, `after_update`, `after_save` or `after_destroy`:
 *   those callbacks run inside the save's transaction. Fix: the `_commit` form of the callback
 *   (Rails 5.0+; `after_save_commit` 6.0+), safe when the callback method only enqueues.
 *
 * Not reported: an enqueue after an Active Record write outside a transaction (`order.save!` then
 * `perform_later` in a controller action). Active Record commits each write in its own
 * transaction before it returns, so the job leaves for a row that exists, which is the on-commit
 * order; only a caller's transaction could hold the write back, and the file cannot show one. The
 * window between the commit and the enqueue is every enqueue's, not a dual write's: the same
 * reading as Django's autocommit in `dual-write/python.ts`. Nor are enqueues in `after_commit` (and `after_*_commit`) callbacks and blocks, in
 * `ActiveRecord.after_all_transactions_commit` blocks, and Sidekiq enqueues in a file that calls
 * `Sidekiq.transactional_push!`. Both libraries can defer enqueues app-wide (Sidekiq 7.0+
 * `transactional_push!`; Active Job `enqueue_after_transaction_commit`, Rails 7.2+), which the file
 * cannot show: hence the rule's info severity, and a message that names the option.
 *
 * A payment that creates or changes something at Stripe, or a notification that leaves at once
 * (`deliver_now`, `deliver`, Twilio, GOV.UK Notify), directly or through a project method that
 * makes one (project/ruby-wrappers.ts), is judged where it is called: inside a `transaction` block
 * or a callback that runs in the save's transaction (`before_`/`after_` `create`, `update`,
 * `save`, `destroy`), a rollback leaves the charge or the message with no row. No fix: the call
 * often feeds the row (`self.customer_id = customer.id`), so moving it is the author's design.
 *
 * With the project, an Active Job `perform_later` inside a transaction or an in-transaction
 * callback is not reported when its job cannot leave before the commit: its queue adapter keeps
 * jobs in the application's own database (GoodJob, Solid Queue, Que, Delayed Job), so the job row
 * commits or rolls back with the transaction; or its enqueues wait for the commit
 * (`enqueue_after_transaction_commit`, see `deferred`). When it is reported, the adapter and the
 * setting it read are its related locations.
 */
const ENQUEUES = new Set(['Sidekiq::Job.perform_async', 'Sidekiq::Job.perform_in', 'Sidekiq::Job.perform_at', 'ActiveJob::Base.perform_later']);
const IN_TRANSACTION: Readonly<Record<string, string>> = lookupTable({
  after_create: 'after_create_commit', after_update: 'after_update_commit', after_save: 'after_save_commit', after_destroy: 'after_destroy_commit',
});
const ON_COMMIT = /^(after_commit|after_(create|update|save|destroy)_commit|after_all_transactions_commit)$/;
/** Callbacks that run before the write, inside the save's transaction as the `after_` ones do. */
const BEFORE_WRITE = new Set(['before_create', 'before_update', 'before_save', 'before_destroy']);
/** Stripe calls that create or change something at Stripe: reads (`retrieve`, `list`, `search`) leave nothing behind. */
const PAYMENT_WRITES = /\.(create|update|delete|cancel|capture|confirm|pay|attach|detach|void_invoice|finalize_invoice)$/;
/** Sends that leave at once: `deliver_later` is an enqueue (Active Job), judged with them. */
const SENDS = new Set([
  'ActionMailer::MessageDelivery#deliver_now', 'ActionMailer::MessageDelivery#deliver_now!', 'ActionMailer::MessageDelivery#deliver',
  'ActionMailer::MessageDelivery#deliver!', 'Twilio::Messages.create', 'Notifications::Client#send_email', 'Notifications::Client#send_sms',
  'Notifications::Client#send_letter', 'Notifications::Client#send_precompiled_letter',
]);

export function checkRuby(context: RuleContext): RawFinding[] {
  const facts = context.facts;
  if (facts === undefined) return [];
  const deferred = facts.calls.some((c) => c.api === 'Sidekiq.transactional_push!');
  const enqueues = facts.calls.filter((c) => ENQUEUES.has(c.api) && !(deferred && c.api.startsWith('Sidekiq')));
  const findings: RawFinding[] = [];
  for (const call of facts.calls) {
    const effect = sideEffect(call);
    const finding = effect === undefined ? undefined : checkSideEffect(facts, call, effect);
    if (finding !== undefined) findings.push(finding);
  }
  if (enqueues.length === 0) return findings;
  const project = rubyExtras(facts).project;
  for (const enqueue of enqueues) {
    const job = enqueue.api === 'ActiveJob::Base.perform_later' && project !== undefined ? activeJobContext(project, enqueue) : undefined;
    const finding = check(facts, enqueue, job);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/**
 * What the project says of an Active Job enqueue: whether its job cannot leave before the commit
 * (deferred enqueues, or an adapter in the same database), and the settings that say otherwise.
 */
function activeJobContext(project: RubyView, enqueue: CallFact): { safe: boolean; related: RelatedLocation[] } {
  let receiver = enqueue.node.childForFieldName('receiver');
  // `Job.set(wait: 5.minutes).perform_later(...)` enqueues `Job`.
  if (receiver?.type === 'call' && receiver.childForFieldName('method')?.text === 'set') receiver = receiver.childForFieldName('receiver');
  const job = receiver === null || (receiver.type !== 'constant' && receiver.type !== 'scope_resolution') ? undefined : project.classes[refKey(nestingOf(enqueue.node), receiver.text)];
  const deferred = job?.enqueueAfterCommit ?? project.config.enqueueAfterCommit;
  if (defers(project, job?.enqueueAfterCommit !== undefined, deferred)) return { safe: true, related: [] };
  const adapter = job?.queueAdapter ?? project.config.queueAdapter;
  if (typeof adapter?.value === 'string' && SAME_DATABASE.has(adapter.value)) return { safe: true, related: [] };
  const related: RelatedLocation[] = [];
  const say = (setting: RubyValue | undefined, message: string): void => {
    if (setting !== undefined) related.push({ origin: setting.origin, message });
  };
  say(adapter, `The queue adapter is \`${show(adapter?.value)}\`: its jobs are not written in the application's database transaction.`);
  say(deferred, `\`enqueue_after_transaction_commit\` is \`${show(deferred?.value)}\`: enqueues do not wait for the commit.`);
  if (job !== undefined) related.push({ origin: job.origin, message: `\`${job.name}\` is ${job.description}` });
  return { safe: false, related };
}

/**
 * Whether enqueues wait for the commit, by the Rails version the application locks (unknown: the
 * benefit of the doubt, the rule stays silent where a version would defer):
 * - 7.2: `:always`/`true`, or `:default` (also what `config.load_defaults 7.2` sets), which defers
 *   unless the adapter shares the database (and such adapters are silent anyway).
 * - 8.0 and 8.1: a boolean; `:default` is deprecated and means false. The application-wide
 *   `config.active_job.enqueue_after_transaction_commit` is deprecated in 8.0 and does nothing in
 *   8.1: only a job class's setting (`self.enqueue_after_transaction_commit = true`) counts there.
 * - 8.2 on: the application-wide setting works again, and `config.load_defaults 8.2` turns it on.
 */
function defers(project: RubyView, onClass: boolean, setting: RubyValue | undefined): boolean {
  const version = project.config.railsVersion;
  const value = setting?.value;
  if (value === false || value === 'never') return false;
  if (value === true || value === 'always') return onClass || version !== 801;
  if (value === 'default') return version === undefined || version < 800;
  if (setting !== undefined) return false;
  const raw = project.config.loadDefaults?.value;
  const defaults = typeof raw === 'number' || typeof raw === 'string' ? Math.round(Number(raw) * 10) : NaN;
  if (defaults >= 82) return version === undefined || version >= 802;
  return defaults >= 72 && version !== undefined && version >= 702 && version < 800;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `:${value}` : typeof value === 'object' && value !== null ? '(computed)' : String(value);
}

/**
 * The `transaction` block around `node` and the method it is written in, up to that method;
 * undefined inside an on-commit callback or block, where the work runs after the commit.
 */
function contextOf(node: Node): { transaction: Node | undefined; method: Node | undefined } | undefined {
  let transaction: Node | undefined;
  let method: Node | undefined;
  for (let n = node.parent; n !== null && method === undefined; n = n.parent) {
    if (n.type === 'method' || n.type === 'singleton_method') method = n;
    const owner = n.type === 'block' || n.type === 'do_block' ? n.parent : null;
    const name = owner?.type === 'call' ? owner.childForFieldName('method')?.text ?? '' : '';
    if (ON_COMMIT.test(name)) return undefined;
    if (name === 'transaction') transaction ??= owner ?? undefined;
  }
  return { transaction, method };
}

/** `job`: what the project says of an Active Job enqueue, for the cases inside a transaction. */
function check(facts: FileFacts, enqueue: CallFact, job: { safe: boolean; related: RelatedLocation[] } | undefined): RawFinding | undefined {
  const context = contextOf(enqueue.node);
  if (context === undefined) return undefined;
  const { transaction, method } = context;
  const what = describe(facts, enqueue);
  const later = enqueue.api.startsWith('Sidekiq')
    ? 'Enqueue from `after_commit`, or call `Sidekiq.transactional_push!` (Sidekiq 7.0+) so pushes wait for the commit.'
    : 'Enqueue from `after_commit`, or set `enqueue_after_transaction_commit` (Rails 7.2+; a boolean from 8.0).';
  const callback = method === undefined ? undefined : callbackOf(method);
  if (callback?.kind === 'commit') return undefined;
  const inTransaction = transaction !== undefined || (callback !== undefined && method !== undefined);
  if (inTransaction && job?.safe === true) return undefined;
  // Where the transaction opens (the `transaction` block, or the callback declaration) goes first.
  const opens = transaction !== undefined
    ? { range: { start: transaction.startIndex, end: (transaction.childForFieldName('method') ?? transaction).endIndex }, message: 'opens the transaction the job is enqueued in' }
    : callback !== undefined ? { range: { start: callback.nameNode.startIndex, end: callback.nameNode.endIndex }, message: `runs \`${method?.childForFieldName('name')?.text ?? ''}\` inside the save's transaction` } : undefined;
  const own: RelatedLocation[] = opens === undefined ? [] : [{ range: opens.range, message: `\`${facts.text.slice(opens.range.start, opens.range.end)}\` ${opens.message}` }];
  const all = [...own, ...(job?.related ?? [])];
  const related = all.length === 0 ? {} : { related: all };
  if (transaction !== undefined) {
    return { ...finding(enqueue, `${what} inside a database transaction: the job can run before the commit, or for a transaction that rolls back. ${later}`, []), ...related };
  }
  if (callback !== undefined && method !== undefined) {
    const replacement = IN_TRANSACTION[callback.name] ?? '';
    const onlyEnqueues = (method.childForFieldName('body')?.namedChildren ?? []).every((s) => s === null || s.type === 'comment' || isEnqueueStatement(facts, s));
    const fixes: Fix[] = [{ title: `Use ${replacement}`, edits: [replaceRange(callback.nameNode.startIndex, callback.nameNode.endIndex, replacement)], safe: onlyEnqueues && callback.symbols === 1 }];
    return { ...finding(enqueue, `${what} runs from \`${callback.name}\`, inside the save's transaction: the job can start before the row is committed, or for a save that rolls back. Use \`${replacement}\`.`, fixes), ...related };
  }
  return undefined;
}

/** How the enclosing model class registers `method` as a callback: in the save's transaction, or after the commit. */
function callbackOf(method: Node, before = false): { kind: 'transaction' | 'commit'; name: string; nameNode: Node; symbols: number } | undefined {
  const owner = classBodyOf(method);
  const name = method.childForFieldName('name')?.text;
  if (owner === undefined || name === undefined || method.type !== 'method') return undefined;
  for (const statement of owner.childForFieldName('body')?.namedChildren ?? []) {
    if (statement?.type !== 'call' || statement.childForFieldName('receiver') !== null) continue;
    const nameNode = statement.childForFieldName('method');
    const symbols = (statement.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a?.type === 'simple_symbol');
    if (nameNode === null || !symbols.some((s) => s?.text === `:${name}`)) continue;
    if (ON_COMMIT.test(nameNode.text)) return { kind: 'commit', name: nameNode.text, nameNode, symbols: symbols.length };
    if (IN_TRANSACTION[nameNode.text] !== undefined || (before && BEFORE_WRITE.has(nameNode.text))) return { kind: 'transaction', name: nameNode.text, nameNode, symbols: symbols.length };
  }
  return undefined;
}

function isEnqueueStatement(facts: FileFacts, statement: Node): boolean {
  return facts.calls.some((c) => c.node.id === statement.id && ENQUEUES.has(c.api));
}

function describe(facts: FileFacts, call: CallFact): string {
  const callee = facts.text.slice(call.calleeStart, call.calleeEnd);
  return callee.length <= 50 && !callee.includes('\n') ? `\`${callee}\`` : `\`${call.api.slice(Math.max(call.api.lastIndexOf('.'), call.api.lastIndexOf('#')) + 1)}\``;
}

function finding(call: CallFact, message: string, fixes: Fix[]): RawFinding {
  return { range: calleeRange(call), message, fixes };
}

/** What the call does outside the database that a rollback cannot undo, or undefined. */
function sideEffect(call: CallFact): { what: string; kind: 'payment' | 'notify' } | undefined {
  const wrapper = rubyWrapperParts(call.api);
  const api = wrapper?.library ?? call.api;
  const through = wrapper === undefined ? '' : ` (a project method that calls \`${wrapper.library}\`)`;
  if (wrapper !== undefined && wrapper.kind !== 'payment' && wrapper.kind !== 'notify') return undefined;
  if (api.startsWith('Stripe::') && PAYMENT_WRITES.test(api)) return { what: through, kind: 'payment' };
  if (SENDS.has(api)) return { what: through, kind: 'notify' };
  return undefined;
}

function checkSideEffect(facts: FileFacts, call: CallFact, effect: { what: string; kind: 'payment' | 'notify' }): RawFinding | undefined {
  const context = contextOf(call.node);
  if (context === undefined) return undefined;
  const { transaction, method } = context;
  const callback = transaction === undefined && method !== undefined ? callbackOf(method, true) : undefined;
  if (transaction === undefined && (callback === undefined || callback.kind === 'commit')) return undefined;
  const what = `${describe(facts, call)}${effect.what}`;
  const leaves = effect.kind === 'payment' ? 'Stripe keeps what it made' : 'the message is out';
  const opens = transaction !== undefined
    ? { start: transaction.startIndex, end: (transaction.childForFieldName('method') ?? transaction).endIndex, message: 'opens the transaction the call runs in' }
    : { start: callback?.nameNode.startIndex ?? 0, end: callback?.nameNode.endIndex ?? 0, message: `runs \`${method?.childForFieldName('name')?.text ?? ''}\` inside the save's transaction` };
  const related: RelatedLocation[] = [{ range: { start: opens.start, end: opens.end }, message: `\`${facts.text.slice(opens.start, opens.end)}\` ${opens.message}` }];
  const where = transaction !== undefined ? 'inside a database transaction' : `from \`${callback?.name ?? ''}\`, inside the save's transaction`;
  return {
    ...finding(call, `${what} runs ${where}: if the transaction rolls back, ${leaves} for a row that was never written. Make the call after the commit (\`after_commit\`, or once the transaction has returned), and record its result in a second write.`, []),
    related,
  };
}
