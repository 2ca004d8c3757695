/**
 * A story's current updates rebuilt from its events: what a reader shows. The same reducer runs
 * in the browser and in the tests that compare readers with `GET /updates`.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';

export class StoryState {
  readonly updates = new Map<string, Update>();
  lastSeq = 0;

  constructor(initial: Update[] = [], lastSeq = 0) {
    for (const update of initial) this.updates.set(update.id, update);
    this.lastSeq = lastSeq;
  }

  apply(event: StoryEvent): void {
    this.lastSeq = event.seq;
    const update = event.update;
    if (!update) return;
    if (event.type === 'update.deleted') this.updates.delete(update.id);
    else this.updates.set(update.id, update);
  }

  /** Newest first by the time the API accepted each update (what an editor or reader expects to see). */
  newestFirst(): Update[] {
    return [...this.updates.values()].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
  }
}
