/**
 * A small element builder. Text always goes in as text nodes, never as HTML, so nothing from the
 * catalog or a file report can inject markup; the only HTML the webview parses is markdown-it's
 * output, with raw HTML disabled.
 */
export type Child = Node | string | number | null | undefined | false;
type Handler = (event: Event) => void;
export type Props = Readonly<Record<string, string | number | boolean | undefined | Handler>>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | readonly Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A codicon, hidden from screen readers: the control around it carries the label. */
export function icon(name: string, extra = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extra === '' ? '' : ` ${extra}`}`, 'aria-hidden': 'true' });
}

/** A button that shows only an icon, with the label a screen reader and a tooltip need. */
export function iconButton(name: string, label: string, onClick: Handler, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label, onclick: onClick, ...props }, icon(name));
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * A filter's text box: reports every change. Escape clears a non-empty filter and goes no
 * further; on an empty one it reaches the view as usual.
 */
export function filterInput(placeholder: string, label: string, changed: (value: string) => void): HTMLInputElement {
  const input: HTMLInputElement = h('input', {
    type: 'text', class: 'input', placeholder, 'aria-label': label, spellcheck: 'false',
    oninput: () => changed(input.value),
    onkeydown: (event) => {
      if ((event as KeyboardEvent).key !== 'Escape' || input.value === '') return;
      event.stopPropagation();
      input.value = '';
      changed('');
    },
  });
  return input;
}

/** A toolbar toggle (aria-pressed); the caller keeps its state and sets it with `setToggle`. */
export function toggleButton(iconName: string, text: string, title: string, toggled: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false', title, onclick: toggled }, icon(iconName), h('span', {}, text));
}

export function setToggle(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', String(on));
  button.classList.toggle('on', on);
}
