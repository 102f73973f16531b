/**
 * "This file": the findings and signals of the active editor, grouped by the chapter that answers
 * them. Clicking an entry reveals its line; the rule id opens the rule. Redrawn as the server
 * re-reports the file while the user types.
 */
import type { SidebarLocation } from '../../../client/src/sidebar/messages';
import { bookRule } from '../../../server/src/catalog/types';
import type { FileReportFinding, FileReportSignal } from '../../../server/src/protocol';
import type { RenderOptions, View, ViewContext } from '../context';
import { h, icon, plural } from '../dom';
import { renderInline } from '../markdown';
import { groupByChapter, KIND_LABELS } from '../model';

const KIND_ICONS: Readonly<Record<string, string>> = {
  'http-call': 'globe', retry: 'sync', 'task-def': 'symbol-method', enqueue: 'inbox', consumer: 'mail-read',
  'queue-config': 'server-process', schedule: 'watch', notify: 'mail', payment: 'credit-card', 'circuit-breaker': 'circuit-board', lock: 'lock',
};
const SEVERITY_ICONS: Readonly<Record<string, string>> = { error: 'error', warning: 'warning', info: 'info', information: 'info', hint: 'lightbulb' };

export class FileView implements View {
  readonly element: HTMLElement;
  readonly scroller: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    this.header = h('div', { class: 'file-header' });
    this.body = h('div', { class: 'file-body' });
    this.scroller = h('div', { class: 'scroll' }, this.body);
    this.element = h('section', { class: 'panel' }, this.header, this.scroller);
  }

  scrollKey(): string {
    return 'file';
  }

  update(_location: SidebarLocation, how: RenderOptions): boolean {
    this.draw();
    if (how.focus) this.body.querySelector<HTMLElement>('button, a')?.focus();
    return false;
  }

  private draw(): void {
    const { file, catalog } = this.ctx.data;
    if (file === null) {
      this.header.replaceChildren(h('p', { class: 'status' }, 'No active editor'));
      this.body.replaceChildren(this.empty('file-code', 'Open a Python, JavaScript, TypeScript, Java, Go, Ruby or YAML file to see what Task Reliability finds in it.'));
      return;
    }
    const report = file.report;
    const summary = report === null ? (file.supported ? 'Analysing…' : 'Not analysed')
      : report.skipped !== undefined ? 'Skipped'
        : `${plural(report.findings.length, 'finding')} · ${plural(report.signals.length, 'signal')}`;
    this.header.replaceChildren(h('p', { class: 'file-name', title: file.name }, icon('file-code'), h('span', {}, file.name)), h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, summary));
    if (!file.supported) {
      this.body.replaceChildren(this.empty('info', 'Task Reliability reads Python, JavaScript, TypeScript (with JSX), Java, Go, Ruby and YAML files.'));
      return;
    }
    if (report === null) {
      this.body.replaceChildren(this.empty('sync', 'Waiting for the language server…'));
      return;
    }
    if (report.skipped !== undefined) {
      this.body.replaceChildren(this.empty('info', report.skipped));
      return;
    }
    if (report.findings.length === 0 && report.signals.length === 0) {
      this.body.replaceChildren(this.empty('pass', 'No queue, retry, schedule, outbound call or notification code in this file.'));
      return;
    }
    const groups = groupByChapter(catalog, report);
    this.body.replaceChildren(...groups.map((g) => h('section', { class: 'group', 'aria-label': `Chapter ${g.chapter}: ${g.title}` },
      h('h3', { class: 'group-title' }, h('a', { href: '#', class: 'link', onclick: (e) => { e.preventDefault(); this.ctx.navigate({ tab: 'chapters', chapter: g.chapter }, { focus: true }); } },
        h('span', { class: 'chapter-num small' }, String(g.chapter)), ` ${g.title}`),
      g.findings.length > 0 ? h('span', { class: 'count' }, plural(g.findings.length, 'finding')) : null),
      h('ul', { class: 'entries' }, [...g.findings.map((f) => this.finding(f)), ...g.signals.map((s) => this.signal(s))]))));
    this.body.append(h('p', { class: 'footnote' }, h('a', { href: '#', class: 'link', onclick: (e) => { e.preventDefault(); this.ctx.ui.onlyApplicable = true; this.ctx.navigate({ tab: 'matrix' }, { focus: true }); } },
      icon('table'), ' Show the matrix rows for this file')));
  }

  private finding(f: FileReportFinding): HTMLLIElement {
    const line = f.range.start.line + 1;
    const rule = bookRule(this.ctx.data.catalog, f.ruleRef);
    return h('li', { class: `entry finding severity-${f.severity}` },
      h('button', { type: 'button', class: 'entry-main', title: `Reveal line ${line}`, 'aria-label': `${f.severity} ${f.rule} on line ${line}: ${f.message}`, onclick: () => this.reveal(f) },
        icon(SEVERITY_ICONS[f.severity] ?? 'warning', 'severity'),
        h('span', { class: 'entry-text' }, h('span', { class: 'entry-title' }, renderInline(f.message)), h('span', { class: 'entry-meta' }, h('code', {}, f.rule), ` · Ln ${line}`))),
      rule === undefined ? null : h('a', { href: '#', class: 'rule-link', title: `${rule.id} ${rule.title}`, 'aria-label': `Read rule ${rule.id}: ${rule.title}`,
        onclick: (e) => { e.preventDefault(); this.ctx.navigate({ tab: 'chapters', chapter: rule.chapter, anchor: rule.anchor }, { focus: true }); } }, rule.id));
  }

  private signal(s: FileReportSignal): HTMLLIElement {
    const line = s.range.start.line + 1;
    const label = KIND_LABELS[s.kind] ?? s.kind;
    return h('li', { class: 'entry signal' },
      h('button', { type: 'button', class: 'entry-main', title: `Reveal line ${line}`, 'aria-label': `${label} ${s.api} on line ${line}`, onclick: () => this.reveal(s) },
        icon(KIND_ICONS[s.kind] ?? 'symbol-event', 'kind'),
        h('span', { class: 'entry-text' }, h('span', { class: 'entry-title' }, h('code', {}, s.api)), h('span', { class: 'entry-meta' }, `${label} · Ln ${line}`))));
  }

  private reveal(target: FileReportFinding | FileReportSignal): void {
    const file = this.ctx.data.file;
    if (file !== null) this.ctx.post({ type: 'reveal', uri: file.uri, range: target.range });
  }

  private empty(iconName: string, text: string): HTMLElement {
    return h('div', { class: 'empty' }, icon(iconName), h('p', {}, text));
  }
}
