/**
 * The story page's update lists in the DOM: the pinned section, the key events list and the main
 * list, kept in the chosen order. Renders with the same markup as the server.
 */
import type { Update } from '../../src/domain/update.ts';
import { keyEventItem, renderUpdate } from '../../src/shared/update-html.ts';
import { refreshRelativeTimes } from './relative-time.ts';

export type Order = 'newest' | 'oldest';

function fromHtml(html: string): HTMLElement {
  const template = document.createElement('template');
  template.innerHTML = html.trim();
  return template.content.firstElementChild as HTMLElement;
}

export class StoryDom {
  order: Order = 'newest';

  constructor(
    private readonly list: HTMLElement,
    private readonly pinned: HTMLElement,
    private readonly keyEvents: HTMLElement,
  ) {}

  has(id: string): boolean {
    return document.getElementById(`update-${id}`) !== null;
  }

  /** Puts an update where it belongs (pinned section or list, by creation time), replacing its old element. */
  place(update: Update): void {
    const element = fromHtml(renderUpdate(update));
    document.getElementById(`update-${update.id}`)?.remove();
    const container = update.pinned ? this.pinned : this.list;
    const newestFirst = update.pinned || this.order === 'newest';
    this.insertSorted(container, element, newestFirst);
    refreshRelativeTimes(element);
    this.placeKeyEvent(update);
    this.syncSections();
  }

  remove(id: string): void {
    document.getElementById(`update-${id}`)?.remove();
    this.keyEvents.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
    this.syncSections();
  }

  /** Older updates from the API go after everything already shown (before, in oldest-first order). */
  appendOlder(updates: Update[]): void {
    for (const update of updates) {
      if (update.pinned || this.has(update.id)) continue;
      this.insertSorted(this.list, fromHtml(renderUpdate(update)), this.order === 'newest');
    }
    refreshRelativeTimes(this.list);
    this.syncSections();
  }

  setOrder(order: Order): void {
    this.order = order;
    const items = [...this.list.children].reverse();
    if (items.length > 1 && this.isNewestFirst() !== (order === 'newest')) this.list.append(...items);
  }

  private isNewestFirst(): boolean {
    const first = (this.list.firstElementChild as HTMLElement | null)?.dataset.created ?? '';
    const last = (this.list.lastElementChild as HTMLElement | null)?.dataset.created ?? '';
    return first >= last;
  }

  private insertSorted(container: HTMLElement, element: HTMLElement, newestFirst: boolean): void {
    const created = element.dataset.created ?? '';
    const before = [...container.children].find((child) => {
      const other = (child as HTMLElement).dataset.created ?? '';
      return newestFirst ? other < created : other > created;
    });
    container.insertBefore(element, before ?? null);
  }

  private placeKeyEvent(update: Update): void {
    this.keyEvents.querySelector(`li[data-id="${CSS.escape(update.id)}"]`)?.remove();
    if (update.keyEvent) this.insertSorted(this.keyEvents, fromHtml(keyEventItem(update)), true);
  }

  private syncSections(): void {
    (this.pinned.closest('section') as HTMLElement).hidden = this.pinned.children.length === 0;
    (this.keyEvents.closest('nav') as HTMLElement).hidden = this.keyEvents.children.length === 0;
    const empty = document.getElementById('empty');
    if (empty) empty.hidden = this.list.children.length + this.pinned.children.length > 0;
  }
}
