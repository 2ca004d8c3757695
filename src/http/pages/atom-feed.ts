/** The Atom feed of a story's updates (RFC 4287), newest first. */
import type { Story } from '../../domain/story.ts';
import type { Update } from '../../domain/update.ts';
import { withoutEmbedControls } from '../../shared/embed-card-text.ts';
import { bylinesOf } from '../../shared/byline-html.ts';
import { escapeHtml } from '../../shared/escape.ts';

export function renderAtomFeed(story: Story, updates: Update[], pageUrl: string, feedUrl: string): string {
  const entries = updates
    .map(
      (u) => `  <entry>
    <id>${escapeHtml(`${pageUrl}#update-${u.id}`)}</id>
    <title>${escapeHtml(
      u.title ??
        withoutEmbedControls(u.html)
          .replace(/<[^>]*>/g, '')
          .slice(0, 90),
    )}</title>
    <link rel="alternate" type="text/html" href="${escapeHtml(`${pageUrl}#update-${u.id}`)}"/>
    <published>${escapeHtml(u.createdAt)}</published>
    <updated>${escapeHtml(u.updatedAt)}</updated>
    ${bylinesOf(u)
      .map((a) => `<author><name>${escapeHtml(a.displayName)}</name></author>`)
      .join('')}
    <content type="html">${escapeHtml(withoutEmbedControls(u.html))}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeHtml(pageUrl)}</id>
  <title>${escapeHtml(story.title)}</title>
  ${story.summary ? `<subtitle>${escapeHtml(story.summary)}</subtitle>` : ''}
  <updated>${escapeHtml(story.updatedAt)}</updated>
  <link rel="alternate" type="text/html" href="${escapeHtml(pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(feedUrl)}"/>
${entries}
</feed>
`;
}
