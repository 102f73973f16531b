import type { Node } from 'web-tree-sitter';
import type { CallFact } from '../types.js';

/**
 * Task frameworks seen from the functions they decorate: what a decorated function's name stands
 * for (its `.delay()` or `.send()` is an enqueue), which parameter a framework fills in (the task
 * itself for `bind=True`), and the file's Celery settings that change every task.
 */

/** Decorators that turn a function into a Celery task. */
export function isCeleryTaskDecorator(api: string): boolean {
  return api === 'celery.shared_task' || api === 'celery.Celery.task' || api === 'celery.task';
}

const HUEY_TASK = /^huey\.\w*Huey\.(?:task|periodic_task|context_task)$|^huey\.contrib\.djhuey\.(?:task|periodic_task|db_task|db_periodic_task)$/;

/** The type a function's name stands for once `decorator` (a canonical API) wraps it. */
export function decoratedType(decorator: string): string | undefined {
  if (isCeleryTaskDecorator(decorator)) return 'celery.Task';
  if (decorator === 'dramatiq.actor') return 'dramatiq.Actor';
  if (decorator === 'rq.decorators.job') return 'rq.JobFunction';
  if (HUEY_TASK.test(decorator)) return 'huey.Task';
  return undefined;
}

/** Whether a Huey decorator schedules the function rather than only registering it. */
export function isHueyPeriodic(decorator: string): boolean {
  return HUEY_TASK.test(decorator) && decorator.endsWith('periodic_task');
}

/** Celery signals whose receivers get the app as their first argument (`sender.add_periodic_task`). */
const APP_SIGNALS = new Set(['celery.Celery.on_after_configure.connect', 'celery.Celery.on_after_finalize.connect']);

/**
 * The type of a decorated function's first parameter, when the decorator says what it is: a
 * bound Celery task (`bind=True`) receives the task, an app signal receiver the app.
 */
export function firstParameterType(decorator: string, decoratorCall: Node | undefined): string | undefined {
  if (APP_SIGNALS.has(decorator)) return 'celery.Celery';
  if (!isCeleryTaskDecorator(decorator) || decoratorCall === undefined) return undefined;
  const args = decoratorCall.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'bind') {
      return arg.childForFieldName('value')?.type === 'true' ? 'celery.Task' : undefined;
    }
  }
  return undefined;
}

/** `configuredMembers` keys for the Celery settings the rules read. */
export const CELERY_ACKS_LATE = 'celery.task_acks_late';
/** The app reads settings this file cannot show (`config_from_object`, `conf.update(settings)`). */
export const CELERY_EXTERNAL_CONFIG = 'celery.conf.external';

/** A Flask app's config: `celery.conf.update(app.config)` hands its settings to Celery. */
export const FLASK_CONFIG = 'flask.Flask.config';

/** Module-level setting names of a Celery config module or Django settings. */
const ACKS_LATE_NAMES = new Set(['task_acks_late', 'CELERY_TASK_ACKS_LATE', 'CELERY_ACKS_LATE']);

/**
 * Records the file's Celery app settings: `acks_late` for every task, or configuration read from
 * elsewhere, which makes a rule about task defaults unknown for this file.
 */
export function readCeleryConfig(calls: readonly CallFact[], configured: Set<string>): void {
  for (const call of calls) {
    const args = call.args;
    if (call.api === 'celery.Celery.config_from_object' || call.api === 'celery.Celery.config_from_envvar') {
      configured.add(CELERY_EXTERNAL_CONFIG);
    } else if (call.api === 'celery.Celery' && args !== undefined) {
      if (args.hasSplat || args.keywords.has('config_source') || args.keywords.has('task_cls')) configured.add(CELERY_EXTERNAL_CONFIG);
    } else if (call.api === 'celery.Celery.conf.update' && args !== undefined) {
      const late = args.keywords.get('task_acks_late') ?? args.positional[0]?.object?.props.get('task_acks_late');
      if (late?.value.kind === 'true') configured.add(CELERY_ACKS_LATE);
      const dict = args.positional[0];
      // A Flask app's config written in this file alone (`app.config[...] = ...`, nothing loaded into it) is in view.
      const flaskInView = dict?.api === FLASK_CONFIG && !calls.some((c) => c.api.startsWith(`${FLASK_CONFIG}.`));
      if (args.hasSplat || (dict !== undefined && !flaskInView && (dict.object === undefined || dict.object.hasSpread))) configured.add(CELERY_EXTERNAL_CONFIG);
    }
  }
}

/** A settings assignment: `app.conf.task_acks_late = True`, or `task_acks_late = True` at module level. */
export function readCeleryAssignment(target: string | undefined, name: string | undefined, moduleLevel: boolean, value: Node, configured: Set<string>): void {
  const acksLate = target === 'celery.Celery.conf.task_acks_late' || (moduleLevel && name !== undefined && ACKS_LATE_NAMES.has(name));
  if (!acksLate) return;
  if (value.type === 'true') configured.add(CELERY_ACKS_LATE);
  else if (value.type !== 'false') configured.add(CELERY_EXTERNAL_CONFIG);
}

/** Members whose assignment configures a schedule: recorded as a use of that member, so it is a signal. */
export const SCHEDULE_MEMBERS = new Set(['celery.Celery.conf.beat_schedule', 'celery.Celery.conf.CELERYBEAT_SCHEDULE']);
