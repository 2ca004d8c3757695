/** Readers for tests: the product's StoryFeed on a real socket, collecting what it delivers. */
import { StoryFeed, type FeedStatus, type ReaderSocket } from '../../client/lib/story-feed.ts';
import { StoryState } from '../../client/lib/story-state.ts';
import type { StoryEvent } from '../../src/domain/events.ts';

export interface FeedReader {
  feed: StoryFeed;
  events: StoryEvent[];
  state: StoryState;
  statuses: FeedStatus[];
  reloads: { lastSeq: number; epoch: string }[];
}

export function feedReader(
  socket: ReaderSocket,
  apiBase: string,
  storyId: string,
  after = 0,
  epoch?: string,
): FeedReader {
  const reader: FeedReader = {
    events: [],
    state: new StoryState(),
    statuses: [],
    reloads: [],
  } as unknown as FeedReader;
  reader.feed = new StoryFeed({
    socket,
    storyId,
    apiBase,
    after,
    ...(epoch !== undefined && { epoch }),
    onEvent: (event) => {
      reader.events.push(event);
      reader.state.apply(event);
    },
    onStatus: (status) => reader.statuses.push(status),
    onReload: (info) => reader.reloads.push(info),
  });
  return reader;
}

/** 1..n, for comparing a reader's seqs with a gapless, duplicate-free sequence. */
export function seqRange(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
