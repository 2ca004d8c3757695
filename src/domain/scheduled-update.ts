/**
 * A scheduled update: an update an editor wrote now to publish later. It is kept apart from the
 * story's updates (in no public read) until its time, when the worker posts it like any update.
 */
import { AuthorNames } from './byline.ts';
import { Type, type Static } from 'typebox';

/** How far ahead a post may be scheduled: not so soon that the answer would race the fire. */
export const SCHEDULE_WINDOW = { minMs: 5_000, maxMs: 30 * 24 * 3600 * 1000 } as const;

/** An ISO 8601 date and time with a zone (Z or ±hh:mm): a wall-clock time alone is ambiguous. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const PublishAt = Type.String({
  maxLength: 40,
  description:
    'Publish later: an ISO 8601 time with an offset (`2026-12-06T14:00:00+01:00`), 5 seconds to 30 days ahead',
});

export const ScheduledUpdate = Type.Object({
  id: Type.String(),
  storyId: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  pinned: Type.Boolean(),
  keyEvent: Type.Boolean(),
  notify: Type.Boolean(),
  breaking: Type.Boolean(),
  author: Type.String({ description: 'The editor who scheduled it' }),
  authors: Type.Optional(AuthorNames),
  publishAt: Type.String({ format: 'date-time', description: 'When it is published (UTC)' }),
  scheduledAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('publishing'), Type.Literal('failed')], {
    description: '`failed`: it could not be published (see `failure`); edit its time to try again, or cancel it',
  }),
  failure: Type.Optional(Type.Object({ code: Type.String(), at: Type.String() })),
  version: Type.Integer({ minimum: 1 }),
});
export type ScheduledUpdate = Static<typeof ScheduledUpdate>;

export type PublishAtCheck = { ok: true; at: Date } | { ok: false; message: string };

/** Parses and range-checks a publishAt against `now`; the message says what is allowed. */
export function checkPublishAt(value: string, now: number): PublishAtCheck {
  if (!WITH_OFFSET.test(value)) {
    return { ok: false, message: 'publishAt must be an ISO 8601 time with an offset, e.g. 2026-12-06T14:00:00+01:00' };
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return { ok: false, message: 'publishAt is not a valid time' };
  const ahead = at.getTime() - now;
  if (ahead < SCHEDULE_WINDOW.minMs || ahead > SCHEDULE_WINDOW.maxMs) {
    return { ok: false, message: 'publishAt must be between 5 seconds and 30 days from now' };
  }
  return { ok: true, at };
}
