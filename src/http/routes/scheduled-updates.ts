/**
 * Scheduled updates through the update routes: a POST with `publishAt` schedules, and a PATCH or
 * DELETE of a scheduled update edits, reschedules or cancels it. The entry is stored first and its
 * delayed job added second, so a failure between them is mended by the client's retry (same id).
 */
import type { FastifyRequest } from 'fastify';
import { checkPublishAt, type ScheduledUpdate } from '../../domain/scheduled-update.ts';
import type { Story } from '../../domain/story.ts';
import type { CreateUpdateBody, PatchUpdateBody } from '../../domain/update.ts';
import { appError } from '../../errors.ts';
import type { ScheduledJobs } from '../../queue/scheduled-jobs.ts';
import type { ScheduledStore } from '../../store/scheduled-store.ts';
import { editorOf } from '../plugins/auth.ts';

export interface ScheduledDeps {
  scheduled: ScheduledStore;
  jobs: ScheduledJobs;
}

/** The publish time as UTC ISO (the form stored and compared), or a 400 saying the range. */
function publishTime(value: string): string {
  const check = checkPublishAt(value, Date.now());
  if (!check.ok) throw appError('VALIDATION_FAILED', check.message);
  return check.at.toISOString();
}

function answer(request: FastifyRequest, entry: ScheduledUpdate, status: 'scheduled' | 'cancelled') {
  request.log.info({ storyId: entry.storyId, updateId: entry.id, publishAt: entry.publishAt, status }, 'schedule');
  return {
    id: entry.id,
    storyId: entry.storyId,
    status,
    opId: `${status === 'cancelled' ? 'cancel' : 'schedule'}-${entry.id}-v${entry.version}`,
    publishAt: entry.publishAt,
  };
}

function jobOf(entry: ScheduledUpdate) {
  return { storyId: entry.storyId, updateId: entry.id, publishAt: entry.publishAt };
}

/** POST …/updates with publishAt. A retry of a published id answers like an immediate post's retry. */
export async function scheduleUpdate(deps: ScheduledDeps, request: FastifyRequest, story: Story, updateId: string) {
  const body = request.body as CreateUpdateBody;
  const now = new Date().toISOString();
  const entry: ScheduledUpdate = {
    id: updateId,
    storyId: story.id,
    title: body.title?.trim() || null,
    body: body.body,
    pinned: body.pinned ?? false,
    keyEvent: body.keyEvent ?? false,
    notify: (body.notify ?? false) || (body.breaking ?? false),
    breaking: body.breaking ?? false,
    author: editorOf(request).name,
    authors: body.authors ?? [editorOf(request).name],
    publishAt: publishTime(body.publishAt ?? ''),
    scheduledAt: now,
    updatedAt: now,
    status: 'scheduled',
    version: 1,
  };
  const outcome = await deps.scheduled.schedule(entry);
  if (outcome.kind === 'published') {
    return { id: updateId, storyId: story.id, status: 'queued' as const, opId: `create-${updateId}` };
  }
  if (outcome.entry.status === 'scheduled') await deps.jobs.add(jobOf(outcome.entry));
  return answer(request, outcome.entry, 'scheduled');
}

/** PATCH of a scheduled update: its fields and/or its time. */
export async function changeScheduledUpdate(
  deps: ScheduledDeps,
  request: FastifyRequest,
  story: Story,
  updateId: string,
) {
  const { publishAt, title, ...fields } = request.body as PatchUpdateBody;
  const { entry, previous } = await deps.scheduled.change(story.id, {
    updateId,
    kind: 'edit',
    at: new Date().toISOString(),
    actor: editorOf(request).name,
    fields: { ...fields, ...(title !== undefined && { title: title?.trim() || null }) },
    ...(publishAt !== undefined && { publishAt: publishTime(publishAt) }),
  });
  if (publishAt !== undefined) {
    await deps.jobs.add(jobOf(entry));
    if (previous !== entry.publishAt) await deps.jobs.remove({ ...jobOf(entry), publishAt: previous });
  }
  return answer(request, entry, 'scheduled');
}

/** DELETE of a scheduled update: it is never published. */
export async function cancelScheduledUpdate(
  deps: ScheduledDeps,
  request: FastifyRequest,
  story: Story,
  updateId: string,
) {
  const { entry } = await deps.scheduled.change(story.id, {
    updateId,
    kind: 'cancel',
    at: new Date().toISOString(),
    actor: editorOf(request).name,
    fields: {},
  });
  await deps.jobs.remove(jobOf(entry));
  return answer(request, entry, 'cancelled');
}
