/** Small DOM helpers: build elements without string HTML, find the page's fixed elements. */
type AttrValue = string | number | boolean | null | undefined;
export type Child = Node | string | null | undefined | false;

/**
 * `h('button', { type: 'button', 'data-action': 'edit' }, 'Edit')`. Text children become text
 * nodes, so nothing passed here is ever parsed as HTML. For HTML boolean attributes `true` means
 * present and `false`/`null` absent; ARIA states are spelled out ("true"/"false") as ARIA wants.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith('aria-') && typeof value === 'boolean') element.setAttribute(name, String(value));
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/**
 * Inserts HTML that the Stop Press server rendered and sanitized (allowlisted tags and URLs),
 * the same HTML readers get; nothing else may go through here.
 */
export function setServerHtml(element: HTMLElement, html: string): void {
  element.innerHTML = html;
}

export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing from the dashboard page or is not a ${type.name}`);
  return element;
}

/** The element with a data-action at or above the event's target, inside `root`. */
export function actionTarget(event: Event, root: HTMLElement): HTMLElement | null {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  return target && root.contains(target) ? target : null;
}

export function isSubmitShortcut(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Today's times as 14:02, older ones with their date. */
export function formatTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString() ? TIME.format(date) : DATE_TIME.format(date);
}
