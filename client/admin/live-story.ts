/**
 * The selected story's updates, kept current: a snapshot from `GET …/updates`, then every event
 * from the live feed on top of it. When the feed says the snapshot's position is gone
 * (RELOAD_REQUIRED), a fresh snapshot replaces it and the feed restarts from there.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';
import { StoryFeed, type FeedStatus, type ReaderSocket } from '../lib/story-feed.ts';
import { StoryState } from '../lib/story-state.ts';
import type { Api, ApiError } from './api.ts';

export interface LiveStoryListener {
  /** The updates changed; `event` is the event that changed them, if any. */
  onChange(updates: Update[], olderCursor: string | null, event?: StoryEvent): void;
  onStatus(status: FeedStatus): void;
  onError(error: ApiError): void;
}

const RETRY_MS = 3_000;

export class LiveStory {
  private state = new StoryState();
  private feed: StoryFeed | null = null;
  private olderCursor: string | null = null;
  private stopped = false;
  private reloading = false;

  constructor(
    private readonly api: Api,
    private readonly socket: ReaderSocket,
    readonly storyId: string,
    private readonly listener: LiveStoryListener,
  ) {}

  async start(): Promise<void> {
    let page = await this.snapshot(true);
    while (!page && !this.stopped) {
      // Say it once, then keep trying quietly: the server or the network may come back.
      this.listener.onStatus('offline');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      if (!this.stopped) page = await this.snapshot(false);
    }
    if (!page || this.stopped) return;
    this.feed = new StoryFeed({
      socket: this.socket,
      storyId: this.storyId,
      apiBase: '',
      after: page.lastSeq,
      epoch: page.epoch,
      onEvent: (event) => this.apply(event),
      onReload: () => void this.reload(),
      onStatus: (status) => this.listener.onStatus(status),
    });
  }

  /** Whether this dashboard's own socket is in the story's room (and so counted as a reader). */
  get isSubscribed(): boolean {
    return this.feed?.isLive ?? false;
  }

  has(updateId: string): boolean {
    return this.state.updates.has(updateId);
  }

  async loadOlder(): Promise<void> {
    if (!this.olderCursor) return;
    try {
      const page = await this.api.listUpdates(this.storyId, this.olderCursor);
      if (this.stopped) return;
      // The live state is newer than any page: keep it where both have an update.
      for (const update of page.updates)
        if (!this.state.updates.has(update.id)) this.state.updates.set(update.id, update);
      this.olderCursor = page.next;
      this.emit();
    } catch (error) {
      this.listener.onError(error as ApiError);
    }
  }

  stop(): void {
    this.stopped = true;
    this.feed?.stop();
  }

  private async snapshot(reportErrors: boolean) {
    try {
      const page = await this.api.listUpdates(this.storyId);
      if (this.stopped) return null;
      this.state = new StoryState(page.updates, page.lastSeq);
      this.olderCursor = page.next;
      this.emit();
      return page;
    } catch (error) {
      if (!this.stopped && reportErrors) this.listener.onError(error as ApiError);
      return null;
    }
  }

  private apply(event: StoryEvent): void {
    if (this.stopped) return;
    this.state.apply(event);
    this.emit(event);
  }

  private async reload(): Promise<void> {
    // Events of the new epoch keep asking for a reload until the restart; one is enough.
    if (this.reloading || this.stopped) return;
    this.reloading = true;
    try {
      const page = await this.snapshot(false);
      if (page) this.feed?.restart(page.lastSeq, page.epoch);
      // The feed waits for a restart, so a failed snapshot must be retried here.
      else if (!this.stopped) setTimeout(() => void this.reload(), RETRY_MS);
    } finally {
      this.reloading = false;
    }
  }

  private emit(event?: StoryEvent): void {
    this.listener.onChange(this.state.newestFirst(), this.olderCursor, event);
  }
}
