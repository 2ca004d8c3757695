/**
 * subscribe/unsubscribe from readers: join the story's room first, then replay what the reader
 * missed from the log, then acknowledge. A live event that races the replay can arrive twice or
 * early; the reader's sequencer drops it by seq. A position the log no longer covers (trimmed,
 * Redis lost, another epoch) is answered with RELOAD_REQUIRED instead of a silent gap.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import {
  storyRoom,
  SubscribeMessage,
  UnsubscribeMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from '../domain/events.ts';
import { AppError, appError, isAppError } from '../errors.ts';
import { isRedisUnavailable } from '../redis/connections.ts';
import type { StoryStore } from '../store/story-store.ts';
import { MissedEventsReader } from './missed-events.ts';
import type { StoryIo } from './socket-server.ts';

export interface SubscriptionDeps {
  store: StoryStore;
  /** Resolves once this node receives the story's events (its room's channel is live). */
  whenLive(storyId: string): Promise<void>;
  logger: Logger;
  replayMaxEvents: number;
  maxSubscriptionsPerSocket: number;
}

type ReaderSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const checkSubscribe = Compile(SubscribeMessage);
const checkUnsubscribe = Compile(UnsubscribeMessage);

function validationError(errors: Iterable<{ instancePath: string; message: string }>): AppError {
  const first = [...errors][0];
  return appError('VALIDATION_FAILED', first ? `${first.instancePath || 'message'} ${first.message}` : undefined);
}

export function registerSubscriptionHandlers(io: StoryIo, deps: SubscriptionDeps): void {
  const { store, logger } = deps;
  const missedEvents = new MissedEventsReader(store, deps.replayMaxEvents);

  async function subscribe(socket: ReaderSocket, message: SubscribeMessage): Promise<SubscribeAck> {
    const room = storyRoom(message.storyId);
    const joined = [...socket.rooms].filter((r) => r.startsWith('story:')).length;
    if (!socket.rooms.has(room) && joined >= deps.maxSubscriptionsPerSocket) {
      throw appError('BAD_REQUEST', `At most ${deps.maxSubscriptionsPerSocket} stories per connection`);
    }
    // Join (the adapter subscribes the room's channel) and wait until the channel is live before
    // reading the log, so nothing published in between is missed.
    await socket.join(room);
    try {
      await deps.whenLive(message.storyId);
      if (message.after === undefined) {
        const story = await store.getStoryById(message.storyId);
        if (!story) throw appError('STORY_NOT_FOUND');
        return { ok: true, lastSeq: story.lastSeq, epoch: story.epoch, replayed: 0 };
      }
      // One read answers everything a resuming reader needs: existence, epoch, and what it missed.
      const missed = await missedEvents.read(message.storyId, message.after, message.epoch);
      for (const event of missed.events) socket.emit('story-event', event);
      return { ok: true, lastSeq: missed.lastSeq, epoch: missed.epoch, replayed: missed.events.length };
    } catch (error) {
      await socket.leave(room);
      throw error;
    }
  }

  function failure(error: unknown): SubscribeAck {
    if (isAppError(error)) {
      const details = (error.details ?? {}) as { lastSeq?: number; epoch?: string };
      return { ok: false, error: { ...error.toBody(), ...details } };
    }
    if (isRedisUnavailable(error)) return { ok: false, error: appError('UNAVAILABLE').toBody() };
    logger.error({ err: error }, 'subscribe failed');
    return { ok: false, error: appError('INTERNAL').toBody() };
  }

  io.on('connection', (socket) => {
    socket.on('subscribe', (message, ack) => {
      // A reader that sends no ack function gets nothing back, but is still served.
      const reply = typeof ack === 'function' ? ack : () => undefined;
      if (!checkSubscribe.Check(message)) return reply(failure(validationError(checkSubscribe.Errors(message))));
      subscribe(socket, message).then(reply, (error: unknown) => reply(failure(error)));
    });

    socket.on('unsubscribe', (message, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      if (!checkUnsubscribe.Check(message)) {
        return reply({ ok: false, error: validationError(checkUnsubscribe.Errors(message)).toBody() });
      }
      void Promise.resolve(socket.leave(storyRoom(message.storyId))).then(() => reply({ ok: true }));
    });
  });
}
