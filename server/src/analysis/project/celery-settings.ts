import { besideModule } from './python-layout.js';
import type { CelerySource, CelerySummary, Literal, ModuleSummary, Resolved } from './types.js';

type Source = CelerySummary['sources'][number];
type Read = (path: string) => ModuleSummary | undefined;

/**
 * What a Celery app's settings say the rules need: its `task_acks_late`, and the beat schedules of
 * the app and of the modules it reads its settings from (their tasks are periodic). The app's own
 * setting wins; otherwise what it inherits (a factory's app) and what each `config_from_object`
 * source sets (a Celery config module, or Django settings with a namespace), already resolved to
 * `modules`. A source that cannot be read makes the answer unknown, unless the app sets it.
 */
export function celerySource(config: CelerySummary | undefined, inherited: CelerySource | undefined, modules: readonly { readonly source: Source; readonly module: Resolved }[], read: Read): CelerySource {
  const beat = [...(inherited?.beat ?? []), ...(config?.beat ?? []), ...modules.flatMap(({ module }) => (module.kind === 'module' ? settingsSummaries(module.path, read).flatMap((m) => m.beat ?? []) : []))];
  const withBeat = (source: CelerySource): CelerySource => (beat.length === 0 ? source : { ...source, beat });
  const own = config?.conf['task_acks_late'];
  if (typeof own === 'boolean') return withBeat({ acksLate: own });
  const answers: (boolean | 'unknown')[] = [inherited?.acksLate ?? false];
  if (config?.opaque === true || own !== undefined) answers.push('unknown');
  for (const { source, module } of modules) answers.push(acksLateIn(module, source, read));
  return withBeat({ acksLate: answers.includes(true) ? true : answers.includes('unknown') ? 'unknown' : false });
}

/**
 * A settings module's summary, then those of the files it includes with django-split-settings
 * (`include("settings.dist.py", optional("local_settings.py"))`, relative to its directory), in
 * the order they run; a missing optional file is left out. One level: an included file's own
 * includes are not followed.
 */
function settingsSummaries(path: string, read: Read): ModuleSummary[] {
  const own = read(path);
  if (own === undefined) return [];
  const included = (own.includes ?? []).flatMap((file) => {
    const joined = besideModule(path, file);
    const summary = joined === undefined ? undefined : read(joined);
    return summary === undefined ? [] : [summary];
  });
  return [own, ...included];
}

function acksLateIn(module: Resolved, source: Source, read: Read): boolean | 'unknown' {
  if (module.kind !== 'module') return 'unknown';
  const summaries = settingsSummaries(module.path, read);
  if (summaries.length === 0) return 'unknown';
  // Later files of a split-settings include override earlier ones, and all override the including module's own.
  const settings = Object.assign({}, ...summaries.map((m) => m.settings)) as Record<string, Literal>;
  const names = source.namespace === undefined ? ['task_acks_late', 'CELERY_ACKS_LATE'] : [`${source.namespace}_TASK_ACKS_LATE`];
  for (const name of names) {
    const value: Literal | undefined = settings[name];
    if (value === undefined) continue;
    return typeof value === 'boolean' ? value : 'unknown';
  }
  return false;
}
