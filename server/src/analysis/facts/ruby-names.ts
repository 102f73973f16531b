import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../lookup.js';
import { enclosingOfType } from '../parsing/enclosing.js';
import { isWheneverEvery } from './whenever.js';
import { resolveChain, same, type ChainStep } from './common.js';
import type { RubyScopes } from './ruby-scopes.js';
import type { RubyClassInfo, RubyView, RubyWrapper } from '../project/ruby-model.js';
import { nestingOf, refKey } from '../project/ruby-summary.js';
import { RUBY_PROJECT_LOCK, RUBY_PROJECT_WRAPPER } from '../apis/ruby-libraries.js';

/**
 * How Ruby expressions resolve to canonical API names. A constant names a library when its first
 * segment is one the analyzer knows (`Net::HTTP`, `Faraday`, `Stripe::PaymentIntent`); any other
 * constant is an application class, whose `perform_async` or `perform_later` is an enqueue (Sidekiq
 * and Active Job define them on job classes); a `...Mailer` class's chained calls ending in
 * `deliver_now` or `deliver_later` are Action Mailer deliveries. Instance methods are written `Type#method`.
 */

export interface Typed {
  readonly type?: string;
  /** A value a call returned (`Net::HTTP.new(...)`), not the class or module itself. */
  readonly instance?: boolean;
  /** Start of the call that created the value, when exactly one did. */
  readonly origin?: number;
}

/** A class the file defines that is a job by its superclass. */
export interface RubyJobClass {
  readonly class: Node;
  readonly superclass: Node;
  readonly kind: 'sidekiq' | 'activejob';
  /** The superclass as the project defines it, when another file (or this one) does. */
  readonly base?: RubyClassInfo;
}

export interface ResolvedCall {
  readonly api: string;
  /** The range a reader hovers, when it is not the call's receiver and method. */
  readonly callee?: { readonly start: number; readonly end: number };
  /** The call that configures this one (`include HTTParty` for a class's `get`). */
  readonly receiverOrigin?: number;
  /** Class-level configuration of an HTTParty class: the start of its `include HTTParty`. */
  readonly configures?: number;
  /** The project method, defined in another file, whose library call this call makes (project/ruby-wrappers.ts). */
  readonly wrapper?: RubyWrapper;
}

/** The canonical name of a call of a project wrapper: its kind, its method and the library API it calls. */
function wrapperCall(wrapper: RubyWrapper): ResolvedCall {
  return { api: `${RUBY_PROJECT_WRAPPER}${wrapper.kind}|${wrapper.method}|${wrapper.api}`, wrapper };
}

/** Libraries whose constants name APIs the rules and signals read. */
const KNOWN_ROOTS = new Set(['Net', 'Faraday', 'HTTParty', 'Stripe', 'Sidekiq', 'ActiveJob', 'ActiveRecord', 'ActionMailer', 'Twilio', 'Timeout', 'Redlock', 'Rufus', 'Clockwork']);
/** Other library and core constants: never application classes, and nothing to resolve. */
const OTHER_ROOTS = new Set([
  'Rails', 'URI', 'JSON', 'YAML', 'Time', 'Date', 'DateTime', 'File', 'Dir', 'IO', 'Kernel', 'Process', 'Thread', 'Hash', 'Array',
  'String', 'Integer', 'Float', 'Struct', 'Object', 'Class', 'Module', 'SecureRandom', 'Redis', 'Logger', 'Concurrent', 'ENV', 'Math',
  'Set', 'BigDecimal', 'Rack', 'ActiveSupport', 'ActiveModel', 'ActionController', 'ActionView', 'ActionDispatch', 'OpenStruct',
  'Random', 'Mutex', 'Queue', 'Marshal', 'Base64', 'Digest', 'OpenSSL', 'CGI', 'ERB', 'Pathname', 'Tempfile', 'FileUtils', 'Comparable',
  'Enumerable', 'Proc', 'Method', 'Symbol', 'Range', 'Regexp', 'Exception', 'StandardError', 'RuntimeError', 'ArgumentError', 'Mail',
]);

const ENQUEUE: Readonly<Record<string, string>> = lookupTable({
  perform_async: 'Sidekiq::Job.perform_async',
  perform_in: 'Sidekiq::Job.perform_in',
  perform_at: 'Sidekiq::Job.perform_at',
  perform_bulk: 'Sidekiq::Job.perform_bulk',
  perform_later: 'ActiveJob::Base.perform_later',
});
/**
 * `deliver` and `deliver!` are not Action Mailer's own: the message delivery forwards them to the
 * Mail message it builds, whose delivery handler is the mailer class, so they send at once as
 * `deliver_now` does (the form Rails 4.2 deprecated, still common in older applications).
 */
const DELIVERIES = new Set(['deliver_now', 'deliver_later', 'deliver_now!', 'deliver_later!', 'deliver', 'deliver!']);
const SIDEKIQ_DSL = new Set(['sidekiq_options', 'sidekiq_retry_in', 'sidekiq_retries_exhausted']);
const ACTIVE_JOB_DSL = new Set(['retry_on', 'discard_on', 'queue_as', 'after_discard']);
const HTTPARTY_CONFIG = new Set(['default_timeout', 'open_timeout', 'read_timeout', 'write_timeout', 'default_options', 'connection_adapter']);
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const ACTIVE_JOB_BASES = new Set(['ApplicationJob', 'ActiveJob::Base']);

/** Row and advisory locks of Active Record (and the with_advisory_lock gem), read by name: see `recordLock`. */
const RECORD_LOCKS = new Set(['with_lock', 'lock!', 'lock', 'with_advisory_lock', 'with_advisory_lock!']);

/** What a call returns, where that is an instance of a known library class. */
const RETURNS: Readonly<Record<string, string>> = lookupTable({
  'Net::HTTP.new': 'Net::HTTP',
  'Net::HTTP.start': 'Net::HTTP',
  'Faraday.new': 'Faraday::Connection',
  'Faraday::Connection.new': 'Faraday::Connection',
  'Stripe::StripeClient.new': 'Stripe::StripeClient',
  'Twilio::REST::Client.new': 'Twilio::REST::Client',
  'Redlock::Client.new': 'Redlock::Client',
  'Rufus::Scheduler.new': 'Rufus::Scheduler',
  'Rufus::Scheduler.start_new': 'Rufus::Scheduler',
  'Notifications::Client.new': 'Notifications::Client',
});

/**
 * Library classes under a root that applications also use for their own namespaces: GOV.UK
 * Notify's `Notifications::Client` (notifications-ruby-client) is the library's, while
 * `Notifications::DigestJob` stays the application's.
 */
const KNOWN_CLASSES = new Set(['Notifications::Client']);

/** `client.v1.payment_intents` is the service for `Stripe::PaymentIntent`: its `create` takes the same `(params, opts)`. */
const STRIPE_SERVICES: Readonly<Record<string, string>> = lookupTable({
  payment_intents: 'PaymentIntent', charges: 'Charge', refunds: 'Refund', transfers: 'Transfer', payouts: 'Payout',
  customers: 'Customer', subscriptions: 'Subscription', invoices: 'Invoice', setup_intents: 'SetupIntent',
  payment_methods: 'PaymentMethod', subscription_items: 'SubscriptionItem', invoice_items: 'InvoiceItem', prices: 'Price',
  products: 'Product', coupons: 'Coupon', promotion_codes: 'PromotionCode', accounts: 'Account', disputes: 'Dispute',
});
/** Services one namespace down: `client.v1.checkout.sessions` is `Stripe::Checkout::Session`. */
const STRIPE_NAMESPACES: Readonly<Record<string, string>> = lookupTable({ checkout: 'Checkout', billing_portal: 'BillingPortal' });

/** A constant of the application (`Order`, `Billing::ReceiptJob`), not of a library or of Ruby itself. */
export function isApplicationConstant(type: string): boolean {
  const name = type.replace(/^::/, '');
  const root = name.split('::')[0] ?? '';
  return /^[A-Z]/.test(root) && !KNOWN_ROOTS.has(root) && !OTHER_ROOTS.has(root) && !KNOWN_CLASSES.has(name);
}

/** The class or module whose body `node` is a statement of. */
export function classBodyOf(node: Node): Node | undefined {
  const body = node.parent;
  const owner = body?.type === 'body_statement' ? body.parent : null;
  return owner !== null && owner !== undefined && (owner.type === 'class' || owner.type === 'module') ? owner : undefined;
}

export class RubyNames {
  /** Last segments of classes and modules the file nests: inside them, that name is the file's own. */
  private readonly shadowed = new Set<string>();
  private readonly httpartyOf = new Map<number, Node>();
  private readonly httpartyByName = new Map<string, Node>();
  /** The file includes Clockwork at its top level (`include Clockwork`), so its bare `every` is clockwork's. */
  private clockworkIncluded = false;
  private readonly jobs: RubyJobClass[] = [];
  /** What each class's superclass stands for in the project, by the class node's id. */
  readonly inherited = new Map<number, RubyClassInfo>();
  /** Names that `attr_reader` or `attr_accessor` declare in a class body: reading one reads its instance variable. */
  private readonly readers = new Set<string>();
  /** Instance methods that the superclasses of the file's classes define in other files and that wrap a library call. */
  private readonly inheritedWrappers = new Set<string>();
  /** The wrapping methods (`.name`, `#name`) of every class the file names: only calls of these names look their class up. */
  private readonly wrapped = new Set<string>();
  /** What each expression holds, kept once every name is bound (see `settle`). */
  private memo: Map<number, Typed | undefined> | undefined;
  /** Methods whose returned value is being typed (`returnsMailerMessage`). */
  private readonly expanding = new Set<number>();

  constructor(private readonly scopes: RubyScopes, classes: readonly Node[], calls: readonly Node[], private readonly view?: RubyView) {
    for (const info of Object.values(view?.classes ?? {})) for (const key of Object.keys(info.wraps ?? {})) this.wrapped.add(key);
    for (const cls of classes) {
      const name = cls.childForFieldName('name');
      // A compact name (`class Provider::Stripe`) puts only the class itself in Ruby's lexical
      // scope, not the module that holds it: inside, `Stripe` is still the top-level constant
      // (the gem), as Ruby's constant lookup finds it.
      if (name === null || name.type === 'scope_resolution') continue;
      let nested = false;
      for (let p = cls.parent; p !== null && !nested; p = p.parent) nested = p.type === 'class' || p.type === 'module';
      if (nested) this.shadowed.add(name.text);
    }
    for (const call of calls) {
      const method = call.childForFieldName('method')?.text;
      if ((method === 'attr_reader' || method === 'attr_accessor') && call.childForFieldName('receiver') === null && classBodyOf(call) !== undefined) {
        for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
          if (arg?.type === 'simple_symbol') this.readers.add(arg.text.slice(1));
        }
      }
      if (method !== 'include' || call.childForFieldName('receiver') !== null) continue;
      const owner = classBodyOf(call);
      if (owner === undefined && call.parent?.type === 'program' && call.childForFieldName('arguments')?.namedChildren.some((a) => a !== null && this.constantName(a) === 'Clockwork') === true) this.clockworkIncluded = true;
      const included = call.childForFieldName('arguments')?.namedChildren.some((a) => a !== null && this.constantName(a) === 'HTTParty');
      if (owner === undefined || included !== true) continue;
      this.httpartyOf.set(owner.id, call);
      const name = owner.childForFieldName('name');
      if (name !== null) this.httpartyByName.set(name.text, call);
    }
    const sidekiqClasses = new Set<number>();
    for (const call of calls) {
      if (call.childForFieldName('method')?.text !== 'include' || call.childForFieldName('receiver') !== null) continue;
      const included = call.childForFieldName('arguments')?.namedChildren.some((a) => a !== null && /^Sidekiq::(?:Job|Worker)$/.test(this.constantName(a) ?? ''));
      const owner = included === true ? classBodyOf(call) : undefined;
      if (owner !== undefined) sidekiqClasses.add(owner.id);
    }
    const jobNames = new Set(ACTIVE_JOB_BASES);
    for (const cls of classes) {
      const superclass = cls.childForFieldName('superclass')?.namedChild(0);
      const base = superclass == null ? undefined : this.constantName(superclass);
      const name = cls.childForFieldName('name');
      if (superclass == null || base === undefined) continue;
      // The project knows what the superclass is: its own base class, or none of the job libraries'.
      const info = view?.classes[refKey(nestingOf(cls), superclass.text)];
      if (info !== undefined) {
        this.inherited.set(cls.id, info);
        for (const key of Object.keys(info.wraps ?? {})) if (key.startsWith('#')) this.inheritedWrappers.add(key.slice(1));
        // A class that includes Sidekiq::Job itself is that job already, through its `include`.
        if (info.kind !== undefined && !(info.kind === 'sidekiq' && sidekiqClasses.has(cls.id))) this.jobs.push({ class: cls, superclass, kind: info.kind, base: info });
        continue;
      }
      if (!jobNames.has(base)) continue;
      this.jobs.push({ class: cls, superclass, kind: 'activejob' });
      if (name !== null) jobNames.add(name.text);
    }
  }

  /**
   * Classes that inherit from `ApplicationJob` or `ActiveJob::Base` (directly, or through a job
   * class of this file), and, with the project, from a base class another file defines that is an
   * Active Job or includes `Sidekiq::Job`.
   */
  jobClasses(): readonly RubyJobClass[] {
    return this.jobs;
  }

  /** `Net::HTTP` for `Net::HTTP` and `::Net::HTTP`; undefined for a name the file's own nesting hides. */
  constantName(node: Node): string | undefined {
    // A loop from the last segment to the first, so that a name thousands of segments long does not recurse.
    const names: string[] = [];
    for (let current: Node | null = node; current !== null;) {
      if (current.type === 'constant') {
        if (this.shadowed.has(current.text)) return undefined;
        names.push(current.text);
        break;
      }
      if (current.type !== 'scope_resolution') return undefined;
      const name = current.childForFieldName('name')?.text;
      if (name === undefined) return undefined;
      names.push(name);
      current = current.childForFieldName('scope');
    }
    return names.reverse().join('::');
  }

  isApplicationConstant(type: string): boolean {
    return isApplicationConstant(type);
  }

  /**
   * Whether a bare call of `name` (`mail.deliver_later`) calls a method of the enclosing class
   * whose last expression builds a mailer message (`def mail = UserMailer.digest(user: user)`):
   * a helper that names the message before it is delivered. Read in this file only.
   */
  private returnsMailerMessage(node: Node, name: string): boolean {
    const owner = enclosingOfType(node, CLASS_TYPES);
    const method = owner?.childForFieldName('body')?.namedChildren.find((m) => m?.type === 'method' && m.childForFieldName('name')?.text === name);
    if (method == null || this.expanding.has(method.id)) return false;
    const body = method.childForFieldName('body');
    const statements = body?.type === 'body_statement' ? body.namedChildren.filter((c) => c !== null && c.type !== 'comment') : body === null || body === undefined ? [] : [body];
    const last = statements[statements.length - 1];
    if (last == null) return false;
    // A method that returns what it calls may call itself: the walk stops there.
    this.expanding.add(method.id);
    try {
      return this.typed(last).type === APPLICATION_VALUE;
    } finally {
      this.expanding.delete(method.id);
    }
  }

  /** What `node` holds; a call chain is followed receiver by receiver with a list (see resolveChain). */
  typed(node: Node): Typed {
    return resolveChain<Typed>(node, (n) => this.typedStep(n), this.memo) ?? {};
  }

  /**
   * Every name is bound: from now on an expression's type cannot change, so each is kept, and the
   * calls of a chain 10,000 long do not each follow the chain below them again.
   */
  settle(): void {
    this.memo = new Map();
  }

  private typedStep(node: Node): ChainStep<Typed> {
    switch (node.type) {
      case 'constant':
      case 'scope_resolution': {
        const name = this.constantName(node);
        return { value: name === undefined ? {} : { type: name, instance: false } };
      }
      case 'identifier':
      case 'instance_variable': {
        let found = this.scopes.lookup(node, node.text);
        // `attr_reader :client` makes a bare `client` read `@client`.
        if (found.kind === 'unbound' && node.type === 'identifier' && this.readers.has(node.text)) found = this.scopes.lookup(node, `@${node.text}`);
        if (found.kind === 'unbound' && node.type === 'identifier' && this.returnsMailerMessage(node, node.text)) return { value: { type: APPLICATION_VALUE, instance: true } };
        return { value: found.kind === 'bound' ? { type: found.binding.type, instance: found.binding.instance, origin: found.binding.originStart } : {} };
      }
      case 'parenthesized_statements':
        return { inner: node.namedChildCount === 1 ? node.namedChild(0) : null, then: same };
      case 'call':
        return { inner: node.childForFieldName('receiver'), then: (owner) => this.typedCall(node, owner ?? {}) };
      default:
        return { value: {} };
    }
  }

  /** What a call returns, given what its receiver holds (`{}` when it has none). */
  private typedCall(node: Node, owner: Typed): Typed {
    const method = node.childForFieldName('method')?.text ?? '';
    if (owner.type === APPLICATION_VALUE) return owner;
    if (node.childForFieldName('receiver') === null && this.returnsMailerMessage(node, method)) return { type: APPLICATION_VALUE, instance: true };
    // `set(queue: q).perform_async(...)` in a class method of a job: the class itself, with options.
    if (method === 'set' && owner.type === undefined) {
      const receiver = node.childForFieldName('receiver');
      if (receiver === null || receiver.type === 'self') {
        const cls = classOfSingletonMethod(node);
        if (cls !== undefined && this.isApplicationConstant(cls)) return { type: cls, instance: false };
      }
    }
    if (owner.type !== undefined && owner.instance !== true && this.isApplicationConstant(owner.type)) {
      if (method === 'new') return { type: owner.type, instance: true, origin: node.startIndex };
      if (method === 'set') return owner;
      return MAILERS.test(owner.type) ? { type: APPLICATION_VALUE, instance: true } : {};
    }
    // The receiver's type is passed on: typing it again in apiOf would double the work at every
    // link of a call chain (2^n for a chain n calls long, found by fuzzing a broken Ruby file).
    const api = this.apiOf(node, owner)?.api;
    if (api === undefined) return {};
    const hasBlock = node.childForFieldName('block') !== null;
    if (api === 'Stripe::StripeClient#v1' || (api === 'Net::HTTP#start' && !hasBlock)) return owner;
    const service = api.startsWith('Stripe::StripeClient#') ? STRIPE_SERVICES[method] : undefined;
    if (service !== undefined) return { type: `Stripe::${service}`, instance: false };
    const namespace = api.startsWith('Stripe::StripeClient#') ? STRIPE_NAMESPACES[method] : undefined;
    if (namespace !== undefined) return { type: `Stripe::${namespace}`, instance: false };
    if (method === 'sessions' && (api === 'Stripe::Checkout.sessions' || api === 'Stripe::BillingPortal.sessions')) return { type: `${api.slice(0, -'.sessions'.length)}::Session`, instance: false };
    if (api === 'Twilio::REST::Client#messages') return { type: 'Twilio::Messages', instance: false };
    const type = RETURNS[api];
    return type === undefined || (hasBlock && api === 'Net::HTTP.start') ? {} : { type, instance: true, origin: node.startIndex };
  }

  /**
   * The instance the first parameter of a block of `call` receives: `Net::HTTP.start(...) do |http|`,
   * `Faraday.new do |f|`. Only calls of `start` and `new` with a block are asked (the query finds
   * them): typing the receiver of every `.map { }` of a chain while names are still being bound
   * would follow the chain below each block again.
   */
  yielded(call: Node): Typed | undefined {
    const api = this.apiOf(call)?.api;
    if (api === 'Net::HTTP.start') return { type: 'Net::HTTP', instance: true, origin: call.startIndex };
    if (api === 'Faraday.new' || api === 'Faraday::Connection.new') return { type: 'Faraday::Connection', instance: true, origin: call.startIndex };
    const receiver = call.childForFieldName('receiver');
    if (api === 'Net::HTTP#start' && receiver !== null) return this.typed(receiver);
    return undefined;
  }

  /** The API a call calls; `typedReceiver` is its receiver's type when the caller has it already. */
  apiOf(node: Node, typedReceiver?: Typed): ResolvedCall | undefined {
    const name = node.childForFieldName('method')?.text ?? '';
    const receiver = node.childForFieldName('receiver');
    if (RECORD_LOCKS.has(name)) {
      const lock = this.recordLock(node, name, receiver, typedReceiver);
      if (lock !== undefined) return lock;
    }
    if (receiver === null) return this.receiverless(node, name);
    if (receiver.type === 'self' || isSelfClass(receiver)) {
      const include = HTTP_VERBS.has(name) ? this.enclosingHttparty(node) : undefined;
      return include === undefined ? undefined : { api: `HTTParty.${name}`, receiverOrigin: include.startIndex };
    }
    const owner = typedReceiver ?? this.typed(receiver);
    if (owner.type === undefined) return undefined;
    if (owner.type === APPLICATION_VALUE) return DELIVERIES.has(name) ? { api: `ActionMailer::MessageDelivery#${name}` } : undefined;
    const root = owner.type.split('::')[0] ?? '';
    if (owner.instance !== true && this.isApplicationConstant(owner.type)) {
      const enqueue = ENQUEUE[name];
      if (enqueue !== undefined) return { api: enqueue };
      // A class method of the application's that holds a row as a lock, given the block it guards.
      const hasBlock = node.childForFieldName('block') !== null;
      const cls = hasBlock || this.wrapped.has(`.${name}`) ? this.view?.classes[refKey(nestingOf(node), receiver.text)] : undefined;
      if (hasBlock && cls?.mutexMethods?.includes(name) === true) return { api: `${RUBY_PROJECT_LOCK}${cls.name}.${name}` };
      // A class method of another file's class that makes a library call: `Customer.create(...)`.
      const wrapper = cls?.wraps?.[`.${name}`];
      if (wrapper !== undefined && wrapper.origin.path !== this.view?.path) return wrapperCall(wrapper);
      const include = HTTP_VERBS.has(name) ? this.httpartyByName.get(owner.type) : undefined;
      return include === undefined ? undefined : { api: `HTTParty.${name}`, receiverOrigin: include.startIndex };
    }
    if (owner.instance === true && owner.origin !== undefined && this.view !== undefined && this.wrapped.has(`#${name}`) && this.isApplicationConstant(owner.type)) {
      // `Service.new(...).call`, or a local that holds one: an instance method of another file's class.
      const wrapper = this.view.classes[refKey(nestingOf(node), owner.type)]?.wraps?.[`#${name}`];
      return wrapper === undefined || wrapper.origin.path === this.view.path ? undefined : wrapperCall(wrapper);
    }
    if (!KNOWN_ROOTS.has(root) && !KNOWN_CLASSES.has(owner.type)) return undefined;
    return { api: owner.instance === true ? `${owner.type}#${name}` : `${owner.type}.${name}` };
  }

  /**
   * Active Record's row locks, on whatever record or model they are called: `with_lock do ... end`
   * (inside a model, on `self`, or on a record), `record.lock!`, a scope's `Model.lock.find(id)`,
   * and the with_advisory_lock gem's `Model.with_advisory_lock(name) do ... end`. Records are
   * untyped, so the method's name decides: `with_lock` and `with_advisory_lock` only with a block,
   * and a bare `lock` only on an application model (a `Mutex#lock` is no row lock).
   */
  private recordLock(node: Node, name: string, receiver: Node | null, typedReceiver: Typed | undefined): ResolvedCall | undefined {
    const owner: Typed = receiver === null || receiver.type === 'self' ? {} : (typedReceiver ?? this.typed(receiver));
    const model = owner.type === undefined || owner.type === 'ActiveRecord::Base' || (owner.type !== APPLICATION_VALUE && this.isApplicationConstant(owner.type));
    if (!model) return undefined;
    // A block passed on (`with_advisory_lock(key, &block)`) is the block the lock guards, as one written in place.
    const hasBlock = node.childForFieldName('block') !== null || (node.childForFieldName('arguments')?.namedChildren.some((a) => a?.type === 'block_argument') ?? false);
    if (name === 'lock!') return owner.instance === false ? undefined : { api: 'ActiveRecord::Base#lock!' };
    if (name === 'lock') return owner.type !== undefined && owner.instance !== true && receiver !== null ? { api: 'ActiveRecord::Base.lock' } : undefined;
    if (!hasBlock) return undefined;
    if (name === 'with_lock') return { api: 'ActiveRecord::Base#with_lock' };
    return { api: `ActiveRecord::Base.${name}` };
  }

  private receiverless(node: Node, name: string): ResolvedCall | undefined {
    if (name === 'every' && this.inClockwork(node)) return { api: 'Clockwork.every' };
    if (name === 'every' && isWheneverEvery(node)) return { api: 'Whenever.every' };
    if (this.inheritedWrappers.has(name)) {
      const wrapper = this.inheritedWrapper(node, name);
      if (wrapper !== undefined) return wrapperCall(wrapper);
    }
    // `parent` costs a walk from the root in tree-sitter: look for the class only for the names that need it.
    const dsl = SIDEKIQ_DSL.has(name) || ACTIVE_JOB_DSL.has(name) || name === 'include' || (this.httpartyOf.size > 0 && HTTPARTY_CONFIG.has(name));
    const owner = dsl ? classBodyOf(node) : undefined;
    if (owner !== undefined) {
      if (SIDEKIQ_DSL.has(name)) return { api: `Sidekiq::Job.${name}` };
      if (ACTIVE_JOB_DSL.has(name)) return { api: `ActiveJob::Base.${name}` };
      if (name === 'include') {
        for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
          const included = arg === null ? undefined : this.constantName(arg);
          if (included === 'Sidekiq::Job' || included === 'Sidekiq::Worker') return { api: 'Sidekiq::Job', callee: { start: arg.startIndex, end: arg.endIndex } };
          if (included === 'HTTParty') return { api: 'HTTParty', callee: { start: arg.startIndex, end: arg.endIndex } };
        }
        return undefined;
      }
      const include = this.httpartyOf.get(owner.id);
      if (include !== undefined && HTTPARTY_CONFIG.has(name)) return { api: `HTTParty.${name}`, configures: include.startIndex };
    }
    const include = HTTP_VERBS.has(name) ? this.enclosingHttparty(node) : undefined;
    return include === undefined ? undefined : { api: `HTTParty.${name}`, receiverOrigin: include.startIndex };
  }

  /** The wrapper an instance method of the file's class reaches by a bare call of a method its superclass, in another file, defines. */
  private inheritedWrapper(node: Node, name: string): RubyWrapper | undefined {
    let method = false;
    for (let n = node.parent; n !== null; n = n.parent) {
      if (n.type === 'singleton_method' || n.type === 'singleton_class' || n.type === 'module') return undefined;
      if (n.type === 'method') method = true;
      if (n.type === 'class') {
        const wrapper = method ? this.inherited.get(n.id)?.wraps?.[`#${name}`] : undefined;
        return wrapper === undefined || wrapper.origin.path === this.view?.path ? undefined : wrapper;
      }
    }
    return undefined;
  }

  /**
   * A bare `every` is clockwork's in a file that includes Clockwork at its top level, or inside
   * `module Clockwork ... end`, the two ways its README writes a clock file.
   */
  private inClockwork(node: Node): boolean {
    if (this.clockworkIncluded) return true;
    for (let n = node.parent; n !== null; n = n.parent) {
      if (n.type === 'module' && n.childForFieldName('name')?.text === 'Clockwork') return true;
    }
    return false;
  }

  private enclosingHttparty(node: Node): Node | undefined {
    if (this.httpartyOf.size === 0) return undefined;
    for (let n = node.parent; n !== null; n = n.parent) {
      if (n.type === 'class' || n.type === 'module') return this.httpartyOf.get(n.id);
    }
    return undefined;
  }
}

const CLASS_TYPES = ['class', 'module'];
/** The type of messages a mailer class builds (`UserMailer.welcome(user)`, `.with(...).receipt`). */
const APPLICATION_VALUE = '(mailer message)';
/** Action Mailer classes end in `Mailer` by Rails convention (`ApplicationMailer`, `UserMailer`). */
const MAILERS = /Mailer$/;

/**
 * The name of the class whose class method (`def self.enqueue`, or a method inside
 * `class << self`) holds `node`: there `self` is the class. A compact name (`A::B`) is kept whole.
 */
function classOfSingletonMethod(node: Node): string | undefined {
  let method: 'instance' | 'class' | undefined;
  for (let n = node.parent; n !== null; n = n.parent) {
    if (n.type === 'singleton_method' && method === undefined) method = 'class';
    else if (n.type === 'method' && method === undefined) method = 'instance';
    else if (n.type === 'singleton_class' && method === 'instance') method = 'class';
    else if (n.type === 'class') return method === 'class' ? n.childForFieldName('name')?.text : undefined;
    else if (n.type === 'module') return undefined;
  }
  return undefined;
}

function isSelfClass(node: Node): boolean {
  return node.type === 'call' && node.childForFieldName('receiver')?.type === 'self' && node.childForFieldName('method')?.text === 'class';
}
