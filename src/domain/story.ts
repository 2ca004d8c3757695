import { Type, type Static } from 'typebox';
import { ID_PATTERN } from './id-pattern.ts';
import { LIMITS } from './limits.ts';

export const StoryStatus = Type.Union([Type.Literal('live'), Type.Literal('ended')]);
export type StoryStatus = Static<typeof StoryStatus>;

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

export const Story = Type.Object({
  id: Type.String({ pattern: ID_PATTERN }),
  slug: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  /** "What we know": a Markdown list, and its sanitized HTML (empty when the story has none). */
  keyPoints: Type.String(),
  keyPointsHtml: Type.String(),
  status: StoryStatus,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastSeq: Type.Integer({ minimum: 0 }),
  epoch: Type.String(),
});
export type Story = Static<typeof Story>;

const Title = Type.String({ minLength: 1, maxLength: LIMITS.storyTitle, pattern: '\\S' });
const Summary = Type.String({ maxLength: LIMITS.storySummary });
/** Bytes are checked in code (KEY_POINTS_TOO_LARGE); the schema counts characters. */
const KeyPoints = Type.String({ maxLength: LIMITS.keyPointsBytes, description: 'A Markdown list; blank clears it' });

export const CreateStoryBody = Type.Object(
  {
    title: Title,
    slug: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.slug, pattern: SLUG_PATTERN })),
    summary: Type.Optional(Summary),
  },
  { additionalProperties: false },
);
export type CreateStoryBody = Static<typeof CreateStoryBody>;

export const PatchStoryBody = Type.Object(
  {
    title: Type.Optional(Title),
    summary: Type.Optional(Summary),
    keyPoints: Type.Optional(KeyPoints),
    status: Type.Optional(StoryStatus),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchStoryBody = Static<typeof PatchStoryBody>;

/** A readable slug from a title: lower case ASCII words joined by dashes. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, LIMITS.slug - 8)
    .replace(/-+$/g, '');
  return slug || 'story';
}
