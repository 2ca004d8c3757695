/**
 * Updates of a story. Writes are checked against the current state (so the usual mistakes get a
 * clear 4xx at once), queued, and answered 202 once the job is in Redis; the worker applies them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { LIMITS } from '../../domain/limits.ts';
import type { Story } from '../../domain/story.ts';
import { bodyBytes, CreateUpdateBody, PatchUpdateBody, publicUpdate, Update } from '../../domain/update.ts';
import type { Update as UpdateValue } from '../../domain/update.ts';
import { appError } from '../../errors.ts';
import { cachedBody, type CachedBody } from '../cache/cached-body.ts';
import type { CacheFront } from '../cache/cache-front.ts';
import type { HotCache } from '../cache/hot-cache.ts';
import { hotRead } from '../cache/hot-read.ts';
import type { StoryOpsProducer } from '../../queue/story-ops-producer.ts';
import type { EditorStore } from '../../store/editor-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { editOwnSubmission, isContributor, submitForReview, withdrawOwnSubmission } from './review-submissions.ts';
import { HELD_LISTS, HeldListPage, isHeldStatus, UpdateListStatus, type HeldStatus } from './update-list-status.ts';
import { operationId } from '../operation-id.ts';
import type { RenderAsPublished } from '../render-as-published.ts';
import { checkAuthors } from './update-authors.ts';
import {
  cancelScheduledUpdate,
  changeScheduledUpdate,
  scheduleUpdate,
  type ScheduledDeps,
} from './scheduled-updates.ts';
import {
  Accepted,
  Cursor,
  errorResponses,
  IdempotencyHeaders,
  StoryParams,
  UpdateParams,
  type RouteApp,
  type RouteRequest,
} from '../schemas.ts';

export interface UpdateRoutesDeps extends ScheduledDeps {
  store: StoryStore;
  producer: StoryOpsProducer;
  /** Checks the authors an update names. */
  editors: EditorStore;
  /** Pages of hot stories' updates, serialized; story events invalidate them. */
  cache: HotCache<CachedBody>;
  /** Answers repeats of a cached list before Fastify does. */
  front: CacheFront;
  maxPinned: number;
  /** Contributors' submissions awaiting review. */
  review: ReviewStore;
  /** A submission's HTML, as the worker will publish it. */
  render: RenderAsPublished;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const WRITE_ERRORS = errorResponses(400, 401, 403, 404, 409, 410, 413, 415, 429, 503);

export interface UpdatesPage {
  updates: UpdateValue[];
  next: string | null;
  lastSeq: number;
  epoch: string;
}

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: LIMITS.updatesPerPage, default: 20 }),
    before: Type.Optional(Cursor),
    status: Type.Optional(UpdateListStatus),
  },
  { additionalProperties: false },
);
type ListRequest = RouteRequest<{ params: typeof StoryParams; querystring: typeof ListQuery }>;

async function storyOrThrow(store: StoryStore, idOrSlug: string): Promise<Story> {
  const story = await store.getStory(idOrSlug);
  if (!story) throw appError('STORY_NOT_FOUND');
  return story;
}

function checkBodySize(body: string | undefined): void {
  if (body !== undefined && bodyBytes(body) > LIMITS.updateBodyBytes) throw appError('UPDATE_TOO_LARGE');
}

async function checkPinRoom({ store, maxPinned }: UpdateRoutesDeps, story: Story, updateId: string): Promise<void> {
  const pinned = await store.pinnedIds(story.id);
  if (!pinned.includes(updateId) && pinned.length >= maxPinned) {
    throw appError('PINNED_LIMIT_REACHED', `At most ${maxPinned} updates can be pinned; unpin one first`);
  }
}

/** An update that exists, or whose create is still queued (accepted moments ago). */
async function checkUpdateExists({ store, producer }: UpdateRoutesDeps, story: Story, updateId: string) {
  const update = await store.getUpdate(story.id, updateId);
  if (update?.deleted) throw appError('UPDATE_DELETED');
  if (update) return;
  if (await producer.isCreateAccepted(story.id, updateId)) return;
  throw appError('UPDATE_NOT_FOUND');
}

function accepted(request: FastifyRequest, story: Story, id: string, opId: string) {
  request.log.info({ storyId: story.id, updateId: id, opId }, 'update op queued');
  return { id, storyId: story.id, status: 'queued' as const, opId };
}

function createUpdateRoute(app: RouteApp, deps: UpdateRoutesDeps): void {
  const { store, producer } = deps;
  app.post(
    '/stories/:id/updates',
    {
      onRequest: [app.requireAccount, app.limitWrites],
      schema: {
        tags: ['updates'],
        summary: 'Post an update',
        description:
          'A client-chosen `id` or an `Idempotency-Key` header makes retries safe: the same id yields one update and one event.',
        security: [{ bearer: [] }],
        params: StoryParams,
        headers: IdempotencyHeaders,
        body: CreateUpdateBody,
        response: { 202: Accepted, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const story = await storyOrThrow(store, request.params.id);
      const { body } = request;
      checkBodySize(body.body);
      if (isContributor(request)) return submitForReview(deps, request, reply, story, body);
      const updateId = body.id ?? operationId(request, story.id);
      if (body.authors) await checkAuthors(deps.editors, body.authors);
      if (body.publishAt !== undefined)
        return reply.status(202).send(await scheduleUpdate(deps, request, story, updateId));
      // Posting now an id that waits for its time would publish it early, with this body.
      if (await deps.scheduled.isScheduled(story.id, updateId)) throw appError('UPDATE_SCHEDULED');
      const opId = `create-${updateId}`;
      // A retry of an update that exists already is answered like the first time, and queues nothing.
      if (await store.getUpdate(story.id, updateId))
        return reply.status(202).send(accepted(request, story, updateId, opId));
      if (story.status === 'ended') throw appError('STORY_ENDED');
      if (body.pinned) await checkPinRoom(deps, story, updateId);
      await producer.enqueue({
        kind: 'update.create',
        storyId: story.id,
        updateId,
        opId,
        author: editorOf(request).name,
        acceptedAt: new Date().toISOString(),
        authors: body.authors ?? [editorOf(request).name],
        fields: {
          title: body.title?.trim() || null,
          body: body.body,
          pinned: body.pinned ?? false,
          keyEvent: body.keyEvent ?? false,
        },
        notify: (body.notify ?? false) || (body.breaking ?? false),
        breaking: body.breaking ?? false,
      });
      return reply.status(202).send(accepted(request, story, updateId, opId));
    },
  );
}

function editUpdateRoute(app: RouteApp, deps: UpdateRoutesDeps): void {
  app.patch(
    '/stories/:id/updates/:updateId',
    {
      onRequest: [app.requireAccount, app.limitWrites],
      schema: {
        tags: ['updates'],
        summary: 'Edit, pin or unpin an update, or mark it a key event',
        security: [{ bearer: [] }],
        params: UpdateParams,
        headers: IdempotencyHeaders,
        body: PatchUpdateBody,
        response: { 202: Accepted, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const story = await storyOrThrow(deps.store, request.params.id);
      const { updateId } = request.params;
      checkBodySize(request.body.body);
      if (isContributor(request)) return editOwnSubmission(deps, request, reply, story, updateId, request.body);
      if (request.body.authors) await checkAuthors(deps.editors, request.body.authors);
      if (await deps.scheduled.isScheduled(story.id, updateId)) {
        return reply.status(202).send(await changeScheduledUpdate(deps, request, story, updateId));
      }
      if (request.body.publishAt !== undefined)
        throw appError('VALIDATION_FAILED', 'Only a scheduled update has a publishAt');
      await checkUpdateExists(deps, story, updateId);
      if (request.body.pinned) await checkPinRoom(deps, story, updateId);
      const opId = `edit-${operationId(request, updateId)}`;
      const { title, authors, publishAt: _publishAt, ...rest } = request.body;
      await deps.producer.enqueue({
        kind: 'update.edit',
        storyId: story.id,
        updateId,
        opId,
        author: editorOf(request).name,
        acceptedAt: new Date().toISOString(),
        ...(authors && { authors }),
        fields: { ...rest, ...(title !== undefined && { title: title?.trim() || null }) },
      });
      return reply.status(202).send(accepted(request, story, updateId, opId));
    },
  );
}

function deleteUpdateRoute(app: RouteApp, deps: UpdateRoutesDeps): void {
  app.delete(
    '/stories/:id/updates/:updateId',
    {
      onRequest: [app.requireAccount, app.limitWrites],
      schema: {
        tags: ['updates'],
        summary: 'Delete an update',
        description: "A contributor's DELETE withdraws their own submission (204).",
        security: [{ bearer: [] }],
        params: UpdateParams,
        headers: IdempotencyHeaders,
        response: { 202: Accepted, 204: Type.Null(), ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const story = await storyOrThrow(deps.store, request.params.id);
      const { updateId } = request.params;
      if (isContributor(request)) return withdrawOwnSubmission(deps.review, request, reply, story, updateId);
      if (await deps.scheduled.isScheduled(story.id, updateId)) {
        return reply.status(202).send(await cancelScheduledUpdate(deps, request, story, updateId));
      }
      await checkUpdateExists(deps, story, updateId);
      // One delete per update: retries and double clicks collapse into the same op.
      const opId = `delete-${updateId}`;
      await deps.producer.enqueue({
        kind: 'update.delete',
        storyId: story.id,
        updateId,
        opId,
        author: editorOf(request).name,
        acceptedAt: new Date().toISOString(),
        fields: {},
      });
      return reply.status(202).send(accepted(request, story, updateId, opId));
    },
  );
}

/** A page of a story's updates, from the hot cache when it holds it. */
function listUpdatesRoute(app: RouteApp, deps: UpdateRoutesDeps): void {
  const { store, cache, front } = deps;
  const read = hotRead({
    cache,
    front,
    contentType: JSON_TYPE,
    key: (request: ListRequest) => `${request.params.id}|${request.query.limit}|${request.query.before ?? ''}`,
    story: (request) => storyOrThrow(store, request.params.id),
    async make(request, reply, story) {
      const page = await store.listUpdates(story.id, request.query.limit, request.query.before);
      if (!page) throw appError('STORY_NOT_FOUND');
      const value: UpdatesPage = { updates: page.items, next: page.next, lastSeq: page.lastSeq, epoch: page.epoch };
      // Serialized once by the route's own response schema, then sent as bytes from the cache.
      return { etag: String(page.lastSeq), body: cachedBody(String(reply.serialize(value))), keep: true };
    },
  });
  app.get(
    '/stories/:id/updates',
    {
      schema: {
        tags: ['updates'],
        summary: 'Current updates, newest first',
        description:
          'Deleted updates are left out. `lastSeq` and `epoch` say which point of the event log this page reflects: subscribe with `after: lastSeq` to continue live from it.',
        params: StoryParams,
        querystring: ListQuery,
        response: {
          // A held list first: serialization takes the first schema the answer fits, and a held
          // answer (no cursor, its own fields) would also fit the public page's and lose them.
          200: Type.Union([
            HeldListPage,
            Type.Object({
              updates: Type.Array(Update),
              next: Type.Union([Type.String(), Type.Null()]),
              lastSeq: Type.Integer(),
              epoch: Type.String(),
            }),
          ]),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { status } = request.query;
      if (!isHeldStatus(status)) return read(request, reply);
      return readHeldList(app, deps, request, status);
    },
  );
}

/** A held list is private (a token, the role its reader asks for) and never cached. */
async function readHeldList(app: RouteApp, deps: UpdateRoutesDeps, request: ListRequest, status: HeldStatus) {
  const list = HELD_LISTS[status];
  await (list.access === 'editor' ? app.requireEditor(request) : app.requireAccount(request));
  const story = await storyOrThrow(deps.store, request.params.id);
  const held = await list.read(deps, request, story);
  return { status, next: null, lastSeq: story.lastSeq, epoch: story.epoch, ...held };
}

function oneUpdateRoute(app: RouteApp, { store }: UpdateRoutesDeps): void {
  app.get(
    '/stories/:id/updates/:updateId',
    {
      schema: {
        tags: ['updates'],
        summary: 'One update',
        params: UpdateParams,
        response: { 200: Update, ...errorResponses(404, 410) },
      },
    },
    async (request) => {
      const story = await storyOrThrow(store, request.params.id);
      const update = await store.getUpdate(story.id, request.params.updateId);
      if (!update) throw appError('UPDATE_NOT_FOUND');
      if (update.deleted) throw appError('UPDATE_DELETED');
      return publicUpdate(update);
    },
  );
}

export const updateRoutes: FastifyPluginAsyncTypebox<UpdateRoutesDeps> = async (app, deps) => {
  createUpdateRoute(app, deps);
  editUpdateRoute(app, deps);
  deleteUpdateRoute(app, deps);
  listUpdatesRoute(app, deps);
  oneUpdateRoute(app, deps);
};
