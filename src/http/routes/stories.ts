/** Stories: create, list, read, change (title, summary, live/ended). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { newEpoch } from '../../domain/ids.ts';
import { LIMITS } from '../../domain/limits.ts';
import { keyPointsProblem } from '../../domain/key-points.ts';
import { CreateStoryBody, PatchStoryBody, Story } from '../../domain/story.ts';
import { appError } from '../../errors.ts';
import { can } from '../../shared/roles.ts';
import type { StoryOpsProducer } from '../../queue/story-ops-producer.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { operationId } from '../operation-id.ts';
import { Accepted, Cursor, errorResponses, IdempotencyHeaders, StoryParams, type RouteApp } from '../schemas.ts';

export interface StoryRoutesDeps {
  store: StoryStore;
  producer: StoryOpsProducer;
}

function createStoryRoute(app: RouteApp, { store }: StoryRoutesDeps): void {
  app.post(
    '/stories',
    {
      onRequest: [app.requireAdmin, app.limitWrites],
      schema: {
        tags: ['stories'],
        summary: 'Create a live story',
        security: [{ bearer: [] }],
        headers: IdempotencyHeaders,
        body: CreateStoryBody,
        response: { 201: Story, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      // With an Idempotency-Key a retry names the same story: one that a 503 left created is answered again.
      const id = operationId(request, 'stories');
      const existing = request.headers['idempotency-key'] ? await store.getStoryById(id) : null;
      if (existing) return reply.status(201).send(existing);
      const story = await store.createStory({
        id,
        slug: request.body.slug,
        title: request.body.title.trim(),
        summary: request.body.summary?.trim() ?? '',
        epoch: newEpoch(),
        at: new Date().toISOString(),
        author: editorOf(request).name,
      });
      request.log.info({ storyId: story.id, editor: editorOf(request).name }, 'story created');
      return reply.status(201).send(story);
    },
  );
}

function listStoriesRoute(app: RouteApp, { store }: StoryRoutesDeps): void {
  app.get(
    '/stories',
    {
      schema: {
        tags: ['stories'],
        summary: 'List stories, newest first',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: LIMITS.storiesPerPage, default: 20 }),
            before: Type.Optional(Cursor),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ stories: Type.Array(Story), next: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const page = await store.listStories(request.query.limit, request.query.before);
      return { stories: page.items, next: page.next };
    },
  );
}

function oneStoryRoute(app: RouteApp, { store }: StoryRoutesDeps): void {
  app.get(
    '/stories/:id',
    {
      schema: {
        tags: ['stories'],
        summary: 'One story, by id or slug',
        params: StoryParams,
        response: { 200: Story, ...errorResponses(404) },
      },
    },
    async (request) => {
      const story = await store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      return story;
    },
  );
}

function checkKeyPoints(keyPoints: string | undefined): void {
  const problem = keyPoints === undefined ? null : keyPointsProblem(keyPoints);
  if (problem === 'KEY_POINTS_TOO_LARGE') throw appError(problem);
  if (problem === 'NOT_A_LIST') {
    throw appError('VALIDATION_FAILED', 'body/keyPoints: must be a Markdown list, one "- " line per point');
  }
}

function patchStoryRoute(app: RouteApp, { store, producer }: StoryRoutesDeps): void {
  app.patch(
    '/stories/:id',
    {
      onRequest: [app.requireEditor, app.limitWrites],
      schema: {
        tags: ['stories'],
        summary: 'Change the title, summary or key points, end or reopen the story (editors and admins)',
        description:
          'Applied by the worker, which appends a `story.updated` event; answers once the change is queued. ' +
          '`keyPoints` must be a Markdown list (blank clears it), at most 4 KiB: else 400 or 413 `KEY_POINTS_TOO_LARGE`.',
        security: [{ bearer: [] }],
        params: StoryParams,
        headers: IdempotencyHeaders,
        body: PatchStoryBody,
        response: { 202: Accepted, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!can(editorOf(request).role, 'story.settings')) throw appError('FORBIDDEN');
      checkKeyPoints(request.body.keyPoints);
      const story = await store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      const opId = `story-${operationId(request, story.id)}`;
      await producer.enqueue({
        kind: 'story.patch',
        storyId: story.id,
        opId,
        author: editorOf(request).name,
        acceptedAt: new Date().toISOString(),
        fields: {
          ...(request.body.title !== undefined && { title: request.body.title.trim() }),
          ...(request.body.summary !== undefined && { summary: request.body.summary.trim() }),
          ...(request.body.keyPoints !== undefined && { keyPoints: request.body.keyPoints.trim() }),
          ...(request.body.status !== undefined && { status: request.body.status }),
        },
      });
      return reply.status(202).send({ id: story.id, storyId: story.id, status: 'queued', opId });
    },
  );
}

export const storyRoutes: FastifyPluginAsyncTypebox<StoryRoutesDeps> = async (app, deps) => {
  createStoryRoute(app, deps);
  listStoriesRoute(app, deps);
  oneStoryRoute(app, deps);
  patchStoryRoute(app, deps);
};
