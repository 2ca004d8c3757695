/**
 * Everything that runs while one story is selected: its live updates, its reader count, the
 * alert counters of updates posted from here, and the changes the editor makes to its updates.
 * Stopping it stops all of that at once when the editor moves to another story or signs out.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';
import type { ReaderSocket } from '../lib/story-feed.ts';
import { watchStoryAlerts } from './alert-counters.ts';
import { ApiError, type Api, type DeliveryStats, type NewUpdate, type UpdateChanges } from './api.ts';
import { LiveStory } from './live-story.ts';
import { repeat, type RepeatResult } from './repeat.ts';
import type { Store } from './store.ts';
import { withEntry, type DashboardState, type PostedUpdate } from './state.ts';

const READERS_INTERVAL_MS = 5_000;
const DELIVERY_INTERVAL_MS = 3_000;
/**
 * The fan-out runs moments after the publish and, with no subscribers, leaves every counter at
 * 0: "nothing pending" is only believed once the counts stayed the same over a few polls.
 */
const DELIVERY_MIN_POLLS = 3;

export class StorySession {
  private readonly live: LiveStory;
  private readonly stoppers: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly api: Api,
    socket: ReaderSocket,
    readonly storyId: string,
    private readonly store: Store<DashboardState>,
    private readonly onError: (error: ApiError) => void,
  ) {
    this.live = new LiveStory(api, socket, storyId, {
      onChange: (updates, olderCursor, event) => this.onChange(updates, olderCursor, event),
      onStatus: (feed) => this.store.set({ feed }),
      onError: (error) => {
        this.store.set({ updatesLoading: false });
        this.onError(error);
      },
    });
    void this.live.start();
    this.stoppers.push(repeat(() => this.refreshReaders(), READERS_INTERVAL_MS));
    this.stoppers.push(watchStoryAlerts(api, storyId, store, onError));
  }

  stop(): void {
    this.stopped = true;
    this.live.stop();
    for (const stop of this.stoppers) stop();
  }

  loadOlder(): Promise<void> {
    return this.live.loadOlder();
  }

  /** Called after the 202: the update is queued, or already published if its event won the race. */
  posted(update: NewUpdate): void {
    const published = this.live.has(update.id);
    const current = this.current(update.id);
    const entry: PostedUpdate = {
      phase: published ? 'published' : 'queued',
      alert: update.notify || update.breaking,
      breaking: update.breaking,
      delivery: null,
      title: update.title,
      body: update.body,
      postedAt: new Date().toISOString(),
    };
    this.store.set((state) => ({
      posted: withEntry(state.posted, update.id, entry),
      notice: published ? 'Update published.' : 'Update accepted; publishing…',
    }));
    if (published && entry.alert) this.watchDelivery(update.id);
    if (current) this.reconcile(current, entry);
  }

  change(updateId: string, changes: UpdateChanges): Promise<unknown> {
    return this.api.editUpdate(this.storyId, updateId, changes);
  }

  remove(updateId: string): Promise<unknown> {
    return this.api.deleteUpdate(this.storyId, updateId);
  }

  current(updateId: string): Update | undefined {
    return this.store.get().updates.find((update) => update.id === updateId);
  }

  private onChange(updates: Update[], olderCursor: string | null, event?: StoryEvent): void {
    if (this.stopped) return;
    const justPublished =
      event?.type === 'update.created' && event.update && this.store.get().posted[event.update.id]?.phase === 'queued'
        ? event.update.id
        : null;
    this.store.set((state) => {
      let { posted, stories, statusChange, notice } = state;
      if (justPublished) {
        const entry = posted[justPublished];
        if (entry) posted = withEntry(posted, justPublished, { ...entry, phase: 'published' });
        notice = 'Update published.';
      }
      const story = event?.type === 'story.updated' ? event.story : undefined;
      if (story) {
        stories = stories.map((s) =>
          s.id === story.id ? { ...s, ...story, lastSeq: story.lastSeq ?? event?.seq ?? s.lastSeq } : s,
        );
        if (story.status === statusChange) statusChange = null;
      }
      return { updates, olderCursor, updatesLoading: false, posted, stories, statusChange, notice };
    });
    const entry = justPublished ? this.store.get().posted[justPublished] : undefined;
    if (entry?.alert && justPublished) this.watchDelivery(justPublished);
    if (entry && event?.update) this.reconcile(event.update, entry);
  }

  /**
   * A publish retried under the same id after a lost answer is a no-op if the first attempt got
   * through; if the editor changed the text in between, the published update then holds the old
   * text. Editing it to what was sent last keeps the editor's latest words.
   */
  private reconcile(published: Update, sent: PostedUpdate): void {
    const changes: UpdateChanges = {};
    if (published.title !== sent.title) changes.title = sent.title;
    if (published.body !== sent.body) changes.body = sent.body;
    if (Object.keys(changes).length === 0) return;
    this.store.set({ notice: 'An earlier attempt had gone through; updating it with your latest text.' });
    this.change(published.id, changes).catch((error: unknown) => this.onError(error as ApiError));
  }

  private watchDelivery(updateId: string): void {
    let polls = 0;
    let last = '';
    this.stoppers.push(
      repeat(async (): Promise<RepeatResult> => {
        let stats: DeliveryStats;
        try {
          stats = await this.api.delivery(this.storyId, updateId);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'UNAUTHORIZED') this.onError(error);
          // Counters are a courtesy: only a lost connection is worth asking again.
          return error instanceof ApiError && error.status === null ? 'again' : 'stop';
        }
        if (this.stopped) return 'stop';
        polls++;
        this.store.set((state) => {
          const entry = state.posted[updateId];
          return entry ? { posted: withEntry(state.posted, updateId, { ...entry, delivery: stats }) } : {};
        });
        const counts = JSON.stringify(stats);
        const settled = stats.pending === 0 && counts === last && polls >= DELIVERY_MIN_POLLS;
        last = counts;
        return settled ? 'stop' : 'again';
      }, DELIVERY_INTERVAL_MS),
    );
  }

  private async refreshReaders(): Promise<RepeatResult> {
    if (document.hidden) return 'again';
    // This dashboard's own socket is in the story's room: leave it out of the count, and skip a
    // count taken while it was joining or leaving.
    const subscribedBefore = this.live.isSubscribed;
    try {
      const { readers } = await this.api.readers(this.storyId);
      if (this.stopped || this.live.isSubscribed !== subscribedBefore) return 'again';
      this.store.set({ readers: Math.max(0, readers - (subscribedBefore ? 1 : 0)) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHORIZED') this.onError(error);
    }
    return 'again';
  }
}
