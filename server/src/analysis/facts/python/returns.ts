import type { Node } from 'web-tree-sitter';
import { lookupTable } from '../../lookup.js';
import { unquote } from '../common.js';

/**
 * What calling a Python API returns, where that is not an instance of the API itself: the
 * channel a connection opens, the client `boto3.client("sqs")` makes. Names bound to the result
 * then resolve their methods (`channel.basic_consume`) to canonical names.
 */
const RETURNS: Readonly<Record<string, string>> = lookupTable({
  'requests.session': 'requests.Session',
  'pika.BlockingConnection.channel': 'pika.Channel',
  'kombu.Connection.Producer': 'kombu.Producer',
  'kombu.Connection.Consumer': 'kombu.Consumer',
  'kombu.Connection.SimpleQueue': 'kombu.SimpleQueue',
  'kombu.Connection.channel': 'kombu.Channel',
  'redis.from_url': 'redis.Redis',
  'redis.Redis.from_url': 'redis.Redis',
  'redis.asyncio.from_url': 'redis.asyncio.Redis',
  'redis.asyncio.Redis.from_url': 'redis.asyncio.Redis',
  'celery.Task.s': 'celery.Signature',
  'celery.Task.si': 'celery.Signature',
  'celery.Task.signature': 'celery.Signature',
  'celery.signature': 'celery.Signature',
  // django-rq hands out RQ queues by the name configured in RQ_QUEUES.
  'django_rq.get_queue': 'rq.Queue',
  'django_rq.queues.get_queue': 'rq.Queue',
  'boto3.sqs.ServiceResource.Queue': 'boto3.sqs.Queue',
  'boto3.sqs.ServiceResource.get_queue_by_name': 'boto3.sqs.Queue',
  'boto3.sqs.ServiceResource.create_queue': 'boto3.sqs.Queue',
});

/** boto3 factories whose result depends on the service named in the first argument. */
const SERVICE_FACTORIES: Readonly<Record<string, string>> = lookupTable({
  'boto3.client': 'Client',
  'boto3.Session.client': 'Client',
  'boto3.resource': 'ServiceResource',
  'boto3.Session.resource': 'ServiceResource',
});

/** What iterating over a call's result yields, for `for message in queue.receive_messages():`. */
const ITEMS: Readonly<Record<string, string>> = lookupTable({
  'boto3.sqs.Queue.receive_messages': 'boto3.sqs.Message',
});

/** The type of the value `call` (resolved to `api`) returns. */
export function returnType(api: string, call: Node): string {
  return returnTypeNamed(api, SERVICE_FACTORIES[api] === undefined ? undefined : serviceName(call));
}

/** The same, from the service a boto3 factory names (read from the call by `returnType`, or from a module summary). */
export function returnTypeNamed(api: string, service: string | undefined): string {
  const factory = SERVICE_FACTORIES[api];
  if (factory !== undefined) return service === undefined || !/^[a-z0-9-]+$/.test(service) ? api : `boto3.${service}.${factory}`;
  return RETURNS[api] ?? api;
}

/** The type of the items of a call's result, when iterating it is meaningful. */
export function itemType(api: string): string | undefined {
  return ITEMS[api];
}

/** `boto3.client("sqs")` or `boto3.client(service_name="sqs")`: the service, when spelled as a literal. */
function serviceName(call: Node): string | undefined {
  const args = call.childForFieldName('arguments');
  if (args === null) return undefined;
  let literal: Node | undefined;
  let first = true;
  for (const arg of args.namedChildren) {
    if (arg === null || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      if (arg.childForFieldName('name')?.text === 'service_name') literal = arg.childForFieldName('value') ?? undefined;
    } else if (first) literal = arg;
    first = false;
  }
  if (literal?.type !== 'string') return undefined;
  const name = unquote(literal.text);
  return /^[a-z0-9-]+$/.test(name) ? name : undefined;
}
