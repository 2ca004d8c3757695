/**
 * The story's event log over HTTP: a JSON page (`?after=&limit=`), or with
 * `Accept: text/event-stream` a Server-Sent Events stream (event id = seq, resumable with
 * Last-Event-ID) for clients without Socket.IO.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LIMITS } from '../../domain/limits.ts';
import type { StoryEventHub } from '../../realtime/story-event-hub.ts';
import { appError } from '../../errors.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { errorResponses, StoryParams } from '../schemas.ts';
import { streamStoryEvents } from '../sse.ts';

export interface EventRoutesDeps {
  store: StoryStore;
  hub: StoryEventHub;
  replayMaxEvents: number;
}

const StoryEventSchema = Type.Object({
  storyId: Type.String(),
  seq: Type.Integer(),
  epoch: Type.String(),
  type: Type.String(),
  at: Type.String(),
  update: Type.Optional(Type.Unknown()),
  story: Type.Optional(Type.Unknown()),
});

export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesDeps> = async (app, deps) => {
  app.get(
    '/stories/:id/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The story event log (JSON page, or Server-Sent Events with Accept: text/event-stream)',
        params: StoryParams,
        querystring: Type.Object(
          {
            after: Type.Optional(
              Type.Integer({
                minimum: 0,
                description:
                  'Events after this seq (default: from the start of the log; for SSE without Last-Event-ID: the most recent REPLAY_MAX_EVENTS)',
              }),
            ),
            limit: Type.Integer({ minimum: 1, maximum: LIMITS.eventsPerPage, default: 100 }),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^\\d{1,16}$' })) }),
        response: {
          200: Type.Object({
            events: Type.Array(StoryEventSchema),
            lastSeq: Type.Integer(),
            epoch: Type.String(),
            firstSeq: Type.Integer({
              description: 'Oldest seq still in the log (0 if empty): a reader behind it must reload',
            }),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const story = await deps.store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      if (request.headers.accept?.includes('text/event-stream')) {
        const lastEventId = request.headers['last-event-id'];
        // A client that names no position wants the stream, not a reload: start as far back as the log allows.
        const after = lastEventId !== undefined ? Number(lastEventId) : request.query.after;
        reply.hijack();
        await streamStoryEvents(request, reply.raw, { ...deps, story, after });
        return reply;
      }
      const read = await deps.store.readEvents(story.id, request.query.after ?? 0, request.query.limit);
      if (!read) throw appError('STORY_NOT_FOUND');
      return read;
    },
  );
};
