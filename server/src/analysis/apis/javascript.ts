import type { SignalKind } from '../types.js';

/** JavaScript and TypeScript APIs (canonical names, as the JS facts resolve them) and their signals. */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const AXIOS_METHODS = [...HTTP_VERBS, 'postForm', 'putForm', 'patchForm'];

export const JAVASCRIPT_APIS: ReadonlyMap<string, SignalKind> = new Map<string, SignalKind>([
  ...HTTP_VERBS.flatMap((v): [string, SignalKind][] => [
    [`got.${v}`, 'http-call'],
    [`got.Instance.${v}`, 'http-call'],
  ]),
  ...AXIOS_METHODS.flatMap((v): [string, SignalKind][] => [
    [`axios.${v}`, 'http-call'],
    [`axios.Instance.${v}`, 'http-call'],
  ]),
  ['axios', 'http-call'],
  ['axios.create', 'http-call'],
  ['fetch', 'http-call'],
  ['undici.fetch', 'http-call'],
  ['got', 'http-call'],
  ['got.extend', 'http-call'],
  ['p-retry', 'retry'],
  ['async-retry', 'retry'],
  ['bullmq.Queue', 'queue-config'],
  ['bullmq.Queue.add', 'enqueue'],
  ['bullmq.Queue.addBulk', 'enqueue'],
  ['bullmq.Worker', 'consumer'],
]);
