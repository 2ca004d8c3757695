/**
 * The contributor's side of review, reached through the usual update routes: a contributor's
 * POST becomes a submission (202 `status: "pending"`), their PATCH edits (or resubmits) it and
 * their DELETE withdraws it. The editor's side (approve, reject) is review.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Story } from '../../domain/story.ts';
import type { CreateUpdateBody, PatchUpdateBody } from '../../domain/update.ts';
import { appError } from '../../errors.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { operationId } from '../operation-id.ts';
import type { RenderAsPublished } from '../render-as-published.ts';

/** What each flag needs that a contributor lacks; the editor sets them when approving. */
const EDITOR_ONLY_FLAGS = {
  pinned: 'A contributor cannot pin updates; the editor who approves it can',
  keyEvent: 'A contributor cannot mark key events; the editor who approves it can',
  notify: 'A contributor cannot send alerts; the editor who approves it can',
  breaking: 'A contributor cannot send breaking alerts; the editor who approves it can',
} as const;

export function isContributor(request: FastifyRequest): boolean {
  return editorOf(request).role === 'contributor';
}

/** A flag asked for (true) is refused, not silently dropped; false asks for nothing. */
function refuseEditorFlags(body: Partial<Record<keyof typeof EDITOR_ONLY_FLAGS, boolean>>): void {
  for (const [flag, message] of Object.entries(EDITOR_ONLY_FLAGS)) {
    if (body[flag as keyof typeof EDITOR_ONLY_FLAGS] === true) throw appError('FORBIDDEN', message);
  }
}

function pendingAnswer(request: FastifyRequest, story: Story, id: string) {
  request.log.info({ storyId: story.id, updateId: id }, 'update submitted for review');
  return { id, storyId: story.id, status: 'pending' as const, opId: `submit-${id}` };
}

/** Where submissions are kept, and how their HTML is made (as it will be published). */
export interface SubmissionDeps {
  review: ReviewStore;
  render: RenderAsPublished;
}

export async function submitForReview(
  { review, render }: SubmissionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  story: Story,
  body: CreateUpdateBody,
) {
  refuseEditorFlags(body);
  if (body.publishAt !== undefined)
    throw appError('FORBIDDEN', 'A contributor cannot schedule updates; the editor who approves it publishes it');
  const id = body.id ?? operationId(request, story.id);
  // A retry is answered like the first time, whatever happened since (idempotent by id).
  const existing = await review.get(story.id, id);
  if (!existing && story.status === 'ended') throw appError('STORY_ENDED');
  await review.submit({
    storyId: story.id,
    id,
    title: body.title?.trim() || null,
    body: body.body,
    html: await render(body.body),
    actor: editorOf(request).name,
    at: new Date().toISOString(),
  });
  return reply.status(202).send(pendingAnswer(request, story, id));
}

/** A contributor's PATCH: edits their own submission; a rejected one goes back to the queue. */
export async function editOwnSubmission(
  { review, render }: SubmissionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  story: Story,
  updateId: string,
  changes: PatchUpdateBody,
) {
  refuseEditorFlags(changes);
  const { title, body } = changes;
  await review.edit(story.id, updateId, editorOf(request).name, {
    ...(title !== undefined && { title: title?.trim() || null }),
    ...(body !== undefined && { body, html: await render(body) }),
  });
  return reply.status(202).send(pendingAnswer(request, story, updateId));
}

/** A contributor's DELETE: withdraws their own submission, pending or rejected. */
export async function withdrawOwnSubmission(
  review: ReviewStore,
  request: FastifyRequest,
  reply: FastifyReply,
  story: Story,
  updateId: string,
) {
  await review.withdraw(story.id, updateId, editorOf(request).name);
  request.log.info({ storyId: story.id, updateId }, 'submission withdrawn');
  return reply.status(204).send();
}
