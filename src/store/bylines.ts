/**
 * Turns the editor names of an update's byline into what readers see: display name, title and,
 * when a media lookup knows the avatar, its URL.
 *
 * The worker resolves them when it applies the create (or an edit that changes the authors), and
 * the result is stored with the update. So an update keeps the byline it was published with: a
 * correspondent who later changes title or leaves does not rewrite what the newsroom published
 * under their name, and readers' pages need no editor lookup per update.
 */
import type { Byline } from '../domain/byline.ts';
import { displayNameOf, type EditorStore } from './editor-store.ts';

/** A media id → the URL of a small square rendition, or null when there is none. */
export type AvatarLookup = (mediaId: string) => Promise<string | null>;

/** Without a media catalogue (some tests), no avatars are shown. */
export const NO_AVATARS: AvatarLookup = () => Promise.resolve(null);

export type BylineResolver = (names: string[]) => Promise<Byline[]>;

export function createBylineResolver(editors: EditorStore, avatarUrl: AvatarLookup = NO_AVATARS): BylineResolver {
  return async function resolveBylines(names) {
    const found = await editors.lookup(names);
    return Promise.all(
      names.map(async (name, i) => {
        // An account revoked or gone since the API accepted the post still signs it, by name.
        const editor = found[i] ?? { name };
        const avatar = 'avatar' in editor && editor.avatar ? await avatarUrl(editor.avatar) : null;
        return {
          name,
          displayName: displayNameOf(editor),
          title: ('title' in editor && editor.title) || null,
          ...(avatar && { avatarUrl: avatar }),
        };
      }),
    );
  };
}
