/**
 * The reader's story page, rendered on the server: it shows the latest updates at once, works
 * without JavaScript and can be cached by a CDN. The reader script then keeps it live.
 */
import type { Story } from '../../domain/story.ts';
import type { Update } from '../../domain/update.ts';
import { escapeHtml, jsonForScript } from '../../shared/escape.ts';
import { keyPointsSection } from '../../shared/key-points-html.ts';
import type { StoryBootstrap } from '../../shared/story-bootstrap.ts';
import { keyEventItem, renderUpdate } from '../../shared/update-html.ts';
import type { ClientAssets } from './client-assets.ts';
import { liveBlogJsonLd } from './live-blog-json-ld.ts';

export interface StoryPageData {
  story: Story;
  updates: Update[];
  next: string | null;
  pinned: Update[];
  keyEvents: Update[];
  lastSeq: number;
  epoch: string;
}

export interface StoryPageOptions {
  publicUrl: string;
  assets: ClientAssets;
  /** The compact variant shown inside an embed iframe. */
  embed?: boolean;
  /** Mastodon instances whose posts the reader script may frame (EMBED_MASTODON_HOSTS). */
  mastodonHosts?: readonly string[];
}

function keyEventList(keyEvents: Update[]): string {
  const items = keyEvents.map(keyEventItem).join('');
  return `<nav class="key-events" aria-labelledby="key-events-title"${keyEvents.length === 0 ? ' hidden' : ''}><h2 id="key-events-title">Key events</h2><ol id="key-events">${items}</ol></nav>`;
}

export function storyPageUrl(publicUrl: string, story: Pick<Story, 'slug'>): string {
  return `${publicUrl.replace(/\/$/, '')}/stories/${encodeURIComponent(story.slug)}`;
}

export function renderStoryPage(data: StoryPageData, options: StoryPageOptions): string {
  const { story } = data;
  const url = storyPageUrl(options.publicUrl, story);
  const bootstrap: StoryBootstrap = {
    storyId: story.id,
    slug: story.slug,
    status: story.status,
    lastSeq: data.lastSeq,
    epoch: data.epoch,
    next: data.next,
    embed: options.embed ?? false,
    mastodonHosts: [...(options.mastodonHosts ?? [])],
  };
  const description = story.summary || `Live updates: ${story.title}`;
  const pinnedIds = new Set(data.pinned.map((u) => u.id));
  const live = story.status === 'live';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(story.title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="canonical" href="${escapeHtml(url)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(story.title)}">
<meta property="og:description" content="${escapeHtml(description)}">
<meta property="og:url" content="${escapeHtml(url)}">
<meta name="twitter:card" content="summary">
<meta name="theme-color" content="#b00020">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/icon-192.png">
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(story.title)}" href="/stories/${escapeHtml(encodeURIComponent(story.slug))}/feed.xml">
${options.assets.reader.css.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
<script type="application/ld+json">${jsonForScript(liveBlogJsonLd(story, data.updates, url, data.pinned))}</script>
</head>
<body class="${options.embed ? 'is-embed' : ''}">
<a class="skip-link" href="#updates">Skip to updates</a>
<header class="story-header">
<div class="story-heading">
<p class="live-label">${live ? '<span class="live-dot" aria-hidden="true"></span> Live' : 'Coverage ended'}</p>
<h1>${escapeHtml(story.title)}</h1>
<p class="summary"${story.summary ? '' : ' hidden'}>${escapeHtml(story.summary)}</p>
${live ? '<p class="developing">This is a developing story and is being updated.</p>' : ''}
</div>
<div class="story-tools">
<p id="connection" class="connection" role="status" data-state="static">Updates appear live when JavaScript is on.</p>
<div id="alerts" class="alerts"></div>
<button type="button" id="order-toggle" class="order-toggle" hidden aria-pressed="false">Oldest first</button>
</div>
</header>
<main>
${keyPointsSection(story.keyPointsHtml)}
<section class="pinned" aria-label="Pinned"${data.pinned.length === 0 ? ' hidden' : ''}><div id="pinned">${data.pinned.map(renderUpdate).join('\n')}</div></section>
${keyEventList(data.keyEvents)}
<button type="button" id="new-updates" class="new-updates" hidden></button>
<section id="updates" class="updates" aria-label="Updates" aria-live="polite" aria-relevant="additions">
${data.updates
  .filter((u) => !pinnedIds.has(u.id))
  .map(renderUpdate)
  .join('\n')}
</section>
${data.updates.length === 0 ? '<p class="empty" id="empty">No updates yet.</p>' : ''}
${data.next ? `<p class="older"><a id="load-older" href="?before=${escapeHtml(data.next)}">Load older updates</a></p>` : ''}
</main>
<script type="application/json" id="story-bootstrap">${jsonForScript(bootstrap)}</script>
<script type="module" src="${escapeHtml(options.assets.reader.js)}"></script>
</body>
</html>
`;
}
