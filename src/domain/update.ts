import { Type, type Static } from 'typebox';
import { AuthorNames, Byline } from './byline.ts';
import { ID_PATTERN } from './id-pattern.ts';
import { LIMITS } from './limits.ts';
import { PublishAt } from './scheduled-update.ts';

export const Update = Type.Object({
  id: Type.String(),
  storyId: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String({ description: 'Markdown as the editor wrote it' }),
  html: Type.String({ description: 'The Markdown rendered and sanitized' }),
  pinned: Type.Boolean(),
  keyEvent: Type.Boolean(),
  author: Type.String({ description: 'Name of the editor who posted it' }),
  authors: Type.Optional(
    Type.Array(Byline, { description: 'The byline, as it was when published (absent on older updates: the poster)' }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  /** When the title, body or key-event mark last changed (absent if never edited). */
  editedAt: Type.Optional(Type.String({ format: 'date-time' })),
  version: Type.Integer({ minimum: 1 }),
});
export type Update = Static<typeof Update>;

/** What the store keeps: the public update plus a tombstone flag, so a deleted id is never reused. */
export type StoredUpdate = Update & { deleted?: boolean; editedBy?: string };

const UpdateTitle = Type.Union([Type.String({ maxLength: LIMITS.updateTitle }), Type.Null()]);
/**
 * The byte limit is checked in code (UPDATE_TOO_LARGE); JSON Schema counts characters, so the
 * schema only stops the absurd (4 bytes per character at most).
 */
const UpdateBody = Type.String({ minLength: 1, maxLength: LIMITS.updateBodyBytes, pattern: '\\S' });

export const CreateUpdateBody = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: ID_PATTERN })),
    title: Type.Optional(UpdateTitle),
    body: UpdateBody,
    pinned: Type.Optional(Type.Boolean()),
    keyEvent: Type.Optional(Type.Boolean()),
    authors: Type.Optional(AuthorNames),
    notify: Type.Optional(Type.Boolean({ description: 'Send a push alert to readers subscribed to this story' })),
    breaking: Type.Optional(
      Type.Boolean({ description: 'A breaking alert: also to "breaking news" subscribers, with high urgency' }),
    ),
    publishAt: Type.Optional(PublishAt),
  },
  { additionalProperties: false },
);
export type CreateUpdateBody = Static<typeof CreateUpdateBody>;

export const PatchUpdateBody = Type.Object(
  {
    title: Type.Optional(UpdateTitle),
    body: Type.Optional(UpdateBody),
    pinned: Type.Optional(Type.Boolean()),
    keyEvent: Type.Optional(Type.Boolean()),
    authors: Type.Optional(AuthorNames),
    publishAt: Type.Optional(PublishAt),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchUpdateBody = Static<typeof PatchUpdateBody>;

// TextEncoder rather than Buffer: this module is also type-checked for the browser. Both count a
// lone surrogate as the 3 bytes of U+FFFD, so the limit is the same.
const utf8 = new TextEncoder();

export function bodyBytes(markdown: string): number {
  return utf8.encode(markdown).byteLength;
}

/** Strips the store-only fields before an update leaves the server. */
export function publicUpdate(stored: StoredUpdate): Update {
  const { deleted: _deleted, editedBy: _editedBy, ...update } = stored;
  return update;
}
