/**
 * "Tasks": the project's task map as a table. Each row is a task with its effective settings and
 * counts; a row opens to its enqueue sites (with their transaction and key badges), its side
 * effects (with the helpers they are reached through) and its findings, each a link to the line.
 * The schedules follow the table. The map is asked of the host when the tab first shows.
 */
import type { SidebarLocation, TaskMapState } from '../../../client/src/sidebar/messages';
import type { MapEnqueueSite, MapSchedule, MapTask, TaskMap } from '../../../server/src/protocol';
import type { RenderOptions, View, ViewContext } from '../context';
import { filterInput, h, icon, plural, setToggle, toggleButton, type Child } from '../dom';
import { EFFECT_LABELS, effectSummary, nextSort, TASK_COLUMNS, taskKey, taskTable, type TaskColumn, type TaskRow } from '../task-table';

const EFFECT_ICONS: Readonly<Record<string, string>> = { 'http-call': 'globe', notify: 'mail', payment: 'credit-card', enqueue: 'inbox', 'db-write': 'database' };

export class TasksView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly only: HTMLButtonElement;
  private readonly folderPicker: HTMLSelectElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  /** Whether this webview asked the host for the map yet; it asks once, when the tab first shows. */
  private asked = false;

  constructor(private readonly ctx: ViewContext) {
    this.input = filterInput('Filter tasks (celery, stripe, acks:early)', 'Filter the tasks', (value) => this.setFilter(value));
    this.only = toggleButton('warning', 'Findings', 'Show only the tasks and schedules with findings', () => {
      this.ctx.ui.tasksOnlyFindings = !this.ctx.ui.tasksOnlyFindings;
      this.ctx.save();
      this.draw();
    });
    this.folderPicker = h('select', { class: 'folder-picker', 'aria-label': 'Workspace folder', hidden: true, onchange: () => this.ctx.post({ type: 'taskMap', folder: this.folderPicker.value }) });
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'tasks-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, h('div', { class: 'input-box' }, icon('filter'), this.input), this.only,
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Build the task map again', title: 'Build the task map again', onclick: () => this.ctx.post({ type: 'taskMap', refresh: true }) }, icon('refresh'))),
      this.folderPicker,
      this.status,
      this.scroller);
  }

  scrollKey(): string {
    return 'tasks';
  }

  update(location: SidebarLocation, how: RenderOptions): boolean {
    if (!this.asked) {
      this.asked = true;
      this.ctx.post({ type: 'taskMap' });
    }
    if (this.input.value !== this.ctx.ui.tasksFilter) this.input.value = this.ctx.ui.tasksFilter;
    const target = location.tab === 'tasks' && how.moved ? location.task : undefined;
    if (target !== undefined && !this.ctx.ui.tasksExpanded.includes(target)) this.ctx.ui.tasksExpanded = [...this.ctx.ui.tasksExpanded, target];
    this.draw();
    if (target !== undefined) {
      const row = this.body.querySelector<HTMLElement>(`tr[data-task="${CSS.escape(target)}"]`);
      if (row !== null) {
        row.classList.add('target');
        // Only down to the row: the table keeps its sideways scroll, with the name column in view.
        this.scroller.scrollTop += row.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - (row.closest('table')?.tHead?.offsetHeight ?? 0);
        if (how.focus) row.querySelector<HTMLElement>('.expander')?.focus({ preventScroll: true });
        return true;
      }
    }
    if (how.focus) this.input.focus();
    return false;
  }

  private setFilter(value: string): void {
    this.ctx.ui.tasksFilter = value;
    this.ctx.save();
    this.draw();
  }

  /** Redraws the body; the control that had focus gets it back by its `data-focus` key. */
  private draw(): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset['focus'];
    this.drawState(this.ctx.data.taskMap);
    if (focused !== undefined) this.body.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
  }

  private drawState(state: TaskMapState): void {
    setToggle(this.only, this.ctx.ui.tasksOnlyFindings);
    this.folderPicker.hidden = state.status === 'no-folder' || state.folders.length < 2;
    if (state.status !== 'no-folder') {
      this.folderPicker.replaceChildren(...state.folders.map((f) => h('option', { value: f.uri, selected: f.uri === state.folder }, f.name)));
    }
    switch (state.status) {
      case 'no-folder':
        this.status.replaceChildren('No folder open');
        this.body.replaceChildren(empty('folder', 'Open a folder (File › Open Folder…) to see its tasks, who enqueues them and what they touch.'));
        return;
      case 'loading':
        this.status.replaceChildren(icon('loading', 'codicon-modifier-spin'), 'Building the task map…');
        this.body.replaceChildren(empty('loading', 'Indexing the project: every task, its settings, its callers and its side effects. The first time, a large project takes a while; the status bar shows how far it is.', 'codicon-modifier-spin'));
        return;
      case 'error':
        this.status.replaceChildren('No task map');
        this.body.replaceChildren(h('div', { class: 'empty' }, icon('error'), h('p', { role: 'alert' }, state.message),
          h('button', { type: 'button', class: 'button', onclick: () => this.ctx.post({ type: 'taskMap', refresh: true }) }, icon('refresh'), ' Try again')));
        return;
      case 'ready':
        this.drawMap(state.map, state.folder);
        return;
    }
  }

  private drawMap(map: TaskMap, folder: string): void {
    const ui = this.ctx.ui;
    const table = taskTable(map, { filter: ui.tasksFilter, onlyFindings: ui.tasksOnlyFindings, sort: ui.tasksSort });
    if (table.total === 0 && table.totalSchedules === 0) {
      this.status.replaceChildren('No tasks');
      this.body.replaceChildren(empty('tasklist', 'No tasks or schedules found in this folder. The map shows Celery, RQ, Dramatiq and Huey tasks, BullMQ and Bull workers, Sidekiq and Active Job jobs, asynq handlers, Spring and Kafka or SQS consumers, and cron schedules. Open a file that defines one, or run "Task Reliability: Scan Workspace".'));
      return;
    }
    const shown = table.rows.length === table.total ? plural(table.total, 'task') : `${table.rows.length} of ${plural(table.total, 'task')}`;
    this.status.replaceChildren(
      table.withFindings > 0 ? h('span', { class: 'applies-count' }, icon('warning'), `${table.withFindings} with findings`) : h('span', {}, 'No findings'),
      h('span', { class: 'muted' }, ` · ${shown} · ${plural(table.totalSchedules, 'schedule')}`));
    const parts: HTMLElement[] = [];
    if (table.rows.length === 0 && table.schedules.length === 0) {
      parts.push(h('div', { class: 'empty' }, icon('filter'), h('p', {}, 'No task or schedule matches the filter.'),
        h('button', { type: 'button', class: 'link', onclick: () => { this.input.value = ''; ui.tasksOnlyFindings = false; this.setFilter(''); } }, 'Clear the filter')));
    }
    if (table.rows.length > 0) parts.push(this.table(table.rows, folder));
    if (table.schedules.length > 0) parts.push(this.schedules(table.schedules, map, folder));
    this.body.replaceChildren(...parts);
  }

  private table(rows: readonly TaskRow[], folder: string): HTMLElement {
    const sort = this.ctx.ui.tasksSort;
    const head = TASK_COLUMNS.map(({ column, label, title }) => {
      const direction = sort?.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none';
      return h('th', { scope: 'col', class: `col-${column}`, 'aria-sort': direction },
        h('button', { type: 'button', class: 'sort', title: `${title}. Sort by ${label.toLowerCase()}`, 'data-focus': `sort:${column}`, onclick: () => this.sortBy(column) },
          label, direction === 'none' ? null : icon(direction === 'ascending' ? 'arrow-up' : 'arrow-down')));
    });
    const body = rows.flatMap((row, i) => this.row(row, i, folder));
    return h('div', { class: 'task-table-wrap' },
      h('table', { class: 'task-table' },
        h('caption', { class: 'visually-hidden' }, 'Tasks: settings, callers, side effects and findings. Column headers sort; a task name opens its details.'),
        h('thead', {}, h('tr', {}, head)),
        h('tbody', {}, body)));
  }

  private sortBy(column: TaskColumn): void {
    this.ctx.ui.tasksSort = nextSort(this.ctx.ui.tasksSort, column);
    this.ctx.save();
    this.draw();
  }

  private row(row: TaskRow, index: number, folder: string): HTMLTableRowElement[] {
    const { task, cells, key } = row;
    const open = this.ctx.ui.tasksExpanded.includes(key);
    const detailId = `task-detail-${index}`;
    const findings = task.findings.length;
    const main = h('tr', { class: `task-row${findings > 0 ? ' has-findings' : ''}${open ? ' open' : ''}`, 'data-task': key },
      h('th', { scope: 'row', class: 'col-task' },
        h('button', { type: 'button', class: 'expander', 'aria-expanded': String(open), 'aria-controls': detailId, 'data-focus': `row:${key}`, title: `${task.file}:${task.line}`, onclick: () => this.toggle(key) },
          icon(open ? 'chevron-down' : 'chevron-right'), h('span', { class: 'task-name' }, task.name))),
      h('td', { class: 'col-framework' }, task.framework),
      h('td', { class: 'col-retries num' }, cells.retries),
      h('td', { class: 'col-backoff' }, cells.backoff),
      h('td', { class: 'col-jitter' }, cells.jitter),
      h('td', { class: `col-acks${cells.acks === 'early' && task.sideEffects.length > 0 ? ' risky' : ''}` }, cells.acks),
      h('td', { class: 'col-timeLimit num' }, cells.timeLimit),
      h('td', { class: 'col-callers num' }, String(task.enqueuedFrom.length)),
      h('td', { class: 'col-sideEffects num', title: effectSummary(task) }, String(task.sideEffects.length)),
      h('td', { class: 'col-findings num' }, findings > 0 ? h('span', { class: 'hit hit-finding', 'aria-label': plural(findings, 'finding') }, icon('warning'), String(findings)) : '0'));
    const detail = h('tr', { class: 'task-detail', id: detailId, hidden: !open },
      h('td', { colspan: TASK_COLUMNS.length }, open ? this.details(task, folder) : null));
    return [main, detail];
  }

  private toggle(key: string): void {
    const expanded = this.ctx.ui.tasksExpanded;
    this.ctx.ui.tasksExpanded = expanded.includes(key) ? expanded.filter((k) => k !== key) : [...expanded, key];
    this.ctx.save();
    this.draw();
  }

  private details(task: MapTask, folder: string): HTMLElement {
    const link = (file: string, line: number): HTMLButtonElement => this.fileLink(folder, file, line);
    const section = (title: string, count: number | null, items: readonly HTMLElement[], none: string): HTMLElement =>
      h('section', { class: 'detail-group' },
        h('h4', {}, title, count === null ? null : h('span', { class: 'count' }, String(count))),
        items.length === 0 ? h('p', { class: 'muted' }, none) : h('ul', { class: 'detail-list' }, items));
    const settings = [
      h('li', {}, 'Defined at ', link(task.file, task.line), task.queue === null ? null : [' · queue ', h('code', {}, task.queue)]),
      ...(task.sources ?? []).map((s) => h('li', {}, h('code', {}, s.setting), ` from ${s.from} `, link(s.file, s.line))),
    ];
    return h('div', { class: 'task-details' },
      section('Settings', null, settings, ''),
      section('Enqueued from', task.enqueuedFrom.length, task.enqueuedFrom.map((site) => h('li', {}, link(site.file, site.line), ' ', siteBadges(site))),
        'No enqueue site found in the project: the task may be started from outside it, or through a name the map cannot resolve.'),
      section('Side effects', task.sideEffects.length, task.sideEffects.map((s) => h('li', {},
        icon(EFFECT_ICONS[s.kind] ?? 'symbol-event', 'kind'), h('code', {}, s.api), ` ${EFFECT_LABELS[s.kind] ?? s.kind} `, link(s.file, s.line),
        s.via !== undefined && s.via.length > 0 ? h('span', { class: 'via' }, ` via ${s.via.join(' → ')}`) : null)),
      'No HTTP call, notification, payment, enqueue or database write found in the task or its helpers.'),
      section('Findings', task.findings.length, task.findings.map((f) => h('li', {}, icon('warning', 'severity'), h('code', {}, f.rule), ' ', link(f.file, f.line))), 'None.'));
  }

  private schedules(schedules: readonly MapSchedule[], map: TaskMap, folder: string): HTMLElement {
    return h('section', { class: 'schedules', 'aria-label': 'Schedules' },
      h('h3', { class: 'group-title' }, icon('watch'), ' Schedules'),
      h('ul', { class: 'detail-list schedule-list' }, schedules.map((s) => {
        const target = s.task === null ? undefined : map.tasks.find((t) => t.name === s.task);
        const runs: readonly Child[] = s.task === null ? [] : target === undefined
          ? [' runs ', h('code', {}, s.task)]
          : [' runs ', h('button', { type: 'button', class: 'link', 'data-focus': `schedule-task:${s.name}:${s.file}:${s.line}`, title: 'Show this task in the table', onclick: () => this.ctx.navigate({ tab: 'tasks', task: taskKey(target) }, { focus: true }) }, s.task)];
        return h('li', { class: `schedule${s.findings.length > 0 ? ' has-findings' : ''}` },
          h('span', { class: 'schedule-name' }, s.name), ' ', h('code', {}, s.schedule ?? 'no schedule'), h('span', { class: 'muted' }, ` ${s.framework}`), runs, ' ',
          this.fileLink(folder, s.file, s.line),
          s.findings.flatMap((f) => [' ', h('span', { class: 'hit hit-finding', title: `${f.rule} at line ${f.line}` }, icon('warning'), f.rule)]));
      })));
  }

  private fileLink(folder: string, file: string, line: number): HTMLButtonElement {
    const label = `${file}:${line}`;
    return h('button', { type: 'button', class: 'link file-link', title: `Open ${file} at line ${line}`, 'data-focus': `open:${label}`, onclick: () => this.ctx.post({ type: 'openTaskFile', folder, file, line }) }, label);
  }
}

/** What a reader needs to know about an enqueue site, as small labelled badges. */
function siteBadges(site: MapEnqueueSite): HTMLElement[] {
  const badges: HTMLElement[] = [];
  if (site.inTransaction && !site.afterCommit) badges.push(h('span', { class: 'badge-flag warn', title: 'Enqueued inside a database transaction: the task can run before the transaction commits, or for a rollback' }, icon('git-commit'), 'in transaction'));
  else if (site.inTransaction) badges.push(h('span', { class: 'badge-flag', title: 'Inside a transaction, deferred until it commits' }, icon('git-commit'), 'in transaction'));
  if (site.afterCommit) badges.push(h('span', { class: 'badge-flag ok', title: 'Enqueued after the transaction commits' }, icon('pass'), 'after commit'));
  badges.push(site.idempotencyKey
    ? h('span', { class: 'badge-flag ok', title: 'Passes a deduplication or idempotency key' }, icon('key'), 'key')
    : h('span', { class: 'badge-flag', title: 'Passes no deduplication or idempotency key' }, icon('key'), 'no key'));
  if (site.fromHandler === true) badges.push(h('span', { class: 'badge-flag', title: 'Enqueued from a web or webhook handler' }, icon('globe'), 'handler'));
  return badges;
}

function empty(iconName: string, text: string, modifier = ''): HTMLElement {
  return h('div', { class: 'empty' }, icon(iconName, modifier), h('p', {}, text));
}
