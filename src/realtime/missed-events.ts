/**
 * What a resubscribing reader missed, read from the story's log. After a node dies or an alert
 * goes out, thousands of readers of one story resubscribe within a second, most of them from
 * the same position, so identical requests are answered by one read.
 *
 * A reader joins the story's room before it asks, and an event published after that reaches it
 * live; the log read must therefore run after the reader joined, or an event published between
 * the read and the join would reach it neither way. So requests are never attached to a read
 * already sent to Redis: they gather into the next read of the same key, which is sent once the
 * one in flight settles. One read in flight per key, and every reader it answers joined first.
 */
import { appError } from '../errors.ts';
import type { StoryEvent } from '../domain/events.ts';
import { LIMITS } from '../domain/limits.ts';
import { mustReload } from '../domain/recovery.ts';
import type { StoryStore } from '../store/story-store.ts';

export interface MissedEvents {
  events: readonly StoryEvent[];
  lastSeq: number;
  epoch: string;
}

async function readMissedEvents(
  store: StoryStore,
  storyId: string,
  after: number,
  replayMax: number,
  epoch: string | undefined,
): Promise<MissedEvents> {
  const events: StoryEvent[] = [];
  let cursor = after;
  for (;;) {
    const read = await store.readEvents(storyId, cursor, LIMITS.eventsPerPage);
    if (!read) throw appError('STORY_NOT_FOUND');
    if (cursor === after && epoch !== undefined && epoch !== read.epoch) {
      throw appError('RELOAD_REQUIRED', 'The story log was replaced; reload the story', {
        lastSeq: read.lastSeq,
        epoch: read.epoch,
      });
    }
    if (cursor === after && mustReload(after, read, replayMax)) {
      throw appError('RELOAD_REQUIRED', undefined, { lastSeq: read.lastSeq, epoch: read.epoch });
    }
    events.push(...read.events);
    const last = read.events.at(-1);
    if (!last || read.events.length < LIMITS.eventsPerPage) return { events, lastSeq: read.lastSeq, epoch: read.epoch };
    cursor = last.seq;
  }
}

interface ReadsOfOneKey {
  /** Sent to Redis; new requests must not attach to it. */
  inFlight?: Promise<MissedEvents>;
  /** Not sent yet; requests gather here. */
  gathering?: Promise<MissedEvents>;
}

const ignore = (): void => undefined;

export class MissedEventsReader {
  private readonly reads = new Map<string, ReadsOfOneKey>();

  constructor(
    private readonly store: StoryStore,
    private readonly replayMaxEvents: number,
  ) {}

  /** Call only after the reader has joined the story's room. */
  read(storyId: string, after: number, epoch: string | undefined): Promise<MissedEvents> {
    const key = `${storyId}\n${after}\n${epoch ?? ''}`;
    let reads = this.reads.get(key);
    if (!reads) this.reads.set(key, (reads = {}));
    if (reads.gathering) return reads.gathering;
    const entry = reads;
    entry.gathering = (entry.inFlight ?? Promise.resolve()).then(ignore, ignore).then(() => {
      entry.gathering = undefined;
      const sent = readMissedEvents(this.store, storyId, after, this.replayMaxEvents, epoch);
      entry.inFlight = sent;
      void sent.then(ignore, ignore).then(() => {
        if (entry.inFlight !== sent) return;
        entry.inFlight = undefined;
        if (!entry.gathering) this.reads.delete(key);
      });
      return sent;
    });
    return entry.gathering;
  }

  /** Keys with a read in flight or gathering; for tests and metrics. */
  get busyKeys(): number {
    return this.reads.size;
  }
}
