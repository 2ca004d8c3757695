/**
 * Mastodon posts in Chromium on a stack started with EMBED_MASTODON_HOSTS: the listed instance
 * is asked nothing until "Load", then framed from its embed page (answered locally by
 * `page.route`: there is no network here). A card that names any other instance, forged in the
 * page or rendered while its instance was listed and shown by a node that no longer lists it,
 * loads nothing.
 */
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiNode, type ApiNode } from '../../src/api-node.ts';
import { EMBED_FRAME_ORIGINS } from '../../src/shared/embeds.ts';
import { launchBrowser, recordingContext, requestsAway } from '../helpers/browser.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

const HOST = 'social.newsroom-test.org';
const LISTED_POST = `https://${HOST}/@reporter/111111111111111111`;
const OTHER_POST = 'https://mastodon.social/@Gargron/222222222222222222';
const POLL = { timeout: 20_000 };

let stack: Stack;
let browser: Browser;
let story: { id: string; slug: string };

beforeAll(async () => {
  stack = await startStack({ workers: 1, env: { EMBED_MASTODON_HOSTS: HOST } });
  browser = await launchBrowser();
  ({ body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Instances', summary: 'Posts' } }));
  const body = `${LISTED_POST}\n> On a listed instance.\n\n${OTHER_POST}\n> On another one.`;
  expect((await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'm1', body } })).status).toBe(
    202,
  );
  await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1, 'post');
});
afterAll(async () => {
  await browser.close();
  await stack.close();
});

const away = requestsAway;

function frameSrc(csp: string): string[] {
  const directive = csp.split(';').find((d) => d.trim().startsWith('frame-src ')) ?? '';
  return directive.trim().split(/\s+/).slice(1);
}

async function openStory(page: Page, base = stack.urls[0]!): Promise<string> {
  const response = await page.goto(`${base}/stories/${story.slug}`);
  await expect.poll(() => page.locator('#connection').getAttribute('data-state'), POLL).toBe('live');
  return response!.headers()['content-security-policy']!;
}

const cardOf = (page: Page, post: string) => page.locator(`.embed-card[data-embed-post="${post}"]`);

describe('Mastodon posts from a listed instance', () => {
  it('ask nothing of the instance until "Load", then frame its embed page', async () => {
    const { context, requests } = await recordingContext(browser);
    const page = await context.newPage();
    const csp = await openStory(page);
    expect(frameSrc(csp)).toEqual([...EMBED_FRAME_ORIGINS, `https://${HOST}`]);
    const listed = cardOf(page, LISTED_POST);
    expect(await listed.getByRole('button').count()).toBe(1);
    expect(await cardOf(page, OTHER_POST).getByRole('button').count()).toBe(0);
    await listed.hover();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await page.locator('iframe').count()).toBe(0);
    expect(away(requests)).toEqual([]);

    await page.route(`https://${HOST}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Toot</title><p>A toot</p>' }),
    );
    await listed.getByRole('button', { name: 'Load the post from Mastodon' }).click();
    await expect.poll(() => listed.locator('iframe').getAttribute('src'), POLL).toBe(`${LISTED_POST}/embed`);
    await expect
      .poll(
        () => page.frameLocator(`.embed-card[data-embed-post="${LISTED_POST}"] iframe`).locator('p').textContent(),
        POLL,
      )
      .toBe('A toot');
    expect(away(requests)).toEqual([`${LISTED_POST}/embed`]);
    await context.close();
  });

  it('a forged card naming an unlisted instance loads nothing', async () => {
    const { context, requests } = await recordingContext(browser);
    const page = await context.newPage();
    await openStory(page);
    // A "Load" button slipped into the other instance's card.
    const other = cardOf(page, OTHER_POST);
    await other.evaluate((card) =>
      card.insertAdjacentHTML('beforeend', '<button type="button" class="embed-load">Load the post</button>'),
    );
    // The listed card rewritten, consistently, to name another instance.
    const listed = cardOf(page, LISTED_POST);
    const forged = 'https://mastodon.social/@Gargron/333333333333333333';
    await listed.evaluate((card, post) => {
      card.setAttribute('data-embed-src', `${post}/embed`);
      card.setAttribute('data-embed-post', post);
    }, forged);
    const buttons = page.locator('.embed-card button.embed-load');
    expect(await buttons.count()).toBe(2);
    await other.getByRole('button').click();
    await cardOf(page, forged).getByRole('button').click();
    expect(await page.locator('iframe').count()).toBe(0);
    expect(await buttons.count()).toBe(0);
    expect(away(requests)).toEqual([]);
    await context.close();
  });

  it('a card rendered while its instance was listed, served by a node that no longer lists it, loads nothing', async () => {
    const config = testConfig({ KEY_PREFIX: stack.config.keyPrefix, QUEUE_PREFIX: stack.config.queuePrefix });
    const node: ApiNode = await createApiNode(config, pino({ level: 'silent' }));
    const { context, requests } = await recordingContext(browser);
    try {
      await node.app.listen({ port: 0, host: '127.0.0.1' });
      const address = node.app.server.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      const page = await context.newPage();
      const csp = await openStory(page, `http://127.0.0.1:${address.port}`);
      expect(frameSrc(csp)).toEqual([...EMBED_FRAME_ORIGINS]);
      const listed = cardOf(page, LISTED_POST);
      // The stored HTML still has the button; the page's list decides.
      await listed.getByRole('button', { name: 'Load the post from Mastodon' }).click();
      expect(await listed.getByRole('button').count()).toBe(0);
      expect(await page.locator('iframe').count()).toBe(0);
      expect(away(requests)).toEqual([]);
    } finally {
      await context.close();
      await node.close();
    }
  });
});
