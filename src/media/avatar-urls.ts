/** Editors' avatars are photos uploaded like any other; a byline shows their smallest rendition. */
import type { AvatarLookup } from '../store/bylines.ts';
import type { MediaCatalogue } from './media-catalogue.ts';

export function avatarUrls(catalogue: MediaCatalogue): AvatarLookup {
  return async (mediaId) => {
    const record = await catalogue.get(mediaId);
    if (!record) return null;
    const smallest = [...record.variants].sort((a, b) => a.width - b.width)[0];
    return smallest?.url ?? record.url;
  };
}
