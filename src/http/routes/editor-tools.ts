/** Helpers for the editor dashboard: Markdown preview with the real renderer, and the live reader count. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { storyRoom } from '../../domain/events.ts';
import { LIMITS } from '../../domain/limits.ts';
import { bodyBytes } from '../../domain/update.ts';
import { appError } from '../../errors.ts';
import type { StoryStore } from '../../store/story-store.ts';
import type { RenderAsPublished } from '../render-as-published.ts';
import { errorResponses, StoryParams } from '../schemas.ts';

export interface EditorToolsDeps {
  store: StoryStore;
  /** Readers connected to the story's room, across every API node. */
  countReaders: (room: string) => Promise<number>;
  /** The preview shows photos and cards as the published update will. */
  render: RenderAsPublished;
}

export const editorToolRoutes: FastifyPluginAsyncTypebox<EditorToolsDeps> = async (app, deps) => {
  app.post(
    '/preview',
    {
      onRequest: app.requireAccount,
      schema: {
        tags: ['editor'],
        summary: 'Render Markdown exactly as a published update would be',
        security: [{ bearer: [] }],
        body: Type.Object(
          { body: Type.String({ maxLength: LIMITS.updateBodyBytes }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ html: Type.String() }), ...errorResponses(400, 401, 413) },
      },
    },
    async (request) => {
      if (bodyBytes(request.body.body) > LIMITS.updateBodyBytes) throw appError('UPDATE_TOO_LARGE');
      return { html: await deps.render(request.body.body) };
    },
  );

  app.get(
    '/stories/:id/readers',
    {
      onRequest: app.requireAccount,
      schema: {
        tags: ['editor'],
        summary: 'How many readers are connected to the story right now',
        security: [{ bearer: [] }],
        params: StoryParams,
        response: { 200: Type.Object({ readers: Type.Integer() }), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const story = await deps.store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      return { readers: await deps.countReaders(storyRoom(story.id)) };
    },
  );
};
