// The steps of the UI walk (test/editor/ui-walk.mjs), in order. Each drives the workbench with the
// mouse and keyboard, as a person would, waits for what a person would see (no fixed sleeps), and
// returns the name of the screenshot to take after it. Selectors: shared/notes/real-editor.md.
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_FILE = 'orders.py';
export const DEMO_TEXT = `import requests
from celery import Celery
from tenacity import retry, wait_exponential

app = Celery("shop", broker="redis://localhost:6379/0")


@retry(wait=wait_exponential(multiplier=1, max=30))
def fetch_rates(currency):
    return requests.get(f"https://rates.example.com/{currency}", timeout=5).json()


@app.task(bind=True, max_retries=5)
def send_receipt(self, order_id, email):
    response = requests.post(
        "https://mail.example.com/v1/send",
        json={"to": email, "template": "receipt", "order": order_id},
    )
    response.raise_for_status()
    return response.json()["id"]
`;

const LONG = { timeout: 60_000 };
const SHORT = { timeout: 15_000 };
/** How long one attempt at a hover waits for its card before moving the mouse off and on again. */
const HOVER_ATTEMPT_MS = 10_000;

/** The sidebar's document, inside the webview's two iframes. */
const sidebar = (page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/**
 * The middle of `word` on screen, inside the first editor token (span) whose text contains
 * `within`. Tokens hold several words (`requests.post(`), and the editor's font is monospace.
 */
async function wordPoint(page, within, word = within, last = false) {
  // `last`: the demo files name their hover targets in a comment above the code.
  // A RegExp matches case-sensitively (a string would find `Get` inside `budget`).
  const spans = page.locator('.monaco-editor .view-line span span').filter({ hasText: new RegExp(within.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  const span = last ? spans.last() : spans.first();
  await span.waitFor(SHORT);
  const [box, text] = [await span.boundingBox(), await span.textContent()];
  const at = (text ?? '').indexOf(word);
  if (box === null || at < 0) throw new Error(`"${word}" is not on screen`);
  const width = box.width / (text ?? '').length;
  return { x: box.x + width * (at + word.length / 2), y: box.y + box.height / 2 };
}

async function hoverWord(page, within, word, expect, last = false, wait = SHORT) {
  const hover = page.locator('.monaco-hover:visible .rendered-markdown').filter({ hasText: expect });
  const deadline = Date.now() + wait.timeout;
  // The editor re-renders a line when its semantic colours arrive (the token found may be detached
  // a moment later), and a hover asked for before every provider is ready closes empty and is not
  // asked again: each attempt finds the word anew and moves onto it, until the card shows.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
    try {
      const point = await wordPoint(page, within, word, last);
      await page.mouse.move(point.x - 1, point.y);
      await page.mouse.move(point.x, point.y);
      await hover.first().waitFor({ timeout: Math.max(1000, Math.min(HOVER_ATTEMPT_MS, deadline - Date.now())) });
      return hover.first();
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`no hover card with "${expect}" on "${word}" after ${attempt} attempts: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Opens a workspace file with Quick Open and waits for a line of its code. */
async function openFile(page, name, line) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', ...SHORT });
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor(LONG);
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines', { hasText: line }).waitFor(LONG);
}

/**
 * Fails when the card needs the hover's scrollbar: the card and whatever the hover shows above it
 * (the diagnostic's message) must fit in the hover's height. Other providers' parts below the card
 * (TypeScript's types, a "Loading..." row) are theirs.
 */
async function assertFits(card) {
  const size = await card.evaluate((el) => {
    const box = el.closest('.monaco-scrollable-element') ?? el;
    const content = el.closest('.monaco-hover-content') ?? el;
    return { needed: Math.round(el.getBoundingClientRect().bottom - content.getBoundingClientRect().top), client: box.clientHeight };
  });
  if (size.needed > size.client + 2) throw new Error(`the hover card scrolls: it needs ${size.needed}px of ${size.client}px`);
}

/**
 * One hover per language, on each demo file of examples/: [file, a line of its code, the token
 * (the last one on screen that holds this text: TypeScript and Go colour a receiver and its method
 * apart), the word to hover, text the card shows, screenshot name]. The server must be analysing the file
 * (a squiggle or a card) before the hover; the card is waited for, never a clock.
 */
const LANGUAGE_HOVERS = [
  ['tasks.py', 'session.get', 'session.get', 'get', 'timeout=5', 'hover-python-signal'],
  ['worker.ts', 'crm.post', 'post', 'post', 'axios', 'hover-typescript'],
  ['welcome_job.rb', 'sidekiq_options', 'sidekiq_options', 'sidekiq_options', 'Sidekiq', 'hover-ruby'],
  ['worker.go', 'http.Get(', 'Get', 'Get', 'R6.1', 'hover-go'],
  ['LabelService.java', '@Retryable(maxAttempts', 'Retryable', 'Retryable', 'Spring Retry', 'hover-java'],
  ['cronjobs.yaml', 'reconcile-payments', 'CronJob', 'CronJob', 'CronJob', 'hover-yaml'],
];

/** Drags the sash between the sidebar and the editor to `width`, as a reader who wants more (or less) room would. */
async function resizeSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box === null || Math.abs(box.width - width) <= 2) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  // Away from the sash, so its hover highlight does not stay in the screenshots.
  await page.mouse.move(box.x + Math.max(width, box.width) + 300, box.y + box.height - 20, { steps: 3 });
  await page.waitForFunction((w) => Math.abs((document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) - w) <= 2, width, SHORT);
}

async function runCommand(page, title) {
  // The quick pick of the step before may still be closing; F1 pressed then closes the palette
  // again instead of opening it, so wait until no quick input shows.
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', ...SHORT });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', ...SHORT });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor(SHORT);
  await page.keyboard.press('Enter');
}

const TAB_IDS = { Matrix: 'matrix', Chapters: 'chapters', Search: 'search', 'This file': 'file', Tasks: 'tasks', Checklist: 'checklist' };

async function clickTab(page, name) {
  await sidebar(page).locator(`#tab-${TAB_IDS[name]}`).click();
  await sidebar(page).locator(`[role="tab"][aria-selected="true"]`, { hasText: name }).waitFor(SHORT);
}

export const uiSteps = [
  ['the workbench opens the workspace', async (page) => {
    await page.locator('.monaco-workbench').waitFor(LONG);
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor(LONG);
  }],

  ['a demo file shows the squiggles', async (page) => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', ...SHORT });
    await page.keyboard.type(DEMO_FILE);
    // The first file search waits for the extension host, which is starting the TypeScript
    // extension for the demo's tsconfig.json: slow on a busy machine.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: DEMO_FILE }).first().waitFor(LONG);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'send_receipt' }).waitFor(SHORT);
    // The language server starts with the first Python file: its squiggles mean it is running.
    await page.locator('.monaco-editor .squiggly-warning').nth(1).waitFor(LONG);
    return 'squiggles';
  }],

  ['the hover card explains the finding from the book', async (page) => {
    const card = await hoverWord(page, 'requests.post', 'post', 'R6.1');
    // The diagnostic's message sits above the card in the same hover; the card holds the book.
    const text = await page.locator('.monaco-hover:visible').first().innerText();
    for (const expected of ['has no timeout', 'RULE', 'WHY', 'APPLY (requests)', 'Quick fix']) {
      if (!text.includes(expected)) throw new Error(`the hover card lacks "${expected}":\n${text.slice(0, 400)}`);
    }
    await assertFits(card);
    return 'hover-card';
  }],

  ['the quick fix from the Ctrl+. menu adds the timeout', async (page) => {
    await page.keyboard.press('Escape');
    const point = await wordPoint(page, 'requests.post', 'post');
    await page.mouse.click(point.x, point.y);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Add timeout=' });
    await fix.first().waitFor(SHORT);
    // The menu opens on the preferred fix; the keyboard walks to it if another row has focus.
    for (let i = 0; i < 6 && !(await fix.first().evaluate((el) => el.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
    await page.locator('.action-widget .monaco-list-row.action.focused', { hasText: 'Add timeout=' }).waitFor(SHORT);
    return 'quick-fix-menu';
  }],

  ['the fix is applied and its squiggle goes', async (page) => {
    const squiggles = await page.locator('.monaco-editor .squiggly-warning').count();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'timeout=10' }).waitFor(SHORT);
    await page.waitForFunction((before) => document.querySelectorAll('.monaco-editor .squiggly-warning').length < before, squiggles, SHORT);
    return 'fixed';
  }],

  ['at its default width the sidebar shows every tab label and a compact matrix', async (page) => {
    await page.locator('.activitybar [aria-label^="Task Reliability"]').first().click();
    const view = sidebar(page);
    await view.locator('table.matrix tr.applies').first().waitFor(LONG);
    const tabs = await view.locator('.tabs').evaluate((strip) => ({
      layout: strip.dataset.layout,
      overflows: strip.scrollWidth > strip.clientWidth,
      labels: [...strip.querySelectorAll('.tab-label')].map((label) => ({
        text: label.textContent, shown: label.getClientRects().length > 0, cut: label.scrollWidth > label.clientWidth,
      })),
      badges: [...strip.querySelectorAll('.badge:not([hidden])')].map((badge) => badge.textContent),
    }));
    const width = (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
    const problems = tabs.labels.filter((l) => !l.shown || l.cut).map((l) => l.text);
    if (tabs.overflows || problems.length > 0) throw new Error(`at ${width}px the tabs (${tabs.layout}) hide or cut ${problems.join(', ') || 'nothing, but overflow'}`);
    if (tabs.badges.length === 0) throw new Error('the tabs show no count for the open file');
    // The compact matrix: the row id floats beside the task instead of taking a column, so the
    // first move spans the row, and only the chips found in the active file are shown.
    const rows = await view.locator('table.matrix tbody tr').evaluateAll((trs) => trs.slice(0, 8).map((tr) => {
      const id = tr.querySelector('td.col-id');
      const move = tr.querySelector('.first-move');
      const chips = [...tr.querySelectorAll('.chip:not(.present)')].filter((c) => c.getClientRects().length > 0);
      return {
        id: tr.getAttribute('data-row'), compact: id !== null && getComputedStyle(id).float === 'right',
        share: move === null ? 0 : move.getBoundingClientRect().width / tr.getBoundingClientRect().width, strayChips: chips.length,
      };
    }));
    const loose = rows.filter((r) => !r.compact || r.share < 0.9 || r.strayChips > 0);
    if (loose.length > 0) throw new Error(`at ${width}px matrix rows are not compact: ${JSON.stringify(loose)}`);
    return 'sidebar-default-width';
  }],

  ['narrowed, the tabs keep their icons and counts, with the labels as tooltips', async (page) => {
    await resizeSidebar(page, 180);
    const view = sidebar(page);
    await view.locator('.tabs[data-layout="icons"]').waitFor(SHORT);
    const tabs = await view.locator('.tab').evaluateAll((buttons) => buttons.map((b) => ({
      title: b.getAttribute('title') ?? '', label: b.querySelector('.tab-label')?.getClientRects().length ?? 0, icon: b.querySelector('.codicon')?.getClientRects().length ?? 0,
    })));
    const wrong = tabs.filter((t) => t.title === '' || t.label > 0 || t.icon === 0);
    if (wrong.length > 0) throw new Error(`narrow tabs: ${JSON.stringify(tabs)}`);
    if (!tabs.some((t) => /\d+ findings in this file/.test(t.title))) throw new Error(`no tooltip gives a count: ${JSON.stringify(tabs)}`);
    await view.locator('.tab .badge:not([hidden])').first().waitFor(SHORT);
    return 'sidebar-narrow';
  }],

  ['the sidebar opens on the decision matrix with the rows for this file', async (page) => {
    const view = sidebar(page);
    await view.locator('table.matrix tr.applies').first().waitFor(LONG);
    await resizeSidebar(page, 400);
    const status = await view.locator('#panel-matrix .status').innerText();
    if (!/apply to orders\.py/.test(status)) throw new Error(`the matrix status says: ${status}`);
    return 'sidebar-matrix';
  }],

  ['typing filters the matrix', async (page) => {
    const view = sidebar(page);
    const total = await view.locator('table.matrix tbody tr').count();
    await view.getByRole('textbox', { name: 'Filter the decision matrix' }).fill('retry');
    await view.locator('#panel-matrix .status', { hasText: /of \d+ rows/ }).waitFor(SHORT);
    const shown = await view.locator('table.matrix tbody tr').count();
    if (!(shown > 0 && shown < total)) throw new Error(`the filter shows ${shown} of ${total} rows`);
    return 'matrix-filter';
  }],

  ['searching the book finds an option name', async (page) => {
    await clickTab(page, 'Search');
    const view = sidebar(page);
    await view.getByRole('textbox', { name: 'Search the book' }).fill('acks_late');
    await view.locator('a.result').first().waitFor(SHORT);
    const first = await view.locator('a.result').first().innerText();
    if (!first.includes('R9.2')) throw new Error(`the first result is: ${first}`);
    await view.locator('a.result mark').first().waitFor(SHORT);
    return 'search';
  }],

  ['the keyboard moves from the search box through the results and opens one', async (page) => {
    const view = sidebar(page);
    await view.getByRole('textbox', { name: 'Search the book' }).press('ArrowDown');
    await view.locator('a.result:focus').waitFor(SHORT);
    await page.keyboard.press('ArrowDown');
    const second = await view.locator('a.result:focus').innerText();
    await page.keyboard.press('Enter');
    await view.locator('.rule-block.target, h2.target, h3.target').first().waitFor(SHORT);
    if (!second.includes('R11.1')) throw new Error(`the second result was ${second}`);
    return 'keyboard-open-result';
  }],

  ['a hover link opens the sidebar at the rule', async (page) => {
    const card = await hoverWord(page, '@retry', 'retry', 'R5.1');
    await card.locator('a', { hasText: 'Open R5.1 in the book' }).first().click();
    const view = sidebar(page);
    await view.locator('.rule-block.target[data-rule="R5.1"]').waitFor(SHORT);
    await view.locator('[role="tab"][aria-selected="true"]', { hasText: 'Chapters' }).waitFor(SHORT);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    return 'rule-from-hover';
  }],

  ['"This file" lists the findings and reveals a line', async (page) => {
    await clickTab(page, 'This file');
    const view = sidebar(page);
    const finding = view.locator('.entry.finding', { hasText: 'retry-unbounded' });
    await finding.first().waitFor(SHORT);
    await view.locator('.entry.signal').first().waitFor(SHORT);
    await finding.first().locator('button.entry-main').click();
    await page.locator('.statusbar [aria-label^="Ln 8,"], .statusbar-item', { hasText: /Ln 8, Col/ }).first().waitFor(SHORT);
    return 'this-file';
  }],

  ['the checklist shows the items that the findings fail, with links to the lines', async (page) => {
    await clickTab(page, 'Checklist');
    const view = sidebar(page);
    await view.locator('.segment', { hasText: 'Failing' }).click();
    const failing = view.locator('.check-item.status-failing');
    await failing.first().waitFor(SHORT);
    if ((await view.locator('.check-item').count()) !== (await failing.count())) throw new Error('the Failing filter shows other items');
    await failing.locator('.finding-link', { hasText: 'orders.py:8' }).first().waitFor(SHORT);
    return 'checklist-failing';
  }],

  ['ticking a checklist item keeps it done', async (page) => {
    const view = sidebar(page);
    await view.locator('.segment', { hasText: 'All' }).click();
    const open = view.locator('.check-item.status-open input.checkbox').first();
    const id = await open.getAttribute('id');
    await open.click();
    await view.locator(`.check-item.status-done #${id}:checked`).waitFor(SHORT);
    return 'checklist-ticked';
  }],

  ['the view keeps its place and the tick when hidden and shown', async (page) => {
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.explorer-folders-view').waitFor(SHORT);
    await page.locator('.activitybar [aria-label^="Task Reliability"]').first().click();
    const view = sidebar(page);
    await view.locator('[role="tab"][aria-selected="true"]', { hasText: 'Checklist' }).waitFor(LONG);
    await view.locator('.check-item.status-done input.checkbox:checked').first().waitFor(SHORT);
  }],

  ['"Show Rule…" from the palette opens a rule', async (page) => {
    await runCommand(page, 'Task Reliability: Show Rule…');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'Show Rule' }).waitFor(SHORT);
    await input.fill('R10.1');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'R10.1' }).first().waitFor(SHORT);
    await page.keyboard.press('Enter');
    await sidebar(page).locator('.rule-block.target[data-rule="R10.1"]').waitFor(SHORT);
    return 'palette-show-rule';
  }],

  ['"Open Decision Matrix" from the palette returns to the matrix', async (page) => {
    await runCommand(page, 'Task Reliability: Open Decision Matrix');
    await sidebar(page).locator('[role="tab"][aria-selected="true"]', { hasText: 'Matrix' }).waitFor(SHORT);
  }],

  ['"Open Chapter…" from the palette opens the chosen chapter', async (page) => {
    await runCommand(page, 'Task Reliability: Open Chapter…');
    await page.locator('.quick-input-widget', { hasText: 'Open Chapter' }).waitFor(SHORT);
    await page.locator('.quick-input-widget input').fill('Timeouts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Timeouts and deadlines' }).first().waitFor(SHORT);
    await page.keyboard.press('Enter');
    await sidebar(page).locator('#panel-chapters h1', { hasText: 'Timeouts and deadlines' }).waitFor(SHORT);
  }],

  ['"Search the Book…" from the palette puts the cursor in the search box', async (page) => {
    await runCommand(page, 'Task Reliability: Search the Book…');
    const view = sidebar(page);
    await view.locator('input[aria-label="Search the book"]:focus').waitFor(SHORT);
    await page.keyboard.type('jobid');
    await view.locator('a.result', { hasText: 'R4.2' }).first().waitFor(SHORT);
  }],

  ['"Export Self-Audit Report" writes the Markdown report', async (page, { workspace }) => {
    await runCommand(page, 'Task Reliability: Export Self-Audit Report');
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(() => /task-reliability-self-audit\.md$/.test(document.querySelector('.quick-input-widget input')?.value ?? ''), undefined, SHORT);
    await input.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'Self-audit report written' }).waitFor(SHORT);
    const report = fs.readFileSync(path.join(workspace, 'task-reliability-self-audit.md'), 'utf8');
    if (!/\*\*[1-9]\d* failing · 1 done/.test(report) || !report.includes('orders.py:8')) throw new Error(`the report reads:\n${report.slice(0, 600)}`);
    return 'export-report';
  }],

  ['the Tasks tab maps the workspace\'s tasks, those with findings first', async (page) => {
    await clickTab(page, 'Tasks');
    const view = sidebar(page);
    // The first request reads every file of the folder: indexing, then the table.
    const rows = view.locator('table.task-table tbody tr.task-row');
    await rows.first().waitFor(LONG);
    const names = await rows.locator('.task-name').allInnerTexts();
    for (const expected of ['send_receipt', 'charge_order']) if (!names.includes(expected)) throw new Error(`the task map lists ${names.join(', ')}`);
    const flags = await rows.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('has-findings')));
    if (!flags[0] || flags.indexOf(false) >= 0 && flags.slice(flags.indexOf(false)).includes(true)) throw new Error(`rows with findings are not first: ${JSON.stringify(flags)}`);
    return 'tasks';
  }],

  ['a column header sorts the tasks and the filter narrows them', async (page) => {
    const view = sidebar(page);
    const header = view.locator('th.col-callers');
    await header.locator('button').click();
    await view.locator('th.col-callers[aria-sort="ascending"]').waitFor(SHORT);
    await header.locator('button').press('Enter');
    await view.locator('th.col-callers[aria-sort="descending"]').waitFor(SHORT);
    const callers = (await view.locator('tr.task-row td.col-callers').allInnerTexts()).map(Number);
    if (callers.some((n, i) => i > 0 && n > callers[i - 1])) throw new Error(`callers are not in descending order: ${callers.join(', ')}`);
    const total = await view.locator('tr.task-row').count();
    await view.getByRole('textbox', { name: 'Filter the tasks' }).fill('celery');
    await view.locator('#panel-tasks .status', { hasText: new RegExp(`of ${total} tasks`) }).waitFor(SHORT);
    const frameworks = await view.locator('tr.task-row td.col-framework').allInnerTexts();
    if (frameworks.length === 0 || frameworks.some((f) => f !== 'celery')) throw new Error(`the filter "celery" shows ${frameworks.join(', ')}`);
    return 'tasks-sorted-filtered';
  }],

  ['a task opens to its enqueue sites and side effects, and a link opens the line', async (page, { screenshot }) => {
    const view = sidebar(page);
    await view.getByRole('textbox', { name: 'Filter the tasks' }).fill('');
    const open = async (name) => {
      const row = view.locator('tr.task-row', { hasText: name });
      await row.locator('button.expander').click();
      await row.locator('button.expander[aria-expanded="true"]').waitFor(SHORT);
      return view.locator('tr.task-detail:not([hidden]) .task-details', { hasText: name === 'notifications' ? 'notifications/worker.ts:12' : 'orders.py:15' });
    };
    const queued = await open('notifications');
    await queued.locator('li', { hasText: 'no key' }).first().waitFor(SHORT);
    await screenshot('tasks-row-open');
    // A link into the demo file, which is open already: later steps open files by name.
    const effect = (await open('send_receipt')).locator('li', { hasText: 'requests.post' });
    await effect.first().waitFor(SHORT);
    const link = effect.first().locator('button.file-link');
    const line = /:(\d+)$/.exec(await link.innerText())?.[1];
    await link.click();
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) }).first().waitFor(SHORT);
  }],

  ['a hover on a task gives its settings and callers, and links to its row', async (page) => {
    // Back to the demo file, still open in its editor tab since the first steps.
    await page.locator('.tabs-container .tab', { hasText: DEMO_FILE }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'send_receipt' }).waitFor(SHORT);
    const card = await hoverWord(page, 'send_receipt', 'send_receipt', 'Show in the Tasks tab');
    const text = await card.innerText();
    if (!/Attempts 1 · backoff none/.test(text)) throw new Error(`the task hover reads:\n${text.slice(0, 400)}`);
    await card.locator('a', { hasText: 'Show in the Tasks tab' }).first().click();
    const view = sidebar(page);
    await view.locator('[role="tab"][aria-selected="true"]', { hasText: 'Tasks' }).waitFor(SHORT);
    await view.locator('tr.task-row.target', { hasText: 'send_receipt' }).waitFor(SHORT);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    return 'task-from-hover';
  }],

  ['"Restart Server" restarts the language server, which then analyses new code', async (page) => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'Task Reliability: Restart Server');
    // The restarted server must answer for an edit made after it started: a new call with no timeout.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('requests.delete("https://shop.example.com/cart")\n');
    await page.locator('.monaco-editor .view-lines', { hasText: 'requests.delete' }).waitFor(SHORT);
    // Three findings before the edit (the quick fix above removed one), four after it: the exact
    // count proves the restarted server analysed the new line, not that it replayed the old report.
    await sidebar(page).locator('#tab-file .badge', { hasText: /^\s*4\s*$/ }).waitFor(LONG);
    await page.locator('.monaco-editor .squiggly-warning').nth(1).waitFor(LONG);
  }],

  ...LANGUAGE_HOVERS.map(([file, line, within, word, expect, shot]) => [`the hover card on ${file} fits without scrolling`, async (page) => {
    await openFile(page, file, line);
    // A file's first hover waits for every hover provider, TypeScript's and Java's included,
    // which first load the file's project.
    const card = await hoverWord(page, within, word, expect, true, LONG);
    await assertFits(card);
    return shot;
  }]),
];
