/**
 * The editor's side of review: approve a contributor's submission (optionally with edits and
 * flags), which publishes it through the normal create op, or reject it with a note the
 * contributor sees. The queue itself is `GET /stories/:id/updates?status=pending`
 * (update-list-status.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Story } from '../../domain/story.ts';
import { ApproveBody, RejectBody, Submission, type ApprovedFields } from '../../domain/submission.ts';
import { bodyBytes } from '../../domain/update.ts';
import { LIMITS } from '../../domain/limits.ts';
import { appError } from '../../errors.ts';
import type { StoryOpsProducer } from '../../queue/story-ops-producer.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { Accepted, errorResponses, UpdateParams, type RouteApp } from '../schemas.ts';

export interface ReviewRoutesDeps {
  store: StoryStore;
  review: ReviewStore;
  producer: StoryOpsProducer;
  maxPinned: number;
}

const REVIEW_ERRORS = errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503);

async function storyOrThrow(store: StoryStore, idOrSlug: string): Promise<Story> {
  const story = await store.getStory(idOrSlug);
  if (!story) throw appError('STORY_NOT_FOUND');
  return story;
}

async function pendingOrThrow(review: ReviewStore, storyId: string, id: string) {
  const submission = await review.get(storyId, id);
  if (!submission) throw appError('SUBMISSION_NOT_FOUND');
  return submission;
}

/** The contributor's text unless the approver changed it, and the approver's flags. */
function approvedFields(submission: Submission, edits: ApproveBody): ApprovedFields {
  const title = edits.title === undefined ? submission.title : edits.title?.trim() || null;
  return {
    title,
    body: edits.body ?? submission.body,
    pinned: edits.pinned ?? false,
    keyEvent: edits.keyEvent ?? false,
    notify: (edits.notify ?? false) || (edits.breaking ?? false),
    breaking: edits.breaking ?? false,
  };
}

async function checkPinRoom({ store, maxPinned }: ReviewRoutesDeps, storyId: string): Promise<void> {
  if ((await store.pinnedIds(storyId)).length >= maxPinned) {
    throw appError('PINNED_LIMIT_REACHED', `At most ${maxPinned} updates can be pinned; unpin one first`);
  }
}

/** Queues the create op of an approved submission; a repeat queues the same job id (published once). */
async function publishApproved(producer: StoryOpsProducer, submission: Submission): Promise<string> {
  const fields = submission.approved!;
  const opId = `create-${submission.id}`;
  await producer.enqueue({
    kind: 'update.create',
    storyId: submission.storyId,
    updateId: submission.id,
    opId,
    author: submission.submittedBy,
    // The byline is the contributor's, with their display name and title.
    authors: [submission.submittedBy],
    acceptedAt: submission.approvedAt!,
    fields: { title: fields.title, body: fields.body, pinned: fields.pinned, keyEvent: fields.keyEvent },
    notify: fields.notify,
    breaking: fields.breaking,
  });
  return opId;
}

function approveRoute(app: RouteApp, deps: ReviewRoutesDeps): void {
  app.post(
    '/stories/:id/updates/:updateId/approve',
    {
      onRequest: [app.requireEditor, app.limitWrites],
      schema: {
        tags: ['review'],
        summary: "Approve a contributor's submission and publish it",
        description:
          'Optional edits and flags (`title`, `body`, `pinned`, `keyEvent`, `notify`, `breaking`) change what is published; the author stays the contributor. Approving twice publishes once.',
        security: [{ bearer: [] }],
        params: UpdateParams,
        // No body (or null) approves the submission as it is.
        body: Type.Union([ApproveBody, Type.Null()]),
        response: { 202: Accepted, ...REVIEW_ERRORS },
      },
    },
    async (request, reply) => {
      const story = await storyOrThrow(deps.store, request.params.id);
      const edits = request.body ?? {};
      if (edits.body !== undefined && bodyBytes(edits.body) > LIMITS.updateBodyBytes)
        throw appError('UPDATE_TOO_LARGE');
      const submission = await pendingOrThrow(deps.review, story.id, request.params.updateId);
      if (submission.state === 'pending') {
        if (story.status === 'ended') throw appError('STORY_ENDED');
        if (edits.pinned) await checkPinRoom(deps, story.id);
      }
      const fields = approvedFields(submission, edits);
      const { submission: approved } = await deps.review.approve(
        story.id,
        submission.id,
        editorOf(request).name,
        fields,
      );
      const opId = await publishApproved(deps.producer, approved!);
      request.log.info({ storyId: story.id, updateId: submission.id, opId }, 'submission approved');
      return reply.status(202).send({ id: submission.id, storyId: story.id, status: 'queued', opId });
    },
  );
}

function rejectRoute(app: RouteApp, deps: ReviewRoutesDeps): void {
  app.post(
    '/stories/:id/updates/:updateId/reject',
    {
      onRequest: [app.requireEditor, app.limitWrites],
      schema: {
        tags: ['review'],
        summary: "Send a contributor's submission back with a note",
        description: 'The contributor sees the note, and can edit the submission (which resubmits it) or withdraw it.',
        security: [{ bearer: [] }],
        params: UpdateParams,
        body: RejectBody,
        response: { 200: Submission, ...REVIEW_ERRORS },
      },
    },
    async (request) => {
      const story = await storyOrThrow(deps.store, request.params.id);
      await pendingOrThrow(deps.review, story.id, request.params.updateId);
      const note = request.body.note.trim();
      const { submission } = await deps.review.reject(story.id, request.params.updateId, editorOf(request).name, note);
      return submission!;
    },
  );
}

export const reviewRoutes: FastifyPluginAsyncTypebox<ReviewRoutesDeps> = async (app, deps) => {
  approveRoute(app, deps);
  rejectRoute(app, deps);
};
