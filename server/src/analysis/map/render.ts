import type { MapRetry, MapTask, TaskMap } from './types.js';

/** The task map as Markdown (a report a reader skims) and as Graphviz dot (callers → tasks → side effects). */

function retryText(retry: MapRetry | null): string {
  if (retry === null) return 'unknown';
  const runs = retry.maxAttempts === null ? 'unbounded' : `${retry.maxAttempts} ${retry.maxAttempts === 1 ? 'run' : 'runs'}`;
  const backoff = retry.backoff === null ? '' : retry.backoff === 'none' ? (retry.maxAttempts === 1 ? '' : ', no wait') : `, ${retry.backoff}`;
  const jitter = retry.jitter === true ? ' with jitter' : retry.jitter === false ? ' without jitter' : '';
  return `${runs}${backoff}${jitter}`;
}

function siteText(site: MapTask['enqueuedFrom'][number]): string {
  const context = [
    site.inTransaction ? 'in a transaction' : undefined,
    site.afterCommit ? 'after commit' : undefined,
    site.idempotencyKey ? 'with a key' : 'no key',
    site.fromHandler === true ? 'from a web handler' : undefined,
  ].filter((c) => c !== undefined);
  return `${site.file}:${site.line} (${context.join(', ')})`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** `leftOut`: a sentence saying which files the map leaves out (test and example code), shown under the count. */
export function taskMapMarkdown(map: TaskMap, leftOut?: string): string {
  const lines: string[] = ['# Task map', ''];
  if (map.tasks.length === 0 && map.schedules.length === 0) return `${lines.join('\n')}No tasks or schedules found.${leftOut === undefined ? '' : ` ${leftOut}`}\n`;
  lines.push(`${map.tasks.length} ${map.tasks.length === 1 ? 'task' : 'tasks'}, ${map.schedules.length} ${map.schedules.length === 1 ? 'schedule' : 'schedules'}.${leftOut === undefined ? '' : ` ${leftOut}`}`, '');
  if (map.tasks.length > 0) {
    lines.push('## Tasks', '', '| task | framework | defined | queue | retry | acks late | enqueued from | side effects | findings |', '|---|---|---|---|---|---|---|---|---|');
    for (const task of map.tasks) {
      // The same API written several times in a body reads as one line with a count.
      const counts = new Map<string, number>();
      for (const e of task.sideEffects) {
        const key = `${e.kind} \`${e.api}\`${e.via === undefined ? '' : ` via ${e.via.join(' → ')}`}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const effects = [...counts].map(([key, n]) => (n === 1 ? key : `${key} ×${n}`));
      lines.push(`| ${[
        `\`${task.name}\``,
        task.framework,
        `${task.file}:${task.line}`,
        task.queue ?? '',
        retryText(task.retry),
        task.acksLate === null ? '' : task.acksLate ? 'yes' : 'no',
        task.enqueuedFrom.map(siteText).join('<br>'),
        effects.join('<br>'),
        task.findings.map((f) => `${f.rule} (${f.file}:${f.line})`).join('<br>'),
      ].map(cell).join(' | ')} |`);
    }
    lines.push('');
  }
  if (map.schedules.length > 0) {
    lines.push('## Schedules', '', '| schedule | framework | defined | when | runs | findings |', '|---|---|---|---|---|---|');
    for (const s of map.schedules) {
      lines.push(`| ${[`\`${s.name}\``, s.framework, `${s.file}:${s.line}`, s.schedule === null ? '' : `\`${s.schedule}\``, s.task === null ? '' : `\`${s.task}\``, s.findings.map((f) => `${f.rule} (${f.file}:${f.line})`).join('<br>')].map(cell).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function taskMapDot(map: TaskMap): string {
  const lines = ['digraph tasks {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  const declared = new Set<string>();
  const node = (id: string, label: string, shape: string): string => {
    if (!declared.has(id)) {
      declared.add(id);
      lines.push(`  ${quote(id)} [label=${quote(label)}, shape=${shape}];`);
    }
    return quote(id);
  };
  for (const task of map.tasks) {
    const t = node(`task:${task.framework}:${task.name}`, `${task.name}\n${task.framework} · ${retryText(task.retry)}`, 'box');
    for (const site of task.enqueuedFrom) {
      const style = site.inTransaction ? ' [color=red, label="in transaction"]' : site.idempotencyKey ? ' [label="key"]' : '';
      lines.push(`  ${node(`site:${site.file}:${site.line}`, `${site.file}:${site.line}`, 'ellipse')} -> ${t}${style};`);
    }
    for (const effect of task.sideEffects) {
      lines.push(`  ${t} -> ${node(`effect:${effect.kind}:${effect.api}`, `${effect.kind}\n${effect.api}`, 'note')}${effect.via === undefined ? '' : ` [label=${quote(`via ${effect.via.join(' → ')}`)}]`};`);
    }
  }
  for (const schedule of map.schedules) {
    const s = node(`schedule:${schedule.file}:${schedule.line}`, `${schedule.name}\n${schedule.schedule ?? ''}`, 'hexagon');
    const task = map.tasks.find((t) => t.name === schedule.task);
    if (task !== undefined) lines.push(`  ${s} -> ${quote(`task:${task.framework}:${task.name}`)};`);
  }
  lines.push('}');
  return lines.join('\n');
}
