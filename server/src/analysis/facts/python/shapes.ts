import type { Node } from 'web-tree-sitter';
import { decoratedType } from './tasks.js';
import type { ImportFact } from '../types.js';
import type { ProjectView } from '../../project/types.js';

/**
 * Decorators that are a task framework's by their shape alone, when the object they hang off is
 * defined in a module the analysis cannot see. Names stay unknown otherwise: a project's own
 * `task` decorator, or Flask's `app.route`, must never pass for a task.
 */

/** Keywords only Celery's task decorator takes: with one of them, `@x.task(...)` is a Celery task. */
const CELERY_ONLY = new Set(['autoretry_for', 'retry_backoff', 'retry_kwargs', 'acks_late', 'default_retry_delay']);

/**
 * The canonical decorator `expr` stands for by its shape, or undefined when its own resolution
 * (`api`) already says what it is or the shape is not unambiguous: `@x.task(autoretry_for=...)`,
 * `@x.task(bind=True)` whose function calls `self.retry`, and `@x.task()` / `@x.periodic_task()`
 * in a file that imports huey.
 */
export function shapeDecorator(expr: Node, api: string | undefined, imports: ReadonlyMap<string, ImportFact>, project: ProjectView | undefined): string | undefined {
  if (api !== undefined && decoratedType(api) !== undefined) return undefined;
  if (expr.type !== 'call') return undefined;
  const callee = expr.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('object')?.type !== 'identifier') return undefined;
  const object = callee.childForFieldName('object')?.text ?? '';
  // A name the file imports from a library other than these is that library's, not a guess.
  const source = imports.get(object)?.target;
  // What the project says the name is (a Flask app) wins over any shape.
  if (source !== undefined && project?.names.has(source) === true) return undefined;
  if (source !== undefined && !source.startsWith('.') && /^(?:requests|flask|fastapi|django|typer|click|prefect|dagster|airflow|invoke|luigi)\b/.test(source)) return undefined;
  const method = callee.childForFieldName('attribute')?.text;
  const keywords = new Map<string, Node>();
  for (const arg of expr.childForFieldName('arguments')?.namedChildren ?? []) {
    const name = arg?.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const value = arg?.childForFieldName('value');
    if (name !== undefined && value != null) keywords.set(name, value);
  }
  if (method === 'task') {
    if ([...keywords.keys()].some((k) => CELERY_ONLY.has(k))) return 'celery.Celery.task';
    if (keywords.get('bind')?.type === 'true' && callsSelfRetry(expr)) return 'celery.Celery.task';
  }
  const importsHuey = [...imports.values()].some((i) => i.target === 'huey' || i.target.startsWith('huey.'));
  if (importsHuey && (method === 'task' || method === 'periodic_task')) return `huey.Huey.${method}`;
  return undefined;
}

/** Whether the function under a `@x.task(bind=True)` decorator calls `<first parameter>.retry(...)`. */
function callsSelfRetry(decorator: Node): boolean {
  const fn = decorator.parent?.parent?.childForFieldName('definition');
  const first = fn?.childForFieldName('parameters')?.namedChildren.find((p) => p?.type === 'identifier')?.text;
  const body = fn?.childForFieldName('body');
  if (first === undefined || body == null) return false;
  return body.descendantsOfType('call').some((call) => {
    const callee = call?.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'retry' && callee.childForFieldName('object')?.text === first;
  });
}
