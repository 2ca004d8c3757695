/**
 * A contributor's update awaiting review: private until an editor approves it, then published
 * through the normal create op (see src/store/review-store.ts and src/http/routes/review.ts).
 */
import { Type, type Static } from 'typebox';
import { LIMITS } from './limits.ts';

export const SUBMISSION_STATES = ['pending', 'rejected', 'approved'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** What the approver published it with: the contributor's text or the editor's edits, and the flags. */
export const ApprovedFields = Type.Object({
  title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  pinned: Type.Boolean(),
  keyEvent: Type.Boolean(),
  notify: Type.Boolean(),
  breaking: Type.Boolean(),
});
export type ApprovedFields = Static<typeof ApprovedFields>;

export const Submission = Type.Object({
  id: Type.String({ description: 'The update id it is published under once approved' }),
  storyId: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('rejected'), Type.Literal('approved')]),
  title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String({ description: 'Markdown as the contributor wrote it' }),
  html: Type.String({ description: 'The Markdown rendered and sanitized, for the reviewer' }),
  submittedBy: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  note: Type.Optional(Type.String({ description: 'Why it was sent back (state "rejected")' })),
  rejectedBy: Type.Optional(Type.String()),
  rejectedAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastNote: Type.Optional(Type.String({ description: 'The note of the previous rejection, after a resubmit' })),
  approvedBy: Type.Optional(Type.String()),
  approvedAt: Type.Optional(Type.String({ format: 'date-time' })),
  approved: Type.Optional(ApprovedFields),
});
export type Submission = Static<typeof Submission>;

/** The reject note: required, short enough for the dashboard to show whole. */
export const REVIEW_NOTE_MAX = 1_000;

export const RejectBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: REVIEW_NOTE_MAX, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const ApproveBody = Type.Object(
  {
    title: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.updateTitle }), Type.Null()])),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.updateBodyBytes, pattern: '\\S' })),
    pinned: Type.Optional(Type.Boolean()),
    keyEvent: Type.Optional(Type.Boolean()),
    notify: Type.Optional(Type.Boolean()),
    breaking: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ApproveBody = Static<typeof ApproveBody>;
