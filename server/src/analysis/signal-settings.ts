import { CELERY_ACKS_LATE, CELERY_EXTERNAL_CONFIG } from './facts/python/tasks.js';
import type { CallFact, FileFacts, PropertyFact } from './facts/types.js';
import { mapAt, pairOf, scalarValue, type YamlResource } from './facts/yaml.js';
import { lookupTable } from './lookup.js';
import { classBodyOf } from './facts/ruby-names.js';
import { rubyExtras } from './facts/ruby.js';
import type { Literal } from './project/types.js';
import type { SignalSetting } from './types.js';

/**
 * The options a signal's hover card reports, per canonical API: the ones that decide whether the
 * call retries, backs off, times out, deduplicates or acknowledges. Read from the call's own
 * arguments (keywords, options objects, annotation attributes, struct fields); a call that passes
 * `**kwargs` or a spread leaves the absent ones unknown rather than unset.
 */
const SETTINGS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^celery\.(?:shared_task|task|Celery\.task)$/, ['autoretry_for', 'max_retries', 'retry_backoff', 'retry_jitter', 'acks_late']],
  [/^dramatiq\.actor$/, ['max_retries', 'min_backoff', 'max_backoff', 'time_limit']],
  [/^(?:requests|httpx)\.(?:(?:Session|Client|AsyncClient)\.)?(?:get|post|put|patch|delete|head|options|request|stream)$|^httpx\.(?:Async)?Client$/, ['timeout']],
  [/^urllib\.request\.urlopen$/, ['timeout']],
  [/^urllib3\.(?:PoolManager|request|PoolManager\.request)$/, ['timeout', 'retries']],
  [/^tenacity\.(?:retry|Retrying|AsyncRetrying)$/, ['stop', 'wait']],
  [/^backoff\.on_(?:exception|predicate)$/, ['max_tries', 'max_time', 'jitter']],
  [/^rq\.Retry$/, ['max', 'interval']],
  [/^pika\.Channel\.basic_consume$/, ['auto_ack']],
  [/^pika\.Channel\.queue_declare$/, ['durable', 'arguments']],
  [/^kafka\.KafkaConsumer$/, ['group_id', 'enable_auto_commit']],
  [/^kafka\.KafkaProducer$/, ['acks', 'enable_idempotence']],
  [/^boto3\.sqs\.(?:Client|Queue)\.send_message$/, ['MessageDeduplicationId', 'MessageGroupId']],
  [/^boto3\.sqs\.(?:Client\.receive_message|Queue\.receive_messages)$/, ['VisibilityTimeout', 'WaitTimeSeconds']],
  [/^apscheduler\.\w+\.(?:add_job|scheduled_job)$/, ['max_instances', 'coalesce', 'misfire_grace_time']],
  [/^stripe\..*\.create$/, ['idempotency_key', 'idempotencyKey']],
  [/^axios(?:\.Instance)?\.(?:get|post|put|patch|delete|head|request)$|^axios(?:\.create)?$/, ['timeout', 'signal']],
  [/^(?:undici\.)?fetch$/, ['signal']],
  [/^got(?:\.Instance)?(?:\.(?:get|post|put|patch|delete|head|extend))?$/, ['timeout', 'retry']],
  [/^bullmq?\.Queue\.add$/, ['jobId', 'attempts', 'backoff']],
  [/^p-retry$/, ['retries', 'randomize', 'maxRetryTime']],
  [/^async-retry$/, ['retries', 'randomize']],
  [/^amqplib\.Channel\.consume$/, ['noAck']],
  [/^amqplib\.Channel\.assertQueue$/, ['durable', 'deadLetterExchange']],
  [/^kafkajs\.Kafka\.producer$/, ['idempotent']],
  [/^Sidekiq::Job\.sidekiq_options$/, ['retry', 'queue']],
  [/^ActiveJob::Base\.retry_on$/, ['wait', 'attempts', 'jitter']],
  [/^Net::HTTP\.start$/, ['open_timeout', 'read_timeout', 'write_timeout']],
  [/^HTTParty\.(?:get|post|put|patch|delete)$/, ['timeout']],
  [/^org\.springframework\.retry\.annotation\.Retryable$/, ['maxAttempts', 'backoff']],
  [/^org\.springframework\.scheduling\.annotation\.Scheduled$/, ['cron', 'fixedRate', 'fixedDelay']],
  [/^org\.springframework\.kafka\.annotation\.KafkaListener$/, ['topics', 'groupId', 'concurrency']],
  [/^net\/http\.Client$/, ['Timeout']],
];

const MAX_VALUE = 40;

/** The settings a call sets or leaves unset, for the APIs listed above; undefined for the others. */
export function signalSettings(facts: FileFacts, call: CallFact): SignalSetting[] | undefined {
  if (facts.language === 'ruby') {
    const inherited = inheritedJobSettings(facts, call);
    if (inherited !== undefined) return inherited;
  }
  const names = SETTINGS.find(([api]) => api.test(call.api))?.[1];
  if (names === undefined) return undefined;
  const own = readArgs(call);
  // A method of a client made in this file (`crm.post` on `axios.create({...})`) takes the client's options.
  const client = call.receiver === undefined ? undefined : readArgs(call.receiver);
  const clientConfig = call.receiver === undefined ? undefined : facts.instanceConfig.get(call.receiver.start);
  const settings: SignalSetting[] = [];
  for (const name of names) {
    const found = own.find(name);
    const onClient = client?.find(name);
    const lower = name.toLowerCase();
    if (found !== undefined) settings.push({ name, state: 'set', value: flat(found.value.text) });
    else if (onClient !== undefined) settings.push({ name, state: 'set', value: `${flat(onClient.value.text)} (on the client)` });
    else if (name === 'acks_late' && facts.configuredMembers.has(CELERY_ACKS_LATE)) settings.push({ name, state: 'set', value: 'True (app config)' });
    else if ([...clientConfig ?? []].some((m) => m.toLowerCase().endsWith(lower))
      || [...facts.configuredMembers].some((m) => m.toLowerCase().endsWith(`.${lower}`))) settings.push({ name, state: 'set' });
    else if (own.open || client?.open === true || (name === 'acks_late' && facts.configuredMembers.has(CELERY_EXTERNAL_CONFIG))) settings.push({ name, state: 'unknown' });
    // Stripe's key is spelled per language; report only the spelling of the call's language.
    else if (!(name === 'idempotencyKey' && facts.language === 'python') && !(name === 'idempotency_key' && facts.language !== 'python')) settings.push({ name, state: 'unset' });
  }
  return settings;
}

/**
 * A Ruby job whose superclass the project defines: the retry options it inherits (Sidekiq's
 * `retry` and `queue`, the last `retry_on`'s `attempts`, `wait` and `jitter`), each marked with
 * the class it comes from. Its own `sidekiq_options` and `retry_on` calls have signals of their own.
 */
function inheritedJobSettings(facts: FileFacts, call: CallFact): SignalSetting[] | undefined {
  if (call.api !== 'Sidekiq::Job' && call.api !== 'ActiveJob::Base') return undefined;
  const owner = call.node.type === 'class' ? call.node : classBodyOf(call.node);
  const base = owner === undefined ? undefined : rubyExtras(facts).inherited.get(owner.id);
  if (base === undefined) return undefined;
  const setting = (name: string, value: Literal | undefined, owner: string | undefined, open: boolean): SignalSetting => {
    if (value === undefined) return { name, state: open ? 'unknown' : 'unset' };
    if (typeof value === 'object' && value !== null) return { name, state: 'unknown' };
    return { name, state: 'set', value: `${flat(String(value))} (from ${owner ?? base.name})` };
  };
  if (call.api === 'Sidekiq::Job') return ['retry', 'queue'].map((name) => setting(name, base.sidekiq[name]?.value, base.sidekiq[name]?.owner, base.sidekiqOpaque));
  const last = base.retryOn[base.retryOn.length - 1];
  return [setting('attempts', last?.attempts, last?.owner, false), setting('wait', last?.wait, last?.owner, false), setting('jitter', last?.jitter, last?.owner, false)];
}

/** A call's options: its keywords, then its options objects from the last; `open` when a splat hides some. */
function readArgs(call: CallFact): { find(name: string): PropertyFact | undefined; open: boolean } {
  const args = call.args;
  const objects = (args?.positional ?? []).flatMap((v) => (v.object === undefined ? [] : [v.object])).reverse();
  return {
    find: (name) => args?.keywords.get(name) ?? objects.map((o) => o.props.get(name)).find((p) => p !== undefined),
    open: args !== undefined && (args.hasSplat || objects.some((o) => o.hasSpread)),
  };
}

function flat(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_VALUE ? one : `${one.slice(0, MAX_VALUE - 1)}…`;
}

/** The Kubernetes settings that decide whether a CronJob overlaps, misses runs or retries, by where they sit. */
const KUBERNETES_SETTINGS: Readonly<Record<string, readonly (readonly [string, readonly string[]])[]>> = lookupTable({
  CronJob: [['concurrencyPolicy', ['spec']], ['startingDeadlineSeconds', ['spec']], ['backoffLimit', ['spec', 'jobTemplate', 'spec']], ['activeDeadlineSeconds', ['spec', 'jobTemplate', 'spec']]],
  Job: [['backoffLimit', ['spec']], ['activeDeadlineSeconds', ['spec']]],
});

/** A CronJob's or Job's settings as its manifest writes them; a value that is not a plain scalar is unknown. */
export function kubernetesSettings(resource: YamlResource): SignalSetting[] | undefined {
  const names = resource.kind === undefined ? undefined : KUBERNETES_SETTINGS[resource.kind];
  if (names === undefined) return undefined;
  return names.map(([name, path]) => {
    const map = mapAt(resource.root, ...path);
    const scalar = scalarValue(map, name);
    if (scalar !== undefined && scalar.value !== null) return { name, state: 'set', value: flat(String(scalar.value)) };
    return { name, state: map !== undefined && pairOf(map, name) !== undefined && scalar === undefined ? 'unknown' : 'unset' };
  });
}
