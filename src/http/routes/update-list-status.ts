/**
 * `GET /stories/:id/updates?status=…`: which updates the list shows. `published` (the default)
 * is the public, cached timeline; every other status is a held list that no reader sees, read by
 * its own reader behind a token and never cached. A new held status is one more entry in
 * HELD_LISTS (and one more literal in UpdateListStatus).
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ScheduledUpdate, type ScheduledUpdate as ScheduledValue } from '../../domain/scheduled-update.ts';
import type { Story } from '../../domain/story.ts';
import { Submission as SubmissionSchema, type Submission } from '../../domain/submission.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import type { ScheduledStore } from '../../store/scheduled-store.ts';
import { editorOf } from '../plugins/auth.ts';

export interface HeldReadDeps {
  review: ReviewStore;
  scheduled: ScheduledStore;
}

/** A held list's answer: submissions in their own field, scheduled updates as `updates`. */
export interface HeldList {
  updates: ScheduledValue[];
  submissions?: Submission[];
}

interface HeldListReader {
  /** `account`: contributors too (they see their own); `editor`: editors and admins only. */
  access: 'account' | 'editor';
  read(deps: HeldReadDeps, request: FastifyRequest, story: Story): Promise<HeldList>;
}

/** Editors and admins see every submission in that state; a contributor sees only their own. */
function submissionsIn(state: 'pending' | 'rejected'): HeldListReader {
  return {
    access: 'account',
    async read({ review }, request, story) {
      const editor = editorOf(request);
      const all = await review.list(story.id, state);
      const mine = editor.role === 'contributor' ? all.filter((s) => s.submittedBy === editor.name) : all;
      return { updates: [], submissions: mine };
    },
  };
}

export const HELD_LISTS = {
  pending: submissionsIn('pending'),
  rejected: submissionsIn('rejected'),
  /** Scheduled updates, the soonest first (failed ones included, with their reason). */
  scheduled: {
    access: 'editor',
    read: async ({ scheduled }, _request, story) => ({ updates: await scheduled.list(story.id) }),
  },
} satisfies Record<string, HeldListReader>;

export type HeldStatus = keyof typeof HELD_LISTS;

export const UpdateListStatus = Type.Union(
  [Type.Literal('published'), Type.Literal('pending'), Type.Literal('rejected'), Type.Literal('scheduled')],
  {
    default: 'published',
    description:
      '`published`: the public timeline. `pending` / `rejected`: submissions awaiting review or sent back ' +
      '(token required; a contributor sees only their own). `scheduled`: updates waiting for their `publishAt` ' +
      '(editors and admins).',
  },
);

/** A held list's answer shape: the story's position, then the held items. */
export const HeldListPage = Type.Object({
  status: Type.String(),
  updates: Type.Array(ScheduledUpdate),
  submissions: Type.Optional(Type.Array(SubmissionSchema)),
  next: Type.Null(),
  lastSeq: Type.Integer(),
  epoch: Type.String(),
});

export function isHeldStatus(status: string | undefined): status is HeldStatus {
  return status !== undefined && Object.hasOwn(HELD_LISTS, status);
}
