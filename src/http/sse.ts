/**
 * One Server-Sent Events stream of a story: subscribe to live events first, replay the log after
 * the client's position, then stream live through an EventSequencer, so the client gets every
 * event once and in seq order even when workers publish out of order.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { StoryEvent } from '../domain/events.ts';
import { LIMITS } from '../domain/limits.ts';
import { mustReload } from '../domain/recovery.ts';
import { EventSequencer } from '../domain/sequencer.ts';
import type { Story } from '../domain/story.ts';
import type { StoryEventHub } from '../realtime/story-event-hub.ts';
import type { StoryStore } from '../store/story-store.ts';

export interface SseOptions {
  store: StoryStore;
  hub: StoryEventHub;
  story: Story;
  /** The client's position; undefined: as far back as the log and REPLAY_MAX_EVENTS allow. */
  after: number | undefined;
  replayMaxEvents: number;
}

const HEARTBEAT_MS = 15_000;

function frame(event: StoryEvent): string {
  return `id: ${event.seq}\nevent: story-event\ndata: ${JSON.stringify(event)}\n\n`;
}

async function defaultPosition(store: StoryStore, story: Story, replayMaxEvents: number): Promise<number> {
  const bounds = await store.readEvents(story.id, story.lastSeq, 1);
  if (!bounds) return story.lastSeq;
  const oldestKept = bounds.firstSeq > 0 ? bounds.firstSeq - 1 : bounds.lastSeq;
  return Math.max(bounds.lastSeq - replayMaxEvents, oldestKept);
}

export async function streamStoryEvents(
  request: FastifyRequest,
  res: ServerResponse,
  options: SseOptions,
): Promise<void> {
  const { store, hub, story } = options;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n\n`);

  const close = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    stopCatchingUp();
    if (!res.writableEnded) res.end();
  };
  const fetchAfter = async (after: number): Promise<StoryEvent[]> => {
    const read = await store.readEvents(story.id, after, LIMITS.eventsPerPage);
    return read?.events ?? [];
  };
  const after = options.after ?? (await defaultPosition(store, story, options.replayMaxEvents));
  const sequencer = new EventSequencer(after, fetchAfter, (event) => res.write(frame(event)));
  const pending: StoryEvent[] = [];
  let replaying = true;
  const unsubscribe = hub.subscribe(
    story.id,
    (event) => {
      if (replaying) pending.push(event);
      else sequencer.push(event).catch(fail);
    },
    () => close(),
  );
  // After a Redis subscription outage, read what was missed instead of waiting for the next event.
  const stopCatchingUp = hub.onRestored(() => {
    void fetchAfter(sequencer.position).then(
      (missed) => missed.forEach((event) => sequencer.push(event).catch(fail)),
      fail,
    );
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  request.raw.on('close', close);

  function fail(error: unknown): void {
    request.log.warn({ err: error, storyId: story.id }, 'SSE stream failed; the client will reconnect');
    close();
  }

  try {
    // Events published before the story's channel is live would reach neither the stream nor the replay.
    await hub.whenLive(story.id);
    let read = await store.readEvents(story.id, after, LIMITS.eventsPerPage);
    if (!read || mustReload(after, read, options.replayMaxEvents)) {
      // The client's position is not in the log any more: tell it to reload, then close.
      const reload = { code: 'RELOAD_REQUIRED', lastSeq: read?.lastSeq ?? 0, epoch: read?.epoch ?? '' };
      res.write(`event: reload\ndata: ${JSON.stringify(reload)}\n\n`);
      return close();
    }
    while (read) {
      for (const event of read.events) await sequencer.push(event);
      if (read.events.length < LIMITS.eventsPerPage) break;
      read = await store.readEvents(story.id, sequencer.position, LIMITS.eventsPerPage);
    }
    replaying = false;
    for (const event of pending.splice(0)) sequencer.push(event).catch(fail);
  } catch (error) {
    fail(error);
  }
}
