/**
 * Markdown rendered in the API exactly as the worker will publish it: our photos as figures and
 * embed cards as this deployment frames them. The editor's preview and a contributor's submission
 * (which reviewers read before it is published) both use it.
 */
import type { EmbedRenderOptions } from '../domain/embed-cards.ts';
import { renderMarkdown } from '../domain/markdown.ts';
import type { MediaCatalogue } from '../media/media-catalogue.ts';

export type RenderAsPublished = (markdown: string) => Promise<string>;

export function renderAsPublished(media: MediaCatalogue, embeds?: EmbedRenderOptions): RenderAsPublished {
  return async (markdown) => renderMarkdown(markdown, await media.lookupFor(markdown), embeds);
}
