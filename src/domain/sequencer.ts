/**
 * Turns an at-least-once, possibly reordered stream of one story's events into exactly-once, in
 * seq order. Several workers publish concurrently, so seq 7 can overtake seq 6 on the wire; the
 * log already holds every seq below any published one, so a gap is filled by reading the log.
 * Used by the SSE endpoint on the server and by the reader's client in the browser.
 */
import type { StoryEvent } from './events.ts';

export type FetchEventsAfter = (after: number) => Promise<StoryEvent[]>;

export class EventSequencer {
  private chain: Promise<void> = Promise.resolve();
  private lastSeq: number;

  constructor(
    lastSeq: number,
    private readonly fetchAfter: FetchEventsAfter,
    private readonly deliver: (event: StoryEvent) => void,
  ) {
    this.lastSeq = lastSeq;
  }

  get position(): number {
    return this.lastSeq;
  }

  /** Resolves when this event (and any gap before it) has been delivered or dropped as a duplicate. */
  push(event: StoryEvent): Promise<void> {
    // A failed gap fill rejects that push only; later pushes still run (and retry the fill).
    const result = this.chain.then(() => this.accept(event));
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async accept(event: StoryEvent): Promise<void> {
    if (event.seq <= this.lastSeq) return;
    if (event.seq > this.lastSeq + 1) await this.fillGap(event.seq);
    if (event.seq === this.lastSeq + 1) this.emit(event);
  }

  private async fillGap(upTo: number): Promise<void> {
    while (this.lastSeq + 1 < upTo) {
      const missing = await this.fetchAfter(this.lastSeq);
      const next = missing.filter((e) => e.seq > this.lastSeq && e.seq < upTo);
      if (next.length === 0) throw new Error(`events ${this.lastSeq + 1}..${upTo - 1} are not in the log`);
      for (const e of next) {
        if (e.seq === this.lastSeq + 1) this.emit(e);
      }
    }
  }

  private emit(event: StoryEvent): void {
    this.lastSeq = event.seq;
    this.deliver(event);
  }
}
