/**
 * Bylines: who wrote an update. Requests name authors by editor name; the stored update keeps, for
 * each, the name plus the display name and title the editor had when the update was published.
 */
import { Type, type Static } from 'typebox';

/** Editor account names: usable in URLs (PATCH /api/editors/:name) and logs; not only dots. */
export const EDITOR_NAME_SOURCE = '^(?!\\.+$)[A-Za-z0-9_.-]{1,64}$';

/** More names than this is a mistake, not a byline. */
export const MAX_AUTHORS = 10;

export const LIMITS_PROFILE = { displayName: 80, title: 120 } as const;

export const Byline = Type.Object({
  name: Type.String({ description: 'The editor account' }),
  displayName: Type.String({ description: 'The name readers see' }),
  title: Type.Union([Type.String(), Type.Null()], { description: 'For instance "Kyiv correspondent"' }),
  avatarUrl: Type.Optional(Type.String({ description: 'Present when the editor has an avatar photo' })),
});
export type Byline = Static<typeof Byline>;

export const AuthorNames = Type.Array(Type.String({ pattern: EDITOR_NAME_SOURCE }), {
  minItems: 1,
  maxItems: MAX_AUTHORS,
  uniqueItems: true,
  description: 'Editor names for the byline; by default the editor posting',
});
