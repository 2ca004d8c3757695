/**
 * Embedded posts in Chromium: a card per provider, no request to any of them until the reader
 * clicks "Load", then the provider's iframe (its host answered locally by `page.route`: there is
 * no network here) from a host the page's CSP allows. Cards that arrive live and the embed
 * variant of the page work the same way; axe finds nothing on a page with cards.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_FRAME_ORIGINS } from '../../src/shared/embeds.ts';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, launchBrowser, recordingContext, requestsAway } from '../helpers/browser.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

const POSTS = {
  youtube: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  x: 'https://x.com/Reuters/status/1790000000000000001',
  bluesky: 'https://bsky.app/profile/alice.bsky.social/post/3kabc2defgh2k',
  telegram: 'https://t.me/kyivindependent/12345',
  instagram: 'https://www.instagram.com/p/C1a2B3c4D5e/',
  tiktok: 'https://www.tiktok.com/@bbcnews/video/7300000000000000000',
  mastodon: 'https://mastodon.social/@Gargron/111111111111111111',
};
const BODY = [
  'Reactions as they come in.',
  ...Object.entries(POSTS).map(([provider, url]) => `${url}\n> What the ${provider} post says, quoted by the editor.`),
  'More to follow.',
].join('\n\n');

let stack: Stack;
let browser: Browser;
let story: { id: string; slug: string };
let lastSeq = 0;

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  stack = await startStack({ workers: 1 });
  browser = await launchBrowser();
  ({ body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Reactions', summary: 'Posts' } }));
  await post({ id: 'embeds', body: BODY });
});
afterAll(async () => {
  await browser.close();
  await stack.close();
});

async function post(body: { id: string; body: string }): Promise<void> {
  expect((await stack.request('POST', `/api/stories/${story.id}/updates`, { body })).status).toBe(202);
  const seq = ++lastSeq;
  await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === seq, 'post');
}

/** The provider's embed page, answered locally. */
async function answerProvider(page: Page, origin: string, text: string): Promise<void> {
  await page.route(`${origin}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: `<!doctype html><title>${text}</title><p>${text}</p>`,
    }),
  );
}

function frameSrc(csp: string): string[] {
  const directive = csp.split(';').find((d) => d.trim().startsWith('frame-src ')) ?? '';
  return directive.trim().split(/\s+/).slice(1);
}

const away = requestsAway;

async function openStory(page: Page, path = ''): Promise<string> {
  const response = await page.goto(`${stack.urls[0]}/stories/${story.slug}${path}`);
  await expect.poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
  return response!.headers()['content-security-policy']!;
}

describe('embedded posts', () => {
  it('ask nothing of the provider until "Load", then frame it from a host the CSP allows', async () => {
    const { context, requests } = await recordingContext(browser);
    const page = await context.newPage();
    const csp = await openStory(page);
    expect(frameSrc(csp)).toEqual([...EMBED_FRAME_ORIGINS]);

    const cards = page.locator('#update-embeds .embed-card');
    expect(await cards.count()).toBe(7);
    expect(await cards.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.embedProvider))).toEqual(
      Object.keys(POSTS),
    );
    expect(await page.locator('#update-embeds .embed-card blockquote').count()).toBe(7);
    expect(await page.locator('.embed-card button').count()).toBe(6);
    expect(await page.locator('[data-embed-provider="mastodon"] a').getAttribute('href')).toBe(POSTS.mastodon);
    await page.locator('[data-embed-provider="bluesky"]').screenshot({ path: `${ARTIFACTS_DIR}embed-card.png` });
    // Scrolled through and hovered, as a reader would: still nothing leaves.
    for (const card of await cards.all()) await card.hover();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await page.locator('iframe').count()).toBe(0);
    expect(away(requests)).toEqual([]);

    await answerProvider(page, 'https://platform.twitter.com', 'A post from X');
    const xCard = page.locator('[data-embed-provider="x"]');
    await xCard.getByRole('button', { name: 'Load the post from X' }).click();
    const frame = xCard.locator('iframe');
    await expect.poll(() => frame.count()).toBe(1);
    const src = 'https://platform.twitter.com/embed/Tweet.html?id=1790000000000000001';
    expect(await frame.getAttribute('src')).toBe(src);
    expect(await frame.getAttribute('title')).toBe('X post');
    expect(await frame.getAttribute('loading')).toBe('lazy');
    expect(await frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(await frame.getAttribute('sandbox')).toBe(
      'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox',
    );
    expect(frameSrc(csp)).toContain(new URL(src).origin);
    await expect
      .poll(() => page.frameLocator('[data-embed-provider="x"] iframe').locator('p').textContent())
      .toBe('A post from X');
    expect(away(requests)).toEqual([src]);
    expect(await xCard.getByRole('button').count()).toBe(0);
    await xCard.screenshot({ path: `${ARTIFACTS_DIR}embed-card-loaded.png` });
    await context.close();
  });

  it('a card whose attributes were changed in the page loads nothing', async () => {
    const { context, requests } = await recordingContext(browser);
    const page = await context.newPage();
    await openStory(page);
    const card = page.locator('[data-embed-provider="telegram"]');
    await card.evaluate((el) => el.setAttribute('data-embed-src', 'https://t.me/evil/1?embed=1'));
    await card.getByRole('button', { name: 'Load the post from Telegram' }).click();
    const youtube = page.locator('[data-embed-provider="youtube"]');
    await youtube.evaluate((el) => el.setAttribute('data-embed-post', 'https://youtube.evil.example/watch?v=x'));
    await youtube.getByRole('button', { name: 'Load the video from YouTube' }).click();
    expect(await page.locator('iframe').count()).toBe(0);
    expect(away(requests)).toEqual([]);
    await context.close();
  });

  it('cards that arrive live and cards in the embed variant load on click too', async () => {
    const { context, requests } = await recordingContext(browser);
    const page = await context.newPage();
    await openStory(page, '/embed');
    await post({ id: 'live-card', body: 'Just in:\n\nhttps://bsky.app/profile/bob.example.com/post/3kzzz2defgh2k' });
    const card = page.locator('#update-live-card .embed-card');
    await expect.poll(() => card.count()).toBe(1);
    expect(away(requests)).toEqual([]);
    await answerProvider(page, 'https://embed.bsky.app', 'A post from Bluesky');
    await card.getByRole('button', { name: 'Load the post from Bluesky' }).click();
    await expect
      .poll(() => card.locator('iframe').getAttribute('src'))
      .toBe('https://embed.bsky.app/embed/bob.example.com/app.bsky.feed.post/3kzzz2defgh2k');

    await answerProvider(page, 'https://www.youtube-nocookie.com', 'A video');
    const video = page.locator('#update-embeds [data-embed-provider="youtube"]');
    await video.getByRole('button', { name: 'Load the video from YouTube' }).click();
    await expect
      .poll(() => video.locator('iframe').getAttribute('src'))
      .toBe('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
    expect(await video.locator('iframe').getAttribute('referrerpolicy')).toBe('strict-origin-when-cross-origin');
    // The iframe asks for its page a moment after it is in the DOM (it loads lazily).
    await expect
      .poll(() => away(requests).map((url) => new URL(url).origin))
      .toEqual(['https://embed.bsky.app', 'https://www.youtube-nocookie.com']);
    await context.close();
  });

  it('axe finds no violations on a page with cards', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
      const page = await context.newPage();
      await openStory(page);
      const violations = await axeViolations(page, { colorSchemes: [colorScheme] });
      expect(violations, colorScheme).toEqual([]);
      await context.close();
    }
  });
});
