import type { Node } from 'web-tree-sitter';
import type { ImportFact } from '../types.js';

/**
 * How Python modules name their APIs: the file's imports, and the spellings of one API that the
 * rules and the API table see as one canonical name (`tenacity.wait.wait_exponential` is
 * `tenacity.wait_exponential`, `client.v1.payment_intents` is `client.payment_intents`).
 */

/** Submodule paths that re-export into their package, or that another spelling reaches too. */
const CANONICAL: readonly (readonly [RegExp, string])[] = [
  [/^tenacity\.(?:wait|stop|retry)\./, 'tenacity.'],
  [/^requests\.(?:api|sessions)\./, 'requests.'],
  [/^apscheduler\.schedulers\.\w+\./, 'apscheduler.'],
  [/^boto3\.session\.Session\b/, 'boto3.Session'],
  // requests still re-exports its vendored urllib3 path for old code.
  [/^requests\.packages\.urllib3\./, 'urllib3.'],
  [/^urllib3\.util\.(?:retry\.)?Retry\b/, 'urllib3.Retry'],
  [/^redis\.(?:client\.)?(?:StrictRedis|Redis)\b/, 'redis.Redis'],
  [/^rq\.(?:queue|job|retry)\.(Queue|Retry)\b/, 'rq.$1'],
  [/^pika\.adapters\.blocking_connection\.BlockingConnection\b/, 'pika.BlockingConnection'],
  [/^kafka\.(?:producer|consumer)\.(KafkaProducer|KafkaConsumer)\b/, 'kafka.$1'],
  // stripe-python 12 moved the v1 services under `client.v1`; both spellings call the same service.
  [/^stripe\.StripeClient\.v1\./, 'stripe.StripeClient.'],
];

/** The packages the table above names: other names skip the patterns (this runs for every attribute). */
const ROOTS = new Set(['tenacity', 'requests', 'apscheduler', 'boto3', 'urllib3', 'redis', 'rq', 'pika', 'kafka', 'stripe']);

/** Canonical spelling of a dotted API name. */
export function canonical(name: string): string {
  const dot = name.indexOf('.');
  if (dot < 0 || !ROOTS.has(name.slice(0, dot))) return name;
  let result = name;
  for (const [pattern, replacement] of CANONICAL) result = result.replace(pattern, replacement);
  return result;
}

/**
 * The Celery application of a Django-style project lives in the project's own `celery` module
 * (`from proj.celery import app`, `from .celery import app as celery_app`): a name imported from
 * such a module, or one called `celery_app`, stands for a `celery.Celery` instance. The library's
 * own names (`celery.shared_task`) never match, because they start with `celery.`.
 */
export function isProjectCeleryApp(target: string): boolean {
  if (target.startsWith('celery.')) return false;
  return /(?:^|\.)celery(?:_app)?\.(?:app|celery|celery_app)$/.test(target) || /(?:^|\.)celery_app$/.test(target);
}

export function readImport(node: Node): ImportFact[] {
  const found: ImportFact[] = [];
  if (node.type === 'import_statement') {
    for (const name of node.childrenForFieldName('name')) {
      if (name === null) continue;
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (target !== undefined && alias !== undefined) found.push({ target, local: alias, node });
      } else {
        // `import urllib.request` binds `urllib`; attribute access then spells the full path.
        const root = name.text.split('.')[0] ?? name.text;
        found.push({ target: root, local: root, node });
      }
    }
    return found;
  }
  const moduleNode = node.childForFieldName('module_name');
  if (moduleNode === null) return found;
  const module = moduleNode.text;
  for (const name of node.childrenForFieldName('name')) {
    if (name === null) continue;
    if (name.type === 'aliased_import') {
      const target = name.childForFieldName('name')?.text;
      const alias = name.childForFieldName('alias')?.text;
      if (target !== undefined && alias !== undefined) found.push({ target: joinModule(module, target), local: alias, node });
    } else {
      found.push({ target: joinModule(module, name.text), local: name.text, node });
    }
  }
  return found;
}

function joinModule(module: string, name: string): string {
  return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
}
