/** A story's alerts with their delivery counters, for the dashboard's update list after a reload. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appError } from '../../errors.ts';
import type { AlertIndex } from '../../push/alert-index.ts';
import type { DeliveryStore } from '../../push/delivery-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { errorResponses, StoryParams } from '../schemas.ts';

export interface StoryAlertRoutesDeps {
  store: StoryStore;
  alerts: AlertIndex;
  delivery: DeliveryStore;
}

const Count = Type.Integer({ minimum: 0 });
const AlertSchema = Type.Object({
  updateId: Type.String(),
  breaking: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
  delivery: Type.Object({ targeted: Count, sent: Count, failed: Count, pruned: Count, pending: Count }),
});

export const storyAlertRoutes: FastifyPluginAsyncTypebox<StoryAlertRoutesDeps> = async (app, deps) => {
  app.get(
    '/stories/:id/alerts',
    {
      onRequest: app.requireEditor,
      schema: {
        tags: ['push'],
        summary: "The story's alerted updates with their delivery counters, newest first",
        security: [{ bearer: [] }],
        params: StoryParams,
        response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const story = await deps.store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      return { alerts: await deps.alerts.listWithDelivery(story.id, deps.delivery) };
    },
  );
};
