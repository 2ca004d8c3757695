/**
 * `GET /stories/:id/updates?status=…`: which updates the list shows. `published` (the default)
 * is the public, cached timeline; every other status is a held list that no reader sees, read
 * by its own reader behind a token. A new held status is one more entry in HELD_READERS.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Story } from '../../domain/story.ts';
import { Submission as SubmissionSchema, type Submission } from '../../domain/submission.ts';
import type { ReviewStore } from '../../store/review-store.ts';
import { editorOf } from '../plugins/auth.ts';

export interface HeldReadDeps {
  review: ReviewStore;
}

/** What a held list answers: the updates are empty, the held items are in their own field. */
export interface HeldList {
  submissions?: Submission[];
}

type HeldReader = (deps: HeldReadDeps, request: FastifyRequest, story: Story) => Promise<HeldList>;

/**
 * Editors and admins see every submission in that state; a contributor sees only their own
 * (the dashboard's "My submissions").
 */
function submissionsIn(state: 'pending' | 'rejected'): HeldReader {
  return async ({ review }, request, story) => {
    const editor = editorOf(request);
    const all = await review.list(story.id, state);
    return { submissions: editor.role === 'contributor' ? all.filter((s) => s.submittedBy === editor.name) : all };
  };
}

export const HELD_READERS = {
  pending: submissionsIn('pending'),
  rejected: submissionsIn('rejected'),
} satisfies Record<string, HeldReader>;

export type HeldStatus = keyof typeof HELD_READERS;

export const UpdateListStatus = Type.Union(
  [Type.Literal('published'), Type.Literal('pending'), Type.Literal('rejected')],
  {
    default: 'published',
    description:
      '`published`: the public timeline. `pending` / `rejected`: submissions awaiting review or sent back (token required; a contributor sees only their own).',
  },
);

/** The held lists' field in the list answer (absent from the public timeline). */
export const HeldListFields = { submissions: Type.Optional(Type.Array(SubmissionSchema)) };

export function isHeldStatus(status: string | undefined): status is HeldStatus {
  return status !== undefined && Object.hasOwn(HELD_READERS, status);
}
