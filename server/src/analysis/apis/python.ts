import type { SignalKind } from '../types.js';

/** Python APIs (canonical names, as the Python facts resolve them) and the signal each one is. */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

export const PYTHON_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  ...HTTP_VERBS.flatMap((v): [string, SignalKind][] => [
    [`requests.${v}`, 'http-call'],
    [`requests.Session.${v}`, 'http-call'],
    [`httpx.${v}`, 'http-call'],
    [`httpx.Client.${v}`, 'http-call'],
    [`httpx.AsyncClient.${v}`, 'http-call'],
  ]),
  ['httpx.stream', 'http-call'],
  ['httpx.Client', 'http-call'],
  ['httpx.AsyncClient', 'http-call'],
  ['urllib.request.urlopen', 'http-call'],
  ['tenacity.retry', 'retry'],
  ['tenacity.Retrying', 'retry'],
  ['tenacity.AsyncRetrying', 'retry'],
  ['backoff.on_exception', 'retry'],
  ['backoff.on_predicate', 'retry'],
  ['celery.Task.delay', 'enqueue'],
  ['celery.Task.apply_async', 'enqueue'],
  ['celery.Task.delay_on_commit', 'enqueue'],
  ['celery.Task.apply_async_on_commit', 'enqueue'],
]);
