/** schema.org LiveBlogPosting for search engines and social previews. */
import type { Story } from '../../domain/story.ts';
import type { Update } from '../../domain/update.ts';
import { bylinesOf } from '../../shared/byline-html.ts';

function plain(html: string): string {
  return html
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

export function liveBlogJsonLd(story: Story, updates: Update[], pageUrl: string): Record<string, unknown> {
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
    })),
  };
}
