/**
 * The "Scheduled" section of the selected story: its scheduled updates with a live countdown, a
 * new time and a cancel for each. The countdown ticks every second in a `timer` (aria-live off),
 * so screen readers are not told every second; a change the editor makes is announced once.
 */
import type { ScheduledUpdate } from '../../src/domain/scheduled-update.ts';
import type { Api } from './api.ts';
import { byId, h } from './dom.ts';
import { countdown, isoToLocalInput, localToIsoWithOffset } from './schedule-time.ts';

export interface ScheduledPanelDeps {
  api(): Api | null;
  onProblem(error: unknown): void;
  onNotice(text: string): void;
}

/** After a post's time, the list is read again this much later, so it leaves the list. */
const AFTER_DUE_MS = 1_500;

export class ScheduledPanel {
  private readonly section = byId('scheduled-section', HTMLElement);
  private readonly list = byId('scheduled-list', HTMLOListElement);
  private readonly empty = byId('scheduled-empty', HTMLParagraphElement);
  private readonly count = byId('scheduled-count', HTMLSpanElement);
  private storyId: string | null = null;
  private items: ScheduledUpdate[] = [];
  private dueTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ScheduledPanelDeps) {
    setInterval(() => this.tick(), 1_000);
    this.section.addEventListener('click', (event) => this.onClick(event));
    this.section.addEventListener('submit', (event) => this.onSubmit(event));
  }

  /** Shows another story's scheduled updates (or none). */
  show(storyId: string | null): void {
    if (storyId === this.storyId) return;
    this.storyId = storyId;
    this.items = [];
    this.draw();
    if (storyId) void this.refresh();
  }

  /** A post from the composer was scheduled: show it, and say so. */
  accepted(storyId: string): void {
    this.deps.onNotice('Update scheduled.');
    if (storyId === this.storyId) void this.refresh();
  }

  async refresh(): Promise<void> {
    const storyId = this.storyId;
    const api = this.deps.api();
    if (!storyId || !api) return;
    try {
      const { updates } = await api.listScheduled(storyId);
      if (storyId !== this.storyId) return;
      this.items = updates;
      this.draw();
    } catch (error) {
      this.deps.onProblem(error);
    }
  }

  private draw(): void {
    this.list.replaceChildren(...this.items.map((item) => this.row(item)));
    this.empty.hidden = this.items.length > 0;
    this.count.textContent = this.items.length > 0 ? String(this.items.length) : '';
    this.tick();
    clearTimeout(this.dueTimer);
    const next = this.items.filter((i) => i.status === 'scheduled').map((i) => Date.parse(i.publishAt));
    if (next.length > 0) {
      const wait = Math.max(0, Math.min(...next) - Date.now()) + AFTER_DUE_MS;
      this.dueTimer = setTimeout(() => void this.refresh(), Math.min(wait, 2 ** 31 - 1));
    }
  }

  private row(item: ScheduledUpdate): HTMLLIElement {
    const inputId = `reschedule-${item.id}`;
    const name = item.title ?? item.body.slice(0, 60);
    const failed = item.status === 'failed';
    return h(
      'li',
      { class: 'scheduled-item', 'data-id': item.id, 'data-state': item.status },
      h(
        'p',
        { class: 'scheduled-text' },
        item.title ? h('strong', {}, item.title) : null,
        ' ',
        item.body.slice(0, 200),
      ),
      h(
        'p',
        { class: 'scheduled-when' },
        failed ? 'Was due ' : 'Publishes ',
        h('time', { datetime: item.publishAt }, new Date(item.publishAt).toLocaleString()),
        failed ? null : ' · ',
        failed ? null : h('span', { class: 'countdown', role: 'timer', 'aria-live': 'off', 'data-at': item.publishAt }),
      ),
      failed
        ? h(
            'p',
            { class: 'is-warning' },
            `Not published (${item.failure?.code ?? 'failed'}): reopen the story and set a new time, or cancel it.`,
          )
        : null,
      h(
        'form',
        { class: 'scheduled-actions', 'data-id': item.id, 'aria-label': `Change “${name}”` },
        h('label', { for: inputId }, 'New time'),
        h('input', {
          id: inputId,
          name: 'publishAt',
          type: 'datetime-local',
          value: isoToLocalInput(item.publishAt),
          required: true,
        }),
        h('button', { type: 'submit', class: 'button small' }, 'Reschedule'),
        h('button', { type: 'button', class: 'button small danger', 'data-scheduled-cancel': item.id }, 'Cancel post'),
      ),
    );
  }

  private tick(): void {
    for (const span of this.list.querySelectorAll<HTMLElement>('.countdown')) {
      span.textContent = countdown(Date.parse(span.dataset.at ?? ''));
    }
  }

  private onClick(event: MouseEvent): void {
    const button =
      event.target instanceof Element ? event.target.closest<HTMLElement>('[data-scheduled-cancel]') : null;
    const id = button?.dataset.scheduledCancel;
    if (id) void this.change(id, 'Scheduled post cancelled.', (api, storyId) => api.deleteUpdate(storyId, id));
  }

  private onSubmit(event: SubmitEvent): void {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const id = form?.dataset.id;
    if (!form || !id) return;
    event.preventDefault();
    const input = form.elements.namedItem('publishAt');
    const publishAt = input instanceof HTMLInputElement ? localToIsoWithOffset(input.value) : null;
    if (!publishAt) return this.deps.onProblem(new Error('Choose the new date and time.'));
    void this.change(id, 'Scheduled post moved.', (api, storyId) => api.editUpdate(storyId, id, { publishAt }));
  }

  private async change(id: string, done: string, send: (api: Api, storyId: string) => Promise<unknown>): Promise<void> {
    const api = this.deps.api();
    const storyId = this.storyId;
    if (!api || !storyId || !this.items.some((item) => item.id === id)) return;
    try {
      await send(api, storyId);
      this.deps.onNotice(done);
    } catch (error) {
      this.deps.onProblem(error);
    }
    await this.refresh();
  }
}
