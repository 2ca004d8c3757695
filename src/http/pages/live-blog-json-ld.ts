/** schema.org LiveBlogPosting for search engines and social previews. */
import type { Story } from '../../domain/story.ts';
import type { Update } from '../../domain/update.ts';
import { withoutEmbedControls } from '../../shared/embed-card-text.ts';
import { firstPhotoIn } from '../../media/media-figure.ts';
import { bylinesOf } from '../../shared/byline-html.ts';

function plain(html: string): string {
  return withoutEmbedControls(html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function photoOf(update: Update, pageUrl: string): string | undefined {
  const path = firstPhotoIn(update.html);
  return path ? new URL(path, pageUrl).href : undefined;
}

/** The story's picture: a pinned update's photo, else the oldest photo among the updates shown. */
function storyPhoto(updates: Update[], pinned: Update[], pageUrl: string): string | undefined {
  for (const update of [...pinned, ...[...updates].reverse()]) {
    const photo = photoOf(update, pageUrl);
    if (photo) return photo;
  }
  return undefined;
}

export function liveBlogJsonLd(
  story: Story,
  updates: Update[],
  pageUrl: string,
  pinned: Update[] = [],
): Record<string, unknown> {
  const image = storyPhoto(updates, pinned, pageUrl);
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': pageUrl,
    url: pageUrl,
    headline: story.title,
    description: story.summary || story.title,
    datePublished: story.createdAt,
    dateModified: story.updatedAt,
    coverageStartTime: story.createdAt,
    ...(story.status === 'ended' && { coverageEndTime: story.updatedAt }),
    ...(image && { image }),
    liveBlogUpdate: updates.map((update) => ({
      '@type': 'BlogPosting',
      headline: update.title ?? plain(update.html).slice(0, 110),
      datePublished: update.createdAt,
      dateModified: update.updatedAt,
      articleBody: plain(update.html),
      url: `${pageUrl}#update-${update.id}`,
      author: bylinesOf(update).map((author) => ({
        '@type': 'Person',
        name: author.displayName,
        ...(author.title && { jobTitle: author.title }),
      })),
      ...(photoOf(update, pageUrl) && { image: photoOf(update, pageUrl) }),
    })),
  };
}
