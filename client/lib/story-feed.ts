/**
 * The reader's side of a story's live stream, for the browser page and for any JavaScript
 * client: subscribes over Socket.IO from a known position, delivers every event exactly once
 * and in seq order (gaps are filled from the log over HTTP), resubscribes from its position
 * after every reconnect, and says when the position is lost and the story must be reloaded.
 * A subscribe the server could not serve just now (Redis busy or away) is retried with backoff:
 * a reader is never left silently behind by one failed request.
 */
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, StoryEvent, SubscribeAck } from '../../src/domain/events.ts';
import { EventSequencer } from '../../src/domain/sequencer.ts';
import { FINAL_CODES } from '../../src/errors.ts';

export type ReaderSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'reload';

export interface ReloadInfo {
  lastSeq: number;
  epoch: string;
}

export interface StoryFeedOptions {
  socket: ReaderSocket;
  storyId: string;
  /** Origin of the API ('' for the page's own origin). */
  apiBase: string;
  /** The seq the reader already has (the snapshot's lastSeq, or 0 for everything). */
  after: number;
  /** The epoch that `after` belongs to. */
  epoch?: string;
  onEvent: (event: StoryEvent) => void;
  /** The position is gone (log trimmed or replaced): fetch a fresh snapshot, then `restart`. */
  onReload?: (info: ReloadInfo) => void;
  onStatus?: (status: FeedStatus) => void;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 15_000;

export class StoryFeed {
  private sequencer: EventSequencer;
  private epoch: string | undefined;
  private stopped = false;
  private subscribed = false;
  /**
   * Live events that ran ahead of the position while a subscribe is answered: the server sends
   * the replay before the ack, so they wait for it instead of each starting a fetch of the gap
   * (thousands of readers resubscribing at once would otherwise hit the API together).
   */
  private heldUntilAck: StoryEvent[] | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failedAttempts = 0;
  /** Told the page to reload; until it calls restart, retrying the old position is pointless. */
  private awaitingRestart = false;

  constructor(private readonly options: StoryFeedOptions) {
    this.epoch = options.epoch;
    this.sequencer = this.newSequencer(options.after);
    options.socket.on('story-event', this.onStoryEvent);
    options.socket.on('connect', this.onConnect);
    options.socket.on('resync', this.onConnect);
    options.socket.on('disconnect', this.onDisconnect);
    options.socket.io.on('reconnect_failed', this.onReconnectFailed);
    if (options.socket.connected) this.onConnect();
    else this.setStatus('connecting');
  }

  /** The seq of the last event delivered. */
  get position(): number {
    return this.sequencer.position;
  }

  /** Continue from a fresh snapshot after onReload. */
  restart(after: number, epoch: string): void {
    this.awaitingRestart = false;
    this.epoch = epoch;
    this.sequencer = this.newSequencer(after);
    this.subscribe();
  }

  /** Resubscribe from the current position, e.g. when a phone wakes up. */
  resume(): void {
    if (this.options.socket.connected) this.subscribe();
    else this.options.socket.connect();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry();
    const { socket, storyId } = this.options;
    socket.off('story-event', this.onStoryEvent);
    socket.off('connect', this.onConnect);
    socket.off('resync', this.onConnect);
    socket.off('disconnect', this.onDisconnect);
    socket.io.off('reconnect_failed', this.onReconnectFailed);
    if (socket.connected) socket.emit('unsubscribe', { storyId });
  }

  private newSequencer(after: number): EventSequencer {
    return new EventSequencer(
      after,
      (from) => this.fetchAfter(from),
      (event) => this.options.onEvent(event),
    );
  }

  private async fetchAfter(after: number): Promise<StoryEvent[]> {
    const url = `${this.options.apiBase}/api/stories/${encodeURIComponent(this.options.storyId)}/events?after=${after}&limit=1000`;
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET events answered ${response.status}`);
    const body = (await response.json()) as { events: StoryEvent[]; epoch: string };
    if (this.epoch && body.epoch !== this.epoch) {
      this.reload({ lastSeq: 0, epoch: body.epoch });
      return [];
    }
    return body.events;
  }

  private readonly onStoryEvent = (event: StoryEvent): void => {
    if (this.stopped || event.storyId !== this.options.storyId) return;
    if (this.epoch && event.epoch !== this.epoch) return this.reload({ lastSeq: event.seq, epoch: event.epoch });
    if (this.heldUntilAck && event.seq > this.sequencer.position + 1) {
      this.heldUntilAck.push(event);
      return;
    }
    this.sequence(event);
  };

  private sequence(event: StoryEvent): void {
    // A gap the log could not fill over HTTP is filled by a resubscribe, which replays it.
    this.sequencer.push(event).catch(() => this.retryLater());
  }

  private releaseHeld(): void {
    const held = this.heldUntilAck ?? [];
    this.heldUntilAck = undefined;
    // Replayed events can be held too (the position advances a tick behind them); seq order
    // lets the sequencer take them all without seeing a gap.
    for (const event of held.sort((a, b) => a.seq - b.seq)) this.sequence(event);
  }

  private readonly onReconnectFailed = (): void => this.setStatus('offline');

  private readonly onConnect = (): void => {
    this.subscribe();
  };

  private readonly onDisconnect = (): void => {
    this.subscribed = false;
    // The reconnect resubscribes; a pending retry would only repeat it.
    this.cancelRetry();
    this.releaseHeld();
    if (!this.stopped) this.setStatus('reconnecting');
  };

  private subscribe(): void {
    if (this.stopped) return;
    this.cancelRetry();
    const { socket, storyId } = this.options;
    const message = { storyId, after: this.sequencer.position, ...(this.epoch !== undefined && { epoch: this.epoch }) };
    this.heldUntilAck ??= [];
    socket.emit('subscribe', message, (ack: SubscribeAck) => this.onSubscribed(ack));
  }

  private onSubscribed(ack: SubscribeAck): void {
    if (this.stopped) return;
    this.releaseHeld();
    if (!ack.ok) {
      const code = ack.error.code;
      // A story that vanished under a reader (Redis lost its data) is a replaced log, too.
      if (code === 'RELOAD_REQUIRED' || (code === 'STORY_NOT_FOUND' && this.epoch !== undefined)) {
        this.reload({ lastSeq: ack.error.lastSeq ?? 0, epoch: ack.error.epoch ?? '' });
      } else if (FINAL_CODES.has(code)) {
        // The catalogue names the refusals no retry can change: a malformed subscribe, a story
        // that does not exist.
        this.setStatus('offline');
      } else {
        // UNAVAILABLE, INTERNAL, RATE_LIMITED: the server may serve it in a moment.
        this.retryLater();
      }
      return;
    }
    this.failedAttempts = 0;
    this.epoch = ack.epoch;
    this.subscribed = true;
    this.setStatus('live');
  }

  /** Subscribe again after a backoff with jitter, so a struggling server is not stormed. */
  private retryLater(): void {
    if (this.stopped || this.awaitingRestart || this.retryTimer !== undefined) return;
    this.subscribed = false;
    this.setStatus('reconnecting');
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failedAttempts++);
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        if (this.options.socket.connected) this.subscribe();
      },
      ceiling / 2 + Math.random() * (ceiling / 2),
    );
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private reload(info: ReloadInfo): void {
    this.awaitingRestart = true;
    this.cancelRetry();
    this.subscribed = false;
    this.setStatus('reload');
    this.options.onReload?.(info);
  }

  private setStatus(status: FeedStatus): void {
    this.options.onStatus?.(status);
  }

  get isLive(): boolean {
    return this.subscribed;
  }
}
