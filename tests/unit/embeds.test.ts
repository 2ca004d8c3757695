/** The embed provider table (src/shared/embeds.ts) and the cards the Markdown renderer makes of it. */
import { parseDocument, DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, sanitizeUpdateHtml } from '../../src/domain/markdown.ts';
import { liveBlogJsonLd } from '../../src/http/pages/live-blog-json-ld.ts';
import { renderAtomFeed } from '../../src/http/pages/atom-feed.ts';
import { alertPayload } from '../../src/push/alert-payload.ts';
import { updateLabel } from '../../src/shared/update-html.ts';
import type { Story } from '../../src/domain/story.ts';
import type { Update } from '../../src/domain/update.ts';
import { checkedEmbed, EMBED_FRAME_ORIGINS, EMBED_PROVIDERS, recogniseEmbed } from '../../src/shared/embeds.ts';

/** Post URL → [provider, embed page]. */
const RECOGNISED: [string, string, string][] = [
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  ['https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  ['https://m.youtube.com/shorts/dQw4w9WgXcQ', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  ['https://youtu.be/dQw4w9WgXcQ', 'youtube', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'],
  [
    'https://x.com/Reuters/status/1790000000000000001',
    'x',
    'https://platform.twitter.com/embed/Tweet.html?id=1790000000000000001',
  ],
  ['https://twitter.com/AP/status/20/', 'x', 'https://platform.twitter.com/embed/Tweet.html?id=20'],
  [
    'https://bsky.app/profile/alice.bsky.social/post/3kabc2defgh2k',
    'bluesky',
    'https://embed.bsky.app/embed/alice.bsky.social/app.bsky.feed.post/3kabc2defgh2k',
  ],
  [
    'https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kabc2defgh2k',
    'bluesky',
    'https://embed.bsky.app/embed/did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabc2defgh2k',
  ],
  ['https://t.me/kyivindependent/12345', 'telegram', 'https://t.me/kyivindependent/12345?embed=1'],
  ['https://www.instagram.com/p/C1a2B3c4D5e/', 'instagram', 'https://www.instagram.com/p/C1a2B3c4D5e/embed'],
  ['https://instagram.com/reel/C1a2B3c4D5e', 'instagram', 'https://www.instagram.com/p/C1a2B3c4D5e/embed'],
  [
    'https://www.tiktok.com/@bbcnews/video/7300000000000000000',
    'tiktok',
    'https://www.tiktok.com/embed/v2/7300000000000000000',
  ],
  [
    'https://mastodon.social/@Gargron/111111111111111111',
    'mastodon',
    'https://mastodon.social/@Gargron/111111111111111111/embed',
  ],
  ['https://journa.host/@reporter/42', 'mastodon', 'https://journa.host/@reporter/42/embed'],
];

const REFUSED = [
  'https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
  'https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ',
  'https://notyoutube.com/watch?v=dQw4w9WgXcQ',
  'http://www.youtube.com/watch?v=dQw4w9WgXcQ',
  'http://x.com/Reuters/status/1',
  'https://user:pass@x.com/Reuters/status/1',
  'https://x.com@evil.example/Reuters/status/1',
  'https://x.com:8443/Reuters/status/1',
  'https://www.youtube.com/watch?v=short',
  'https://www.youtube.com/channel/UC123',
  'https://www.youtube.com/@newsroom/123',
  'https://x.com/Reuters',
  'https://x.com/Reuters/status/1/photo/1',
  'https://x.com/Reuters/likes',
  'https://bsky.app/profile/alice.bsky.social',
  'https://bsky.app/profile/alice.bsky.social/post/../../evil',
  'https://t.me/kyivindependent',
  'https://t.me/s/kyivindependent/1',
  'https://www.instagram.com/newsroom/',
  'https://www.tiktok.com/@bbcnews',
  'https://127.0.0.1/@user/1',
  'https://localhost/@user/1',
  'https://mastodon.social/@user',
  'https://mastodon.social/@user/1/../../admin',
  'https://mastodon.social/@user@other.example/1',
  'javascript:alert(1)//x.com/a/status/1',
  'https://x.com/Reuters/status/1 onmouseover=alert(1)',
  'https://x.com/Reuters/status/1"><script>',
];

describe('the embed provider table', () => {
  it.each(RECOGNISED)('recognises %s', (url, provider, embedUrl) => {
    const embed = recogniseEmbed(url);
    expect(embed?.provider.id).toBe(provider);
    expect(embed?.embedUrl).toBe(embedUrl);
    expect(embed?.postUrl).toBe(url);
  });

  it.each(REFUSED)('refuses %s', (url) => {
    expect(recogniseEmbed(url)).toBeNull();
  });

  it('frames only from its fixed https hosts; Mastodon (any host) is a link only', () => {
    expect(EMBED_FRAME_ORIGINS).toEqual([
      'https://www.youtube-nocookie.com',
      'https://platform.twitter.com',
      'https://embed.bsky.app',
      'https://t.me',
      'https://www.instagram.com',
      'https://www.tiktok.com',
    ]);
    for (const [url] of RECOGNISED) {
      const embed = recogniseEmbed(url)!;
      const origin = new URL(embed.embedUrl).origin;
      expect(embed.provider.frameOrigins.includes(origin) || embed.provider.id === 'mastodon').toBe(true);
    }
    expect(EMBED_PROVIDERS.find((p) => p.id === 'mastodon')!.frameOrigins).toEqual([]);
  });

  it('checks a card against the table: provider, post and embed page must all agree', () => {
    const post = 'https://x.com/Reuters/status/1';
    const src = 'https://platform.twitter.com/embed/Tweet.html?id=1';
    expect(checkedEmbed('x', post, src)?.embedUrl).toBe(src);
    expect(checkedEmbed('bluesky', post, src)).toBeNull();
    expect(checkedEmbed('x', post, 'https://evil.example/')).toBeNull();
    expect(checkedEmbed('x', 'https://evil.example/Reuters/status/1', src)).toBeNull();
  });
});

function cards(html: string) {
  const document = parseDocument(html);
  return DomUtils.findAll((el) => el.attribs.class === 'embed-card', document.children);
}

describe('embed cards in update bodies', () => {
  it('turns a post URL on a line of its own into a card, with the quote that follows it', () => {
    const html = renderMarkdown(
      'Before.\n\nhttps://bsky.app/profile/alice.bsky.social/post/3kabc2defgh2k\n> Alice: *we are safe*\n\nAfter.',
    );
    const [card] = cards(html);
    expect(card?.attribs).toMatchObject({
      'data-embed-provider': 'bluesky',
      'data-embed-post': 'https://bsky.app/profile/alice.bsky.social/post/3kabc2defgh2k',
      'data-embed-src': 'https://embed.bsky.app/embed/alice.bsky.social/app.bsky.feed.post/3kabc2defgh2k',
    });
    const text = DomUtils.textContent(card!);
    expect(text).toContain('Bluesky');
    expect(DomUtils.findOne((el) => el.name === 'blockquote', [card!])?.children.length).toBeGreaterThan(0);
    expect(DomUtils.innerText(DomUtils.findOne((el) => el.name === 'blockquote', [card!])!).trim()).toBe(
      'Alice: we are safe',
    );
    const button = DomUtils.findOne((el) => el.name === 'button', [card!]);
    expect(button?.attribs).toEqual({ type: 'button', class: 'embed-load' });
    expect(DomUtils.textContent(button!)).toBe('Load the post from Bluesky');
    const link = DomUtils.findOne((el) => el.name === 'a', [card!]);
    expect(link?.attribs.href).toBe('https://bsky.app/profile/alice.bsky.social/post/3kabc2defgh2k');
    expect(html).toMatch(/^<p>Before\.<\/p>\n<div class="embed-card"/);
    expect(html).toMatch(/<\/div>\n<p>After\.<\/p>$/);
    expect(html).not.toContain('iframe');
  });

  it('a card without a quote; a YouTube card loads a video; a Mastodon card is a link with no button', () => {
    const youtube = renderMarkdown('https://youtu.be/dQw4w9WgXcQ');
    expect(cards(youtube)).toHaveLength(1);
    expect(youtube).toContain('<button type="button" class="embed-load">Load the video from YouTube</button>');
    expect(youtube).not.toContain('blockquote');
    const mastodon = renderMarkdown('https://mastodon.social/@Gargron/111\n> Quoted');
    expect(cards(mastodon)).toHaveLength(1);
    expect(mastodon).not.toContain('<button');
    expect(mastodon).toContain('<blockquote>');
  });

  it('leaves an unknown URL, a URL inside a paragraph and one inside a list or quote as plain links', () => {
    for (const source of [
      'https://example.com/news/1',
      'Watch https://youtu.be/dQw4w9WgXcQ now',
      'Watch this:\nhttps://youtu.be/dQw4w9WgXcQ',
      '- https://youtu.be/dQw4w9WgXcQ',
      '> https://youtu.be/dQw4w9WgXcQ',
      'http://youtu.be/dQw4w9WgXcQ',
      'https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
    ]) {
      const html = renderMarkdown(source);
      expect(cards(html), source).toHaveLength(0);
      expect(html, source).not.toContain('<button');
      expect(html, source).not.toContain('data-embed');
    }
    expect(renderMarkdown('https://example.com/news/1')).toBe(
      '<p><a href="https://example.com/news/1" rel="noopener noreferrer nofollow" target="_blank">https://example.com/news/1</a></p>',
    );
  });

  it('the sanitizer keeps the card markup and nothing more', () => {
    const forged = sanitizeUpdateHtml(
      '<div class="embed-card evil" data-embed-provider="x" data-embed-post="https://x.com/a/status/1" data-embed-src="https://evil.example/" onclick="alert(1)" style="x" data-other="1">' +
        '<button type="submit" class="embed-load other" formaction="javascript:alert(1)" onclick="alert(1)">Load</button>' +
        '<span class="embed-provider" title="x" id="y">X</span><iframe src="https://platform.twitter.com/"></iframe></div>',
    );
    expect(forged).toBe(
      '<div class="embed-card"><button type="button" class="embed-load">Load</button><span class="embed-provider">X</span></div>',
    );
    const genuine =
      '<div class="embed-card" data-embed-provider="x" data-embed-post="https://x.com/a/status/1" data-embed-src="https://platform.twitter.com/embed/Tweet.html?id=1"></div>';
    expect(sanitizeUpdateHtml(genuine)).toBe(genuine);
    expect(sanitizeUpdateHtml('<div class="x">a</div><span>b</span><button class="embed-card">c</button>')).toBe('abc');
  });
});

describe('embed cards as plain text', () => {
  it('the key events label, a push alert, JSON-LD and the feed leave out "Load" and its note', () => {
    const html = renderMarkdown('https://x.com/Reuters/status/1\n> Polls closed');
    const at = '2026-01-01T00:00:00.000Z';
    const update: Update = {
      ...{ id: 'u1', storyId: 's1', title: null, body: '', html, pinned: false, keyEvent: false },
      ...{ author: 'ed', createdAt: at, updatedAt: at, version: 1 },
    };
    const story = { id: 's1', slug: 's', title: 'Story', summary: '', createdAt: at, updatedAt: at } as Story;
    const texts = [
      updateLabel(update),
      alertPayload({ story, update, publicUrl: 'https://news.example', breaking: false }).body,
      JSON.stringify(liveBlogJsonLd(story as Story, [update], 'https://news.example/s')),
      renderAtomFeed(story as Story, [update], 'https://news.example/s', 'https://n/f.xml'),
    ];
    for (const text of texts) {
      expect(text).toContain('Polls closed');
      expect(text).toContain('https://x.com/Reuters/status/1');
      expect(text).not.toContain('Load the post');
      expect(text).not.toContain('connects you');
    }
    expect(updateLabel(update)).toBe('X https://x.com/Reuters/status/1 Polls closed');
  });
});

const HOSTILE_EMBEDS = [
  'https://x.com/a/status/1"onmouseover="alert(1)',
  "https://x.com/a/status/1'onfocus='alert(1)",
  'https://bsky.app/profile/"><img src=x onerror=alert(1)>/post/abc',
  'https://t.me/abcd/1?embed=1&x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
  'https://mastodon.social/@a/1#javascript:alert(1)',
  'https://youtu.be/dQw4w9WgXcQ\n> <script>alert(1)</script> [x](javascript:alert(1))',
  '[https://x.com/a/status/1](javascript:alert(1))',
  '<https://x.com/a/status/1>',
  'https://x.com/a/status/1\n\n<div class="embed-card" data-embed-provider="x">',
  'https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=javascript:alert(1)',
];
const CARD_TAGS = new Set(['div', 'span', 'button', 'a', 'p', 'blockquote', 'br']);

describe('hostile embed URLs', () => {
  it.each(HOSTILE_EMBEDS)('%s renders only card markup the table vouches for', (source) => {
    const document = parseDocument(renderMarkdown(source));
    for (const el of DomUtils.findAll(() => true, document.children)) {
      expect(CARD_TAGS.has(el.name), el.name).toBe(true);
      expect(Object.keys(el.attribs).filter((name) => name.startsWith('on'))).toEqual([]);
      if (el.name === 'a') expect(el.attribs.href).toMatch(/^https:\/\//);
      if (el.attribs['data-embed-provider'] !== undefined) {
        const { 'data-embed-provider': provider, 'data-embed-post': post, 'data-embed-src': src } = el.attribs;
        expect(checkedEmbed(provider!, post ?? '', src ?? '')).not.toBeNull();
      }
    }
  });
});
